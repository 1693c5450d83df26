import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  PageIterator,
  ResponseType,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createEntraFake, type EntraFakeOptions } from './index';

/**
 * The fake driven by Microsoft's own Graph client (`@microsoft/microsoft-graph-client`), as a
 * user's integration test would: every endpoint and query the Entra adapter sends, the queries
 * Graph supports by default, and what the fake does not model failing loudly instead of
 * answering 200 with unfiltered data.
 */
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(options: EntraFakeOptions = {}, tenant: GenericTenant = conformanceTenant()) {
  const fake = createEntraFake(tenant, options);
  server.resetHandlers(...fake.handlers);
  // The client's default chain ends in the global fetch, which msw intercepts.
  const client = Client.init({ authProvider: (done) => done(null, 'fake-graph-token'), defaultVersion: 'v1.0' });
  return { fake, client };
}

/** Every item of a listing through the SDK's PageIterator (it follows @odata.nextLink). */
async function all<T>(client: Client, first: PageCollection, headers?: Record<string, string>): Promise<T[]> {
  const out: T[] = [];
  const it = new PageIterator(client, first, (x: T) => (out.push(x), true), headers ? { headers } : undefined);
  await it.iterate();
  return out;
}

/** The GraphError a call fails with. */
async function failure(call: Promise<unknown>): Promise<GraphError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

const eventual = { ConsistencyLevel: 'eventual' };
const names = (xs: { displayName?: string }[]) => xs.map((x) => x.displayName).sort();

describe('entra fake through @microsoft/microsoft-graph-client: what the adapter reads', () => {
  it('finds the service principal by appId, by display name, by object id and as servicePrincipals(appId=…)', async () => {
    const { fake, client } = setup();
    const select = ['id', 'appId', 'displayName', 'preferredSingleSignOnMode', 'appRoleAssignmentRequired'];
    const byAppId = await client
      .api('/servicePrincipals')
      .filter(`appId eq '${fake.applicationId}'`)
      .select(select)
      .top(999)
      .get();
    expect(byAppId.value.map((s: { id: string }) => s.id)).toEqual([fake.appId]);
    expect(Object.keys(byAppId.value[0]).sort()).toEqual([...select].sort());
    const byName = await client.api('/servicePrincipals').filter("displayName eq 'Claude'").select(select).get();
    expect(byName.value).toHaveLength(1);
    const byId = await client.api(`/servicePrincipals/${fake.appId}`).select(select).get();
    expect(byId.appId).toBe(fake.applicationId);
    const alt = await client.api(`/servicePrincipals(appId='${fake.applicationId}')`).select(['id']).get();
    expect(alt.id).toBe(fake.appId);
    const assigned = await client
      .api(`/servicePrincipals(appId='${fake.applicationId}')/appRoleAssignedTo`)
      .select(['principalId'])
      .get();
    expect(assigned.value).toHaveLength(5);
    expect(
      (await failure(client.api("/servicePrincipals(appId='00000000-0000-0000-0000-000000000000')").get())).statusCode,
    ).toBe(404);
  });

  it('pages appRoleAssignedTo and group members with $top, $count and ConsistencyLevel, and the count matches', async () => {
    const { fake, client } = setup({ pageSizeCap: 2 });
    const first = await client
      .api(`/servicePrincipals/${fake.appId}/appRoleAssignedTo`)
      .select(['principalId', 'principalType', 'principalDisplayName'])
      .top(999)
      .count(true)
      .headers(eventual)
      .get();
    expect(first['@odata.count']).toBe(5);
    expect(first.value).toHaveLength(2);
    const rows = await all<{ principalType: string }>(client, first, eventual);
    expect(rows.map((r) => r.principalType).sort()).toEqual(['Group', 'Group', 'Group', 'User', 'User']);

    const group = fake.graphId('group', 'g02');
    const members = await client
      .api(`/groups/${group}/members`)
      .select(['id', 'displayName', 'userPrincipalName', 'accountEnabled'])
      .top(999)
      .count(true)
      .headers(eventual)
      .get();
    expect(members['@odata.count']).toBe(6);
    const listed = await all<Record<string, unknown>>(client, members, eventual);
    expect(listed).toHaveLength(6);
    expect(listed.filter((m) => m['@odata.type'] === '#microsoft.graph.group').map((m) => m.displayName)).toEqual([
      'Contractors',
    ]);
    expect(new Set(listed.map((m) => m.id)).size).toBe(6);
  });

  it('finds the anthropic- groups with startswith (case-insensitive) and counts them', async () => {
    const { client } = setup();
    const res = await client
      .api('/groups')
      .filter("startswith(displayName,'ANTHROPIC-')")
      .select(['id', 'displayName'])
      .top(999)
      .count(true)
      .headers(eventual)
      .get();
    expect(res['@odata.count']).toBe(3);
    expect(names(res.value)).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
  });

  it('reads users by id in (...) and refuses more than 15 values', async () => {
    const { fake, client } = setup();
    const ids = [fake.graphId('user', 'u08'), fake.graphId('user', 'u10')];
    const res = await client
      .api('/users')
      .filter(`id in (${ids.map((i) => `'${i}'`).join(',')})`)
      .select(['id', 'userPrincipalName', 'accountEnabled'])
      .top(999)
      .get();
    expect(res.value.map((u: { id: string }) => u.id).sort()).toEqual([...ids].sort());
    const many = Array.from({ length: 16 }, (_, i) => `'${fake.graphId('user', `x${i}`)}'`).join(',');
    const error = await failure(client.api('/users').filter(`id in (${many})`).get());
    expect([error.statusCode, error.code]).toEqual([400, 'Request_UnsupportedQuery']);
  });

  it('reads claims (beta claimsPolicy, claims-mapping policies) and provisioning (jobs, schema)', async () => {
    const { fake, client } = setup();
    const policy = await client.api(`/servicePrincipals/${fake.appId}/claimsPolicy`).version('beta').get();
    expect(policy.claims.length).toBeGreaterThan(0);
    const jobs = await client.api(`/servicePrincipals/${fake.appId}/synchronization/jobs`).get();
    expect(jobs.value[0].templateId).toBe('scim');
    const schema = await client
      .api(`/servicePrincipals/${fake.appId}/synchronization/jobs/${encodeURIComponent(jobs.value[0].id)}/schema`)
      .get();
    expect(schema.synchronizationRules[0].name).toBe('USER_TO_USER');
    const cmp = setup({ claims: 'claimsMappingPolicy' });
    const mapping = await cmp.client.api(`/servicePrincipals/${cmp.fake.appId}/claimsMappingPolicies`).get();
    expect(JSON.parse(mapping.value[0].definition[0]).ClaimsMappingPolicy.Version).toBe(1);
  });

  it('$batch through the SDK: each item answered with its own status, ConsistencyLevel per item', async () => {
    const { fake, client } = setup();
    // Client 3.0.7 strips only the host from a step's URL, so steps carry no version (msgraph-sdk-javascript#1451).
    const step = (id: string, path: string, headers?: Record<string, string>) => ({
      id,
      request: new Request(`https://graph.microsoft.com${path}`, { method: 'GET', headers }),
    });
    const batch = new BatchRequestContent([
      step('1', `/servicePrincipals/${fake.appId}/appRoleAssignedTo?$select=principalId&$count=true`, eventual),
      step('2', '/groups?$search="displayName:anthropic"'),
      step('3', '/groups?$search="displayName:anthropic"', eventual),
      step('4', '/users?$select=shoeSize'),
      step('5', '/v1.0/users'),
    ]);
    const res = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    const body = async (id: string) => ({
      status: res.getResponseById(id).status,
      json: (await res.getResponseById(id).json()) as Record<string, any>,
    });
    expect((await body('1')).json['@odata.count']).toBe(5);
    const noHeader = await body('2');
    expect([noHeader.status, noHeader.json.error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    expect((await body('3')).json.value).toHaveLength(3);
    expect((await body('4')).status).toBe(400);
    // As Graph answers a versioned step URL.
    expect((await body('5')).json.error.message).toBe("Resource not found for the segment 'v1.0'.");
  });
});

describe('entra fake through the Graph client: queries Graph supports by default', () => {
  const withGuest = () => {
    const t = conformanceTenant();
    t.users.find((u) => u.id === 'u12')!.guest = true;
    return t;
  };

  it('$filter on accountEnabled, userType, securityEnabled and startswith(displayName), with and / or', async () => {
    const { client } = setup({}, withGuest());
    const disabled = await client.api('/users').filter('accountEnabled eq false').select(['displayName']).get();
    expect(names(disabled.value)).toEqual(['Donald Knuth', 'Edsger Dijkstra', 'Frances Allen', 'Ken Thompson']);
    const guests = await client.api('/users').filter("userType eq 'Guest'").select(['displayName', 'userType']).get();
    expect(guests.value).toEqual([{ displayName: 'Unrelated Person', userType: 'Guest' }]);
    const both = await client
      .api('/users')
      .filter("accountEnabled eq true and (startswith(displayName,'A') or startswith(displayName,'z'))")
      .select(['displayName'])
      .get();
    expect(names(both.value)).toEqual(['Ada Lovelace', 'Alan Turing', 'Zoë Müller']);
    const security = await client.api('/groups').filter('securityEnabled eq true').select(['id']).get();
    expect(security.value).toHaveLength(6);
  });

  it('advanced-only operators (ne, not, endsWith) need ConsistencyLevel and $count, as Graph says', async () => {
    const { client } = setup();
    const error = await failure(client.api('/users').filter("endsWith(mail,'@acme.example')").get());
    expect([error.statusCode, error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    expect(error.message).toMatch(
      /^Operator 'endsWith' is not supported because the required parameters might be missing/,
    );
    const advanced = await client
      .api('/users')
      .filter('accountEnabled ne true')
      .count(true)
      .headers(eventual)
      .select(['id'])
      .get();
    expect(advanced['@odata.count']).toBe(4);
    // companyName takes eq only in advanced queries (the filter table of aad-advanced-queries).
    const company = await failure(client.api('/users').filter("companyName eq 'Acme'").get());
    expect(company.message).toMatch(/^Operator 'eq' is not supported because the required parameters might be missing/);
    const unknown = await failure(client.api('/users').filter("shoeSize eq '9'").get());
    expect([unknown.code, unknown.message]).toEqual([
      'Request_BadRequest',
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    ]);
    const notFilterable = await failure(client.api('/users').filter("aboutMe eq 'x'").get());
    expect(notFilterable.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'aboutMe' of resource 'User'.",
    );
    // A filterable property the fake does not store is not answered as if nobody matched.
    expect((await failure(client.api('/users').filter("department eq 'Sales'").get())).statusCode).toBe(501);
  });

  it('$search needs ConsistencyLevel: eventual (400 without), then matches tokens of displayName', async () => {
    const { client } = setup();
    const error = await failure(client.api('/users').search('"displayName:ada"').get());
    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    ]);
    const found = await client
      .api('/users')
      .search('"displayName:love" OR "displayName:tur"')
      .headers(eventual)
      .select(['displayName'])
      .get();
    expect(names(found.value)).toEqual(['Ada Lovelace', 'Alan Turing']);
    const groups = await client
      .api('/groups')
      .search('"displayName:claudeai" AND "displayName:owner"')
      .headers(eventual)
      .select(['displayName'])
      .get();
    expect(names(groups.value)).toEqual(['anthropic-claudeai-468ca80f-owner']);
  });

  it('$orderby displayName (by default), and with $filter only in advanced queries', async () => {
    const { client } = setup();
    const sorted = await client
      .api('/users')
      .query({ $orderBy: 'displayName desc' })
      .select(['displayName'])
      .top(3)
      .get();
    expect(sorted.value.map((u: { displayName: string }) => u.displayName)).toEqual([
      'Zoë Müller',
      'Unrelated Person',
      'Radia Perlman',
    ]);
    const error = await failure(client.api('/users').filter('accountEnabled eq true').orderby('displayName').get());
    expect([error.statusCode, error.message]).toEqual([400, 'Sorting not supported for current query.']);
    const advanced = await client
      .api('/groups')
      .filter("startswith(displayName,'anthropic-')")
      .orderby('displayName')
      .count(true)
      .headers(eventual)
      .select(['displayName'])
      .get();
    expect(advanced.value.map((g: { displayName: string }) => g.displayName)).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
  });

  it('$expand=members on groups and memberOf on users, at most 20 each, with a nested $select', async () => {
    const { fake, client } = setup();
    const group = await client
      .api(`/groups/${fake.graphId('group', 'g03')}`)
      .expand('members($select=id,displayName)')
      .select(['id', 'displayName'])
      .get();
    expect(names(group.members)).toEqual(['Ada Lovelace', 'Barbara Liskov', 'Donald Knuth', 'Frances Allen']);
    expect(group.members[0]['@odata.type']).toBe('#microsoft.graph.user');
    const user = await client
      .api(`/users/${fake.graphId('user', 'u01')}`)
      .expand('memberOf')
      .select(['id'])
      .get();
    expect(names(user.memberOf)).toEqual(['Engineering', 'anthropic-claudeai-468ca80f-owner']);
  });

  it('transitiveMembers, the /microsoft.graph.user cast and /users/$count (text/plain, ConsistencyLevel required)', async () => {
    const { fake, client } = setup();
    const g02 = fake.graphId('group', 'g02');
    const transitive = await client.api(`/groups/${g02}/transitiveMembers`).select(['id', 'displayName']).get();
    expect(names(transitive.value)).toContain('Radia Perlman');
    expect(transitive.value).toHaveLength(7);
    const users = await client.api(`/groups/${g02}/members/microsoft.graph.user`).select(['displayName']).get();
    expect(users.value).toHaveLength(5);
    expect(users['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users(displayName)');
    const count = await client.api('/users/$count').headers(eventual).responseType(ResponseType.TEXT).get();
    expect(count).toBe('13');
    const error = await failure(client.api('/users/$count').responseType(ResponseType.TEXT).get());
    expect(error.statusCode).toBe(400);
    const memberCount = await client
      .api(`/groups/${g02}/transitiveMembers/microsoft.graph.user/$count`)
      .headers(eventual)
      .responseType(ResponseType.TEXT)
      .get();
    expect(memberCount).toBe('6');
  });
});

describe('entra fake through the Graph client: never 200 for what it does not model', () => {
  it('an unknown $select property, $skip and a $skiptoken it did not issue are 400s, as Graph answers', async () => {
    const { client } = setup();
    const error = await failure(client.api('/users').select(['id', 'shoeSize']).get());
    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_BadRequest',
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    ]);
    const skip = await failure(client.api('/users').skip(5).get());
    expect([skip.statusCode, skip.message]).toEqual([400, "'$skip' is not supported by the service."]);
    const token = await failure(client.api('/users').skipToken('X%27445370740200010000%27').get());
    expect([token.statusCode, token.message]).toEqual([400, 'Invalid Skip Token']);
  });

  it('a real property, parameter, relationship or method the fake does not model is a 501 naming it', async () => {
    const { fake, client } = setup();
    const cases: [Promise<unknown>, RegExp][] = [
      [client.api('/users').select(['id', 'department']).get(), /'department'/],
      [client.api('/users').query({ foo: 'bar' }).get(), /'foo'/],
      [client.api('/groups').expand('owners').get(), /\$expand=owners/],
      [client.api('/users').filter("otherMails/any(x:x eq 'a@b.c')").get(), /lambda/],
      [client.api(`/groups/${fake.graphId('group', 'g02')}/owners`).get(), /owners/],
      [client.api('/applications').get(), /\/applications/],
      [client.api('/users').post({ displayName: 'x' }), /POST/],
    ];
    for (const [call, named] of cases) {
      const error = await failure(call);
      expect(error.statusCode).toBe(501);
      expect(error.message).toMatch(named);
    }
  });
});
