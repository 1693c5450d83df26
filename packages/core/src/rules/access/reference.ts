import { normalizeEmail } from '../../model/email';
import { PRIMARY_OWNER, roleCatalogue, type RoleCatalogue } from '../../model/roles';
import type { Organization, OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { DirectorySnapshot, SnapshotGroup } from '../../schemas/snapshot';
import { org8, parsePredefinedGroupName } from '../group-names';
import { allocateSeats, decideAccess, inactiveKind, type AccessFacts, type Decision, type HeldMapping } from './decide';
import { fieldValue, nestingFor, samlEmailSource, scimEmailSource, seatTierOrder } from './resolve';

/**
 * The plain reference of access resolution: what `resolveOrgAccess` computes, written as maps and
 * filters over the snapshot with no index, no interning and no memo. Slow (every group expanded
 * for every question), kept as the oracle the property test compares the fast path with
 * (resolve.property.test.ts). Both ask the same `decideAccess` and `allocateSeats`; what is
 * compared is how the facts are gathered, ordered and seated.
 */
export interface ReferenceAccess {
  readonly userId: string;
  readonly email: string | null;
  readonly assignedViaGroupIds: readonly string[];
  readonly decision: Decision;
  readonly seatTier: string | null;
  readonly withinSeats: boolean;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function referenceOrgAccess(
  snapshot: DirectorySnapshot,
  config: Pick<OrgConfig, 'roles' | 'seatTiers'>,
  org: Organization,
  members: readonly Pick<Member, 'email' | 'orgId' | 'role'>[] = [],
): ReferenceAccess[] {
  const catalogue = roleCatalogue(config);
  const nesting = nestingFor(snapshot);
  // First occurrence of an id wins, for people and for groups.
  const users = snapshot.users.filter((u, i) => snapshot.users.findIndex((x) => x.id === u.id) === i);
  const groups = snapshot.groups.filter((g, i) => snapshot.groups.findIndex((x) => x.id === g.id) === i);
  const group = (id: string) => groups.find((g) => g.id === id);
  const isUser = new Set(users.map((u) => u.id));

  /** Member user ids of a group: direct members, plus (transitive nesting) those of nested groups, cycle-safe. */
  const membersOf = (id: string): Set<string> => {
    const out = new Set<string>();
    const seen = new Set<string>([id]);
    const todo = [group(id)].filter((g): g is SnapshotGroup => g !== undefined);
    while (todo.length) {
      const g = todo.pop()!;
      for (const u of g.memberUserIds) if (isUser.has(u)) out.add(u);
      if (nesting === 'direct') continue;
      for (const c of g.memberGroupIds) if (!seen.has(c) && group(c)) seen.add(c), todo.push(group(c)!);
    }
    return out;
  };

  const assignedGroups = [...new Set(snapshot.assignments.groupIds)].sort(byCodePoint);
  const mappings = referenceMappings(groups, org, catalogue);
  const mode = org.provisioning.mode;
  const mappingsEnabled = mode !== 'manual' && org.provisioning.groupMappings?.enabled === true;
  const tiers = seatTierOrder(org, catalogue);
  const source = mode === 'scim' ? scimEmailSource(snapshot) : samlEmailSource(snapshot);
  const emailOf = (u: (typeof users)[number]) => normalizeEmail(fieldValue(u, source));

  const mine = members.filter((m) => m.orgId === undefined || m.orgId === org.id);
  const seatsCounted = org.surface === 'claude' && org.seats !== undefined;
  const currentEmails = new Set(seatsCounted ? mine.map((m) => normalizeEmail(m.email)).filter((e) => e !== null) : []);
  const primaryEmails = new Set(
    org.surface === 'claude'
      ? mine.filter((m) => m.role?.trim().toLowerCase() === PRIMARY_OWNER).map((m) => normalizeEmail(m.email))
      : [],
  );

  const people = users
    .map((u) => {
      const email = emailOf(u);
      const via = assignedGroups.filter((g) => membersOf(g).has(u.id));
      const held = mappings.filter((m) => membersOf(m.held.groupId).has(u.id));
      const facts: AccessFacts = {
        assigned: snapshot.assignments.userIds.includes(u.id) || via.length > 0,
        inactive: inactiveKind(u.status),
        hasEmail: email !== null,
        roleGroups: held.filter((m) => m.kind === 'role').map((m) => m.held),
        seatTierGroups: held.filter((m) => m.kind === 'seatTier').map((m) => m.held),
        primaryOwner: email !== null && primaryEmails.has(email),
      };
      return {
        userId: u.id,
        email,
        via,
        decision: decideAccess(facts, {
          surface: org.surface,
          mode,
          mappingsEnabled,
          roleRank: (r) => catalogue.rank(org.surface, r),
          seatTiers: tiers,
        }),
      };
    })
    .sort((a, b) => byCodePoint(a.email ?? '\uffff', b.email ?? '\uffff') || byCodePoint(a.userId, b.userId));

  const asking = org.surface === 'claude' ? people.filter((p) => p.decision.entitled && p.decision.needsSeat) : [];
  const seats = allocateSeats(
    asking.map((p) => ({
      mappedTier: p.decision.mappedSeatTier,
      current: p.email !== null && currentEmails.has(p.email),
    })),
    { tiers, bought: org.seats ?? null, fallback: mode === 'manual' ? 'lowest' : 'highest' },
  );
  return people.map((p) => {
    const k = asking.indexOf(p);
    const tier = k === -1 ? null : seats.tiers[k]!;
    return {
      userId: p.userId,
      email: p.email,
      assignedViaGroupIds: p.via,
      decision: p.decision,
      seatTier: k === -1 ? null : (tier ?? p.decision.mappedSeatTier),
      withinSeats: k === -1 || tier !== null,
    };
  });
}

/** The org's (kind, target, group id) mappings: named groups by exact name, else case-insensitive; then the pre-defined groups it does not name (R-G4). */
function referenceMappings(
  groups: readonly SnapshotGroup[],
  org: Organization,
  catalogue: RoleCatalogue,
): { kind: 'role' | 'seatTier'; held: HeldMapping }[] {
  const gm = org.provisioning.groupMappings;
  if (!gm) return [];
  const find = (name: string) => {
    const exact = groups.filter((g) => g.name === name);
    return (exact.length ? exact : groups.filter((g) => g.name.trim().toLowerCase() === name.trim().toLowerCase())).map(
      (g) => g.id,
    );
  };
  const out: { kind: 'role' | 'seatTier'; held: HeldMapping }[] = [];
  for (const [role, names] of Object.entries(gm.roles))
    for (const n of names)
      for (const id of find(n)) out.push({ kind: 'role', held: { target: role.toLowerCase(), groupId: id } });
  if (org.surface === 'claude')
    for (const [tier, names] of Object.entries(gm.seatTiers ?? {}))
      for (const n of names)
        for (const id of find(n)) out.push({ kind: 'seatTier', held: { target: tier.toLowerCase(), groupId: id } });
  const named = new Set(out.filter((m) => m.kind === 'role').map((m) => m.held.groupId));
  for (const g of groups) {
    const p = parsePredefinedGroupName(g.name);
    if (
      named.has(g.id) ||
      !p ||
      p.org8 !== org8(org.id) ||
      p.surface !== org.surface ||
      !catalogue.isKnown(org.surface, p.role)
    )
      continue;
    out.push({ kind: 'role', held: { target: p.role, groupId: g.id } });
  }
  return out;
}
