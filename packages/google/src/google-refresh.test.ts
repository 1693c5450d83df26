import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeTarget, DirectorySnapshot, IdpAdapterV1 } from '@claude-idp/core';
import {
  conformanceTenant,
  startLoopbackServer,
  type GenericTenant,
  type LoopbackServer,
} from '@claude-idp/core/testing';
import { createGoogleAdapter, createGoogleEventReceiver } from './index';
import { createGoogleFake, type GoogleFake } from './testing/index';
import { serveReceiver } from './testing/receiver-server';

// A change in the fake, Google's notifications to the receiver, the receiver's targets, and the
// targeted re-read: it must equal a full read of the changed tenant (except capturedAt).
let google: LoopbackServer;
let listener: Awaited<ReturnType<typeof serveReceiver>>;
let fake: GoogleFake;
let env: Record<string, string>;
let adapter: IdpAdapterV1;
let previous: DirectorySnapshot;

beforeAll(async () => {
  google = await startLoopbackServer();
});
afterAll(() => google.close());
beforeEach(async () => {
  fake = createGoogleFake(conformanceTenant(), { baseUrl: google.url });
  google.use(fake.handlers);
  env = { ...fake.env };
  adapter = createGoogleAdapter({ env });
  previous = await adapter.readSnapshot({ app: 'Claude' });
  const receiver = createGoogleEventReceiver({ env });
  listener = await serveReceiver(receiver);
  await receiver.subscriptions!.ensure({ publicUrl: listener.url, now: new Date() });
  await fake.events.settled();
});
afterEach(() => listener.close());

/** Applies a change, waits for Google's notifications, and returns the targets the receiver derived. */
async function change(mutate: (t: GenericTenant) => void): Promise<ChangeTarget[]> {
  const from = listener.results.length;
  fake.update(mutate);
  await fake.events.settled();
  // The admin's declaration follows the tenant (what the admin would copy from the Admin console).
  Object.assign(env, fake.env);
  const results = listener.results.slice(from);
  expect(results.every((r) => !r.rejected)).toBe(true);
  return results.flatMap((r) => r.events.flatMap((e) => e.targets));
}

async function refreshAndCompare(targets: ChangeTarget[]) {
  fake.kit.requests.length = 0;
  const refreshed = await adapter.refreshSnapshot!(previous, { targets, app: 'Claude' });
  const requests = fake.kit.requests.map((r) => new URL(r.url).pathname.replace('/admin/directory/v1/', ''));
  const fresh = await createGoogleAdapter({ env }).readSnapshot({ app: 'Claude' });
  expect({ ...refreshed.snapshot, capturedAt: '' }).toEqual({ ...fresh, capturedAt: '' });
  return { refreshed, requests, fresh };
}

const gid = (name: string) => previous.groups.find((g) => g.name === name)!.id;
const uid = (email: string) => previous.users.find((u) => u.email?.toLowerCase() === email)!.id;

describe('refreshSnapshot: a user target', () => {
  it('a suspended member: one users.get', async () => {
    const targets = await change((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    expect(targets).toEqual([{ kind: 'user', id: uid('grace.hopper@acme.example') }]);
    const { refreshed, requests } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(requests).toEqual([`users/${uid('grace.hopper@acme.example')}`]);
    expect(refreshed.snapshot.users.find((u) => u.email === 'grace.hopper@acme.example')?.status).toBe('suspended');
  });

  it('a person moved into the app by org unit: the assignment follows', async () => {
    const targets = await change((t) => {
      t.assignments.userIds.push('u12');
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(refreshed.snapshot.users.some((u) => u.email === 'unrelated.person@acme.example')).toBe(true);
  });

  it('a person moved out of the app and reached by nothing else is dropped', async () => {
    const targets = await change((t) => {
      t.assignments.userIds = t.assignments.userIds.filter((id) => id !== 'u08');
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.snapshot.users.some((u) => u.email === 'ken.thompson@acme.example')).toBe(false);
  });

  it('a deleted user disappears from the users and from every group', async () => {
    const targets = await change((t) => {
      t.users = t.users.filter((u) => u.id !== 'u03');
      for (const g of t.groups) g.memberUserIds = g.memberUserIds.filter((id) => id !== 'u03');
    });
    expect(targets).toContainEqual({ kind: 'user', id: uid('alan.turing@acme.example') });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
  });

  it('a new user added to an anthropic- group is read through the group', async () => {
    const targets = await change((t) => {
      t.users.push({
        id: 'u20',
        email: 'new.person@acme.example',
        login: 'new.person@acme.example',
        givenName: 'New',
        familyName: 'Person',
        status: 'active',
      });
      t.groups.find((g) => g.id === 'g04')!.memberUserIds.push('u20');
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(
      refreshed.snapshot.groups.find((g) => g.id === gid('anthropic-console-9f2c1d7e-developer'))?.memberUserIds,
    ).toHaveLength(2);
  });
});

describe('refreshSnapshot: a group target', () => {
  it('the last owner removed from the owner group costs only that group (groups.get, members.list)', async () => {
    const owners = gid('anthropic-claudeai-468ca80f-owner');
    const targets = await change((t) => {
      t.groups.find((g) => g.id === 'g01')!.memberUserIds = [];
    });
    expect(targets).toEqual([{ kind: 'group', id: 'anthropic-claudeai-468ca80f-owner@acme.example' }]);
    const { refreshed, requests } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(requests).toEqual([`groups/${owners}`, `groups/${owners}/members`]);
    expect(refreshed.snapshot.groups.find((g) => g.id === owners)?.memberUserIds).toEqual([]);
  });

  it('a group renamed out of the anthropic- prefix is no longer read', async () => {
    const targets = await change((t) => {
      t.groups.find((g) => g.id === 'g04')!.name = 'console-developers';
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(refreshed.snapshot.groups.some((g) => g.name === 'console-developers')).toBe(false);
  });

  it('a new anthropic- group with a member and a nested group is read with them', async () => {
    const targets = await change((t) => {
      t.groups.push({
        id: 'g10',
        name: 'anthropic-claudeai-468ca80f-admin',
        memberUserIds: ['u12'],
        memberGroupIds: ['g06'],
      });
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
    expect(refreshed.snapshot.groups.map((g) => g.name)).toContain('Sales');
  });

  it('a nested group taken out of its parent is dropped when nothing else leads to it', async () => {
    const targets = await change((t) => {
      t.groups.find((g) => g.id === 'g02')!.memberGroupIds = [];
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.snapshot.groups.some((g) => g.name === 'Contractors')).toBe(false);
  });

  it('a deleted anthropic- group is removed', async () => {
    const targets = await change((t) => {
      t.groups = t.groups.filter((g) => g.id !== 'g04');
    });
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('targeted');
  });
});

describe('refreshSnapshot: the app target', () => {
  it('a group given access in the declaration is read with its members', async () => {
    await change((t) => {
      t.assignments.groupIds.push('g06');
    });
    const { refreshed } = await refreshAndCompare([{ kind: 'app' }]);
    expect(refreshed.read).toBe('targeted');
    const sales = refreshed.snapshot.groups.find((g) => g.name === 'Sales')!;
    expect(refreshed.snapshot.assignments.groupIds).toContain(sales.id);
  });

  it('before any full read in this process, a group target is a full read (addresses are learnt from one)', async () => {
    const targets = await change((t) => {
      t.groups.find((g) => g.id === 'g01')!.memberUserIds = [];
    });
    const restarted = createGoogleAdapter({ env });
    const refreshed = await restarted.refreshSnapshot!(previous, { targets, app: 'Claude' });
    expect(refreshed.read).toBe('full');
    expect(refreshed.detail).toMatch(/no full read in this process/);
    expect(
      refreshed.snapshot.groups.find((g) => g.name === 'anthropic-claudeai-468ca80f-owner')?.memberUserIds,
    ).toEqual([]);
  });

  it('more targets than a full read costs is a full read', async () => {
    const targets = previous.users.map((u) => ({ kind: 'user' as const, id: u.id }));
    const { refreshed } = await refreshAndCompare(targets);
    expect(refreshed.read).toBe('full');
    expect(refreshed.detail).toMatch(/cost more than a full read/);
  });

  it('an everything target is a full read that says why', async () => {
    const { refreshed } = await refreshAndCompare([{ kind: 'everything', reason: 'events were lost' }]);
    expect(refreshed.read).toBe('full');
    expect(refreshed.detail).toMatch(/events were lost/);
  });
});
