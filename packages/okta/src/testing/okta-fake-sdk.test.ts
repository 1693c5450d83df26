import { conformanceTenant } from '@claude-idp/core/testing';
import * as okta from '@okta/okta-sdk-nodejs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import rateLimitFixture from '../__fixtures__/okta-error-rate-limit.json';
import { createOktaFake } from './index';

/**
 * The fake driven by Okta's own Node SDK, over every endpoint and parameter the adapter uses and
 * the ones Okta documents next to them: what a user's integration test would send. Pages of 2 so
 * every listing follows the SDK's own `next` links.
 */
const fake = createOktaFake(conformanceTenant(), { pageSizeCap: 2 });
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.kit.reset();
  server.resetHandlers(...fake.handlers);
});
afterAll(() => server.close());

const sdk = (extra: Record<string, unknown> = {}) =>
  new okta.Client({ orgUrl: fake.baseUrl, token: 'test-token', cacheMiddleware: null, ...extra } as never);
const client = sdk();

/** Every item of an SDK collection (the SDK follows the Link `next` headers). */
async function all<T>(collection: Promise<okta.Collection<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of await collection) if (x) out.push(x);
  return out;
}
/** The OktaApiError the SDK throws for a call, or a failed test when it does not throw. */
async function failure(
  call: () => Promise<unknown>,
): Promise<{ status: number; errorCode: string; errorCauses: { errorSummary: string }[] }> {
  try {
    await call();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}

const org = fake.org;
const names = (gs: { profile?: { name?: string } }[]) => gs.map((g) => g.profile!.name!).sort();
const ids = (xs: { id?: string }[]) => xs.map((x) => x.id!).sort();

describe('okta fake under the Okta SDK: the endpoints and parameters the adapter uses', () => {
  it('apps: by id, by q (startsWith on name or label), by filter', async () => {
    const app = await client.applicationApi.getApplication({ appId: fake.appId });
    expect(app).toMatchObject({ id: fake.appId, label: 'Claude', signOnMode: 'SAML_2_0' });
    expect((await all(client.applicationApi.listApplications({ q: 'claude' }))).map((a) => a.label).sort()).toEqual([
      'Claude',
      'Claude Bookmark',
    ]);
    expect((await all(client.applicationApi.listApplications({ q: 'Claude B' }))).map((a) => a.label)).toEqual([
      'Claude Bookmark',
    ]);
    expect(await all(client.applicationApi.listApplications({ q: 'laude' }))).toEqual([]);
    const byName = await all(client.applicationApi.listApplications({ filter: `name eq "${String(org.app.name)}"` }));
    expect(ids(byName)).toEqual([fake.appId]);
    expect(await all(client.applicationApi.listApplications({ filter: 'status eq "INACTIVE"' }))).toEqual([]);
    expect(ids(await all(client.applicationApi.listApplications({ filter: 'status eq "ACTIVE"' })))).toEqual(
      ids(org.apps),
    );
    // `label` is not a filterable property: Okta's 400 E0000031.
    const bad = await failure(() => all(client.applicationApi.listApplications({ filter: 'label eq "Claude"' })));
    expect(bad).toMatchObject({ status: 400, errorCode: 'E0000031' });
  });

  it('app users: every page, and q on userName / firstName / lastName / email', async () => {
    const users = await all(client.applicationApi.listApplicationUsers({ appId: fake.appId, limit: 500 }));
    expect(ids(users)).toEqual(ids(org.appUsers));
    expect(users.length).toBeGreaterThan(2);
    const grace = await all(client.applicationApi.listApplicationUsers({ appId: fake.appId, q: 'grace' }));
    expect(grace.map((u) => u.credentials?.userName)).toEqual(['grace.hopper@acme.example']);
    // Matched on the app user's userName, firstName, lastName, email: this SCIM app's profile has
    // givenName / familyName instead, so a last name finds no one.
    expect(await all(client.applicationApi.listApplicationUsers({ appId: fake.appId, q: 'HOPP' }))).toEqual([]);
    expect(ids(await all(client.applicationApi.listApplicationUsers({ appId: fake.appId, q: 'GRACE.H' })))).toEqual(
      ids(grace),
    );
    expect(await all(client.applicationApi.listApplicationUsers({ appId: fake.appId, q: 'acme.example' }))).toEqual([]);
  });

  it('app groups: every page (opaque cursors) and q on the group name', async () => {
    const assigned = await all(client.applicationApi.listApplicationGroupAssignments({ appId: fake.appId }));
    expect(ids(assigned)).toEqual(ids(org.appGroups));
    const eng = org.groups.find((g) => g.profile.name === 'Engineering')!;
    expect(
      ids(await all(client.applicationApi.listApplicationGroupAssignments({ appId: fake.appId, q: 'eng' }))),
    ).toEqual([eng.id]);
  });

  it('groups: search (sw, co, gt, pr, and/or), filter by id, q, sortBy, expand=stats', async () => {
    const anthropic = await all(
      client.groupApi.listGroups({ search: 'profile.name sw "anthropic-"', expand: 'stats', limit: 200 }),
    );
    expect(names(anthropic)).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
    expect(
      anthropic.every(
        (g) => typeof (g._embedded as { stats?: { usersCount?: number } } | undefined)?.stats?.usersCount === 'number',
      ),
    ).toBe(true);
    expect(names(await all(client.groupApi.listGroups({ search: 'profile.name co "claudeai"' })))).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
    ]);
    expect(await all(client.groupApi.listGroups({ search: 'lastUpdated gt "2016-01-01T00:00:00.000Z"' }))).toEqual([]);
    expect(
      (
        await all(
          client.groupApi.listGroups({
            search: 'lastUpdated lt "2016-01-01T00:00:00.000Z" and profile.description pr',
          }),
        )
      ).length,
    ).toBe(0);
    expect(
      (
        await all(
          client.groupApi.listGroups({
            search: '(type eq "OKTA_GROUP") and (profile.name eq "Sales" or profile.name eq "sales")',
          }),
        )
      ).length,
    ).toBe(1);
    const two = org.groups.slice(0, 2).map((g) => g.id);
    expect(
      ids(await all(client.groupApi.listGroups({ filter: two.map((id) => `id eq "${id}"`).join(' or ') }))),
    ).toEqual([...two].sort());
    expect(names(await all(client.groupApi.listGroups({ q: 'anthropic-claudeai' })))).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
    ]);
    const sorted = await all(
      client.groupApi.listGroups({ search: 'type eq "OKTA_GROUP"', sortBy: 'profile.name', sortOrder: 'desc' }),
    );
    expect(sorted.map((g) => g.profile!.name)).toEqual(
      names(org.groups as never).sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())),
    );
  });

  it('groups: filter by profile.name is refused as Okta refuses it (400 E0000031), never answered unfiltered', async () => {
    const bad = await failure(() => all(client.groupApi.listGroups({ filter: 'profile.name eq "Sales"' })));
    expect(bad).toMatchObject({ status: 400, errorCode: 'E0000031' });
    expect(await failure(() => all(client.groupApi.listGroups({ search: 'profile.name ne "Sales"' })))).toMatchObject({
      status: 400,
      errorCode: 'E0000031',
    });
  });

  it('group members: every page', async () => {
    const eng = org.groups.find((g) => g.profile.name === 'Engineering')!;
    const members = await all(client.groupApi.listGroupUsers({ groupId: eng.id, limit: 1000 }));
    expect(ids(members)).toEqual([...org.members.get(eng.id)!].sort());
  });

  it('users: filter by id, search with eq / gt / lt / co / pr, q, every page', async () => {
    const everyone = await all(client.userApi.listUsers({}));
    expect(ids(everyone)).toEqual(ids(org.users.filter((u) => u.status !== 'DEPROVISIONED')));
    const some = org.users.slice(1, 4).map((u) => u.id);
    expect(
      ids(await all(client.userApi.listUsers({ filter: some.map((id) => `id eq "${id}"`).join(' or ') }))),
    ).toEqual([...some].sort());
    const notStaged = await all(client.userApi.listUsers({ search: 'status lt "STAGED" or status gt "STAGED"' }));
    expect(ids(notStaged)).toEqual(ids(org.users.filter((u) => u.status !== 'STAGED')));
    expect(ids(await all(client.userApi.listUsers({ search: 'profile.lastName co "amilto"' })))).toEqual(
      ids(org.users.filter((u) => u.profile.lastName === 'Hamilton')),
    );
    expect(await all(client.userApi.listUsers({ search: 'profile.secondEmail pr' }))).toEqual([]);
    expect((await all(client.userApi.listUsers({ search: 'profile.email pr' }))).length).toBe(org.users.length);
    const q = await all(client.userApi.listUsers({ q: 'margaret' }));
    expect(q.map((u) => u.profile!.email)).toEqual(['Margaret.Hamilton@acme.example']);
    // The user filter compares values case-sensitively; search does not.
    expect(
      await all(client.userApi.listUsers({ filter: 'profile.email eq "margaret.hamilton@acme.example"' })),
    ).toEqual([]);
    expect(
      (await all(client.userApi.listUsers({ search: 'profile.email eq "margaret.hamilton@acme.example"' }))).length,
    ).toBe(1);
    const byName = await all(
      client.userApi.listUsers({ search: 'status eq "ACTIVE"', sortBy: 'profile.lastName', sortOrder: 'asc' }),
    );
    const lastNames = byName.map((u) => String(u.profile!.lastName).toLowerCase());
    expect(lastNames).toEqual([...lastNames].sort());
  });
});

describe('okta fake under the Okta SDK: what it does not model fails loudly', () => {
  it('an unmodelled parameter or header is a 501 naming it (users `fields` and `okta-response`, groups `expand=app`, apps by `user.id`), not a 200', async () => {
    const fields = await failure(() => all(client.userApi.listUsers({ fields: 'id' })));
    expect(fields.status).toBe(501);
    expect(fields.errorCauses.map((c) => c.errorSummary).join()).toContain('fields');
    const expand = await failure(() => all(client.groupApi.listGroups({ expand: 'app' })));
    expect(expand.status).toBe(501);
    expect(expand.errorCauses[0]!.errorSummary).toContain('expand=app');
    const byUser = await failure(() =>
      all(client.applicationApi.listApplications({ filter: `user.id eq "${org.users[0]!.id}"` })),
    );
    expect(byUser.status).toBe(501);
    const trimmed = await failure(() =>
      all(client.userApi.listUsers({ contentType: 'application/json; okta-response=omitCredentials' })),
    );
    expect(trimmed.status).toBe(501);
    expect(trimmed.errorCauses[0]!.errorSummary).toContain('okta-response=omitCredentials');
  });

  it('every route answers 501 to a parameter it does not model', async () => {
    const g = org.groups[0]!.id;
    const paths = [
      '/api/v1/apps',
      `/api/v1/apps/${fake.appId}`,
      `/api/v1/apps/${fake.appId}/users`,
      `/api/v1/apps/${fake.appId}/groups`,
      `/api/v1/apps/${fake.appId}/features`,
      `/api/v1/apps/${fake.appId}/group-push/mappings`,
      '/api/v1/groups',
      `/api/v1/groups/${g}`,
      `/api/v1/groups/${g}/users`,
      '/api/v1/users',
      `/api/v1/users/${org.users[0]!.id}`,
      '/api/v1/mappings',
      `/api/v1/mappings/${org.mappings[0]!.id}`,
    ];
    for (const path of paths) {
      const res = await fetch(`${fake.baseUrl}${path}?bogus=1`, { headers: { authorization: 'SSWS t' } });
      expect(res.status, path).toBe(501);
      expect(
        ((await res.json()) as { errorCauses: { errorSummary: string }[] }).errorCauses[0]!.errorSummary,
        path,
      ).toContain('bogus');
    }
  });

  it('an unmodelled endpoint is a 501 naming it', async () => {
    const res = await failure(() => all(client.userApi.listUserGroups({ userId: org.users[0]!.id })));
    expect(res.status).toBe(501);
    expect(res.errorCauses[0]!.errorSummary).toContain(`GET /api/v1/users/${org.users[0]!.id}/groups`);
  });
});

describe('okta fake faults under the Okta SDK', () => {
  it("an injected status answers Okta's own body and headers (E0000009, X-Rate-Limit-*, X-Okta-Request-Id, Date)", async () => {
    fake.kit.inject({ fault: { type: 'status', status: 500 }, match: '/api/v1/groups' });
    const e = (await failure(() => all(client.groupApi.listGroups({})))) as unknown as {
      status: number;
      errorCode: string;
      errorSummary: string;
      errorId: string;
      headers: Headers;
    };
    expect(e).toMatchObject({ status: 500, errorCode: 'E0000009', errorSummary: 'Internal Server Error' });
    expect(e.errorId).toMatch(/^oae\w{22}$/);
    for (const h of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset', 'x-okta-request-id', 'date'])
      expect(e.headers.get(h), h).toBeTruthy();
    expect(Math.abs(Date.parse(e.headers.get('date')!) - Date.now())).toBeLessThan(5_000);
  });

  it("a throttle fault is waited out by the SDK's own retry, with its own request timeout set (the README example)", async () => {
    // The SDK reads its retry settings from the executor it is given.
    const withTimeout = sdk({
      requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 2, requestTimeout: 10_000 }),
    });
    fake.kit.inject({ fault: { type: 'throttle' }, match: '/api/v1/groups', times: 2 });
    const started = Date.now();
    const groups = await all(withTimeout.groupApi.listGroups({ limit: 200 }));
    expect(ids(groups)).toEqual(ids(org.groups));
    // Two 429s, each waited X-Rate-Limit-Reset − Date + 1 s (Okta's own arithmetic): about 2 s, far below the timeout.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(fake.kit.count('/api/v1/groups')).toBe(2 + Math.ceil(org.groups.length / 2));
    const throttled = fake.kit.requests.filter((r) => r.headers['x-okta-retry-count']);
    expect(throttled.length).toBe(2);
  }, 15_000);

  it('the throttle answer is the E0000047 of the Okta reference', async () => {
    fake.kit.inject({ fault: { type: 'throttle' } });
    const res = await fetch(`${fake.baseUrl}/api/v1/groups`, { headers: { authorization: 'SSWS t' } });
    expect(res.status).toBe(429);
    expect(Object.keys((await res.json()) as object).sort()).toEqual(Object.keys(rateLimitFixture).sort());
    expect(res.headers.get('date')).toBeTruthy();
  });
});
