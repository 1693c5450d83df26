import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '@claude-idp/core';
import { expectedView, viewOfSnapshot } from '@claude-idp/core/conformance';
import { conformanceTenant, groupsToRead, syntheticTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './index';
import { createEntraFake, entraMinimumRequests } from './testing';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const view = {
  nesting: true,
  login: 'login' as const,
  status: (s: string) => (s === 'active' ? 'active' : 'suspended') as 'active' | 'suspended',
};
const fast = { retry: { initialDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000 } };
const strip = (s: DirectorySnapshot) => ({ ...s, capturedAt: '' });

function setup(tenant: GenericTenant, pageSizeCap?: number) {
  const fake = createEntraFake(tenant, { pageSizeCap });
  server.resetHandlers(...fake.handlers);
  return { fake, read: () => createEntraAdapter({ env: fake.env, ...fast }).readSnapshot({ app: fake.appId }) };
}

describe('entra: $batch and request budget', () => {
  it('reads the conformance tenant in the minimum number of requests (5)', async () => {
    const { fake, read } = setup(conformanceTenant());
    await read();
    expect(entraMinimumRequests(conformanceTenant())).toBe(5);
    expect(fake.kit.requests).toHaveLength(5);
    // The app by id (object id and appId lookups in one batch), one batch of 4 first pages + the
    // beta claims policy, one batch of 6 (schema, 4 groups, directly assigned people), the nested group.
    expect(fake.kit.requests.map((r) => `${r.method} ${r.pathname.split('/').slice(-1)[0]}`)).toEqual([
      'POST $batch',
      'POST $batch',
      'GET claimsPolicy',
      'POST $batch',
      'GET members',
    ]);
  });

  // The fake answers 400 to a batch of more than 20, so a read that succeeds never sent one.
  it('a synthetic tenant (2,000 people, 150 groups) reads correctly in batches of at most 20, near the minimum', async () => {
    const tenant = syntheticTenant({ users: 2_000, groups: 150, memberships: 5_000, seed: 11 });
    const { fake, read } = setup(tenant);
    const snapshot = await read();
    expect(viewOfSnapshot(snapshot, view)).toEqual(expectedView(fake.tenant, view));
    const posts = fake.kit.requests.filter((r) => r.pathname.endsWith('/$batch')).length;
    const min = entraMinimumRequests(tenant);
    expect(posts).toBeGreaterThan(1);
    expect(fake.kit.requests.length).toBeGreaterThanOrEqual(min);
    expect(fake.kit.requests.length).toBeLessThanOrEqual(Math.ceil(min * 1.25));
    // Every group's first page went inside a batch, not as a request of its own.
    const plainMembers = fake.kit.requests.filter((r) => r.pathname.endsWith('/members') && !r.query.$skiptoken).length;
    expect(plainMembers).toBeLessThanOrEqual(2);
    const groups = groupsToRead(tenant, { nesting: true }).length;
    expect(fake.batchKit.requests.filter((r) => r.pathname.endsWith('/members') && !r.query.$skiptoken).length).toBe(
      groups - plainMembers,
    );
  });

  it('a 429 inside a batch retries only that item, after its own Retry-After', async () => {
    const { fake, read } = setup(conformanceTenant());
    const baseline = await read();
    fake.kit.reset();
    fake.batchKit.reset();
    const target = fake.graphId('group', 'g02');
    fake.batchKit.inject({ fault: { type: 'throttle' }, match: `/groups/${target}/members` });
    const events: string[] = [];
    const again = await createEntraAdapter({ env: fake.env, ...fast }).readSnapshot({
      app: fake.appId,
      onProgress: (e) => e.type === 'throttle' && events.push(e.resource),
    });
    expect(strip(again)).toEqual(strip(baseline));
    // The retried item went out again (alone, so as a plain GET); nothing else was asked twice.
    const paths = [...fake.batchKit.requests, ...fake.kit.requests].map((r) => r.pathname);
    expect(paths.filter((p) => p.endsWith(`/groups/${target}/members`))).toHaveLength(2);
    expect(paths.filter((p) => p.endsWith('/appRoleAssignedTo'))).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith('/users'))).toHaveLength(1);
    expect(events).toEqual([`groups/${target}/members`]);
  });

  it('a failed batch (503 on the POST) retries its items and still gives the same snapshot', async () => {
    const { fake, read } = setup(conformanceTenant());
    const baseline = await read();
    fake.kit.inject({ fault: { type: 'status', status: 503 }, match: '$batch', times: 2 });
    expect(strip(await read())).toEqual(strip(baseline));
  });

  it('follows next links of many groups across pages (page size capped at 3)', async () => {
    const tenant = syntheticTenant({ users: 300, groups: 30, memberships: 900, seed: 3 });
    const { fake, read } = setup(tenant, 3);
    const snapshot = await read();
    expect(viewOfSnapshot(snapshot, view)).toEqual(expectedView(fake.tenant, view));
    expect([...fake.kit.requests, ...fake.batchKit.requests].some((r) => r.query.$skiptoken)).toBe(true);
  });
});
