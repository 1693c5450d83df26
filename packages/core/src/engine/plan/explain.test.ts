import { describe, expect, it } from 'vitest';
import { explain } from './explain';
import {
  CLAUDE_ORG,
  OWNER_GROUP,
  PREMIUM_GROUP,
  USER_GROUP,
  cfg,
  claudeOrg,
  grp,
  mem,
  person,
  snap,
} from './plan-fixtures';

/**
 * ana: assigned directly, Owner group, premium group. bo: assigned through Everyone, User group.
 * cy: in Contractors, which is nested in Engineering (assigned) and in the User group.
 * eve: in the IdP, assigned nowhere.
 */
const users = [
  person('u-ana', 'ana@acme.com'),
  person('u-bo', 'bo@acme.com', { login: 'bob@acme.com' }),
  person('u-cy', 'cy@acme.com'),
  person('u-eve', 'eve@acme.com'),
];
const groups = [
  grp('g-all', 'Everyone', ['u-bo']),
  grp('g-eng', 'Engineering', [], ['g-con']),
  grp('g-con', 'Contractors', ['u-cy']),
  grp('g-own', OWNER_GROUP, ['u-ana']),
  grp('g-usr', USER_GROUP, ['u-bo'], ['g-con']),
  grp('g-pre', PREMIUM_GROUP, ['u-ana']),
];
const mappings = { roles: { owner: [OWNER_GROUP], user: [USER_GROUP] }, seatTiers: { premium: [PREMIUM_GROUP] } };
const directory = (idp: 'entra' | 'google') =>
  snap({ idp, users, groups, assignUsers: ['u-ana'], assignGroups: ['g-all', 'g-eng', 'g-own', 'g-usr'] });
const config = cfg([claudeOrg({ mode: 'scim', mappings, name: 'Acme Claude' })], 'entra');

describe('explain', () => {
  it('a direct assignee: assigned directly, mapped groups, winning role and seat tier, planned action — each with its rule', () => {
    const e = explain({
      snapshot: directory('entra'),
      config,
      email: 'ANA@acme.com',
      members: [mem('ana@acme.com', 'user', { seatTier: 'premium', orgId: CLAUDE_ORG })],
    });
    expect(e.person).toMatchObject({ userId: 'u-ana', status: 'active' });
    const o = e.orgs[0]!;
    expect(o.access).toMatchObject({ assigned: true, direct: true, entitled: true, reason: 'entitled' });
    expect(o.access!.viaGroups.map((g) => g.name)).toEqual([OWNER_GROUP]); // the Owner group is assigned too
    expect(o.mappedGroups.map((g) => [g.kind, g.name, g.target, g.counted])).toEqual([
      ['role', OWNER_GROUP, 'owner', true],
      ['seatTier', PREMIUM_GROUP, 'premium', true],
    ]);
    expect(o).toMatchObject({ role: 'owner', roleSource: 'mapping', seatTier: 'premium', seatTierSource: 'mapping' });
    expect(o.actions).toEqual([
      expect.objectContaining({ action: 'changeRole', from: 'user', to: 'owner', when: 'nextSyncCycle', rule: 'R-G1' }),
    ]);
    expect(o.steps.map((s) => s.rule)).toEqual(['R-V3', 'R-V3', 'R-V3', 'R-G3', 'R-G1', 'R-G2', 'R-V3', 'R-G1']);
    expect(o.steps[0]).toEqual({ rule: 'R-V3', ok: true, text: 'assigned to the app directly' });
    expect(e.lines[0]).toBe('ANA@acme.com: IdP person u-ana (ana@acme.com, active) on Microsoft Entra');
    expect(e.lines).toContain('  ✓ highest mapped role: owner (from anthropic-claudeai-468ca80f-owner) [R-G1]');
    expect(e.lines.at(-1)).toMatch(/^ {2}· plan: role user → owner \(at the next SCIM sync cycle\) — .*\[R-G1\]$/);
  });

  it('a group member, found by login: assigned through the group, User role, provisioned', () => {
    const e = explain({ snapshot: directory('entra'), config, email: 'bob@acme.com', members: [] });
    const o = e.orgs[0]!;
    expect(e.person?.userId).toBe('u-bo');
    expect(o.access!.direct).toBe(false);
    expect(o.access!.viaGroups.map((g) => g.name)).toEqual(['Everyone', USER_GROUP]);
    expect(o.role).toBe('user');
    expect(o.seatTierSource).toBe('fallback');
    expect(o.actions).toEqual([expect.objectContaining({ action: 'provision', to: 'user', email: 'bo@acme.com' })]);
    expect(o.steps.find((s) => s.rule === 'R-G2')!.text).toMatch(/highest tier still available, premium/);
  });

  it('a nested-group member on Entra: the nested groups did NOT count, for the app or for the mapped group', () => {
    const e = explain({ snapshot: directory('entra'), config, email: 'cy@acme.com', members: [] });
    expect(e.nesting).toBe('direct');
    const o = e.orgs[0]!;
    expect(o.access).toMatchObject({ assigned: false, entitled: false, reason: 'not-assigned' });
    expect(o.access!.nestedNotCounted.map((g) => [g.name, g.path.map((p) => p.name)]).sort()).toEqual([
      ['Engineering', ['Contractors', 'Engineering']],
      [USER_GROUP, ['Contractors', USER_GROUP]],
    ]);
    expect(o.mappedGroups).toEqual([expect.objectContaining({ name: USER_GROUP, counted: false })]);
    const text = e.lines.join('\n');
    expect(text).toMatch(
      /✗ member of Contractors → Engineering \(assigned\) only through a nested group: on Microsoft Entra nested-group members do NOT get the app/,
    );
    expect(text).toMatch(
      /✗ in mapped group anthropic-claudeai-468ca80f-user only through Contractors → anthropic-claudeai-468ca80f-user/,
    );
    expect(o.actions).toEqual([expect.objectContaining({ action: 'none', rule: 'R-V3' })]);
  });

  it('the same person on Google Workspace: nesting counts, so they get the app through the path', () => {
    const e = explain({ snapshot: directory('google'), config, email: 'cy@acme.com', members: [] });
    const o = e.orgs[0]!;
    expect(o.access).toMatchObject({ assigned: true, entitled: true, nestedNotCounted: [] });
    expect(o.access!.viaGroups.map((g) => g.path.map((p) => p.name))).toEqual([
      ['Contractors', 'Engineering'],
      ['Contractors', USER_GROUP],
    ]);
    expect(o.mappedGroups).toEqual([expect.objectContaining({ name: USER_GROUP, counted: true })]);
    expect(o.actions[0]).toMatchObject({ action: 'provision', to: 'user' });
  });

  it('someone with no access: in the IdP but assigned nowhere, and an address the IdP does not know (a stale member)', () => {
    const eve = explain({ snapshot: directory('entra'), config, email: 'eve@acme.com', members: [] });
    expect(eve.orgs[0]!.access).toMatchObject({ assigned: false, entitled: false, reason: 'not-assigned' });
    expect(eve.orgs[0]!.steps[0]).toMatchObject({
      ok: false,
      text: 'not assigned to the app, directly or through an assigned group',
    });
    expect(eve.orgs[0]!.actions).toEqual([]);
    expect(eve.lines.at(-1)).toMatch(/plan: nothing for this org/);

    const gone = explain({
      snapshot: directory('entra'),
      config,
      email: 'gone@acme.com',
      members: [mem('gone@acme.com', 'user', { orgId: CLAUDE_ORG })],
    });
    expect(gone.person).toBeNull();
    expect(gone.orgs[0]!.access).toBeNull();
    expect(gone.orgs[0]!.member).toMatchObject({ email: 'gone@acme.com' });
    expect(gone.orgs[0]!.actions).toEqual([expect.objectContaining({ action: 'deprovision', from: 'user' })]);
    expect(gone.lines[0]).toBe('gone@acme.com: no person with this address in the Microsoft Entra snapshot');
  });
});
