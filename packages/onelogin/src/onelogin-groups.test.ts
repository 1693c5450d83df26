import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter, v1GroupId } from './index';
import { createOneLoginFake, oneloginConformanceTenant } from './testing';

/** OneLogin's v1 groups: one per user, listed by /api/1/groups, membership only on the user's `group_id`. */
describe('onelogin v1 groups', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('reads every anthropic- v1 group with its members (from group_id), and the people only they reach', async () => {
    const fake = createOneLoginFake(oneloginConformanceTenant(), {
      pageSizeCap: 2,
      v1Groups: [
        { name: 'employees', memberUserIds: ['u01', 'u02'] },
        { name: 'anthropic-console-9f2c1d7e-user', memberUserIds: ['u12', 'u11'] },
        { name: 'contractors', memberUserIds: ['u13'] },
      ],
    });
    server.resetHandlers(...fake.handlers);
    const snapshot = await createOneLoginAdapter({ env: fake.env }).readSnapshot();
    const groupId = fake.store().groups.find((g) => g.name.startsWith('anthropic-'))!.id;
    const userId = (generic: string) =>
      String(fake.store().users[fake.tenant.users.findIndex((u) => u.id === generic)]!.id);
    const group = snapshot.groups.find((g) => g.id === v1GroupId(groupId))!;
    expect(group.name).toBe('anthropic-console-9f2c1d7e-user');
    expect(group.memberUserIds.sort()).toEqual([userId('u11'), userId('u12')].sort());
    expect(group.memberGroupIds).toEqual([]);
    // Only anthropic- v1 groups are read; a v1 group never carries the app.
    expect(snapshot.groups.map((g) => g.name)).not.toContain('employees');
    expect(snapshot.assignments.groupIds).not.toContain(v1GroupId(groupId));
    // u12 ("Unrelated Person") is reached only through that group.
    expect(snapshot.users.some((u) => u.email === 'unrelated.person@acme.example')).toBe(true);
    // Membership came from one full user listing (v1 has no member listing): every page of it.
    const full = fake.kit.requests.filter((r) => r.pathname === '/api/2/users' && !('user_ids' in r.query));
    expect(full.length).toBe(Math.ceil(fake.tenant.users.length / 2));
    expect(full[0]!.query.fields).toContain('group_id');
    // The v1 listing was followed with after_cursor, 2 a page.
    expect(
      fake.kit.requests.filter((r) => r.pathname === '/api/1/groups').map((r) => 'after_cursor' in r.query),
    ).toEqual([false, true]);
  });

  it('without an anthropic- v1 group there is no full user listing', async () => {
    const fake = createOneLoginFake(oneloginConformanceTenant(), {
      v1Groups: [{ name: 'employees', memberUserIds: ['u01'] }],
    });
    server.resetHandlers(...fake.handlers);
    await createOneLoginAdapter({ env: fake.env }).readSnapshot();
    expect(fake.kit.requests.filter((r) => r.pathname === '/api/2/users').every((r) => 'user_ids' in r.query)).toBe(
      true,
    );
  });

  it('the fake refuses a person in two v1 groups, as OneLogin allows one group per user', () => {
    const create = () =>
      createOneLoginFake(oneloginConformanceTenant(), {
        v1Groups: [
          { name: 'a', memberUserIds: ['u01'] },
          { name: 'b', memberUserIds: ['u01'] },
        ],
      });
    expect(create).toThrow(/one group per user/);
  });
});
