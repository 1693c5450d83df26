import { describe, expect, it } from 'vitest';
import { preflight } from './preflight';
import { FINDING_CODES } from './catalogue';
import { parseDomainMembers } from './domain-members';
import type { Finding } from '../../schemas/finding';
import {
  ana,
  bo,
  config,
  cy,
  group,
  member,
  only,
  org,
  ORG_CLAUDE,
  ORG_CONSOLE,
  OWNER_G,
  snapshot,
  user,
  USER_G,
} from '../../rules/test-helpers';

const produced = new Set<string>();
const track = <T extends { findings: Finding[] }>(r: T): T => {
  for (const f of r.findings) produced.add(f.code);
  return r;
};

describe('preflight.enableMappings (R-G3, R-G5, R-G6)', () => {
  // All three are on the app; only Ana and Bo have been put in groups so far.
  const s = snapshot({
    users: [ana, bo, cy],
    groups: [group('g-own', OWNER_G, ['u1']), group('g-usr', USER_G, ['u2'])],
    assignUsers: ['u1', 'u2', 'u3'],
    scim: { pushedGroupIds: ['g-own', 'g-usr'] },
  });
  const mappings = { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] };
  const members = [
    member('ana@acme.com', 'owner'),
    member('bo@acme.com', 'user'),
    member('cy@acme.com', 'user'),
    member('other@acme.com', 'user', { orgId: 'elsewhere' }),
  ];

  it("'Saving before users are properly assigned will result in those users being deprovisioned' (SCIM)", () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'scim' })]),
        orgId: ORG_CLAUDE,
        members,
        actor: 'ana@acme.com',
        mappings,
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.losers).toEqual([{ email: 'cy@acme.com', userId: 'u3', role: 'user', reason: 'no-mapped-group' }]);
    expect(only(r.findings, 'ACCESS_LOSS')[0]!.message).toBe(
      `cy@acme.com (user) would be removed from ${ORG_CLAUDE} automatically by SCIM: they are in no mapped group`,
    );
    expect(r.actor).toEqual({
      email: 'ana@acme.com',
      currentRole: 'owner',
      resolvedRole: 'owner',
      entitled: true,
      downgraded: false,
    });
    expect(r).toMatchObject({ notSeen: [], missingGroups: [], entitled: 2, topRoleHolders: 1, downgrades: [] });
  });

  it('JIT: the same person can no longer log in but stays listed', () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'jit', mappings: { ...mappings, enabled: false } })]),
        orgId: ORG_CLAUDE,
        members,
      }),
    );
    expect(only(r.findings, 'ACCESS_LOSS')[0]!.message).toContain('would no longer be able to log in');
  });

  it("'I lost Admin/Owner access after enabling group mappings': the saver is not in the Owner group → downgraded to User", () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'scim' })]),
        orgId: ORG_CLAUDE,
        members: [member('bo@acme.com', 'owner')],
        actor: 'bo@acme.com',
        mappings,
      }),
    );
    expect(r.actor).toMatchObject({
      email: 'bo@acme.com',
      currentRole: 'owner',
      resolvedRole: 'user',
      downgraded: true,
    });
    expect(r.downgrades).toEqual([{ email: 'bo@acme.com', userId: 'u2', from: 'owner', to: 'user' }]);
    expect(only(r.findings, 'ACTOR_DOWNGRADE')[0]!.fix).toContain('add yourself to a group mapped to owner');
    expect(r.ok).toBe(false);
  });

  it('an actor missing from the member list is taken as the Owner saving the change', () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'scim' })]),
        orgId: ORG_CLAUDE,
        members: [],
        actor: 'cy@acme.com',
        mappings,
      }),
    );
    expect(r.actor).toMatchObject({ email: 'cy@acme.com', currentRole: null, resolvedRole: null, downgraded: true });
    expect(only(r.findings, 'ACTOR_DOWNGRADE')[0]!.message).toContain('would get no access (in no mapped group)');
  });

  it('OWNER_LOCKOUT when nobody is in the Owner group; groups not yet seen are errors before saving (R-G5)', () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'scim' })]),
        orgId: ORG_CLAUDE,
        members: [],
        mappings: { roles: { owner: ['anthropic-claudeai-468ca80f-owners'], user: [USER_G] }, seenGroups: [] },
      }),
    );
    // The pre-defined Owner group still exists and is counted as a default mapping (seed 001), so
    // the lockout is a warning that says so rather than an error.
    expect(only(r.findings, 'OWNER_LOCKOUT').map((f) => f.severity)).toEqual(['warning']);
    const bare = { ...s, groups: s.groups.filter((g) => g.id !== 'g-own') };
    const strict = preflight.enableMappings({
      snapshot: bare,
      config: config([org({ mode: 'scim' })]),
      orgId: ORG_CLAUDE,
      members: [],
      mappings: { roles: { owner: ['anthropic-claudeai-468ca80f-owners'], user: [USER_G] } },
    });
    expect(only(strict.findings, 'OWNER_LOCKOUT').map((f) => f.severity)).toEqual(['error']);
    expect(strict.topRoleHolders).toBe(0);
    expect(r.missingGroups).toEqual(['anthropic-claudeai-468ca80f-owners']);
    expect(r.notSeen).toEqual([OWNER_G, 'anthropic-claudeai-468ca80f-owners', USER_G].sort());
    expect(only(r.findings, 'GROUP_NOT_SEEN').every((f) => f.severity === 'error')).toBe(true);
  });

  it('a Manual org cannot use group mappings; an unknown org id is a RangeError', () => {
    const r = track(
      preflight.enableMappings({
        snapshot: s,
        config: config([org({ mode: 'manual' })]),
        orgId: ORG_CLAUDE,
        members,
        mappings,
      }),
    );
    expect(only(r.findings, 'MAPPINGS_IGNORED_MANUAL')[0]!.severity).toBe('error');
    expect(() => preflight.enableMappings({ snapshot: s, config: config([]), orgId: 'x', members })).toThrow(
      RangeError,
    );
  });

  it('an incomplete snapshot is flagged', () => {
    const r = track(
      preflight.enableMappings({
        snapshot: { ...s, complete: false },
        config: config([org({ mode: 'scim' })]),
        orgId: ORG_CLAUDE,
        members: [],
        mappings,
      }),
    );
    expect(only(r.findings, 'SNAPSHOT_INCOMPLETE')).toHaveLength(1);
  });
});

describe('preflight.requireSso (R-S2, R-D3)', () => {
  const s = snapshot({
    users: [ana, bo, user('u9', 'old@acme.com', { status: 'deprovisioned' })],
    assignUsers: ['u1', 'u9'],
  });
  const exportCsv = [
    'Email Address,Organization,Role,Account Type',
    'ana@acme.com,Ana personal,owner,Pro',
    'bo@acme.com,Bo personal,owner,Max',
    'BO@acme.com,Acme Sales Team,user,Team',
    'old@acme.com,Old personal,owner,Free',
    'x@gmail.com,X,owner,Pro',
    'api@acme.com,Acme API,admin,Console',
  ].join('\n');
  const domainMembers = parseDomainMembers(exportCsv, 'memberships.csv');

  it('people on a verified domain not assigned to the app lose their existing accounts (not deleted); assigned ones keep theirs', () => {
    const r = track(preflight.requireSso({ snapshot: s, config: config([org({})]), domainMembers, surface: 'claude' }));
    expect(r.surfaces).toEqual(['claude']);
    expect(r.lockedOut).toEqual([
      {
        email: 'bo@acme.com',
        accounts: ['Acme Sales Team — team', 'Bo personal — max'],
        surface: 'claude',
        reason: 'not-assigned',
      },
      { email: 'old@acme.com', accounts: ['Old personal — free'], surface: 'claude', reason: 'inactive' },
    ]);
    expect(r).toMatchObject({ keep: 1, offDomain: 1, ok: false });
    expect(only(r.findings, 'REQUIRE_SSO_LOCKOUT')[0]!.message).toBe(
      'bo@acme.com (not assigned to the app) would lose access to Acme Sales Team — team; Bo personal — max under "Require SSO for Claude" (the account is not deleted)',
    );
  });

  it('the Console toggle only concerns Console accounts; both by default', () => {
    expect(
      preflight
        .requireSso({ snapshot: s, config: config([org({})]), domainMembers, surface: 'console' })
        .lockedOut.map((l) => l.email),
    ).toEqual(['api@acme.com']);
    expect(preflight.requireSso({ snapshot: s, config: config([org({})]), domainMembers }).lockedOut).toHaveLength(3);
  });

  it('no verified domain: Require SSO cannot be enforced at all', () => {
    const r = track(
      preflight.requireSso({ snapshot: s, config: config([org({})], { verifiedDomains: [] }), domainMembers }),
    );
    expect(only(r.findings, 'DOMAIN_NOT_VERIFIED')).toHaveLength(1);
    expect(r.lockedOut).toEqual([]);
  });
});

describe('preflight.merge (R-M1..R-M5)', () => {
  const now = new Date('2026-02-10T00:00:00Z');
  const ent = org({ id: 'ent1', name: 'Acme Enterprise' });

  it('a Console org cannot initiate: MERGE_NOT_ALLOWED (R-M1)', () => {
    const r = track(
      preflight.merge({
        config: config([org({ surface: 'console' })]),
        initiatorOrgId: ORG_CONSOLE,
        invitedOrg: { id: 'x', surface: 'claude', plan: 'team', members: [] },
        now,
      }),
    );
    expect(r.ok).toBe(false);
    expect(only(r.findings, 'MERGE_NOT_ALLOWED')).toMatchObject([{ rule: 'R-M1' }]);
  });

  it('members off the verified domains block it, one finding each (R-M3); a subdomain is named', () => {
    const invitedOrg = {
      id: 'con9',
      name: 'Research API',
      surface: 'console' as const,
      plan: 'console' as const,
      members: [
        member('lead@acme.com', 'admin'),
        member('ext@gmail.com', 'developer'),
        member('ml@research.acme.com', 'developer'),
      ],
    };
    const r = track(
      preflight.merge({
        config: config([ent]),
        initiatorOrgId: 'ent1',
        invitedOrg,
        initiatorEmail: 'lead@acme.com',
        proposedAt: '2026-01-01T00:00:00Z',
        now,
      }),
    );
    const f = only(r.findings, 'MERGE_MEMBER_OFF_DOMAIN');
    expect(f.map((x) => x.subject.name)).toEqual(['ext@gmail.com', 'ml@research.acme.com']);
    expect(f[1]!.fix).toContain('Verify research.acme.com');
    expect(only(r.findings, 'MERGE_NOT_ALLOWED')).toMatchObject([{ rule: 'R-M4' }]);
    expect(r).toMatchObject({ approvalsRequired: 1, expired: true, allowed: false });
  });

  it('all on acme.com and fresh: ok, with who approves', () => {
    const r = track(
      preflight.merge({
        config: config([ent]),
        initiatorOrgId: 'ent1',
        invitedOrg: { id: 'con9', surface: 'console', plan: 'console', members: [member('lead@acme.com', 'admin')] },
        now,
      }),
    );
    expect(r).toMatchObject({ ok: true, findings: [], approvers: ['lead@acme.com'], approvalsRequired: 2 });
  });
});

describe('preflight.switchIdp (R-W3)', () => {
  // Okta today sends user.email. The new Entra app sends the userPrincipalName.
  const from = snapshot({ users: [ana, bo, cy, user('u4', 'dee@acme.com')], assignUsers: ['u1', 'u2', 'u3', 'u4'] });
  const e = (id: string, mail: string, upn: string, status: 'active' | 'suspended' = 'active') =>
    user(id, mail, { login: upn, status, fields: { 'user.mail': mail, 'user.userPrincipalName': upn } });
  const to = snapshot({
    idp: 'entra',
    users: [
      e('e1', 'ana@acme.com', 'Ana@ACME.com'),
      e('e2', 'bo@acme.com', 'bo.smith@acme.com'),
      e('e4', 'dee@acme.com', 'dee@acme.com'),
    ],
    assignUsers: ['e1', 'e2'],
    sso: {
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: { name: 'email', source: 'user.userPrincipalName' },
    },
  });

  it('every person whose new email differs gets DUPLICATE_ACCOUNT_RISK; case-only differences are the same address', () => {
    const r = track(preflight.switchIdp({ from, to, config: config([org({ mode: 'jit' })], { idp: 'entra' }) }));
    expect(r.duplicates).toEqual([
      {
        oldEmail: 'bo@acme.com',
        oldScimEmail: 'bo@acme.com',
        newEmail: 'bo.smith@acme.com',
        newScimEmail: 'bo@acme.com',
        fromUserId: 'u2',
        toUserId: 'e2',
      },
    ]);
    expect(r.matched).toBe(2);
    const f = only(r.findings, 'DUPLICATE_ACCOUNT_RISK');
    expect(f.map((x) => x.subject.kind)).toEqual(['app', 'user']);
    expect(f[1]!.message).toContain('SAML bo@acme.com → bo.smith@acme.com (user.email → user.userPrincipalName)');
    expect(f[1]!.fix).toContain('Entra admin center');
    expect(r.missing).toEqual([
      { email: 'cy@acme.com', fromUserId: 'u3', toUserId: null, why: 'not-found' },
      { email: 'dee@acme.com', fromUserId: 'u4', toUserId: 'e4', why: 'not-assigned' },
    ]);
    expect(only(r.findings, 'ACCESS_LOSS').map((x) => x.rule)).toEqual(['R-W2', 'R-W2']);
    expect(r.ok).toBe(false);
  });

  it('the same IdP data twice: nothing to report', () => {
    const r = preflight.switchIdp({ from, to: from, config: config([org({})]) });
    expect(r).toMatchObject({ ok: true, findings: [], duplicates: [], missing: [], matched: 4 });
  });
});

it('catalogue: every preflight-only code is produced above', () => {
  const codes = Object.entries(FINDING_CODES)
    .filter(([, i]) => i.source.startsWith('preflight') || i.source === 'audit+preflight')
    .map(([c]) => c)
    .filter((c) =>
      [
        'MERGE_NOT_ALLOWED',
        'MERGE_MEMBER_OFF_DOMAIN',
        'DUPLICATE_ACCOUNT_RISK',
        'REQUIRE_SSO_LOCKOUT',
        'ACCESS_LOSS',
        'ACTOR_DOWNGRADE',
        'OWNER_LOCKOUT',
        'GROUP_NOT_SEEN',
      ].includes(c),
    );
  expect(codes.filter((c) => !produced.has(c))).toEqual([]);
});
