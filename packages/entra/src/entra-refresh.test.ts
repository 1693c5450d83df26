import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeTarget, DirectorySnapshot } from '@claude-idp/core';
import { PermissionError } from '@claude-idp/core';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './index';
import { createEntraFake } from './testing';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function setup(tenant: GenericTenant = conformanceTenant(), pageSizeCap?: number) {
  const fake = createEntraFake(tenant, { pageSizeCap });
  server.resetHandlers(...fake.handlers);
  const adapter = createEntraAdapter({ env: fake.env });
  const previous = await adapter.readSnapshot();
  const user = (id: string): ChangeTarget => ({ kind: 'user', id: fake.graphId('user', id) });
  const group = (id: string): ChangeTarget => ({ kind: 'group', id: fake.graphId('group', id) });
  /** The targeted re-read and a fresh full read of the same tenant, without their capture times. */
  const compare = async (targets: ChangeTarget[]) => {
    fake.kit.reset();
    fake.batchKit.reset();
    const refreshed = await adapter.refreshSnapshot!(previous, { targets });
    const requests = [...fake.kit.requests, ...fake.batchKit.requests]
      .filter((r) => !r.url.endsWith('/$batch'))
      .map((r) => decodeURIComponent(new URL(r.url).pathname + new URL(r.url).search));
    const fresh = await adapter.readSnapshot();
    return { refreshed, requests, fresh: strip(fresh), patched: strip(refreshed.snapshot) };
  };
  return { fake, adapter, previous, user, group, compare };
}

const strip = ({ capturedAt: _capturedAt, ...rest }: DirectorySnapshot) => rest;

describe('entra refreshSnapshot: a targeted re-read equals a fresh full read', () => {
  it('user: a profile or status change re-reads that user only (GET /users/{id})', async () => {
    const { fake, user, compare, previous } = await setup();
    fake.update((t) => {
      const u = t.users.find((x) => x.id === 'u02')!;
      u.email = 'grace.brewster@acme.example';
      u.status = 'suspended';
    });
    const { refreshed, requests, fresh, patched } = await compare([user('u02')]);
    expect(patched).toEqual(fresh);
    expect(patched).not.toEqual(strip(previous));
    expect(refreshed.read).toBe('targeted');
    expect(requests).toEqual([
      expect.stringMatching(new RegExp(`^/v1.0/users/${fake.graphId('user', 'u02')}\\?\\$select=`)),
    ]);
  });

  it('user: a deleted user is removed from the users and from every group', async () => {
    const { fake, user, group, compare } = await setup();
    fake.update((t) => {
      t.users = t.users.filter((u) => u.id !== 'u03');
      for (const g of t.groups) g.memberUserIds = g.memberUserIds.filter((id) => id !== 'u03');
    });
    const { patched, fresh } = await compare([user('u03'), group('g02')]);
    expect(patched).toEqual(fresh);
    expect(patched.users.map((u) => u.id)).not.toContain(fake.graphId('user', 'u03'));
  });

  it('user: a change to someone the snapshot does not reach reads nothing into it', async () => {
    const { fake, user, compare, previous } = await setup();
    fake.update((t) => {
      t.users.find((x) => x.id === 'u12')!.givenName = 'Still Unrelated';
    });
    const { patched, refreshed } = await compare([user('u12')]);
    expect(patched).toEqual(strip(previous));
    expect(refreshed.read).toBe('targeted');
  });

  it('group: a membership change costs only that group’s requests (its name, then its members)', async () => {
    const { fake, group, compare } = await setup();
    fake.update((t) => {
      const g = t.groups.find((x) => x.id === 'g01')!;
      g.memberUserIds = ['u05'];
    });
    const { patched, fresh, requests, refreshed } = await compare([group('g01')]);
    expect(patched).toEqual(fresh);
    const id = fake.graphId('group', 'g01');
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.startsWith(`/v1.0/groups/${id}`))).toBe(true);
    expect(refreshed.detail).toBe(`group ${id} members`);
  });

  it('group: members over several pages are read with the full read’s paging and count check', async () => {
    const { fake, group, compare } = await setup(conformanceTenant(), 2);
    fake.update((t) => {
      const g = t.groups.find((x) => x.id === 'g02')!;
      g.memberUserIds = g.memberUserIds.filter((id) => id !== 'u04').concat(['u12', 'u11']);
    });
    const { patched, fresh, requests } = await compare([group('g02')]);
    expect(patched).toEqual(fresh);
    // Six people and one nested group at two a page: four pages, plus the group's name.
    expect(requests.filter((r) => r.includes('/members'))).toHaveLength(4);
  });

  it('group: a group renamed to anthropic-… is read with its members; one renamed away is dropped', async () => {
    const { fake, group, compare } = await setup();
    fake.update((t) => {
      t.groups.find((x) => x.id === 'g06')!.name = 'anthropic-claudeai-468ca80f-admin';
      t.groups.find((x) => x.id === 'g04')!.name = 'Console developers';
    });
    const { patched, fresh } = await compare([group('g06'), group('g04')]);
    expect(patched).toEqual(fresh);
    expect(patched.groups.map((g) => g.name)).toContain('anthropic-claudeai-468ca80f-admin');
    expect(patched.users.map((u) => u.id)).toContain(fake.graphId('user', 'u12'));
  });

  it('group: a newly nested group is read; nested groups already read are not read again', async () => {
    const { fake, group, compare } = await setup();
    fake.update((t) => {
      t.groups.find((x) => x.id === 'g02')!.memberGroupIds.push('g06');
      t.groups.find((x) => x.id === 'g02')!.memberUserIds.push('u11');
    });
    const { patched, fresh, requests } = await compare([group('g02')]);
    expect(patched).toEqual(fresh);
    // g05 (Contractors, nested before) is not re-read; g06 (new) is.
    expect(requests.some((r) => r.includes(fake.graphId('group', 'g05')))).toBe(false);
    expect(requests.some((r) => r.includes(fake.graphId('group', 'g06')))).toBe(true);
  });

  it('group: a deleted group is removed', async () => {
    const { fake, group, compare } = await setup();
    fake.update((t) => {
      t.groups = t.groups.filter((g) => g.id !== 'g04');
    });
    const { patched, fresh } = await compare([group('g04')]);
    expect(patched).toEqual(fresh);
  });

  it('app: assignments re-read; a newly assigned user is read, an unassigned group and its people dropped', async () => {
    const { fake, compare } = await setup();
    fake.update((t) => {
      t.assignments.userIds.push('u12');
      t.assignments.groupIds = t.assignments.groupIds.filter((id) => id !== 'g03');
    });
    const { patched, fresh, refreshed, requests } = await compare([{ kind: 'app' }]);
    expect(patched).toEqual(fresh);
    expect(refreshed.read).toBe('targeted');
    expect(requests.some((r) => r.includes('/appRoleAssignedTo'))).toBe(true);
    expect(requests.some((r) => r.includes(`/groups/${fake.graphId('group', 'g01')}`))).toBe(false);
  });

  it('app: a newly assigned group is read with its members', async () => {
    const { fake, compare } = await setup();
    fake.update((t) => {
      t.assignments.groupIds.push('g06');
    });
    const { patched, fresh } = await compare([{ kind: 'app' }]);
    expect(patched).toEqual(fresh);
  });

  it('an everything target, or more than 100 targets, is a full read', async () => {
    const { fake, adapter, previous } = await setup();
    fake.update((t) => {
      t.users.find((x) => x.id === 'u01')!.givenName = 'Augusta Ada';
    });
    const everything = await adapter.refreshSnapshot!(previous, {
      targets: [{ kind: 'everything', reason: 'missed' }],
    });
    expect(everything.read).toBe('full');
    expect(everything.detail).toBe('full read (missed)');
    const many = Array.from({ length: 101 }, (_, i) => ({ kind: 'user' as const, id: `id-${i}` }));
    expect((await adapter.refreshSnapshot!(previous, { targets: many })).read).toBe('full');
    expect(strip(everything.snapshot)).toEqual(strip(await adapter.readSnapshot()));
  });

  it('a refused request fails the re-read with a typed error, never a partial snapshot', async () => {
    const { fake, adapter, previous, group } = await setup();
    fake.update((t) => {
      t.groups.find((x) => x.id === 'g01')!.memberUserIds = [];
    });
    fake.kit.inject({ fault: { type: 'status', status: 403 }, match: /\/members/, times: Infinity });
    fake.batchKit.inject({ fault: { type: 'status', status: 403 }, match: /\/members/, times: Infinity });
    const error = await adapter.refreshSnapshot!(previous, { targets: [group('g01')] }).catch((e) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect(error.missing).toEqual(['GroupMember.Read.All']);
  });
});
