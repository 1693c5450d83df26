import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '@claude-idp/core';
import { deletedCheck, expectShape, inviteCheck, listCheck, organizationCheck, userCheck } from '../anthropic-schemas';
import { consoleMembers, ORG, setup, useMswServer } from '../__support__/anthropic-test-support';

const server = useMswServer();
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/anthropic-${name}.json`, import.meta.url), 'utf8')) as unknown;

/** The shape of a JSON value: keys and value types at every depth (arrays by their first item). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return [v.length ? shape(v[0]) : 'empty'];
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  return v === null ? 'string|null' : typeof v === 'string' ? 'string|null' : typeof v;
}

const KEY = {
  'x-api-key': 'sk-ant-admin01-fake-key-of-no-value',
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};
async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = KEY) {
  const res = await fetch(`https://api.anthropic.com${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("the fake answers in the API reference's shapes (src/__fixtures__)", () => {
  it("every fixture passes the client's payload checks", () => {
    expect(() => expectShape(fixture('users-list'), listCheck(userCheck), 'users')).not.toThrow();
    expect(() => expectShape(fixture('invites-list'), listCheck(inviteCheck), 'invites')).not.toThrow();
    expect(() => expectShape(fixture('user'), userCheck, 'user')).not.toThrow();
    expect(() => expectShape(fixture('invite'), inviteCheck, 'invite')).not.toThrow();
    expect(() => expectShape(fixture('organization'), organizationCheck, 'me')).not.toThrow();
    expect(() => expectShape(fixture('user-deleted'), deletedCheck('user_deleted'), 'user')).not.toThrow();
    expect(() => expectShape(fixture('invite-deleted'), deletedCheck('invite_deleted'), 'invite')).not.toThrow();
    expect(() => expectShape({ ...(fixture('user') as object), role: 7 }, userCheck, 'user')).toThrow(/role: a string/);
  });

  it('lists, gets, updates, invites and deletes exactly as the fixtures show', async () => {
    const { fake } = setup(server, consoleMembers());
    const di = fake.store.userByEmail('di.user@acme.example')!.id;
    const answers = {
      'users-list': await raw('GET', '/v1/organizations/users?limit=2'),
      user: await raw('POST', `/v1/organizations/users/${di}`, { role: 'developer' }),
      'invites-list': await raw('GET', '/v1/organizations/invites'),
      invite: await raw('POST', '/v1/organizations/invites', { email: 'new@acme.example', role: 'user' }),
      organization: await raw('GET', '/v1/organizations/me'),
      'user-deleted': await raw('DELETE', `/v1/organizations/users/${di}`),
    };
    const inviteId = answers.invite.body.id as string;
    const all = {
      ...answers,
      'invite-deleted': await raw('DELETE', `/v1/organizations/invites/${inviteId}`),
      'error-not-found': await raw('GET', '/v1/organizations/users/user_nope'),
    };
    for (const [name, answer] of Object.entries(all)) {
      expect({ name, shape: shape(answer.body) }).toEqual({ name, shape: shape(fixture(name)) });
    }
    expect(all['error-not-found'].status).toBe(404);
    expect(answers.organization.body.id).toBe(ORG);
    const created = answers.invite.body as { invited_at: string; expires_at: string; status: string };
    expect(Date.parse(created.expires_at) - Date.parse(created.invited_at)).toBe(21 * 86_400_000);
  });

  it('pages with after_id, before_id and limit, and validates limit', async () => {
    setup(server, consoleMembers());
    const p1 = await raw('GET', '/v1/organizations/users?limit=3');
    expect(p1.body).toMatchObject({ has_more: true });
    const ids = (p1.body.data as Array<{ id: string }>).map((u) => u.id);
    expect(p1.body.first_id).toBe(ids[0]);
    expect(p1.body.last_id).toBe(ids[2]);
    const p2 = await raw('GET', `/v1/organizations/users?limit=3&after_id=${ids[2]}`);
    const back = await raw(
      'GET',
      `/v1/organizations/users?limit=3&before_id=${(p2.body.data as Array<{ id: string }>)[0]!.id}`,
    );
    expect((back.body.data as Array<{ id: string }>).map((u) => u.id)).toEqual(ids);
    expect(back.body.has_more).toBe(false);
    const last = await raw('GET', `/v1/organizations/users?limit=1000&after_id=${p2.body.last_id as string}`);
    expect(last.body.has_more).toBe(false);
    for (const limit of ['0', '1001', 'ten'])
      expect((await raw('GET', `/v1/organizations/users?limit=${limit}`)).status).toBe(400);
    expect((await raw('GET', '/v1/organizations/users?email=BO.DEV@acme.example')).body.data).toHaveLength(1);
  });
});

describe("the fake enforces the API's rules in its error shape", () => {
  it('admin cannot be granted, and holders of admin can be neither re-roled nor removed', async () => {
    const { fake } = setup(server, consoleMembers());
    const ada = fake.store.userByEmail('ada.admin@acme.example')!.id;
    const ed = fake.store.userByEmail('ed.user@acme.example')!.id;
    const refusals = [
      await raw('POST', `/v1/organizations/users/${ed}`, { role: 'admin' }),
      await raw('POST', '/v1/organizations/invites', { email: 'x@acme.example', role: 'admin' }),
      await raw('POST', `/v1/organizations/users/${ada}`, { role: 'user' }),
      await raw('DELETE', `/v1/organizations/users/${ada}`),
      await raw('POST', `/v1/organizations/users/${ed}`, { role: 'managed' }), // an Enterprise-only role
    ];
    for (const r of refusals) {
      expect(r.status).toBe(400);
      expect(shape(r.body)).toEqual(shape(fixture('error-invalid-request')));
      expect(r.body.type).toBe('error');
      expect((r.body.error as { type: string }).type).toBe('invalid_request_error');
    }
    expect(fake.store.userByEmail('ada.admin@acme.example')!.role).toBe('admin');
    expect(fake.store.userByEmail('ed.user@acme.example')!.role).toBe('user');
  });

  it('an Enterprise org accepts only user and managed', async () => {
    const { fake } = setup(
      server,
      [
        { email: 'o@acme.example', role: 'owner', status: 'active' },
        { email: 'u@acme.example', role: 'user', status: 'active' },
      ],
      { orgKind: 'enterprise' },
    );
    const u = fake.store.userByEmail('u@acme.example')!.id;
    expect((await raw('POST', `/v1/organizations/users/${u}`, { role: 'developer' })).status).toBe(400);
    expect((await raw('POST', `/v1/organizations/users/${u}`, { role: 'managed' })).status).toBe(200);
    expect(
      (await raw('DELETE', `/v1/organizations/users/${fake.store.userByEmail('o@acme.example')!.id}`)).status,
    ).toBe(400);
  });

  it('refuses without a key (401 authentication_error), and throttles with retry-after in rate_limit_error', async () => {
    const { fake } = setup(server, consoleMembers(), { throttleRetryAfterSeconds: 3 });
    const anon = await raw('GET', '/v1/organizations/users', undefined, { 'anthropic-version': '2023-06-01' });
    expect(anon.status).toBe(401);
    expect((anon.body.error as { type: string }).type).toBe('authentication_error');
    fake.kit.inject({ fault: { type: 'throttle' } });
    const res = await fetch('https://api.anthropic.com/v1/organizations/users', { headers: KEY });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(shape(await res.json())).toEqual(shape(fixture('error-rate-limit')));
  });

  it('keeps deleted and accepted invites as history, and refuses to delete them again', async () => {
    const { fake } = setup(server, consoleMembers());
    const hal = fake.invites()[0]!.id;
    fake.acceptInvite('hal.invited@acme.example');
    expect(fake.invites()[0]!.status).toBe('accepted');
    expect(fake.store.userByEmail('hal.invited@acme.example')!.role).toBe('developer');
    expect((await raw('DELETE', `/v1/organizations/invites/${hal}`)).status).toBe(400);
    expect(
      (await raw('POST', '/v1/organizations/invites', { email: 'hal.invited@acme.example', role: 'user' })).status,
    ).toBe(400);
  });

  it("is reachable through the client's endpoint layer, whose errors keep the vendor type", async () => {
    const { fake, client } = setup(server, consoleMembers());
    const ed = fake.store.userByEmail('ed.user@acme.example')!.id;
    const error = await client.endpoints.updateUserRole(ed, 'admin').catch((e: unknown) => e);
    expect(ApiCallError.isInstance(error) && error.status).toBe(400);
    expect((error as ApiCallError).responseBody).toContain('invalid_request_error');
    expect(await client.endpoints.removeUser('user_gone')).toBeNull(); // 404 on delete: already gone
  });
});
