import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../model/canonical-json';
import { snapshotFromTenant } from '../../testing/snapshot-from-tenant';
import { syntheticTenant } from '../../testing/synthetic';
import { diff, diffLines } from './diff';
import { grp, person, snap } from './plan-fixtures';

const before = snap({
  capturedAt: '2026-02-01T00:00:00.000Z',
  users: [
    person('u1', 'ana@acme.com'),
    person('u2', 'bo@acme.com'),
    person('u3', 'cy@acme.com'),
    person('u4', 'dee@acme.com', { login: 'dee' }),
  ],
  groups: [
    grp('g1', 'Engineering', ['u1', 'u2'], ['g3']),
    grp('g2', 'anthropic-claudeai-468ca80f-user', ['u2']),
    grp('g3', 'Contractors', ['u3']),
  ],
  assignUsers: ['u4'],
  assignGroups: ['g1', 'g2'],
});

describe('diff', () => {
  it('two identical snapshots (but for capturedAt and array order) have no drift', () => {
    const again = {
      ...before,
      capturedAt: '2026-02-02T00:00:00.000Z',
      users: [...before.users].reverse(),
      groups: before.groups.map((g) => ({ ...g, memberUserIds: [...g.memberUserIds].reverse() })),
    };
    const d = diff(before, again);
    expect(d.summary.total).toBe(0);
    expect(d.users).toEqual({ added: [], removed: [], changed: [] });
  });

  it('is keyed by IdP ids: a renamed group and a changed email are changes, not a delete + add', () => {
    const after = {
      ...before,
      users: before.users.map((u) => (u.id === 'u1' ? person('u1', 'ana.lovelace@acme.com') : u)),
      groups: before.groups.map((g) => (g.id === 'g1' ? { ...g, name: 'Engineering (all)' } : g)),
    };
    const d = diff(before, after);
    expect(d.users.added).toEqual([]);
    expect(d.users.removed).toEqual([]);
    expect(d.users.changed).toEqual([
      {
        id: 'u1',
        email: 'ana.lovelace@acme.com',
        changes: [
          { field: 'email', from: 'ana@acme.com', to: 'ana.lovelace@acme.com' },
          { field: 'login', from: 'ana@acme.com', to: 'ana.lovelace@acme.com' },
        ],
      },
    ]);
    expect(d.groups.added).toEqual([]);
    expect(d.groups.removed).toEqual([]);
    expect(d.groups.changed).toEqual([
      {
        id: 'g1',
        name: 'Engineering (all)',
        renamed: { from: 'Engineering', to: 'Engineering (all)' },
        membersAdded: [],
        membersRemoved: [],
        nestedAdded: [],
        nestedRemoved: [],
      },
    ]);
    expect(d.summary).toMatchObject({ usersChanged: 1, emailChanges: 1, loginChanges: 1, groupsRenamed: 1, total: 2 });
  });

  it('people and groups added and removed, status and membership, nesting and assignment changes', () => {
    const after = snap({
      capturedAt: '2026-02-02T00:00:00.000Z',
      users: [
        person('u1', 'ana@acme.com'),
        person('u2', 'bo@acme.com', { status: 'suspended' }),
        person('u4', 'dee@acme.com', { login: 'dee' }),
        person('u5', 'eve@acme.com'),
      ],
      groups: [
        grp('g1', 'Engineering', ['u1', 'u5'], []),
        grp('g2', 'anthropic-claudeai-468ca80f-user', ['u2', 'u1']),
        grp('g4', 'Sales', ['u4']),
      ],
      assignUsers: [],
      assignGroups: ['g1', 'g2', 'g4'],
    });
    const d = diff(before, after);
    expect(d.users.added).toEqual([{ id: 'u5', email: 'eve@acme.com' }]);
    expect(d.users.removed).toEqual([{ id: 'u3', email: 'cy@acme.com' }]);
    expect(d.users.changed).toEqual([
      { id: 'u2', email: 'bo@acme.com', changes: [{ field: 'status', from: 'active', to: 'suspended' }] },
    ]);
    expect(d.groups.added).toEqual([{ id: 'g4', name: 'Sales' }]);
    expect(d.groups.removed).toEqual([{ id: 'g3', name: 'Contractors' }]);
    expect(d.groups.changed).toEqual([
      {
        id: 'g1',
        name: 'Engineering',
        membersAdded: [{ id: 'u5', email: 'eve@acme.com' }],
        membersRemoved: [{ id: 'u2', email: 'bo@acme.com' }],
        nestedAdded: [],
        nestedRemoved: [{ id: 'g3', name: 'Contractors' }],
      },
      {
        id: 'g2',
        name: 'anthropic-claudeai-468ca80f-user',
        membersAdded: [{ id: 'u1', email: 'ana@acme.com' }],
        membersRemoved: [],
        nestedAdded: [],
        nestedRemoved: [],
      },
    ]);
    expect(d.assignments).toEqual({
      usersAdded: [],
      usersRemoved: [{ id: 'u4', email: 'dee@acme.com' }],
      groupsAdded: [{ id: 'g4', name: 'Sales' }],
      groupsRemoved: [],
    });
    expect(d.summary).toMatchObject({
      usersAdded: 1,
      usersRemoved: 1,
      usersChanged: 1,
      statusChanges: 1,
      groupsAdded: 1,
      groupsRemoved: 1,
      membershipsAdded: 2,
      membershipsRemoved: 1,
      nestingRemoved: 1,
      assignmentsAdded: 1,
      assignmentsRemoved: 1,
    });
    const lines = diffLines(d);
    expect(lines[0]).toMatch(/^Drift 2026-02-01T00:00:00.000Z → 2026-02-02T00:00:00.000Z/);
    expect(lines).toContain('  ~ person bo@acme.com [u2] status: "active" → "suspended"');
    expect(lines).toContain('  - unassigned from the app: dee@acme.com [u4]');
  });

  it('app SSO and SCIM setting changes, as dotted paths; pushed groups compared as a set', () => {
    const after = structuredClone(before);
    after.app.sso!.nameIdSource = 'user.login';
    after.app.scim!.deactivate = false;
    after.app.scim!.pushedGroupIds = ['g2'];
    after.complete = false;
    const d = diff(before, after);
    expect(d.app).toEqual([
      { field: 'scim.deactivate', from: true, to: false },
      { field: 'scim.pushedGroupIds', from: null, to: ['g2'] },
      { field: 'sso.nameIdSource', from: 'user.email', to: 'user.login' },
    ]);
    expect(d.snapshot).toEqual([{ field: 'complete', from: true, to: false }]);
    expect(diffLines(d)[1]).toMatch(/the new snapshot is incomplete/);
    const reordered = structuredClone(after);
    reordered.app.scim!.pushedGroupIds = ['g2'];
    expect(diff(after, reordered).summary.total).toBe(0);
  });

  it('a source field that differs from email is reported (the R-S5 field changed), a mirror of email is not repeated', () => {
    const a = snap({
      users: [
        { ...person('u1', 'ana@acme.com'), fields: { 'user.email': 'ana@acme.com', 'user.mail': 'ana@acme.com' } },
      ],
    });
    const b = snap({
      users: [
        { ...person('u1', 'ana@acme.com'), fields: { 'user.email': 'ana@acme.com', 'user.mail': 'a.l@acme.com' } },
      ],
    });
    expect(diff(a, b).users.changed[0]!.changes).toEqual([
      { field: 'fields.user.mail', from: 'ana@acme.com', to: 'a.l@acme.com' },
    ]);
  });

  it('is deterministic and linear enough for a 10k-person tenant', () => {
    const t = syntheticTenant({ users: 10_000, groups: 200, memberships: 50_000, seed: 7 });
    const s1 = snapshotFromTenant(t);
    const t2 = structuredClone(t);
    t2.users[0]!.status = 'suspended';
    t2.groups[5]!.name = 'renamed';
    t2.groups[0]!.memberUserIds.pop();
    const s2 = snapshotFromTenant(t2);
    const d1 = diff(s1, s2);
    expect(canonicalJson(diff(s1, s2))).toBe(canonicalJson(d1));
    expect(d1.summary).toMatchObject({ statusChanges: 1, groupsRenamed: 1, membershipsRemoved: 1 });
  });
});
