import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createGoogleFake, googleMinimumRequests, GOOGLE_TOKEN_URL } from './index';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Every `path:type` in a JSON value; array elements share the path `x[]`. */
function shape(value: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => shape(v, `${path}[]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) shape(v, path ? `${path}.${k}` : k, out);
  else out.add(`${path}:${typeof value}`);
  return out;
}
/** Paths the fake serves that the vendor's own example does not have (must be none). */
const extra = (served: unknown, vendor: unknown) => [...shape(served)].filter((p) => !shape(vendor).has(p));

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const API = 'https://admin.googleapis.com/admin/directory/v1';
function serve(t: GenericTenant = conformanceTenant(), o?: Parameters<typeof createGoogleFake>[1]) {
  const fake = createGoogleFake(t, o);
  server.resetHandlers(...fake.handlers);
  const get = async (path: string, token: string | null = fake.accessToken) => {
    const res = await fetch(`${API}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { fake, get };
}
const withAliases = () => {
  const t = conformanceTenant();
  t.users[0]!.aliases = ['ada@acme.example'];
  return t;
};

describe('google fake: the Directory API shapes from the API reference (__fixtures__)', () => {
  it('users.list matches the users fixture field for field and type', async () => {
    const { get } = serve(withAliases());
    const { body } = await get('/users?customer=my_customer&maxResults=2');
    expect(body.kind).toBe('admin#directory#users');
    expect(body.users[0].kind).toBe('admin#directory#user');
    expect(typeof body.nextPageToken).toBe('string');
    expect(extra(body, fixture('google-users-list'))).toEqual([]);
    expect(body.users[0].aliases).toEqual(['ada@acme.example']);
  });

  it('groups.list and members.list match their fixtures', async () => {
    const { get } = serve();
    const groups = await get('/groups?customer=my_customer&maxResults=1');
    expect(groups.body.kind).toBe('admin#directory#groups');
    expect(extra(groups.body, fixture('google-groups-list'))).toEqual([]);
    const id = groups.body.groups[0].id as string;
    const members = await get(`/groups/${id}/members?maxResults=1`);
    expect(members.body.kind).toBe('admin#directory#members');
    expect(members.body.members[0]).toMatchObject({
      kind: 'admin#directory#member',
      role: 'MEMBER',
      type: 'USER',
      status: 'ACTIVE',
    });
    expect(extra(members.body, fixture('google-members-list'))).toEqual([]);
  });

  it('errors use Google JSON: 404 notFound, 403 forbidden, 403 userRateLimitExceeded throttle, token unauthorized_client', async () => {
    const { fake, get } = serve(conformanceTenant(), { delegation: false });
    const notFound = await get('/groups/nobody@acme.example');
    expect(notFound.status).toBe(404);
    expect([...shape(notFound.body)].sort()).toEqual([...shape(fixture('google-error-not-found'))].sort());
    const other = await get('/users?customer=C999');
    expect(other).toEqual({ status: 403, body: fixture('google-error-forbidden') });
    fake.kit.inject({ fault: { type: 'throttle' } });
    expect(await get('/users?customer=my_customer')).toEqual({
      status: 403,
      body: fixture('google-error-user-rate-limit'),
    });
    const token = await fetch(GOOGLE_TOKEN_URL, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: `x.${Buffer.from(JSON.stringify({ sub: 'ada.lovelace@acme.example', scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly' })).toString('base64url')}.sig`,
      }),
    });
    expect(token.status).toBe(401);
    expect(await token.json()).toEqual(fixture('google-token-unauthorized-client'));
  });
});

describe('google fake: paging, parameters, queries', () => {
  it('pages with nextPageToken, caps maxResults at the documented maximum and rejects more', async () => {
    const { get } = serve();
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const { body } = await get(`/users?customer=my_customer&maxResults=5${token ? `&pageToken=${token}` : ''}`);
      seen.push(...body.users.map((u: { primaryEmail: string }) => u.primaryEmail));
      token = body.nextPageToken;
    } while (token);
    expect(seen).toHaveLength(conformanceTenant().users.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await get('/users?customer=my_customer&maxResults=501')).status).toBe(400);
    expect((await get('/groups?customer=my_customer&maxResults=201')).status).toBe(400);
    expect((await get('/users?maxResults=5')).status).toBe(400); // customer or domain is required
  });

  it('applies the fields partial-response mask', async () => {
    const { get } = serve();
    const { body } = await get('/users?customer=my_customer&fields=nextPageToken,users(id,name/givenName)');
    expect(Object.keys(body)).toEqual(['users']);
    expect(body.users[0]).toEqual({ id: expect.any(String), name: { givenName: 'Ada' } });
  });

  it('answers group queries by email and name prefix, and user queries by org unit subtree', async () => {
    const { get } = serve();
    const byEmail = await get(`/groups?customer=my_customer&query=${encodeURIComponent('email:anthropic-*')}`);
    expect(byEmail.body.groups.map((g: { name: string }) => g.name).sort()).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
    const byName = await get(`/groups?customer=my_customer&query=${encodeURIComponent("name='Engineering'")}`);
    expect(byName.body.groups.map((g: { email: string }) => g.email)).toEqual(['engineering@acme.example']);
    const ou = await get(`/users?customer=my_customer&query=${encodeURIComponent("orgUnitPath='/Claude'")}`);
    expect(ou.body.users.map((u: { primaryEmail: string }) => u.primaryEmail).sort()).toEqual([
      'Margaret.Hamilton@acme.example',
      'ken.thompson@acme.example',
    ]);
    for (const bad of ['foo=bar', 'isAdmin:true', "name:'unterminated", 'name:Ada*', 'isSuspended=maybe']) {
      expect(await get(`/users?customer=my_customer&query=${encodeURIComponent(bad)}`)).toEqual({
        status: 400,
        body: {
          error: {
            errors: [{ domain: 'global', reason: 'invalid', message: 'Invalid Input' }],
            code: 400,
            message: 'Invalid Input',
          },
        },
      });
    }
  });

  it('lists direct members, or derived ones (nested groups expanded) with includeDerivedMembership', async () => {
    const { get } = serve();
    const { body } = await get('/groups/anthropic-claudeai-468ca80f-user@acme.example/members');
    const direct = body.members.map((m: { email: string; type: string }) => `${m.type}:${m.email}`);
    expect(direct).toContain('GROUP:contractors@acme.example');
    expect(direct).not.toContain('USER:radia.perlman@acme.example');
    const derived = await get(
      '/groups/anthropic-claudeai-468ca80f-user@acme.example/members?includeDerivedMembership=true',
    );
    expect(derived.body.members.map((m: { email: string }) => m.email)).toContain('radia.perlman@acme.example');
  });
});

describe('google fake: auth, state and request counts', () => {
  it('401 without a token; 403 forbidden for a service-account token without a subject; 403 insufficientPermissions without the scope', async () => {
    const { get } = serve();
    const anonymous = await get('/users?customer=my_customer', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.errors[0].reason).toBe('authError');
    expect((await get('/users?customer=my_customer', 'any-placeholder-token')).status).toBe(200);
    const mint = async (claims: object) => {
      const res = await fetch(GOOGLE_TOKEN_URL, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`,
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const noSubject = await mint({ scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly' });
    expect((await get('/users?customer=my_customer', noSubject)).body).toEqual(fixture('google-error-forbidden'));
    const usersOnly = await mint({
      sub: 'ada.lovelace@acme.example',
      scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
    });
    expect((await get('/users?customer=my_customer', usersOnly)).status).toBe(200);
    const groups = await get('/groups?customer=my_customer', usersOnly);
    expect(groups.status).toBe(403);
    expect(groups.body.error.errors[0].reason).toBe('insufficientPermissions');
  });

  it('update() is seen by the next request, including by handlers taken before it', async () => {
    const { fake, get } = serve();
    fake.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'deprovisioned';
    });
    const { body } = await get(`/users?customer=my_customer&query=${encodeURIComponent('isArchived=true')}`);
    expect(body.users.map((u: { primaryEmail: string }) => u.primaryEmail).sort()).toEqual([
      'grace.hopper@acme.example',
      'ken.thompson@acme.example',
    ]);
  });

  it('googleMinimumRequests counts what a full read needs at maximum page sizes', () => {
    expect(googleMinimumRequests(conformanceTenant())).toBe(11);
    const big = conformanceTenant();
    for (let i = 0; i < 1200; i++)
      big.users.push({
        id: `x${i}`,
        email: `p${i}@acme.example`,
        login: `p${i}@acme.example`,
        givenName: 'P',
        familyName: String(i),
        status: 'active',
      });
    big.groups[0]!.memberUserIds.push(...big.users.slice(13, 13 + 450).map((u) => u.id));
    // users 1201+13 -> 3 pages; OU 1; two group queries; Engineering and Contractors gets 2; members: owner 451 -> 3, others 1 each (4).
    expect(googleMinimumRequests(big)).toBe(3 + 1 + 2 + 2 + 3 + 4);
  });
});
