import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../model/canonical-json';
import { membersFingerprint } from '../../model/members-fingerprint';
import { PlanSchema, type Plan, type PlanAction } from '../../schemas/plan';
import { plan, planCore } from './plan';
import { snapshotFingerprint } from './fingerprint';
import {
  CLAUDE_ORG,
  CONSOLE_ORG,
  NOW,
  OWNER_GROUP,
  PREMIUM_GROUP,
  STANDARD_GROUP,
  USER_GROUP,
  cfg,
  claudeOrg,
  consoleOrg,
  grp,
  mem,
  person,
  snap,
} from './plan-fixtures';

/**
 * The provisioning table in seed 001 ("Provisioning mode | Provisioning | Role changes | Removal"),
 * row by row, on one small directory:
 * - ana: assigned directly, in the Owner group; already a member as user.
 * - bo: assigned through the "Everyone" group, in the User group; not a member yet.
 * - cy: assigned through "Everyone", in no mapped group; not a member yet.
 * - dee: a member, no longer assigned to the app.
 * - eve: in the IdP, not assigned, not a member: never listed.
 */
const people = [
  person('u-ana', 'ana@acme.com'),
  person('u-bo', 'bo@acme.com'),
  person('u-cy', 'cy@acme.com'),
  person('u-dee', 'dee@acme.com'),
  person('u-eve', 'eve@acme.com'),
];
const groups = [
  grp('g-all', 'Everyone', ['u-bo', 'u-cy']),
  grp('g-own', OWNER_GROUP, ['u-ana']),
  grp('g-usr', USER_GROUP, ['u-bo']),
];
const directory = (extra: Parameters<typeof snap>[0] = {}) =>
  snap({ users: people, groups, assignUsers: ['u-ana'], assignGroups: ['g-all'], ...extra });
const roleMappings = { roles: { owner: [OWNER_GROUP], user: [USER_GROUP] } };
const members = [
  mem('ana@acme.com', 'user', { orgId: CLAUDE_ORG }),
  mem('dee@acme.com', 'user', { orgId: CLAUDE_ORG }),
];

const actionsOf = (p: Plan, orgId = CLAUDE_ORG) => p.orgs.find((o) => o.orgId === orgId)!.actions;
const by = (p: Plan, email: string, orgId = CLAUDE_ORG) => actionsOf(p, orgId).filter((a) => a.email === email);
const one = (p: Plan, email: string, orgId = CLAUDE_ORG): PlanAction => {
  const list = by(p, email, orgId);
  expect(list).toHaveLength(1);
  return list[0]!;
};
const pick = (a: PlanAction) => ({
  action: a.action,
  when: a.when,
  ...(a.from ? { from: a.from } : {}),
  ...(a.to ? { to: a.to } : {}),
});

describe('when each change happens, per the provisioning table (seed 001, R-V3)', () => {
  it('Manual: people are added, re-roled and removed by hand', () => {
    const p = plan({
      snapshot: directory(),
      config: cfg([claudeOrg({ mode: 'manual', mappings: roleMappings })]),
      members,
      now: NOW,
    });
    expect(p.orgs[0]).toMatchObject({ mode: 'manual', mappings: false });
    expect(pick(one(p, 'bo@acme.com'))).toEqual({ action: 'provision', when: 'manual', to: 'user' });
    expect(pick(one(p, 'cy@acme.com'))).toEqual({ action: 'provision', when: 'manual', to: 'user' });
    expect(pick(one(p, 'dee@acme.com'))).toEqual({ action: 'deprovision', when: 'manual', from: 'user' });
    // Mappings do not apply in Manual mode: ana keeps the role someone gave her by hand.
    expect(pick(one(p, 'ana@acme.com'))).toEqual({ action: 'none', when: 'manual', from: 'user' });
    expect(one(p, 'bo@acme.com').reason).toMatch(/by hand in claude\.ai\/admin-settings\/organization/);
    expect(by(p, 'eve@acme.com')).toEqual([]);
  });

  it('JIT: assigned people are created at login with the User role; roles change by hand; removed people stay listed until they try to log in or are removed by hand', () => {
    const p = plan({ snapshot: directory(), config: cfg([claudeOrg({ mode: 'jit' })]), members, now: NOW });
    expect(pick(one(p, 'bo@acme.com'))).toEqual({ action: 'provision', when: 'nextLogin', to: 'user' });
    expect(pick(one(p, 'cy@acme.com'))).toEqual({ action: 'provision', when: 'nextLogin', to: 'user' });
    expect(pick(one(p, 'ana@acme.com'))).toEqual({ action: 'none', when: 'manual', from: 'user' });
    expect(one(p, 'ana@acme.com').reason).toMatch(/roles change by hand/);
    const dee = one(p, 'dee@acme.com');
    expect(pick(dee)).toEqual({ action: 'deprovision', when: 'manual', from: 'user' });
    expect(dee.reason).toMatch(/stay listed until they try to log in or are removed by hand/);
    expect(dee.rule).toBe('R-V3');
  });

  it('JIT + group mappings: created at login only if in a mapped group, with the highest mapped role; the role refreshes at next login; losing every mapped group blocks login but they stay listed', () => {
    const withFay = directory({ users: [...people, person('u-fay', 'fay@acme.com')], assignUsers: ['u-ana', 'u-fay'] });
    const p = plan({
      snapshot: withFay,
      config: cfg([claudeOrg({ mode: 'jit', mappings: roleMappings })]),
      members: [...members, mem('fay@acme.com', 'user', { orgId: CLAUDE_ORG })],
      now: NOW,
    });
    expect(p.orgs[0]).toMatchObject({ mode: 'jit', mappings: true });
    expect(pick(one(p, 'ana@acme.com'))).toEqual({
      action: 'changeRole',
      when: 'nextLogin',
      from: 'user',
      to: 'owner',
    });
    expect(one(p, 'ana@acme.com').rule).toBe('R-G1');
    expect(pick(one(p, 'bo@acme.com'))).toEqual({ action: 'provision', when: 'nextLogin', to: 'user' });
    // cy is assigned but in no mapped group: not provisioned. With mappings on, only people in one of
    // the org's mapped groups (or its members) are listed: the app may serve other orgs too (R-G7).
    expect(by(p, 'cy@acme.com')).toEqual([]);
    const fay = one(p, 'fay@acme.com'); // assigned, but in no mapped group
    expect(pick(fay)).toEqual({ action: 'deprovision', when: 'manual', from: 'user' });
    expect(fay.rule).toBe('R-G3');
    expect(fay.reason).toMatch(/stay listed/);
    expect(pick(one(p, 'dee@acme.com'))).toEqual({ action: 'deprovision', when: 'manual', from: 'user' });
  });

  it('SCIM: created on assignment with the User role; roles change by hand; unassigned people are removed automatically', () => {
    const p = plan({ snapshot: directory(), config: cfg([claudeOrg({ mode: 'scim' })]), members, now: NOW });
    expect(pick(one(p, 'bo@acme.com'))).toEqual({ action: 'provision', when: 'immediate', to: 'user' });
    expect(pick(one(p, 'cy@acme.com'))).toEqual({ action: 'provision', when: 'immediate', to: 'user' });
    expect(pick(one(p, 'ana@acme.com'))).toEqual({ action: 'none', when: 'manual', from: 'user' });
    expect(pick(one(p, 'dee@acme.com'))).toEqual({ action: 'deprovision', when: 'immediate', from: 'user' });
  });

  it('SCIM + group mappings: mapped people created with the highest mapped role, role changes pushed, removed when they lose every mapped group', () => {
    const withFay = directory({ users: [...people, person('u-fay', 'fay@acme.com')], assignUsers: ['u-ana', 'u-fay'] });
    const p = plan({
      snapshot: withFay,
      config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })]),
      members: [...members, mem('fay@acme.com', 'user', { orgId: CLAUDE_ORG })],
      now: NOW,
    });
    expect(pick(one(p, 'ana@acme.com'))).toEqual({
      action: 'changeRole',
      when: 'immediate',
      from: 'user',
      to: 'owner',
    });
    expect(pick(one(p, 'bo@acme.com'))).toEqual({ action: 'provision', when: 'immediate', to: 'user' });
    expect(by(p, 'cy@acme.com')).toEqual([]);
    expect(one(p, 'fay@acme.com')).toMatchObject({ action: 'deprovision', when: 'immediate', rule: 'R-G3' });
    expect(one(p, 'dee@acme.com')).toMatchObject({ action: 'deprovision', when: 'immediate', rule: 'R-V3' });
  });

  it('Microsoft Entra pushes SCIM changes about every 40 minutes: SCIM changes wait for the next sync cycle (R-V4)', () => {
    const p = plan({
      snapshot: directory({ idp: 'entra' }),
      config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })], 'entra'),
      members,
      now: NOW,
    });
    for (const email of ['ana@acme.com', 'bo@acme.com', 'dee@acme.com']) {
      const a = one(p, email);
      expect(a.when).toBe('nextSyncCycle');
      expect(a.reason).toMatch(/about every 40 minutes, R-V4/);
    }
    // JIT on Entra is not batched: login-time changes still happen at login.
    const jit = plan({
      snapshot: directory({ idp: 'entra' }),
      config: cfg([claudeOrg({ mode: 'jit', mappings: roleMappings })], 'entra'),
      members,
      now: NOW,
    });
    expect(one(jit, 'bo@acme.com').when).toBe('nextLogin');
    // Any IdP that states a push interval batches too.
    const batched = plan({
      snapshot: directory({ scim: { intervalMinutes: 15 } }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members,
      now: NOW,
    });
    expect(one(batched, 'bo@acme.com')).toMatchObject({
      when: 'nextSyncCycle',
      reason: expect.stringMatching(/about every 15 minutes/),
    });
  });

  it('SCIM mode with the IdP not pushing a kind of change (R-K2): that change is manual', () => {
    const off = plan({
      snapshot: directory({ scim: { deactivate: false } }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members,
      now: NOW,
    });
    expect(one(off, 'dee@acme.com')).toMatchObject({
      action: 'deprovision',
      when: 'manual',
      reason: expect.stringMatching(/Deactivate Users/),
    });
    expect(one(off, 'bo@acme.com').when).toBe('immediate');
    const disabled = plan({
      snapshot: directory({ scim: { enabled: false } }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members,
      now: NOW,
    });
    expect(one(disabled, 'bo@acme.com')).toMatchObject({ action: 'provision', when: 'manual' });
  });

  it('inactive people are not provisioned and active members who became inactive are removed', () => {
    const s = snap({
      users: [
        person('u1', 'sue@acme.com', { status: 'suspended' }),
        person('u2', 'stan@acme.com', { status: 'staged' }),
      ],
      assignUsers: ['u1', 'u2'],
    });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members: [mem('sue@acme.com', 'user')],
      now: NOW,
    });
    expect(one(p, 'sue@acme.com')).toMatchObject({
      action: 'deprovision',
      reason: expect.stringMatching(/suspended in the IdP/),
    });
    expect(one(p, 'stan@acme.com')).toMatchObject({ action: 'none', reason: expect.stringMatching(/staged/) });
  });
});

describe('matching members to IdP people', () => {
  it('by normalised email, then by alias or login; members without orgId belong to the only org', () => {
    const s = snap({
      users: [
        person('u1', 'Ana@Acme.com'),
        person('u2', 'bo@acme.com', { aliases: ['robert@acme.com'] }),
        person('u3', 'cy@acme.com', { login: 'cyrus@acme.com' }),
      ],
      assignUsers: ['u1', 'u2', 'u3'],
    });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members: [mem(' ANA@acme.COM ', 'user'), mem('robert@acme.com', 'user'), mem('cyrus@acme.com', 'user')],
      now: NOW,
    });
    expect(one(p, 'ana@acme.com')).toMatchObject({ action: 'none', userId: 'u1' });
    expect(one(p, 'robert@acme.com')).toMatchObject({
      action: 'none',
      userId: 'u2',
      reason: expect.stringMatching(/R-S5/),
    });
    expect(one(p, 'cyrus@acme.com')).toMatchObject({ action: 'none', userId: 'u3' });
    expect(by(p, 'bo@acme.com')).toEqual([]); // not provisioned a second time
    expect(p.orgs[0]!.totals).toEqual({ provision: 0, changeRole: 0, changeSeatTier: 0, deprovision: 0, none: 3 });
  });

  it('two IdP people with one address: the second is not provisioned as a second account', () => {
    const s = snap({ users: [person('u1', 'ana@acme.com'), person('u2', 'ANA@acme.com')], assignUsers: ['u1', 'u2'] });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members: [mem('ana@acme.com', 'user')],
      now: NOW,
    });
    expect(by(p, 'ana@acme.com').map((a) => [a.userId, a.action, a.rule])).toEqual([
      ['u1', 'none', 'R-V3'],
      ['u2', 'none', 'R-S5'],
    ]);
  });

  it('a member known only by the user.email of someone whose SAML source is empty is matched as another address (R-S4, R-S5)', () => {
    // SAML sends user.mail; Ana has none, so the org does not know her by ana@acme.com, though the IdP does.
    const ana = {
      ...person('u1', 'ana@acme.com'),
      fields: { 'user.email': 'ana@acme.com', 'user.login': 'ana@acme.com', 'user.mail': null },
    };
    const bo = {
      ...person('u2', 'bo@acme.com'),
      fields: { 'user.email': 'bo@acme.com', 'user.login': 'bo@acme.com', 'user.mail': 'bo@acme.com' },
    };
    const s = snap({ users: [ana, bo], assignUsers: ['u1', 'u2'] });
    s.app.sso = { ...s.app.sso!, nameIdSource: 'user.mail', emailAttribute: { name: 'email', source: 'user.mail' } };
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'jit' })]),
      members: [mem('ana@acme.com', 'user'), mem('bo@acme.com', 'user')],
      now: NOW,
    });
    expect(one(p, 'ana@acme.com')).toMatchObject({
      userId: 'u1',
      rule: 'R-S4',
      reason: expect.stringContaining('matched through another address of the IdP person (the IdP sends no email)'),
    });
    expect(one(p, 'bo@acme.com')).toMatchObject({
      userId: 'u2',
      action: 'none',
      reason: expect.not.stringContaining('another address'),
    });
  });

  it('with mappings on, someone in a mapped group but not assigned to the app is listed with why', () => {
    const s = snap({ users: [person('u1', 'ana@acme.com')], groups: [grp('g', USER_GROUP, ['u1'])] });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'jit', mappings: roleMappings })]),
      members: [],
      now: NOW,
    });
    expect(one(p, 'ana@acme.com')).toMatchObject({
      action: 'none',
      rule: 'R-V3',
      reason: 'no access: not assigned to the app in the IdP',
    });
  });

  it('members without orgId while the config has two orgs are not guessed: a guard says so', () => {
    const s = snap({ users: [person('u1', 'ana@acme.com')], assignUsers: ['u1'] });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim' }), consoleOrg({ mode: 'jit' })]),
      members: [mem('ana@acme.com', 'user')],
      now: NOW,
    });
    expect(p.guards.map((g) => g.code)).toContain('MEMBERS_WITHOUT_ORG');
  });

  it('the Primary Owner is never removed or re-roled, and counts as an Owner', () => {
    const s = snap({
      users: [person('u1', 'boss@acme.com')],
      groups: [grp('g', USER_GROUP, ['u1'])],
      assignGroups: ['g'],
    });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })]),
      members: [mem('boss@acme.com', 'primary_owner'), mem('gone@acme.com', 'primary_owner')],
      now: NOW,
    });
    expect(one(p, 'boss@acme.com').action).toBe('none');
    expect(one(p, 'gone@acme.com').action).toBe('none');
    expect(p.guards).toEqual([]);
  });
});

describe('seats (R-V5, R-G2)', () => {
  // Seat-tier groups: ana and bo premium, cy standard, dan and eli in no tier group.
  const users = ['ana', 'bo', 'cy', 'dan', 'eli'].map((n) => person(`u-${n}`, `${n}@acme.com`));
  const s = snap({
    users,
    groups: [
      grp(
        'g-usr',
        USER_GROUP,
        users.map((u) => u.id),
      ),
      grp('g-pre', PREMIUM_GROUP, ['u-ana', 'u-bo']),
      grp('g-std', STANDARD_GROUP, ['u-cy']),
    ],
    assignGroups: ['g-usr'],
  });
  const mappings = {
    roles: { user: [USER_GROUP] },
    seatTiers: { premium: [PREMIUM_GROUP], standard: [STANDARD_GROUP] },
  };

  it('nobody is provisioned past the seats bought; mapped people are seated first, then the fallback takes the highest tier left, each in email order', () => {
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim', mappings, seats: { premium: 1, standard: 2 } })]),
      members: [],
      now: NOW,
    });
    expect(one(p, 'ana@acme.com')).toMatchObject({
      action: 'provision',
      reason: expect.stringMatching(/premium seat/),
    });
    expect(one(p, 'bo@acme.com')).toMatchObject({
      action: 'none',
      rule: 'R-V5',
      reason: expect.stringMatching(/no premium seat is left.*Sync now/),
    });
    expect(one(p, 'cy@acme.com')).toMatchObject({
      action: 'provision',
      reason: expect.stringMatching(/standard seat/),
    });
    expect(one(p, 'dan@acme.com')).toMatchObject({
      action: 'provision',
      reason: expect.stringMatching(/standard seat \(no seat-tier group: the highest tier left/),
    });
    expect(one(p, 'eli@acme.com')).toMatchObject({
      action: 'none',
      rule: 'R-V5',
      reason: expect.stringMatching(/no seat is left in any tier/),
    });
    expect(p.orgs[0]!.totals).toMatchObject({ provision: 3, none: 2 });
  });

  it('current members keep their seats ahead of newcomers', () => {
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim', mappings, seats: { premium: 1, standard: 2 } })]),
      members: [mem('bo@acme.com', 'user', { seatTier: 'premium' })],
      now: NOW,
    });
    expect(one(p, 'bo@acme.com').action).toBe('none');
    expect(one(p, 'ana@acme.com')).toMatchObject({ action: 'none', rule: 'R-V5' });
  });

  it('a member whose seat-tier group changed moves tier (R-G2); a role and a tier change are two actions', () => {
    const p = plan({
      snapshot: s,
      config: cfg([
        claudeOrg({ mode: 'scim', mappings: { ...mappings, roles: { owner: [OWNER_GROUP], user: [USER_GROUP] } } }),
      ]),
      members: [
        mem('cy@acme.com', 'user', { seatTier: 'premium' }),
        mem('ana@acme.com', 'admin', { seatTier: 'standard' }),
        mem('dan@acme.com', 'user', { seatTier: 'premium' }),
      ],
      now: NOW,
    });
    expect(by(p, 'cy@acme.com').map(pick)).toEqual([
      { action: 'changeSeatTier', when: 'immediate', from: 'premium', to: 'standard' },
    ]);
    expect(by(p, 'ana@acme.com').map(pick)).toEqual([
      { action: 'changeRole', when: 'immediate', from: 'admin', to: 'user' },
      { action: 'changeSeatTier', when: 'immediate', from: 'standard', to: 'premium' },
    ]);
    // dan is in no seat-tier group: the fallback does not move a current member.
    expect(one(p, 'dan@acme.com').action).toBe('none');
  });
});

describe('incomplete snapshot (SPEC §5: nothing is deprovisioned from an incomplete read)', () => {
  const s = snap({
    complete: false,
    users: [person('u-ana', 'ana@acme.com'), person('u-bo', 'bo@acme.com'), person('u-cy', 'cy@acme.com')],
    groups: [grp('g-usr', USER_GROUP, ['u-ana', 'u-bo']), grp('g-own', OWNER_GROUP, ['u-cy'])],
    assignGroups: ['g-usr', 'g-own'],
  });
  const p = plan({
    snapshot: s,
    config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })]),
    members: [
      mem('ana@acme.com', 'owner'),
      mem('cy@acme.com', 'user'),
      mem('gone@acme.com', 'user'),
      mem('old@acme.com', 'owner'),
    ],
    now: NOW,
  });

  it('turns every deprovision and downgrade into none (apply runs nothing but real actions), keeps provisions and upgrades, and says why', () => {
    expect(p.complete).toBe(false);
    expect(p.guards[0]).toMatchObject({ code: 'INCOMPLETE', message: expect.stringMatching(/incomplete/) });
    expect(one(p, 'gone@acme.com')).toMatchObject({
      action: 'none',
      from: 'user',
      rule: 'SPEC-5',
      reason: expect.stringMatching(/would deprovision.*incomplete/),
    });
    expect(one(p, 'old@acme.com')).toMatchObject({ action: 'none', rule: 'SPEC-5' });
    expect(one(p, 'ana@acme.com')).toMatchObject({
      action: 'none',
      from: 'owner',
      to: 'user',
      rule: 'SPEC-5',
      reason: expect.stringMatching(/owner → user/),
    });
    expect(one(p, 'cy@acme.com')).toMatchObject({ action: 'changeRole', from: 'user', to: 'owner' });
    expect(one(p, 'bo@acme.com')).toMatchObject({ action: 'provision' });
    const lowering = p.orgs
      .flatMap((o) => o.actions)
      .filter((a) => a.action === 'deprovision' || (a.action === 'changeRole' && a.to === 'user'));
    expect(lowering).toEqual([]);
    expect(p.orgs[0]!.totals.deprovision).toBe(0);
  });

  it('the same directory read completely would deprovision them', () => {
    const full = plan({
      snapshot: { ...s, complete: true },
      config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })]),
      members: [mem('ana@acme.com', 'owner'), mem('gone@acme.com', 'user')],
      now: NOW,
      limits: { maxDeprovision: '100%' },
    });
    expect(full.complete).toBe(true);
    expect(one(full, 'gone@acme.com').action).toBe('deprovision');
    expect(one(full, 'ana@acme.com').action).toBe('changeRole');
  });
});

describe('guards at their boundaries', () => {
  // 20 current members, all assigned, except the ones we unassign.
  const emails = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}@acme.com`);
  const scenario = (removed: number, limits?: { maxDeprovision?: number | `${number}%` }) => {
    const users = emails.map((e, i) => person(`u${i}`, e));
    const assigned = users.slice(removed).map((u) => u.id);
    const members = emails.map((e, i) => mem(e, i === 19 ? 'owner' : 'user'));
    return plan({
      snapshot: snap({ users, assignUsers: assigned }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members,
      now: NOW,
      ...(limits ? { limits } : {}),
    });
  };
  const codes = (p: Plan) => p.guards.map((g) => g.code);

  it('breaker, default 10%: 2 of 20 removals is exactly the limit and passes; 3 trips', () => {
    expect(scenario(2).orgs[0]!.totals.deprovision).toBe(2);
    expect(codes(scenario(2))).toEqual([]);
    expect(codes(scenario(3))).toEqual(['BREAKER']);
    expect(scenario(3).guards[0]!.message).toMatch(/removes 3 of 20.*10% of 20 = 2/);
  });

  it('breaker as a percentage: 25% of 20 allows 5, not 6', () => {
    expect(codes(scenario(5, { maxDeprovision: '25%' }))).toEqual([]);
    expect(codes(scenario(6, { maxDeprovision: '25%' }))).toEqual(['BREAKER']);
  });

  it('breaker as a count: 4 allows 4, not 5; 0 allows none', () => {
    expect(codes(scenario(4, { maxDeprovision: 4 }))).toEqual([]);
    expect(codes(scenario(5, { maxDeprovision: 4 }))).toEqual(['BREAKER']);
    expect(codes(scenario(1, { maxDeprovision: 0 }))).toEqual(['BREAKER']);
    expect(codes(scenario(0, { maxDeprovision: 0 }))).toEqual([]);
  });

  it('a malformed limit is a typed input error', () => {
    expect(() => scenario(0, { maxDeprovision: 'ten' as `${number}%` })).toThrow(/limits\.maxDeprovision/);
    expect(() => scenario(0, { maxDeprovision: '150%' })).toThrow(/percentage/);
  });

  it('last Owner (claude.ai): removing one of two Owners passes; removing the last one trips', () => {
    const users = [person('u1', 'o1@acme.com'), person('u2', 'o2@acme.com')];
    const two = plan({
      snapshot: snap({ users, assignUsers: ['u2'] }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members: [mem('o1@acme.com', 'owner'), mem('o2@acme.com', 'owner')],
      now: NOW,
      limits: { maxDeprovision: '100%' },
    });
    expect(codes(two)).toEqual([]);
    const last = plan({
      snapshot: snap({ users, assignUsers: [] }),
      config: cfg([claudeOrg({ mode: 'scim' })]),
      members: [mem('o1@acme.com', 'owner'), mem('o2@acme.com', 'user')],
      now: NOW,
      limits: { maxDeprovision: '100%' },
    });
    expect(codes(last)).toEqual(['LAST_OWNER']);
    expect(last.guards[0]!.message).toMatch(/no Owner/);
  });

  it('last Owner through mappings: a downgrade of the only Owner trips (R-G6); a new Owner provisioned does not count', () => {
    const users = [person('u1', 'o1@acme.com'), person('u2', 'new@acme.com')];
    const s = snap({
      users,
      groups: [grp('g-usr', USER_GROUP, ['u1']), grp('g-own', OWNER_GROUP, ['u2'])],
      assignGroups: ['g-usr', 'g-own'],
    });
    const p = plan({
      snapshot: s,
      config: cfg([claudeOrg({ mode: 'scim', mappings: roleMappings })]),
      members: [mem('o1@acme.com', 'owner')],
      now: NOW,
    });
    expect(one(p, 'o1@acme.com')).toMatchObject({ action: 'changeRole', from: 'owner', to: 'user' });
    expect(one(p, 'new@acme.com')).toMatchObject({ action: 'provision', to: 'owner' });
    expect(codes(p)).toEqual(['LAST_OWNER']);
  });

  it('last Admin (Console)', () => {
    const s = snap({
      users: [person('u1', 'a@acme.com'), person('u2', 'd@acme.com')],
      groups: [grp('g-dev', 'anthropic-console-9f2c1d7e-developer', ['u1', 'u2'])],
      assignGroups: ['g-dev'],
    });
    const o = consoleOrg({
      mode: 'scim',
      mappings: {
        roles: { admin: ['anthropic-console-9f2c1d7e-admin'], developer: ['anthropic-console-9f2c1d7e-developer'] },
      },
    });
    const p = plan({
      snapshot: s,
      config: cfg([o]),
      members: [mem('a@acme.com', 'admin'), mem('d@acme.com', 'developer')],
      now: NOW,
    });
    expect(one(p, 'a@acme.com', CONSOLE_ORG)).toMatchObject({ action: 'changeRole', to: 'developer' });
    expect(codes(p)).toEqual(['LAST_OWNER']);
    expect(p.guards[0]!.message).toMatch(/no Admin/);
  });
});

describe('determinism and contract', () => {
  const s = directory();
  const config = cfg([claudeOrg({ mode: 'scim', mappings: roleMappings }), consoleOrg({ mode: 'jit' })]);
  const ms = [...members, mem('bo@acme.com', 'developer', { orgId: CONSOLE_ORG })];

  it('one member row per address, the first, in a sorted list or not', () => {
    const rowsOf = (ms: ReturnType<typeof mem>[]) =>
      planCore({ snapshot: s, config, members: ms }).orgs[0]!.members.map((m) => `${m.email} ${m.role}`);
    const a1 = mem('ana@acme.com', 'user', { orgId: CLAUDE_ORG });
    const a2 = mem('ANA@acme.com', 'owner', { orgId: CLAUDE_ORG });
    const b = mem('bo@acme.com', 'user', { orgId: CLAUDE_ORG });
    const c = mem('cy@acme.com', 'user', { orgId: CLAUDE_ORG });
    expect(rowsOf([a1, a2, b, c])).toEqual(['ana@acme.com user', 'bo@acme.com user', 'cy@acme.com user']);
    expect(rowsOf([b, a2, c, a1, b])).toEqual(['bo@acme.com user', 'ANA@acme.com owner', 'cy@acme.com user']);
    expect(rowsOf([c, b, a1, c, a2])).toEqual(['cy@acme.com user', 'bo@acme.com user', 'ana@acme.com user']);
  });

  it('same inputs give byte-identical canonical JSON, whatever the input order', () => {
    const a = plan({ snapshot: s, config, members: ms, now: NOW });
    const shuffled = {
      ...s,
      users: [...s.users].reverse(),
      groups: [...s.groups].reverse(),
      assignments: { userIds: [...s.assignments.userIds].reverse(), groupIds: [...s.assignments.groupIds].reverse() },
    };
    const b = plan({ snapshot: shuffled, config, members: [...ms].reverse(), now: new Date(NOW) });
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(PlanSchema.parse(a)).toEqual(a);
  });

  it('records each input hash: members = membersFingerprint(members) (what apply re-checks), snapshot without capturedAt', () => {
    const a = plan({ snapshot: s, config, members: ms, now: NOW });
    expect(a.inputs!.members).toBe(membersFingerprint(ms));
    expect(a.inputs!.snapshot).toBe(snapshotFingerprint(s));
    expect(a.generatedAt).toBe(NOW);
    const later = plan({
      snapshot: { ...s, capturedAt: '2026-03-01T00:00:00.000Z' },
      config,
      members: ms,
      now: '2026-03-01T00:00:00.000Z',
    });
    expect(later.fingerprint).toBe(a.fingerprint);
    const changed = plan({
      snapshot: { ...s, assignments: { ...s.assignments, userIds: [] } },
      config,
      members: ms,
      now: NOW,
    });
    expect(changed.fingerprint).not.toBe(a.fingerprint);
    expect(changed.inputs!.members).toBe(a.inputs!.members);
    const otherMembers = plan({ snapshot: s, config, members: ms.slice(1), now: NOW });
    expect(otherMembers.fingerprint).not.toBe(a.fingerprint);
    expect(otherMembers.inputs!.snapshot).toBe(a.inputs!.snapshot);
  });

  it('actions sorted by email; totals count every kind; orgs in config order', () => {
    const a = plan({ snapshot: s, config, members: ms, now: NOW });
    expect(a.orgs.map((o) => o.orgId)).toEqual([CLAUDE_ORG, CONSOLE_ORG]);
    for (const o of a.orgs) {
      const emails = o.actions.map((x) => x.email);
      expect(emails).toEqual([...emails].sort());
      expect(Object.keys(o.totals).sort()).toEqual([
        'changeRole',
        'changeSeatTier',
        'deprovision',
        'none',
        'provision',
      ]);
      expect(Object.values(o.totals).reduce((x, y) => x + y, 0)).toBe(o.actions.length);
    }
  });

  it('rejects a bad `now`', () => {
    expect(() => plan({ snapshot: s, config, members: ms, now: 'yesterday' })).toThrow(/now/);
  });
});
