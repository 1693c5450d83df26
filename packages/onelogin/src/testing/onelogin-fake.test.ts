import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter } from '../index';
import { createOneLoginFake, oneloginConformanceTenant, oneloginMinimumRequests, type OneLoginFake } from './index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const serve = (tenant: GenericTenant = conformanceTenant(), o: Parameters<typeof createOneLoginFake>[1] = {}) => {
  const fake = createOneLoginFake(tenant, o);
  server.resetHandlers(...fake.handlers);
  return fake;
};
const get = async (fake: OneLoginFake, pathAndQuery: string) => {
  const res = await fetch(`${fake.baseUrl}${pathAndQuery}`, {
    headers: { authorization: `bearer ${fake.accessToken()}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
};

describe('onelogin fake: OneLogin paging rules', () => {
  it('refuses a cursor it did not issue (400 Invalid pagination cursor), a cursor with limit (400), v2 after_cursor (400) and a limit above the maximum (400)', async () => {
    const fake = serve(conformanceTenant(), { pageSizeCap: 2 });
    const first = await get(fake, '/api/2/users?limit=100');
    const header = first.headers.get('After-Cursor')!;
    expect(header).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    for (const bad of ['not-a-cursor', Buffer.from('limit=2&cursor=garbage').toString('base64'), `${header}%3D`]) {
      const res = await get(fake, `/api/2/users?${new URLSearchParams({ cursor: bad })}`);
      expect(res).toEqual({
        status: 400,
        headers: res.headers,
        body: { status: 400, error: 'BadRequestError', description: 'Invalid pagination cursor' },
      });
    }
    const withLimit = await get(fake, `/api/2/roles?${new URLSearchParams({ limit: '2', cursor: header })}`);
    expect(withLimit).toMatchObject({
      status: 400,
      body: { message: 'Requests can only have cursor xor pagination arguments' },
    });
    expect((await get(fake, `/api/2/users?${new URLSearchParams({ after_cursor: header })}`)).status).toBe(400);
    expect((await get(fake, '/api/2/roles?limit=651')).status).toBe(400);
    expect((await get(fake, '/api/2/apps?limit=1000')).status).toBe(200);
    // The right way: the header's value, URL-encoded into the query string.
    const ok = await get(fake, `/api/2/users?${new URLSearchParams({ cursor: header })}`);
    expect(ok.status).toBe(200);
  });

  it('filters roles by app_id (the roles that carry the app) and honours fields', async () => {
    const fake = serve();
    const roles = (await get(fake, `/api/2/roles?app_id=${fake.appId}&fields=id,name`)).body as {
      id: number;
      name: string;
    }[];
    const assigned = fake.tenant.assignments.groupIds.map((id) => fake.tenant.groups.find((g) => g.id === id)!.name);
    expect(roles.map((r) => r.name).sort()).toEqual(assigned.sort());
    expect(Object.keys(roles[0]!).sort()).toEqual(['id', 'name']);
    const app = (await get(fake, `/api/2/apps/${fake.appId}`)).body as { role_ids: number[] };
    expect(app.role_ids.sort()).toEqual(roles.map((r) => r.id).sort());
  });

  it('lists users by user_ids with only the fields asked for (id always)', async () => {
    const fake = serve();
    const ids = fake
      .store()
      .users.slice(0, 3)
      .map((u) => u.id);
    const users = (await get(fake, `/api/2/users?user_ids=${ids.join(',')}&fields=email,status`)).body as Record<
      string,
      unknown
    >[];
    expect(users.map((u) => u.id)).toEqual(ids);
    expect(Object.keys(users[0]!).sort()).toEqual(['email', 'id', 'status']);
  });
});

describe('onelogin fake: tenant mapping', () => {
  it('gives numeric ids derived from the generic ids: the same in two fakes and after update()', () => {
    const a = serve();
    const b = createOneLoginFake(conformanceTenant());
    expect(a.appId).toMatch(/^\d{7}$/);
    expect(a.store().users.map((u) => u.id)).toEqual(b.store().users.map((u) => u.id));
    expect(a.store().users.every((u) => /^\d{8}$/.test(String(u.id)))).toBe(true);
    const before = a.store().roles.map((r) => r.id);
    a.update((t) => void t.groups[0]!.memberUserIds.push('u12'));
    expect(a.store().roles.map((r) => r.id)).toEqual(before);
  });

  it('serves OneLogin statuses (0–8) and user attributes: email → email, login → username', () => {
    const fake = serve();
    const byLogin = new Map(fake.store().users.map((u) => [u.username, u]));
    expect(byLogin.get('aturing@acme.example')).toMatchObject({ email: 'alan.turing@acme.example', status: 1 });
    expect(byLogin.get('edsger.dijkstra@acme.example')!.status).toBe(2);
    expect(byLogin.get('donald.knuth@acme.example')!.status).toBe(0);
    expect(byLogin.get('frances.allen@acme.example')!.status).toBe(3);
    expect(byLogin.get('ken.thompson@acme.example')!.status).toBe(2);
  });

  it("a hand assignment shadowed by a role (core's tenant, Margaret) shows only through the role, as in OneLogin", async () => {
    const fake = serve(conformanceTenant());
    const snapshot = await createOneLoginAdapter({ env: fake.env }).readSnapshot();
    const margaret = snapshot.users.find((u) => u.email === 'Margaret.Hamilton@acme.example')!;
    expect(snapshot.assignments.userIds).not.toContain(margaret.id);
    expect(snapshot.groups.find((g) => g.name === 'anthropic-claudeai-468ca80f-user')!.memberUserIds).toContain(
      margaret.id,
    );
    const appUsers = (await get(fake, `/api/2/apps/${fake.appId}/users?limit=1000`)).body as { id: number }[];
    expect(appUsers.filter((u) => String(u.id) === margaret.id)).toHaveLength(1);
  });

  it('update() is seen by the very next request', async () => {
    const fake = serve();
    const count = async () => ((await get(fake, '/api/2/users?limit=100')).body as unknown[]).length;
    expect(await count()).toBe(13);
    fake.update(
      (t) =>
        void t.users.push({
          ...t.users[0]!,
          id: 'u99',
          email: 'new.person@acme.example',
          login: 'new.person@acme.example',
        }),
    );
    expect(await count()).toBe(14);
  });
});

describe('onelogin fake: faults, scopes and tokens', () => {
  it("throttle answers OneLogin's 429 with X-RateLimit-Limit / Remaining / Reset (seconds remaining)", async () => {
    const fake = serve(conformanceTenant(), { throttleResetSeconds: 7 });
    fake.kit.inject({ fault: { type: 'throttle' } });
    const res = await get(fake, '/api/2/roles');
    expect(res.status).toBe(429);
    expect(res.headers.get('X-RateLimit-Limit')).toBe('5000');
    expect(res.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(res.headers.get('X-RateLimit-Reset')).toBe('7');
    expect(res.body).toEqual({ message: 'Too Many Requests', statusCode: 429, name: 'TooManyRequestsError' });
  });

  it('a "Read Users" credential may read users, roles and groups but not apps; "Authentication Only" nothing', async () => {
    const fake = serve(conformanceTenant(), { scope: 'Read Users' });
    expect((await get(fake, '/api/2/users')).status).toBe(200);
    expect((await get(fake, '/api/1/groups')).status).toBe(200);
    expect(await get(fake, '/api/2/apps')).toMatchObject({
      status: 401,
      body: { message: 'Insufficient Permission', statusCode: 401 },
    });
    const none = serve(conformanceTenant(), { scope: 'Authentication Only' });
    expect(await get(none, '/api/1/groups')).toMatchObject({
      status: 401,
      body: { status: { error: true, code: 401, message: 'Insufficient Permission' } },
    });
  });

  it('the token endpoint takes the three documented credential forms, answers the same token until expiry, and refuses a wrong secret', async () => {
    const fake = serve();
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${fake.baseUrl}/auth/oauth2/v2/token`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { access_token?: string },
      }));
    const json = JSON.stringify({ grant_type: 'client_credentials' });
    const a = await post(
      {
        authorization: `client_id:${fake.clientId}, client_secret:${fake.clientSecret}`,
        'content-type': 'application/json',
      },
      json,
    );
    const b = await post(
      {
        authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      json,
    );
    const c = await post(
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      }).toString(),
    );
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(new Set([a.body.access_token, b.body.access_token, c.body.access_token]).size).toBe(1);
    fake.expireTokens();
    const d = await post(
      {
        authorization: `client_id:${fake.clientId}, client_secret:${fake.clientSecret}`,
        'content-type': 'application/json',
      },
      json,
    );
    expect(d.body.access_token).not.toBe(a.body.access_token);
    expect(
      (
        await post(
          { authorization: `client_id:${fake.clientId}, client_secret:wrong`, 'content-type': 'application/json' },
          json,
        )
      ).status,
    ).toBe(401);
    expect(
      (await fetch(`${fake.baseUrl}/api/2/users`, { headers: { authorization: `bearer ${a.body.access_token}` } }))
        .status,
    ).toBe(401);
  });
});

describe('oneloginMinimumRequests', () => {
  /** A tenant large enough for several pages of role users and user_ids chunks. */
  const large = (): GenericTenant => {
    const t = oneloginConformanceTenant();
    for (let i = 0; i < 340; i++) {
      const id = `x${i}`;
      t.users.push({
        id,
        email: `person${i}@acme.example`,
        login: `person${i}`,
        givenName: 'P',
        familyName: String(i),
        status: 'active',
      });
      t.groups[i % 2 === 0 ? 0 : 3]!.memberUserIds.push(id);
    }
    return t;
  };

  for (const [name, tenant] of [
    ['the conformance tenant', oneloginConformanceTenant],
    ['a 353-person tenant', large],
  ] as const) {
    it(`equals the requests a read of ${name} makes at the maximum page sizes`, async () => {
      const t = tenant();
      const fake = serve(t);
      await createOneLoginAdapter({ env: fake.env }).readSnapshot();
      expect(fake.kit.requests.length).toBe(oneloginMinimumRequests(t));
    });
  }

  it('counts the listings and user_ids chunks of 100 (role members come with the roles listing)', () => {
    // 1 token + 1 app + 1 roles (fields=users) + 1 app users + 1 v1 groups
    // + 351 people reached, in user_ids chunks of 100 (4)
    expect(oneloginMinimumRequests(large())).toBe(5 + 4);
  });
});
