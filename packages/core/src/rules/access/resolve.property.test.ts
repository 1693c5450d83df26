import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Organization, OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { DirectorySnapshot, SnapshotUser, UserStatus } from '../../schemas/snapshot';
import { referenceOrgAccess } from './reference';
import { buildDirectoryIndex, resolveOrgAccess } from './resolve';
import { plan } from '../../engine/plan/plan';
import { audit } from '../../engine/audit/audit';

/**
 * The fast path (`buildDirectoryIndex` + `resolveOrgAccess`) against the plain reference
 * (`referenceOrgAccess`) on random tenants: duplicate ids, odd and shared emails, nested groups
 * with cycles, both nesting semantics, every mode, mappings on and off, seats counted or not,
 * current members and a Primary Owner.
 */
const CLAUDE = '468ca80f-1111-4222-8333-444455556666';
const CONSOLE = '9f2c1d7e-aaaa-4bbb-8ccc-ddddeeeeffff';
const GROUP_NAMES = [
  'anthropic-claudeai-468ca80f-owner',
  'anthropic-claudeai-468ca80f-admin',
  'ANTHROPIC-claudeai-468ca80f-user',
  'anthropic-claudeai-468ca80f-premium',
  'Engineering',
  'engineering',
  'anthropic-console-9f2c1d7e-developer',
  'anthropic-console-9f2c1d7e-admin',
];
const EMAILS = [
  'ana@acme.com',
  'ANA@acme.com',
  ' bob@acme.com ',
  'bob@acme.com',
  'cy@bücher.de',
  'dee@acme.com',
  'not an address',
  'eve+x@acme.com',
  'fay@acme.com',
  'gus@acme.com',
];
const STATUSES: UserStatus[] = ['active', 'active', 'active', 'suspended', 'staged', 'deprovisioned', 'locked'];
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const userArb = fc.record({
  id: fc.constantFrom(...ids('u', 9)),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  login: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  status: fc.constantFrom(...STATUSES),
});
const groupArb = fc.record({
  id: fc.constantFrom(...ids('g', 8)),
  name: fc.constantFrom(...GROUP_NAMES),
  memberUserIds: fc.array(fc.constantFrom(...ids('u', 10)), { maxLength: 6 }),
  memberGroupIds: fc.array(fc.constantFrom(...ids('g', 8)), { maxLength: 2 }),
});
const tenantArb = fc.record({
  users: fc.array(userArb, { maxLength: 12 }),
  groups: fc.array(groupArb, { maxLength: 9 }),
  assignUsers: fc.array(fc.constantFrom(...ids('u', 10)), { maxLength: 4 }),
  assignGroups: fc.array(fc.constantFrom(...ids('g', 9)), { maxLength: 4 }),
  nesting: fc.constantFrom('direct' as const, 'transitive' as const),
  scimFromLogin: fc.boolean(),
  claudeMode: fc.constantFrom('manual' as const, 'jit' as const, 'scim' as const),
  consoleMode: fc.constantFrom('manual' as const, 'jit' as const, 'scim' as const),
  mappingsOn: fc.boolean(),
  seats: fc.option(fc.record({ premium: fc.nat(3), standard: fc.nat(3) }, { requiredKeys: ['premium'] }), {
    nil: undefined,
  }),
  members: fc.array(
    fc.record({
      email: fc.constantFrom(...EMAILS),
      role: fc.constantFrom('user', 'owner', 'primary_owner', 'admin'),
      org: fc.constantFrom(CLAUDE, CONSOLE, undefined),
    }),
    { maxLength: 6 },
  ),
});

type Tenant = typeof tenantArb extends fc.Arbitrary<infer T> ? T : never;

function build(t: Tenant): { snapshot: DirectorySnapshot; config: OrgConfig; members: Member[] } {
  const users: SnapshotUser[] = t.users.map((u) => ({
    id: u.id,
    email: u.email,
    login: u.login,
    status: u.status,
    fields: { 'user.email': u.email, 'user.login': u.login },
  }));
  const snapshot: DirectorySnapshot = {
    schemaVersion: 1,
    idp: 'generic',
    tenant: 'acme.example',
    capturedAt: '2026-02-01T00:00:00.000Z',
    complete: true,
    nesting: t.nesting,
    app: {
      id: 'app',
      name: 'Claude',
      sso: {
        protocol: 'saml',
        nameIdFormat: 'emailAddress',
        nameIdSource: 'user.email',
        emailAttribute: { name: 'email', source: 'user.email' },
      },
      scim: {
        enabled: true,
        emailSource: t.scimFromLogin ? 'user.login' : 'user.email',
        userNameSource: 'user.email',
        create: true,
        update: true,
        deactivate: true,
        pushedGroupIds: null,
        intervalMinutes: null,
      },
    },
    users,
    groups: t.groups,
    assignments: { userIds: t.assignUsers, groupIds: t.assignGroups },
  } as DirectorySnapshot;
  const claude: Organization = {
    id: CLAUDE,
    surface: 'claude',
    plan: 'enterprise',
    provisioning: {
      mode: t.claudeMode,
      groupMappings: {
        enabled: t.mappingsOn,
        roles: {
          owner: ['anthropic-claudeai-468ca80f-owner'],
          user: ['anthropic-claudeai-468ca80f-user', 'Engineering'],
        },
        seatTiers: { premium: ['anthropic-claudeai-468ca80f-premium'] },
      },
    },
    ...(t.seats ? { seats: t.seats } : {}),
  };
  const consoleOrg: Organization = {
    id: CONSOLE,
    surface: 'console',
    plan: 'console',
    provisioning: {
      mode: t.consoleMode,
      groupMappings: { enabled: t.mappingsOn, roles: { developer: ['anthropic-console-9f2c1d7e-developer'] } },
    },
  };
  const config: OrgConfig = {
    parent: { idp: 'generic', verifiedDomains: ['acme.com'] },
    organizations: [claude, consoleOrg],
  };
  const members: Member[] = t.members.map((m) => ({
    email: m.email,
    role: m.role,
    ...(m.org ? { orgId: m.org } : {}),
  }));
  return { snapshot, config, members };
}

describe('resolveOrgAccess equals the plain reference (property)', () => {
  it('on random tenants, for every org: the same people, order, decisions, seats', () => {
    fc.assert(
      fc.property(tenantArb, (t) => {
        const { snapshot, config, members } = build(t);
        const index = buildDirectoryIndex(snapshot);
        for (const org of config.organizations) {
          const mine = members.filter((m) => m.orgId === undefined || m.orgId === org.id);
          const fast = resolveOrgAccess(index, config, org, { currentMembers: mine });
          const plain = referenceOrgAccess(snapshot, config, org, mine);
          expect(
            fast.users.map((u) => ({
              userId: u.userId,
              email: u.email,
              assignedViaGroupIds: u.assignedViaGroupIds,
              decision: u.decision,
              seatTier: u.seatTier,
              withinSeats: u.withinSeats,
            })),
          ).toEqual(plain);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('results are read-only: frozen after resolution, audit and plan over them give what fresh inputs give', () => {
    const t = fc.sample(tenantArb, { numRuns: 1, seed: 7 })[0]!;
    const { snapshot, config, members } = build({ ...t, claudeMode: 'scim', mappingsOn: true, seats: { premium: 1 } });
    const index = buildDirectoryIndex(snapshot);
    for (const org of config.organizations) {
      const byOrg = members.filter((m) => m.orgId === undefined || m.orgId === org.id);
      const a = resolveOrgAccess(index, config, org, { currentMembers: byOrg });
      for (const u of a.users) Object.freeze(u);
      Object.freeze(a.users);
      Object.freeze(a.seats);
    }
    // The memoised (now frozen) results are reused; a write to them would throw.
    const now = '2026-02-10T12:00:00.000Z';
    const reused = plan({ snapshot, config, members, now });
    const fresh = plan({ ...structuredClone({ snapshot, config, members }), now });
    expect(reused.orgs).toEqual(fresh.orgs);
    expect(audit({ snapshot, config, members, now }).findings).toEqual(
      audit({ ...structuredClone({ snapshot, config, members }), now }).findings,
    );
  });
});
