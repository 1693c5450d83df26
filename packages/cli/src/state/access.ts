import {
  buildDirectoryIndex,
  resolveOrgAccess,
  type DirectorySnapshot,
  type EngineCache,
  type Member,
  type OrgConfig,
} from '@claude-idp/core';
import type { AccessRow } from './state-schema';

/** One person in one org, as the rules resolve them: the HTML report's access table, and what the state compares run to run. */
export interface PersonAccess {
  orgId: string;
  orgName: string;
  surface: 'claude' | 'console';
  userId: string;
  email: string | null;
  /** What to call the person: the normalised email, else what the IdP holds (email or login, as given), else the IdP id. */
  label: string;
  status: string;
  /** Entitled by the IdP and seated (R-V5): the person can use the org. */
  access: boolean;
  role: string | null;
  seatTier: string | null;
  /** How the person reaches the app: `direct assignment` and/or `group <name>`. */
  via: string[];
  /** The mapped groups that gave the role (R-G1). */
  roleVia: string[];
  /** Why not, when `access` is false: not-assigned, inactive, no-mapped-group, no-email, no-seat. */
  reason: string | null;
}

/** Seats bought and used per tier in one claude.ai org (Console orgs have none). */
export interface OrgSeats {
  orgId: string;
  orgName: string;
  tiers: { tier: string; bought: number | null; used: number; shortfall: number }[];
}

/**
 * Every person the app or a mapped group reaches, per org (people neither assigned nor in a mapped
 * group are left out: nothing about them concerns Claude), with the seats per tier.
 */
export function resolvePeople(
  snapshot: DirectorySnapshot,
  config: OrgConfig,
  members?: Member[],
  cache?: EngineCache,
): { people: PersonAccess[]; seats: OrgSeats[] } {
  const index = buildDirectoryIndex(snapshot, cache);
  const groupName = new Map(snapshot.groups.map((g) => [g.id, g.name]));
  const name = (id: string) => groupName.get(id) ?? id;
  const raw = new Map(snapshot.users.map((u) => [u.id, u.email ?? u.login ?? null]));
  const people: PersonAccess[] = [];
  const seats: OrgSeats[] = [];
  for (const org of config.organizations) {
    const resolved = resolveOrgAccess(index, config, org, {
      currentMembers: members?.filter((m) => !m.orgId || m.orgId === org.id),
    });
    const orgName = org.name ?? org.id;
    for (const u of resolved.users) {
      if (!u.assigned && !u.inMappedGroup) continue;
      const access = u.entitled && u.withinSeats;
      people.push({
        orgId: org.id,
        orgName,
        surface: org.surface,
        userId: u.userId,
        email: u.email,
        label: u.email ?? raw.get(u.userId) ?? u.userId,
        status: u.status,
        access,
        role: access ? u.role : null,
        seatTier: access ? u.seatTier : null,
        via: [
          ...(u.assignedDirectly ? ['direct assignment'] : []),
          ...u.assignedViaGroupIds.map((g) => `group ${name(g)}`),
        ],
        roleVia: u.roleGroupIds.map(name),
        reason: access ? null : u.entitled ? 'no-seat' : u.reason,
      });
    }
    if (resolved.seats.length) {
      seats.push({
        orgId: org.id,
        orgName,
        tiers: resolved.seats.map((s) => ({
          tier: s.tier,
          bought: s.bought,
          used: s.mapped + s.fallback,
          shortfall: s.shortfall,
        })),
      });
    }
  }
  return { people, seats };
}

/** The part of each person's access the state keeps and compares. */
export function accessRows(people: PersonAccess[]): AccessRow[] {
  return people.map((p) => ({
    orgId: p.orgId,
    userId: p.userId,
    email: p.email,
    access: p.access,
    role: p.role,
    seatTier: p.seatTier,
  }));
}
