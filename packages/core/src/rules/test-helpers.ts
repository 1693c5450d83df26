/**
 * Small builders for rule and audit tests: a scenario reads like the seed it comes from.
 * Test-only (not exported from the package barrel).
 */
import type { DirectorySnapshot, SnapshotGroup, SnapshotUser, UserStatus } from '../schemas/snapshot';
import type { IdpKind } from '../schemas/common';
import type { Organization, OrgConfig } from '../schemas/config';
import type { Member } from '../schemas/members';

export function user(
  id: string,
  email: string | null,
  opts: { status?: UserStatus; login?: string | null; fields?: Record<string, string | null>; aliases?: string[] } = {},
): SnapshotUser {
  const login = opts.login === undefined ? email : opts.login;
  return {
    id,
    email,
    login,
    status: opts.status ?? 'active',
    fields: { 'user.email': email, 'user.login': login, ...opts.fields },
    ...(opts.aliases ? { aliases: opts.aliases } : {}),
  };
}

export function group(
  id: string,
  name: string,
  memberUserIds: string[] = [],
  memberGroupIds: string[] = [],
): SnapshotGroup {
  return { id, name, memberUserIds, memberGroupIds };
}

export type SsoOverride = Partial<NonNullable<DirectorySnapshot['app']['sso']>> | null;
export type ScimOverride = Partial<NonNullable<DirectorySnapshot['app']['scim']>> | null;

export function snapshot(opts: {
  idp?: IdpKind;
  users?: SnapshotUser[];
  groups?: SnapshotGroup[];
  assignUsers?: string[];
  assignGroups?: string[];
  sso?: SsoOverride;
  scim?: ScimOverride;
  nesting?: 'direct' | 'transitive';
  unavailable?: { check: string; reason: string }[];
  complete?: boolean;
}): DirectorySnapshot {
  return {
    schemaVersion: 1,
    idp: opts.idp ?? 'okta',
    tenant: 'acme.okta.example',
    capturedAt: '2026-02-01T00:00:00.000Z',
    complete: opts.complete ?? true,
    app: {
      id: 'app1',
      name: 'Claude',
      sso:
        opts.sso === null
          ? null
          : {
              protocol: 'saml',
              nameIdFormat: 'emailAddress',
              nameIdSource: 'user.email',
              emailAttribute: { name: 'email', source: 'user.email' },
              ...opts.sso,
            },
      scim:
        opts.scim === null || opts.scim === undefined
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
    ...(opts.unavailable ? { unavailable: opts.unavailable } : {}),
  };
}

export const ORG_CLAUDE = '468ca80f-1111-4222-8333-444455556666';
export const ORG_CONSOLE = '9f2c1d7e-aaaa-4bbb-8ccc-ddddeeeeffff';

export function org(
  opts: Partial<Omit<Organization, 'provisioning'>> & {
    mode?: Organization['provisioning']['mode'];
    mappings?: Partial<NonNullable<Organization['provisioning']['groupMappings']>> | null;
  },
): Organization {
  const surface = opts.surface ?? 'claude';
  const { mode, mappings, ...rest } = opts;
  return {
    id: surface === 'claude' ? ORG_CLAUDE : ORG_CONSOLE,
    surface,
    plan: surface === 'console' ? 'console' : 'enterprise',
    ...rest,
    provisioning: {
      mode: mode ?? 'jit',
      ...(mappings ? { groupMappings: { enabled: true, roles: {}, ...mappings } } : {}),
    },
  };
}

export function config(
  organizations: Organization[],
  parent: Partial<OrgConfig['parent']> = {},
  roles?: OrgConfig['roles'],
): OrgConfig {
  return {
    parent: { idp: 'okta', verifiedDomains: ['acme.com'], ...parent },
    organizations,
    ...(roles ? { roles } : {}),
  };
}

export function member(email: string, role: string, extra: Partial<Member> = {}): Member {
  return { email, role, ...extra };
}

// The Acme cast the audit and preflight scenarios share: Okta, acme.com, a claude.ai org's groups.
export const OWNER_G = 'anthropic-claudeai-468ca80f-owner';
export const USER_G = 'anthropic-claudeai-468ca80f-user';
export const ana = user('u1', 'ana@acme.com');
export const bo = user('u2', 'bo@acme.com');
export const cy = user('u3', 'cy@acme.com');

/** The findings with one code. */
export const only = <F extends { code: string }>(fs: F[], code: string): F[] => fs.filter((f) => f.code === code);
