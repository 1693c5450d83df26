import { readFileSync } from 'node:fs';
import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppSchema,
  AppSummarySchema,
  AppUserSchema,
  ErrorV1Schema,
  ErrorV2Schema,
  GroupsV1PageSchema,
  RoleSchema,
  RoleUserSchema,
  TokenSchema,
  UserSchema,
} from '../onelogin-schemas';
import { createOneLoginFake } from './onelogin-fake';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/onelogin-${name}.json`, import.meta.url), 'utf8'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The shape of a JSON value: key sets of objects (recursively) and value types, where `null`
 * matches any type (a field OneLogin returns as null in one sample and filled in another).
 */
function sameShape(actual: Json, expected: Json, path = '$'): string[] {
  if (actual === null || expected === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    return expected.length && actual.length ? sameShape(actual[0]!, expected[0]!, `${path}[0]`) : [];
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object`];
    const a = Object.keys(actual).sort();
    const e = Object.keys(expected).sort();
    const problems = a.join() === e.join() ? [] : [`${path}: keys ${JSON.stringify(a)} != ${JSON.stringify(e)}`];
    // Parameters and custom attributes are keyed by name: compare the values' shapes only.
    if (path.endsWith('.parameters') || path.endsWith('.custom_attributes')) {
      const first = Object.values(expected)[0];
      return Object.values(actual).flatMap((v) => (first === undefined ? [] : sameShape(v, first, `${path}.*`)));
    }
    return [
      ...problems,
      ...e.filter((k) => k in actual).flatMap((k) => sameShape(actual[k]!, expected[k]!, `${path}.${k}`)),
    ];
  }
  return typeof actual === typeof expected ? [] : [`${path}: ${typeof actual} != ${typeof expected}`];
}

describe('onelogin fake: answers in the shapes of the API reference fixtures', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const setup = () => {
    const fake = createOneLoginFake(conformanceTenant(), { v1Groups: [{ name: 'employees', memberUserIds: ['u01'] }] });
    server.resetHandlers(...fake.handlers);
    const get = async (path: string) => {
      const res = await fetch(`${fake.baseUrl}${path}`, { headers: { authorization: `bearer ${fake.accessToken()}` } });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
    };
    return { fake, get };
  };

  it('token, apps, app, app users, roles, role users, user, v1 groups and errors match the fixtures', async () => {
    const { fake, get } = setup();
    const token = await fetch(`${fake.baseUrl}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: {
        authorization: `client_id:${fake.clientId}, client_secret:${fake.clientSecret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    const store = fake.store();
    const roleId = store.roles[0]!.id;
    const userId = store.users[0]!.id as number;
    const cases: [string, Json, string][] = [
      ['token', (await token.json()) as Json, 'token'],
      ['apps', (await get('/api/2/apps')).body, 'list-apps'],
      ['app', (await get(`/api/2/apps/${fake.appId}`)).body, 'get-app-saml'],
      ['app users', (await get(`/api/2/apps/${fake.appId}/users`)).body, 'app-users'],
      ['roles', (await get('/api/2/roles')).body, 'list-roles'],
      ['role users', (await get(`/api/2/roles/${roleId}/users`)).body, 'role-users'],
      ['user', (await get(`/api/2/users/${userId}`)).body, 'get-user'],
      ['users', ((await get('/api/2/users')).body as Json[])[0]!, 'get-user'],
      ['v1 groups', (await get('/api/1/groups')).body, 'groups-v1'],
      ['404', (await get('/api/2/apps/1')).body, 'error-404'],
    ];
    for (const [what, actual, name] of cases) expect(sameShape(actual, fixture(name) as Json), what).toEqual([]);
  });

  it('the client schemas accept every fixture (real payloads read without error)', () => {
    expect(TokenSchema.safeParse(fixture('token')).success).toBe(true);
    expect(z.array(AppSummarySchema).safeParse(fixture('list-apps')).success).toBe(true);
    expect(AppSchema.safeParse(fixture('get-app-saml')).success).toBe(true);
    expect(z.array(AppUserSchema).safeParse(fixture('app-users')).success).toBe(true);
    expect(z.array(RoleSchema).safeParse(fixture('list-roles')).success).toBe(true);
    expect(z.array(RoleUserSchema).safeParse(fixture('role-users')).success).toBe(true);
    expect(UserSchema.safeParse(fixture('get-user')).success).toBe(true);
    expect(GroupsV1PageSchema.safeParse(fixture('groups-v1')).success).toBe(true);
    for (const e of ['error-401', 'error-404', 'error-422'])
      expect(ErrorV2Schema.safeParse(fixture(e)).success, e).toBe(true);
    expect(ErrorV1Schema.safeParse(fixture('error-v1-insufficient-permission')).success).toBe(true);
  });

  it('sends the documented v2 paging headers and OneLogin rate-limit headers (Reset in seconds remaining)', async () => {
    const { fake, get } = setup();
    fake.kit.pageSizeCap = 2;
    const first = await get('/api/2/users?limit=100');
    expect(first.headers.get('Total-Count')).toBe(String(fake.tenant.users.length));
    expect(first.headers.get('Total-Pages')).toBe(String(Math.ceil(fake.tenant.users.length / 2)));
    expect(first.headers.get('Current-Page')).toBe('1');
    expect(first.headers.get('Page-Items')).toBe('2');
    // Raw base64, as OneLogin sends it, and the same value in `Cursor`.
    expect(first.headers.get('After-Cursor')).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(first.headers.get('Cursor')).toBe(first.headers.get('After-Cursor'));
    expect(first.headers.get('Before-Cursor')).toBeNull();
    expect(first.headers.get('X-RateLimit-Limit')).toBe('5000');
    const reset = Number(first.headers.get('X-RateLimit-Reset'));
    expect(reset).toBeGreaterThan(3500);
    expect(reset).toBeLessThanOrEqual(3600);
    const second = await get(`/api/2/users?${new URLSearchParams({ cursor: first.headers.get('After-Cursor')! })}`);
    expect(second.headers.get('Current-Page')).toBe('2');
    expect(second.headers.get('Before-Cursor')).not.toBeNull();
    expect((second.body as { id: number }[])[0]!.id).toBe(fake.store().users[2]!.id);
  });
});
