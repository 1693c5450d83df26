import type { ChangeTarget, DirectorySnapshot } from '@claude-idp/core';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from './index';
import { createOktaFake, largeTenant, oktaId, oktaMinimumRequests } from './testing/index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const strip = (s: DirectorySnapshot) => ({ ...s, capturedAt: '' });
const group = (id: string): ChangeTarget => ({ kind: 'group', id: oktaId('00g', id) });
const user = (id: string): ChangeTarget => ({ kind: 'user', id: oktaId('00u', id) });
const app: ChangeTarget = { kind: 'app' };

async function setup() {
  const fake = createOktaFake(conformanceTenant());
  server.resetHandlers(...fake.handlers);
  const adapter = createOktaAdapter({ env: fake.env });
  const previous = await adapter.readSnapshot();
  fake.kit.reset();
  return { fake, adapter, previous };
}

/** Changes the tenant, refreshes the targets, and compares with a full read of the changed tenant. */
async function refreshAfter(mutate: (t: GenericTenant) => void, targets: ChangeTarget[]) {
  const { fake, adapter, previous } = await setup();
  fake.update(mutate);
  const result = await adapter.refreshSnapshot!(previous, { targets });
  const requests = fake.kit.requests.map((r) => `${r.method} ${r.pathname}`);
  fake.kit.reset();
  const fresh = await adapter.readSnapshot();
  return { result, fresh, previous, requests, fullCost: fake.kit.requests.length };
}

const g = (t: GenericTenant, id: string) => t.groups.find((x) => x.id === id)!;

describe('okta refreshSnapshot: a targeted re-read equals a full read of the changed org', () => {
  it('a member added to an anthropic- group costs that group only: one listing by id, one member page', async () => {
    const { result, fresh, previous, requests, fullCost } = await refreshAfter(
      (t) => g(t, 'g02').memberUserIds.push('u12'),
      [group('g02')],
    );
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(result.snapshot.users.map((u) => u.id)).toContain(oktaId('00u', 'u12'));
    expect(previous.users.map((u) => u.id)).not.toContain(oktaId('00u', 'u12'));
    expect(requests).toEqual(['GET /api/v1/groups', `GET /api/v1/groups/${oktaId('00g', 'g02')}/users`]);
    expect(requests.length).toBeLessThan(fullCost);
    expect(result.detail).toContain('anthropic-claudeai-468ca80f-user');
  });

  it('a member removed: the group is re-read and a user nothing reaches any more leaves, as in a full read', async () => {
    const { result, fresh } = await refreshAfter(
      (t) => {
        g(t, 'g04').memberUserIds = [];
      },
      [group('g04')],
    );
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(result.snapshot.users.map((u) => u.id)).not.toContain(oktaId('00u', 'u11'));
  });

  it('a group renamed away from anthropic- (not assigned) leaves the snapshot; one renamed into it arrives', async () => {
    const away = await refreshAfter(
      (t) => {
        g(t, 'g04').name = 'Console developers';
      },
      [group('g04')],
    );
    expect(strip(away.result.snapshot)).toEqual(strip(away.fresh));
    expect(away.result.snapshot.groups.map((x) => x.id)).not.toContain(oktaId('00g', 'g04'));

    const into = await refreshAfter(
      (t) => {
        g(t, 'g06').name = 'anthropic-claudeai-468ca80f-sales';
      },
      [group('g06')],
    );
    expect(into.result.read).toBe('targeted');
    expect(strip(into.result.snapshot)).toEqual(strip(into.fresh));
    expect(into.result.snapshot.groups.map((x) => x.name)).toContain('anthropic-claudeai-468ca80f-sales');
  });

  it('a deleted group: the listing misses it, GET answers 404, it leaves the snapshot', async () => {
    const { result, fresh, requests } = await refreshAfter(
      (t) => {
        t.groups = t.groups.filter((x) => x.id !== 'g04');
      },
      [group('g04')],
    );
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(requests).toEqual(['GET /api/v1/groups', `GET /api/v1/groups/${oktaId('00g', 'g04')}`]);
    expect(result.detail).toContain('deleted');
  });

  it("a user's profile: one GET /api/v1/users/{id}, fields in their canonical names", async () => {
    const { result, fresh, requests } = await refreshAfter(
      (t) => {
        const u = t.users.find((x) => x.id === 'u01')!;
        u.email = 'ada.renamed@acme.example';
        u.login = 'ada.renamed@acme.example';
      },
      [user('u01')],
    );
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(requests).toEqual([`GET /api/v1/users/${oktaId('00u', 'u01')}`]);
    expect(result.snapshot.users.find((u) => u.id === oktaId('00u', 'u01'))?.email).toBe('ada.renamed@acme.example');
  });

  it('a user suspended and a user deleted (404): status changes, the deleted one leaves groups and assignments', async () => {
    const { result, fresh } = await refreshAfter(
      (t) => {
        t.users.find((x) => x.id === 'u05')!.status = 'suspended';
        t.users = t.users.filter((x) => x.id !== 'u08');
        t.assignments.userIds = t.assignments.userIds.filter((x) => x !== 'u08');
      },
      [user('u05'), user('u08')],
    );
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
  });

  it('a user the snapshot does not have and nothing reaches is skipped without a request', async () => {
    const { result, requests } = await refreshAfter(
      (t) => {
        t.users.find((x) => x.id === 'u13')!.familyName = 'Changed';
      },
      [user('u13')],
    );
    expect(requests).toEqual([]);
    expect(result.detail).toContain('skipped');
  });

  it('the app: a group assigned is read with its members, an unassigned non-anthropic group leaves, a new direct assignee is read', async () => {
    const { result, fresh, requests, fullCost } = await refreshAfter(
      (t) => {
        t.assignments.groupIds = ['g01', 'g02', 'g05'];
        t.assignments.userIds.push('u12');
      },
      [app],
    );
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(result.snapshot.groups.map((x) => x.name)).toContain('Contractors');
    expect(result.snapshot.groups.map((x) => x.name)).not.toContain('Engineering');
    // No member listing of a group that did not change.
    expect(requests.filter((r) => r.endsWith('/users') && r.includes('/groups/'))).toEqual([
      `GET /api/v1/groups/${oktaId('00g', 'g05')}/users`,
    ]);
    expect(requests.length).toBeLessThan(fullCost);
  });

  it('the app maps another user attribute now: every user changes, so a full read', async () => {
    const { fake, adapter, previous } = await setup();
    // The To-App mapping now sends the secondary email as the SCIM email: every user reports user.secondEmail.
    for (const props of fake.org.mappingProperties.values())
      (props as Record<string, { expression: string }>).email!.expression = 'user.secondEmail';
    const result = await adapter.refreshSnapshot!(previous, { targets: [app] });
    expect(result).toMatchObject({ read: 'full', detail: expect.stringContaining('other user attributes') });
    expect(result.snapshot.app.scim?.emailSource).toBe('user.secondEmail');
    expect(Object.keys(result.snapshot.users[0]!.fields)).toContain('user.secondEmail');
    expect(strip(result.snapshot)).toEqual(strip(await adapter.readSnapshot()));
  });

  it('more targets than a full read costs: one full read, said so', async () => {
    const { fake, adapter, previous } = await setup();
    const targets = previous.users.map((u) => ({ kind: 'user', id: u.id }) as ChangeTarget);
    const result = await adapter.refreshSnapshot!(previous, { targets });
    expect(result.read).toBe('full');
    expect(result.detail).toMatch(/^full read: /);
    expect(fake.kit.requests.length).toBe(oktaMinimumRequests(fake.tenant));
  });

  it('an everything target is a full read', async () => {
    const { adapter, previous } = await setup();
    const result = await adapter.refreshSnapshot!(previous, {
      targets: [{ kind: 'everything', reason: 'lost events' }],
    });
    expect(result).toMatchObject({ read: 'full', detail: 'full read: lost events' });
  });

  it('3000 people: one owner removed costs the owner group (2 requests), not the full read', async () => {
    const fake = createOktaFake(largeTenant());
    server.resetHandlers(...fake.handlers);
    const adapter = createOktaAdapter({ env: fake.env });
    const previous = await adapter.readSnapshot();
    fake.update((t) => {
      t.groups.find((x) => x.id === 'g-owner')!.memberUserIds.pop();
    });
    fake.kit.reset();
    const result = await adapter.refreshSnapshot!(previous, { targets: [group('g-owner')] });
    const targeted = fake.kit.requests.length;
    fake.kit.reset();
    const fresh = await adapter.readSnapshot();
    const full = fake.kit.requests.length;
    expect(result.read).toBe('targeted');
    expect(strip(result.snapshot)).toEqual(strip(fresh));
    expect(targeted).toBe(2);
    expect(full).toBe(oktaMinimumRequests(fake.tenant));
    console.info(
      `okta refresh: one owner removed in a 3000-person org: ${targeted} requests targeted, ${full} for a full read`,
    );
  });
});
