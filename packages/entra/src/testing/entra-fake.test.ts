import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conformanceTenant } from '@claude-idp/core/testing';
import { createEntraFake, entraGuid, entraMinimumRequests } from './index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const auth = { authorization: 'Bearer t0ken', ConsistencyLevel: 'eventual' };
function setup(options: Parameters<typeof createEntraFake>[1] = {}) {
  const fake = createEntraFake(conformanceTenant(), options);
  server.resetHandlers(...fake.handlers);
  const get = async (path: string, headers: Record<string, string> = auth) => {
    const res = await fetch(`${fake.baseUrl}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { fake, get };
}

describe('entra fake: behaves like Graph', () => {
  it('derives stable GUIDs from generic ids', () => {
    const a = createEntraFake(conformanceTenant());
    const b = createEntraFake(conformanceTenant());
    expect(a.appId).toBe(b.appId);
    expect(a.graphId('user', 'u01')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entraGuid('x', '1')).not.toBe(entraGuid('x', '2'));
  });

  it('answers 401 InvalidAuthenticationToken without a bearer token', async () => {
    const { get } = setup();
    const { status, body } = await get('/v1.0/users', {});
    expect(status).toBe(401);
    expect(body.error.code).toBe('InvalidAuthenticationToken');
  });

  it('pages with $top (default 100, at most 999) and $skiptoken next links that keep the query', async () => {
    const { get } = setup();
    expect((await get('/v1.0/users?$top=1000')).status).toBe(400);
    const first = await get('/v1.0/users?$select=id,mail&$top=5');
    expect(first.body.value).toHaveLength(5);
    expect(Object.keys(first.body.value[0])).toEqual(['id', 'mail']);
    expect(first.body['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users(id,mail)');
    const next = new URL(first.body['@odata.nextLink']);
    expect(next.search).toMatch(/^\?\$select=id,mail&\$top=5&\$skiptoken=/);
    const rest = await get(`${next.pathname}${next.search}`);
    expect(rest.body.value.map((u: { id: string }) => u.id)).not.toContain(first.body.value[0].id);
  });

  it('gives @odata.count on the first page only with ConsistencyLevel: eventual, as Graph does', async () => {
    const { get } = setup({ pageSizeCap: 2 });
    const counted = await get('/v1.0/users?$count=true');
    expect(counted.body['@odata.count']).toBe(13);
    const ignored = await get('/v1.0/users?$count=true', { authorization: 'Bearer t0ken' });
    expect(ignored.body['@odata.count']).toBeUndefined();
    const next = new URL(counted.body['@odata.nextLink']);
    expect((await get(`${next.pathname}${next.search}`)).body['@odata.count']).toBeUndefined();
  });

  it('filters: startswith (case-insensitive), eq, id in (at most 15); endsWith only in advanced queries (Request_UnsupportedQuery)', async () => {
    const { get, fake } = setup();
    const groups = await get(`/v1.0/groups?$filter=startswith(displayName,'ANTHROPIC-')`);
    expect(groups.body.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
    const sp = await get(`/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${fake.applicationId}'`)}`);
    expect(sp.body.value.map((s: { id: string }) => s.id)).toEqual([fake.appId]);
    const ids = fake.store.users.map((u) => `'${u.id}'`);
    expect((await get(`/v1.0/users?$filter=id in (${ids.slice(0, 3).join(',')})`)).body.value).toHaveLength(3);
    const tooMany = await get(`/v1.0/users?$filter=id in (${[...ids, ...ids].slice(0, 16).join(',')})`);
    expect(tooMany.status).toBe(400);
    expect((await get(`/v1.0/users?$filter=endswith(mail,'x')`)).body.error.code).toBe('Request_UnsupportedQuery');
  });

  it('lists direct members only, each with its @odata.type', async () => {
    const { get, fake } = setup();
    const { body } = await get(`/v1.0/groups/${fake.graphId('group', 'g02')}/members?$select=id,displayName`);
    const types = body.value.map((m: Record<string, string>) => m['@odata.type']);
    expect(types.filter((t: string) => t === '#microsoft.graph.group')).toHaveLength(1);
    expect(types.filter((t: string) => t === '#microsoft.graph.user')).toHaveLength(5);
    expect(body.value.map((m: { id: string }) => m.id)).not.toContain(fake.graphId('user', 'u13'));
  });

  it('serves no claims policy (404) when claims are left at Entra defaults', async () => {
    const tenant = conformanceTenant();
    tenant.app.sso = { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'login', emailAttribute: 'email' };
    const fake = createEntraFake(tenant, { claims: 'none' });
    server.resetHandlers(...fake.handlers);
    const res = await fetch(`${fake.baseUrl}/beta/servicePrincipals/${fake.appId}/claimsPolicy`, { headers: auth });
    expect(res.status).toBe(404);
    expect(() => createEntraFake(conformanceTenant(), { claims: 'none' })).toThrow(/defaults/);
  });

  it('$batch: at most 20 items, unique ids, items answered with their own status', async () => {
    const { fake } = setup();
    const post = (requests: unknown[]) =>
      fetch(`${fake.baseUrl}/v1.0/$batch`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
    const items = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/users?$top=1' }));
    expect((await post(items)).status).toBe(400);
    expect((await post([items[0], items[0]])).status).toBe(400);
    const ok = (await (await post(items.slice(0, 20))).json()) as { responses: { status: number }[] };
    expect(ok.responses).toHaveLength(20);
    expect(fake.kit.requests).toHaveLength(3);
    expect(fake.batchKit.requests).toHaveLength(20);
  });

  it('$batch items follow the same rules; what a batch cannot carry (dependsOn, a text/plain /$count) is a 501 item', async () => {
    const { fake } = setup();
    const post = async (requests: unknown[]) => {
      const res = await fetch(`${fake.baseUrl}/v1.0/$batch`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      return (
        (await res.json()) as { responses: { id: string; status: number; body: { error?: { message: string } } }[] }
      ).responses;
    };
    const answers = await post([
      { id: '1', method: 'GET', url: '/users?$select=id&$orderby=displayName' },
      { id: '2', method: 'GET', url: '/users/$count', headers: { ConsistencyLevel: 'eventual' } },
      { id: '3', method: 'GET', url: '/users?$top=1', dependsOn: ['1'] },
      {
        id: '4',
        method: 'PATCH',
        url: `/users/${fake.graphId('user', 'u01')}`,
        body: {},
        headers: { 'content-type': 'application/json' },
      },
      { id: '5', method: 'GET', url: '/users?$select=id&$orderby=shoeSize' },
    ]);
    expect(answers.map((a) => [a.id, a.status])).toEqual([
      ['1', 200],
      ['2', 501],
      ['3', 501],
      ['4', 501],
      ['5', 400],
    ]);
    expect(answers[1]!.body.error!.message).toMatch(/\/users\/\$count inside \$batch/);
    expect(answers[2]!.body.error!.message).toMatch(/dependsOn/);
  });

  it('shows a change made with update() on the very next request', async () => {
    const { get, fake } = setup();
    const id = fake.graphId('user', 'u02');
    expect((await get(`/v1.0/users/${id}?$select=accountEnabled`)).body.accountEnabled).toBe(true);
    fake.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    expect((await get(`/v1.0/users/${id}?$select=accountEnabled`)).body.accountEnabled).toBe(false);
  });

  it('exposes env that points the adapter at it, with no secret of value', () => {
    const { fake } = setup({ baseUrl: 'http://127.0.0.1:4010' });
    expect(fake.env).toEqual({
      ENTRA_GRAPH_URL: 'http://127.0.0.1:4010',
      ENTRA_ACCESS_TOKEN: 'fake-graph-token',
      ENTRA_TENANT_ID: fake.tenantId,
      ENTRA_APP_ID: fake.appId,
    });
  });

  it('minimum requests grow with the groups to read and the pages they need', () => {
    const small = conformanceTenant();
    const big = conformanceTenant();
    for (let i = 0; i < 60; i++)
      big.groups.push({ id: `x${i}`, name: `anthropic-team-${i}`, memberUserIds: ['u01'], memberGroupIds: [] });
    big.groups[0]!.memberUserIds = Array.from({ length: 2500 }, (_, i) => `p${i}`);
    expect(entraMinimumRequests(small)).toBe(5);
    expect(entraMinimumRequests(big)).toBeGreaterThan(entraMinimumRequests(small));
  });
});
