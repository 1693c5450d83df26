import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginFake, oneloginConformanceTenant } from './index';

/**
 * The fake driven the way a user's integration test drives OneLogin (no maintained Node SDK
 * exists): plain fetch, a token from the token endpoint, every v2 listing walked by its
 * After-Cursor with the cursor sent back alone — over every endpoint and parameter the adapter
 * uses, pages of 2 so every listing pages.
 */
const fake = createOneLoginFake(oneloginConformanceTenant(), {
  pageSizeCap: 2,
  v1Groups: [{ name: 'Engineering', memberUserIds: ['u05', 'u06'] }],
});
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.kit.reset();
  server.resetHandlers(...fake.handlers);
});
afterAll(() => server.close());

async function token(): Promise<string> {
  const res = await fetch(`${fake.baseUrl}/auth/oauth2/v2/token`, {
    method: 'POST',
    headers: {
      authorization: `client_id:${fake.clientId}, client_secret:${fake.clientSecret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}
async function get(path: string, params: Record<string, string> = {}) {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${fake.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
    headers: { authorization: `bearer ${await token()}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}
/** Every item of a v2 listing: the After-Cursor sent back alone (with the filters), until none; checked against Total-Count. */
async function walk<T = Record<string, unknown>>(
  path: string,
  filters: Record<string, string> = {},
  first: Record<string, string> = {},
): Promise<T[]> {
  const out: T[] = [];
  let res = await get(path, { ...filters, ...first });
  const total = Number(res.headers.get('Total-Count'));
  for (;;) {
    expect(res.status).toBe(200);
    out.push(...(res.body as T[]));
    const next = res.headers.get('After-Cursor');
    if (!next) break;
    res = await get(path, { ...filters, cursor: next });
  }
  expect(out.length).toBe(total);
  return out;
}

const s = fake.store();
const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort((a, b) => a - b);

describe('onelogin fake under plain fetch: the endpoints and parameters the adapter uses', () => {
  it('the app by id and by name (exact and with a * wildcard)', async () => {
    const app = await get(`/api/2/apps/${fake.appId}`);
    expect(app.body).toMatchObject({ id: Number(fake.appId), name: 'Claude' });
    expect((await walk<{ name: string }>('/api/2/apps', { name: 'claude' })).map((a) => a.name)).toEqual(['Claude']);
    expect((await walk<{ name: string }>('/api/2/apps', { name: 'Claude*' })).map((a) => a.name).sort()).toEqual(
      s.apps
        .map((a) => String(a.name))
        .filter((n) => n.startsWith('Claude'))
        .sort(),
    );
    expect(await walk('/api/2/apps', { name: 'laude' })).toEqual([]);
  });

  it('roles with fields=id,name,apps, and by app_id', async () => {
    const roles = await walk<{ id: number; name: string; apps: number[] }>(
      '/api/2/roles',
      { fields: 'id,name,apps' },
      { limit: '650' },
    );
    expect(ids(roles)).toEqual(ids(s.roles));
    expect(Object.keys(roles[0]!).sort()).toEqual(['apps', 'id', 'name']);
    const carrying = await walk<{ id: number }>('/api/2/roles', { app_id: fake.appId });
    expect(ids(carrying)).toEqual(ids(s.roles.filter((r) => r.apps.includes(Number(fake.appId)))));
  });

  it("app users and each role's users, every page", async () => {
    expect(
      (await walk<{ id: number }>(`/api/2/apps/${fake.appId}/users`, {}, { limit: '1000' })).map((u) => u.id).sort(),
    ).toEqual([...s.appUserIds].sort());
    for (const role of s.roles) {
      const members = await walk<{ id: number; assigned: boolean }>(
        `/api/2/roles/${role.id}/users`,
        {},
        { limit: '100' },
      );
      expect(members.map((m) => m.id).sort()).toEqual([...role.users].sort());
      expect(members.every((m) => m.assigned)).toBe(true);
    }
  });

  it('users by user_ids with fields, and every user with the fields the adapter asks', async () => {
    const some = s.users.slice(0, 3).map((u) => Number(u.id));
    const byId = await walk<Record<string, unknown>>(
      '/api/2/users',
      { user_ids: some.join(','), fields: 'id,email,username,status,firstname,lastname' },
      { limit: '100' },
    );
    expect(byId.map((u) => u.id)).toEqual(some);
    expect(Object.keys(byId[0]!).sort()).toEqual(['email', 'firstname', 'id', 'lastname', 'status', 'username']);
    const everyone = await walk<{ id: number; group_id: number | null }>(
      '/api/2/users',
      { fields: 'id,email,group_id' },
      { limit: '100' },
    );
    expect(ids(everyone)).toEqual(ids(s.users as never));
    expect(everyone.filter((u) => u.group_id !== null).length).toBe(2);
  });

  it('v1 groups: the envelope, walked by pagination.after_cursor', async () => {
    const res = await get('/api/1/groups');
    expect(res.body).toMatchObject({
      status: { error: false, code: 200 },
      pagination: { after_cursor: null },
      data: [{ name: 'Engineering', reference: null }],
    });
    expect((await get('/api/1/groups', { after_cursor: 'made-up' })).body).toMatchObject({
      status: { error: true, code: 400 },
    });
  });

  it('users: updated_since / created_until filter, sort=+field / -field orders, the cursor keeps the order', async () => {
    expect(await walk('/api/2/users', { updated_since: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect((await walk('/api/2/users', { updated_since: '2000-01-01T00:00:00Z' })).length).toBe(s.users.length);
    expect(await walk('/api/2/users', { created_until: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect((await get('/api/2/users', { updated_since: 'yesterday' })).status).toBe(422);
    const down = await walk<{ firstname: string }>(
      '/api/2/users',
      { fields: 'firstname' },
      { sort: '-firstname', limit: '100' },
    );
    const names = down.map((u) => u.firstname.toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
    const up = await walk<{ email: string }>('/api/2/users', { fields: 'email' }, { sort: '+email' });
    expect(up.map((u) => u.email.toLowerCase())).toEqual(up.map((u) => u.email.toLowerCase()).sort());
    expect((await get('/api/2/users', { sort: '+nope' })).status).toBe(400);
  });
});

describe('onelogin fake under plain fetch: what it does not model fails loudly', () => {
  it('an unmodelled parameter is a 501 naming it (users `directory`, roles `sort`), not a 200', async () => {
    const unknown = await get('/api/2/users', { directory: '5' });
    expect(unknown.status).toBe(501);
    expect(unknown.body).toMatchObject({
      statusCode: 501,
      name: 'NotImplementedError',
      message: expect.stringContaining('directory'),
    });
    const sorted = await get('/api/2/roles', { sort: '+name' });
    expect(sorted.status).toBe(501);
    expect((sorted.body as { message: string }).message).toContain('sort');
  });

  it('every route answers 501 to a parameter it does not model', async () => {
    const role = s.roles[0]!.id;
    const paths = [
      '/api/2/apps',
      `/api/2/apps/${fake.appId}`,
      `/api/2/apps/${fake.appId}/users`,
      '/api/2/roles',
      `/api/2/roles/${role}`,
      `/api/2/roles/${role}/users`,
      '/api/2/users',
      `/api/2/users/${String(s.users[0]!.id)}`,
      '/api/1/groups',
    ];
    for (const path of paths) {
      const res = await get(path, { bogus: '1' });
      expect(res.status, path).toBe(501);
      expect(JSON.stringify(res.body), path).toContain('bogus');
    }
  });

  it('an unmodelled endpoint is a 501 naming it, in the v1 or v2 error shape', async () => {
    const v2 = await get('/api/2/mappings');
    expect(v2).toMatchObject({
      status: 501,
      body: { statusCode: 501, message: expect.stringContaining('GET /api/2/mappings') },
    });
    const v1 = await get('/api/1/users');
    expect(v1).toMatchObject({
      status: 501,
      body: { status: { error: true, code: 501, message: expect.stringContaining('GET /api/1/users') } },
    });
  });

  it("an injected status answers OneLogin's own error body with the X-RateLimit-* headers and a Date", async () => {
    fake.kit.inject({ fault: { type: 'status', status: 503 }, match: '/api/2/users' });
    const v2 = await get('/api/2/users');
    expect(v2.body).toEqual({ message: 'Service Unavailable', statusCode: 503, name: 'ServiceUnavailableError' });
    for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Date'])
      expect(v2.headers.get(h), h).toBeTruthy();
    fake.kit.inject({ fault: { type: 'status', status: 401 }, match: '/api/1/groups' });
    expect((await get('/api/1/groups')).body).toEqual({
      status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' },
    });
  });
});
