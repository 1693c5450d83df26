/**
 * Small builders for the plan / explain / diff tests, so each scenario reads like the seed row it
 * checks. Test-only: not exported from the package.
 */
import type { IdpKind } from '../../schemas/common';
import type { Organization, OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { DirectorySnapshot, SnapshotGroup, SnapshotUser, UserStatus } from '../../schemas/snapshot';

export const CLAUDE_ORG = '468ca80f-1111-4222-8333-444455556666';
export const CONSOLE_ORG = '9f2c1d7e-aaaa-4bbb-8ccc-ddddeeeeffff';
export const OWNER_GROUP = 'anthropic-claudeai-468ca80f-owner';
export const ADMIN_GROUP = 'anthropic-claudeai-468ca80f-admin';
export const USER_GROUP = 'anthropic-claudeai-468ca80f-user';
export const PREMIUM_GROUP = 'anthropic-claudeai-468ca80f-premium';
export const STANDARD_GROUP = 'anthropic-claudeai-468ca80f-standard';

export function person(
  id: string,
  email: string | null,
  opts: { status?: UserStatus; login?: string | null; aliases?: string[] } = {},
): SnapshotUser {
  const login = opts.login === undefined ? email : opts.login;
  return {
    id,
    email,
    login,
    status: opts.status ?? 'active',
    fields: { 'user.email': email, 'user.login': login },
    ...(opts.aliases ? { aliases: opts.aliases } : {}),
  };
}

export function grp(id: string, name: string, users: string[] = [], groups: string[] = []): SnapshotGroup {
  return { id, name, memberUserIds: users, memberGroupIds: groups };
}

export function snap(opts: {
  idp?: IdpKind;
  users?: SnapshotUser[];
  groups?: SnapshotGroup[];
  assignUsers?: string[];
  assignGroups?: string[];
  scim?: Partial<NonNullable<DirectorySnapshot['app']['scim']>> | null;
  complete?: boolean;
  nesting?: 'direct' | 'transitive';
  capturedAt?: string;
}): DirectorySnapshot {
  return {
    schemaVersion: 1,
    idp: opts.idp ?? 'okta',
    tenant: 'acme.example',
    capturedAt: opts.capturedAt ?? '2026-02-01T00:00:00.000Z',
    complete: opts.complete ?? true,
    app: {
      id: 'app1',
      name: 'Claude',
      sso: {
        protocol: 'saml',
        nameIdFormat: 'emailAddress',
        nameIdSource: 'user.email',
        emailAttribute: { name: 'email', source: 'user.email' },
      },
      scim:
        opts.scim === null
          ? null
          : {
              enabled: true,
              emailSource: 'user.email',
              userNameSource: 'user.email',
              create: true,
              update: true,
              deactivate: true,
              pushedGroupIds: null,
              intervalMinutes: null,
              ...opts.scim,
            },
    },
    users: opts.users ?? [],
    groups: opts.groups ?? [],
    assignments: { userIds: opts.assignUsers ?? [], groupIds: opts.assignGroups ?? [] },
    ...(opts.nesting ? { nesting: opts.nesting } : {}),
  };
}

export function claudeOrg(opts: {
  mode: Organization['provisioning']['mode'];
  mappings?: { roles: Record<string, string[]>; seatTiers?: Record<string, string[]>; enabled?: boolean };
  seats?: Record<string, number>;
  id?: string;
  name?: string;
}): Organization {
  return {
    id: opts.id ?? CLAUDE_ORG,
    ...(opts.name ? { name: opts.name } : {}),
    surface: 'claude',
    plan: 'enterprise',
    provisioning: {
      mode: opts.mode,
      ...(opts.mappings
        ? {
            groupMappings: {
              enabled: opts.mappings.enabled ?? true,
              roles: opts.mappings.roles,
              ...(opts.mappings.seatTiers ? { seatTiers: opts.mappings.seatTiers } : {}),
            },
          }
        : {}),
    },
    ...(opts.seats ? { seats: opts.seats } : {}),
  };
}

export function consoleOrg(opts: {
  mode: Organization['provisioning']['mode'];
  mappings?: { roles: Record<string, string[]> };
  id?: string;
}): Organization {
  return {
    id: opts.id ?? CONSOLE_ORG,
    surface: 'console',
    plan: 'console',
    provisioning: {
      mode: opts.mode,
      ...(opts.mappings ? { groupMappings: { enabled: true, roles: opts.mappings.roles } } : {}),
    },
  };
}

export function cfg(organizations: Organization[], idp: IdpKind = 'okta'): OrgConfig {
  return { parent: { idp, verifiedDomains: ['acme.com'] }, organizations };
}

export function mem(email: string, role: string, extra: Partial<Member> = {}): Member {
  return { email, role, ...extra };
}

export const NOW = '2026-02-10T12:00:00.000Z';
