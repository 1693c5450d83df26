import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import appFixture from '../__fixtures__/okta-app-saml.json';
import appStatementsFixture from '../__fixtures__/okta-app-saml-attribute-statements.json';
import appGroupsFixture from '../__fixtures__/okta-app-groups.json';
import appUsersFixture from '../__fixtures__/okta-app-users.json';
import featuresFixture from '../__fixtures__/okta-app-features.json';
import notEnabledFixture from '../__fixtures__/okta-error-feature-not-enabled.json';
import invalidTokenFixture from '../__fixtures__/okta-error-invalid-token.json';
import notFoundFixture from '../__fixtures__/okta-error-not-found.json';
import provisioningOffFixture from '../__fixtures__/okta-error-provisioning-off.json';
import rateLimitFixture from '../__fixtures__/okta-error-rate-limit.json';
import pushFixture from '../__fixtures__/okta-group-push-mappings.json';
import groupsFixture from '../__fixtures__/okta-groups.json';
import mappingFixture from '../__fixtures__/okta-mapping.json';
import mappingsFixture from '../__fixtures__/okta-mappings.json';
import tokenFixture from '../__fixtures__/okta-oauth-token.json';
import invalidScopeFixture from '../__fixtures__/okta-oauth-error-invalid-scope.json';
import usersFixture from '../__fixtures__/okta-users.json';
import userFixture from '../__fixtures__/okta-user.json';
import { PAGE } from '../okta-api-facts';
import { nextLink } from '../okta-paging';
import { createOktaFake } from './index';

/** Every key path of a JSON value (`a.b`, arrays as `a[]`), to compare shapes, not values. */
function paths(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.length ? [...new Set(v.flatMap((x) => paths(x, `${prefix}[]`)))] : [`${prefix}[]`];
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [
      `${prefix}${prefix ? '.' : ''}${k}`,
      ...paths(x, `${prefix}${prefix ? '.' : ''}${k}`),
    ]);
  return [];
}
/** The fake invents no field: each of its key paths occurs in Okta's example (a few, listed, from the spec schema). */
function expectShape(fake: unknown, fixture: unknown, fromSchema: string[] = [], ignoreUnder: string[] = []) {
  const allowed = new Set([...paths(fixture), ...fromSchema]);
  const own = paths(fake).filter((p) => !ignoreUnder.some((u) => p.startsWith(`${u}.`)));
  expect(own.filter((p) => !allowed.has(p))).toEqual([]);
}

const fake = createOktaFake(conformanceTenant());
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.kit.reset());
afterAll(() => server.close());

const get = async (path: string, auth = 'SSWS test-token') => {
  const res = await fetch(`${fake.baseUrl}${path}`, { headers: { authorization: auth, accept: 'application/json' } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
};
const appId = fake.appId;

describe('okta fake: payloads have the shapes of the Okta API reference examples', () => {
  it('GET /api/v1/apps/{id} is a SAML_2_0 Application', async () => {
    const { status, body } = await get(`/api/v1/apps/${appId}`);
    expect(status).toBe(200);
    const fixture = {
      ...appFixture,
      settings: {
        ...appFixture.settings,
        signOn: { ...appFixture.settings.signOn, ...appStatementsFixture.settings.signOn },
      },
    };
    // attributeStatements items of type GROUP (spec SamlAttributeStatementGroup) carry filterType/filterValue.
    expectShape(
      body,
      fixture,
      ['settings.signOn.attributeStatements[].filterType', 'settings.signOn.attributeStatements[].filterValue'],
      ['visibility.appLinks'],
    );
    expect(body).toMatchObject({
      id: appId,
      label: 'Claude',
      signOnMode: 'SAML_2_0',
      credentials: { userNameTemplate: { template: '${source.email}', type: 'BUILT_IN' } },
    });
  });

  it('GET /api/v1/apps/{id}/users: AppUser list (no _embedded without expand=user)', async () => {
    const { body } = await get(`/api/v1/apps/${appId}/users?limit=500`);
    // The app user profile's keys are the app's own schema (here Okta's SCIM template: givenName, familyName, email).
    expectShape(body, appUsersFixture, [], ['[].profile']);
    expect((body as { scope: string }[]).map((u) => u.scope).sort()).toContain('USER');
  });

  it('GET /api/v1/apps/{id}/groups: group assignments', async () => {
    const { body } = await get(`/api/v1/apps/${appId}/groups?limit=200`);
    expectShape(body, appGroupsFixture, [], ['[].profile']);
    expect(body).toHaveLength(3);
  });

  it('GET /api/v1/groups with expand=stats: Group with _embedded.stats (spec Group schema)', async () => {
    const { body } = await get(
      `/api/v1/groups?search=${encodeURIComponent('profile.name sw "anthropic-"')}&expand=stats&limit=200`,
    );
    const stats = [
      '[]._embedded',
      '[]._embedded.stats',
      '[]._embedded.stats.usersCount',
      '[]._embedded.stats.appsCount',
      '[]._embedded.stats.groupPushMappingsCount',
      '[]._embedded.stats.hasAdminPrivlege',
    ];
    expectShape(body, groupsFixture, stats);
    expect((body as { profile: { name: string } }[]).map((g) => g.profile.name).sort()).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
  });

  it('GET /api/v1/groups/{id}/users and /api/v1/users: User', async () => {
    const groups = (await get('/api/v1/groups?limit=200')).body as { id: string }[];
    const { body } = await get(`/api/v1/groups/${groups[0]!.id}/users`);
    // `type.id` (user type) is in the spec's User schema and its AppUserListEx _embedded.user example.
    expectShape(body, [...usersFixture, userFixture], ['[].type', '[].type.id'], ['[]._links']);
    const filtered = await get(`/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`);
    expect((filtered.body as { status: string }[]).map((u) => u.status)).toEqual(['DEPROVISIONED']);
    const plain = await get('/api/v1/users');
    expect((plain.body as { status: string }[]).some((u) => u.status === 'DEPROVISIONED')).toBe(false);
  });

  it('features, mappings, group push and errors match their examples', async () => {
    expectShape((await get(`/api/v1/apps/${appId}/features`)).body, featuresFixture);
    const list = await get(`/api/v1/mappings?targetId=${appId}`);
    expectShape(list.body, mappingsFixture);
    expect(paths(list.body)).not.toContain('[].properties');
    const one = await get(`/api/v1/mappings/${(list.body as { id: string }[])[0]!.id}`);
    expectShape(one.body, mappingFixture, [], ['properties']);
    expect(one.body).toMatchObject({ properties: { email: { expression: 'user.email', pushStatus: 'PUSH' } } });
    const noFlag = createOktaFake(conformanceTenant(), { groupPushApi: false });
    server.use(...noFlag.handlers);
    const push = await get(`/api/v1/apps/${noFlag.appId}/group-push/mappings`);
    expect(push.status).toBe(401);
    expectShape(push.body, notEnabledFixture);
    server.resetHandlers(...fake.handlers);
    expect((await get('/api/v1/apps/0oaNOPE0000000000000')).body).toMatchObject({
      errorCode: notFoundFixture.errorCode,
    });
    const denied = await get(`/api/v1/apps/${appId}`, 'SSWS');
    expect(denied.status).toBe(401);
    expect(Object.keys(denied.body).sort()).toEqual(Object.keys(invalidTokenFixture).sort());
  });

  it('provisioning off: features answers 400 E0000001; group push served when the org has it', async () => {
    const t = conformanceTenant();
    t.app.scim = { ...t.app.scim!, enabled: false };
    const off = createOktaFake(t);
    server.use(...off.handlers);
    const res = await get(`/api/v1/apps/${off.appId}/features`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      errorCode: provisioningOffFixture.errorCode,
      errorCauses: provisioningOffFixture.errorCauses,
    });
    const t2 = conformanceTenant();
    t2.app.scim = { ...t2.app.scim!, pushedGroupIds: ['g01'] };
    const pushing = createOktaFake(t2);
    server.use(...pushing.handlers);
    const push = await get(`/api/v1/apps/${pushing.appId}/group-push/mappings`);
    expectShape(push.body, pushFixture);
    expect(push.body).toMatchObject([
      { status: 'ACTIVE', sourceGroupId: pushing.org.groups.find((g) => g.profile.name.endsWith('-owner'))!.id },
    ]);
  });
});

describe('okta fake: paging, limits, rate limits, OAuth', () => {
  it('pages with Link rel="self" and rel="next" carrying after=<last id>, limit clamped to the maximum', async () => {
    const capped = createOktaFake(conformanceTenant(), { pageSizeCap: 4 });
    server.use(...capped.handlers);
    const first = await get(`/api/v1/apps/${capped.appId}/users?limit=9999&expand=user`);
    const items = first.body as { id: string; _embedded?: unknown }[];
    expect(items).toHaveLength(4);
    expect(items[0]!._embedded).toBeDefined();
    const next = nextLink(first.headers.get('link'));
    expect(first.headers.get('link')).toContain('rel="self"');
    expect(new URL(next!).searchParams.get('after')).toBe(items[3]!.id);
    // Okta drops expand=user from the next link (okta-sdk-nodejs#439): page two has no _embedded.user.
    expect(new URL(next!).searchParams.get('expand')).toBeNull();
    const second = await get(new URL(next!).pathname + new URL(next!).search);
    expect((second.body as { _embedded?: unknown }[])[0]!._embedded).toBeUndefined();
    expect(new URL(next!).searchParams.get('limit')).toBe('9999');
    const full = await get(`/api/v1/apps/${capped.appId}/users?limit=${PAGE.appUsers.max}&after=${items[3]!.id}`);
    expect((full.body as { id: string }[])[0]!.id > items[3]!.id).toBe(true);
  });

  it("app-group cursors are opaque numbers, as in Okta's spec", async () => {
    const capped = createOktaFake(conformanceTenant(), { pageSizeCap: 2 });
    server.use(...capped.handlers);
    const first = await get(`/api/v1/apps/${capped.appId}/groups`);
    expect(new URL(nextLink(first.headers.get('link'))!).searchParams.get('after')).toMatch(/^\d{14}$/);
  });

  it('sends X-Rate-Limit-* headers per bucket and answers 429 E0000047 past the limit', async () => {
    const limited = createOktaFake(conformanceTenant(), { rateLimits: { limits: { apps: 2 }, windowMs: 60_000 } });
    server.use(...limited.handlers);
    const a = await get(`/api/v1/apps/${limited.appId}/features`);
    expect(a.headers.get('x-rate-limit-limit')).toBe('2');
    expect(a.headers.get('x-rate-limit-remaining')).toBe('1');
    expect(Number(a.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await get(`/api/v1/apps/${limited.appId}/groups`);
    const c = await get(`/api/v1/apps/${limited.appId}/users`);
    expect(c.status).toBe(429);
    expect(Object.keys(c.body).sort()).toEqual(Object.keys(rateLimitFixture).sort());
    // /api/v1/apps/{id} is its own bucket.
    expect((await get(`/api/v1/apps/${limited.appId}`)).status).toBe(200);
  });

  it('OAuth service app: issues Bearer tokens for granted scopes only, enforces scopes per endpoint', async () => {
    const oauth = createOktaFake(conformanceTenant(), { grantedScopes: ['okta.apps.read'] });
    server.use(...oauth.handlers);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const assertion = `${b64({ alg: 'RS256' })}.${b64({ iss: '0oaclient', sub: '0oaclient', aud: `${oauth.baseUrl}/oauth2/v1/token`, exp: Math.floor(Date.now() / 1000) + 300 })}.sig`;
    const token = (scope: string) =>
      fetch(`${oauth.baseUrl}/oauth2/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
    const refused = await token('okta.apps.read okta.groups.read');
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body).sort()).toEqual(Object.keys(invalidScopeFixture).sort());
    const ok = await token('okta.apps.read');
    expect(Object.keys(ok.body).every((k) => k in tokenFixture)).toBe(true);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'okta.apps.read' });
    expect((await get(`/api/v1/apps/${oauth.appId}`, `Bearer ${ok.body.access_token}`)).status).toBe(200);
    const groups = await get('/api/v1/groups', `Bearer ${ok.body.access_token}`);
    expect(groups.status).toBe(403);
    expect(groups.headers.get('www-authenticate')).toContain('scope="okta.groups.read"');
  });

  it('update() is seen by the next request; every request is recorded', async () => {
    const f = createOktaFake(conformanceTenant());
    server.use(...f.handlers);
    const before = (await get(`/api/v1/apps/${f.appId}/groups`)).body as unknown[];
    f.update((t) => t.assignments.groupIds.pop());
    const after = (await get(`/api/v1/apps/${f.appId}/groups`)).body as unknown[];
    expect(after).toHaveLength(before.length - 1);
    expect(f.kit.count(/\/groups$/)).toBe(2);
    expect(f.kit.requests[0]!.headers.authorization).toBe('SSWS test-token');
  });
});
