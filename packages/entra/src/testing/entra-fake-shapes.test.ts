import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceTenant } from '@claude-idp/core/testing';
import approleassignedto from '../__fixtures__/entra-approleassignedto.json';
import batchResponse from '../__fixtures__/entra-batch-response.json';
import cmp from '../__fixtures__/entra-claims-mapping-policy.json';
import claimsGet from '../__fixtures__/entra-custom-claims-policy-get.json';
import claimsSaml from '../__fixtures__/entra-custom-claims-policy-saml.json';
import error400 from '../__fixtures__/entra-error-400.json';
import error403 from '../__fixtures__/entra-error-403.json';
import errorAdvancedOperator from '../__fixtures__/entra-error-advanced-operator.json';
import errorSearch from '../__fixtures__/entra-error-search-consistency.json';
import errorUnsupportedFilter from '../__fixtures__/entra-error-unsupported-filter.json';
import groupMembers from '../__fixtures__/entra-group-members.json';
import groups from '../__fixtures__/entra-groups-list.json';
import guests from '../__fixtures__/entra-guest-users.json';
import servicePrincipal from '../__fixtures__/entra-service-principal.json';
import servicePrincipalsList from '../__fixtures__/entra-service-principals-list.json';
import jobs from '../__fixtures__/entra-synchronization-jobs.json';
import schema from '../__fixtures__/entra-synchronization-schema.json';
import user from '../__fixtures__/entra-user.json';
import { createEntraFake } from './index';

type Json = unknown;

/** Every fixture element of an array merged into one (the union of their fields), or the one with the same @odata.type. */
function elementOf(fixture: Json[], actual: Json): Json {
  if (fixture.every((f) => f === null || typeof f !== 'object')) return fixture[0];
  const typeOf = (x: Json) => (x as { '@odata.type'?: string } | null)?.['@odata.type'];
  const same = typeOf(actual) ? fixture.filter((f) => typeOf(f) === typeOf(actual)) : [];
  return (same.length ? same : fixture).reduce<Record<string, Json>>(
    (acc, f) => (f && typeof f === 'object' && !Array.isArray(f) ? merge(acc, f as Record<string, Json>) : acc),
    {},
  );
}

function merge(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v)
        ? merge(prev as Record<string, Json>, v as Record<string, Json>)
        : (prev ?? v);
  }
  return out;
}

/** Field names and JSON types the fake emits that the vendor's example does not have. */
function unknownFields(actual: Json, fixture: Json, path = '$'): string[] {
  if (actual === null || fixture === null || fixture === undefined) return [];
  if (Array.isArray(actual)) {
    if (!Array.isArray(fixture)) return [`${path}: array, fixture has ${typeof fixture}`];
    return fixture.length ? actual.flatMap((a, i) => unknownFields(a, elementOf(fixture, a), `${path}[${i}]`)) : [];
  }
  if (typeof actual === 'object') {
    if (typeof fixture !== 'object' || Array.isArray(fixture))
      return [`${path}: object, fixture has ${Array.isArray(fixture) ? 'array' : typeof fixture}`];
    return Object.entries(actual as Record<string, Json>).flatMap(([k, v]) =>
      k in (fixture as object)
        ? unknownFields(v, (fixture as Record<string, Json>)[k], `${path}.${k}`)
        : [`${path}.${k}: not in the vendor's example`],
    );
  }
  return typeof actual === typeof fixture ? [] : [`${path}: ${typeof actual}, fixture has ${typeof fixture}`];
}

const envelope = { '@odata.context': '', '@odata.count': 0, '@odata.nextLink': '' };

describe("entra fake: answers use Graph's own shapes (src/__fixtures__)", () => {
  const fake = createEntraFake(conformanceTenant(), { pageSizeCap: 2 });
  const server = setupServer(...fake.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const auth = { authorization: 'Bearer fake-graph-token', ConsistencyLevel: 'eventual' };
  const get = async (path: string) =>
    (await fetch(`${fake.baseUrl}${path}`, { headers: auth })).json() as Promise<Record<string, Json>>;
  const sp = fake.appId;
  const job = String(fake.store.jobs.get(sp)![0]!.id);
  const userIds = fake.store.users.map((u) => u.id);
  const select = Object.keys(fake.store.users[0]!).join(',');

  const cases: [string, () => Promise<Json>, Json][] = [
    [
      'servicePrincipals (list)',
      () => get(`/v1.0/servicePrincipals?$filter=displayName eq 'Claude'`),
      { ...envelope, value: [servicePrincipal] },
    ],
    [
      'servicePrincipal (list example keys)',
      async () =>
        (
          await get(
            `/v1.0/servicePrincipals?$select=id,appId,displayName,accountEnabled,appRoleAssignmentRequired,tags`,
          )
        ).value,
      servicePrincipalsList.value,
    ],
    [
      'appRoleAssignedTo',
      () => get(`/v1.0/servicePrincipals/${sp}/appRoleAssignedTo?$count=true`),
      { ...envelope, ...approleassignedto },
    ],
    [
      'groups',
      () => get(`/v1.0/groups?$filter=startswith(displayName,'anthropic-')&$count=true`),
      { ...envelope, ...groups },
    ],
    [
      'group members (users and nested groups)',
      () => get(`/v1.0/groups/${fake.graphId('group', 'g02')}/members?$select=${select}&$count=true`),
      { ...envelope, value: [...groupMembers.value, user, groups.value[0]] },
    ],
    [
      'users by id',
      () => get(`/v1.0/users?$filter=id in ('${userIds[0]}')&$select=${select}`),
      { ...envelope, value: [user, ...guests.value] },
    ],
    ['user', () => get(`/v1.0/users/${userIds[0]}?$select=${select}`), { ...user, '@odata.context': '' }],
    [
      'beta claimsPolicy',
      () => get(`/beta/servicePrincipals/${sp}/claimsPolicy`),
      { ...claimsGet, claims: claimsSaml.claims },
    ],
    ['synchronization jobs', () => get(`/v1.0/servicePrincipals/${sp}/synchronization/jobs`), { ...envelope, ...jobs }],
    [
      'synchronization schema',
      () => get(`/v1.0/servicePrincipals/${sp}/synchronization/jobs/${job}/schema`),
      { ...schema, '@odata.context': '' },
    ],
    ['403', async () => (await fetch(`${fake.baseUrl}/v1.0/users`)).json(), error403],
    ['400 (bad $top)', () => get('/v1.0/users?$top=1000'), error400],
  ];
  for (const [name, answer, fixture] of cases) {
    it(name, async () => {
      const body = await answer();
      expect(unknownFields(body, fixture)).toEqual([]);
      expect(JSON.stringify(body).length).toBeGreaterThan(20);
    });
  }

  it('claims-mapping policies', async () => {
    const cmpFake = createEntraFake(conformanceTenant(), { claims: 'claimsMappingPolicy' });
    server.use(...cmpFake.handlers);
    const body = await get(`/v1.0/servicePrincipals/${cmpFake.appId}/claimsMappingPolicies`);
    expect(body.value).toHaveLength(1);
    expect(unknownFields(body, { ...envelope, value: [cmp] })).toEqual([]);
  });

  it('$batch', async () => {
    const res = await fetch(`${fake.baseUrl}/v1.0/$batch`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/servicePrincipals/${sp}/appRoleAssignedTo` },
          { id: '2', method: 'GET', url: '/groups/00000000-0000-0000-0000-000000000000/members' },
        ],
      }),
    });
    const body = (await res.json()) as { responses: { id: string; status: number; body: Json }[] };
    expect(body.responses.map((r) => [r.id, r.status])).toEqual([
      ['1', 200],
      ['2', 404],
    ]);
    // The envelope against the batching doc's example; the item bodies against their own resources.
    expect(unknownFields({ responses: body.responses.map(({ body: _, ...r }) => r) }, batchResponse)).toEqual([]);
    expect(unknownFields(body.responses[0]!.body, { ...envelope, ...approleassignedto })).toEqual([]);
    expect(unknownFields(body.responses[1]!.body, error403)).toEqual([]);
  });

  it("advanced-query refusals carry Graph's own status, code and message (aad-advanced-queries examples)", async () => {
    const plain = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${fake.baseUrl}${path}`, {
        headers: { authorization: 'Bearer fake-graph-token', ...headers },
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const cases: [string, Record<string, string>, { error: { code: string; message: string } }, number][] = [
      ['/v1.0/users/$count', {}, error400, 400],
      [`/v1.0/users?$search="displayName:Browser"`, {}, errorSearch, 400],
      [`/v1.0/users?$filter=endsWith(userPrincipalName,'%23EXT%23@contoso.com')`, {}, errorAdvancedOperator, 400],
      [
        '/v1.0/groups?$filter=createdDateTime ge 2021-11-01&$count=true',
        { ConsistencyLevel: 'eventual' },
        errorUnsupportedFilter,
        400,
      ],
    ];
    for (const [path, headers, fixture, status] of cases) {
      const { status: got, body } = await plain(path, headers);
      expect([got, body.error.code, body.error.message]).toEqual([status, fixture.error.code, fixture.error.message]);
      expect(unknownFields(body, fixture)).toEqual([]);
    }
  });

  it('the checker catches an invented field', () => {
    expect(unknownFields({ value: [{ id: 'x', emailAddress: 'a@b' }] }, { value: [user] })).toEqual([
      "$.value[0].emailAddress: not in the vendor's example",
    ]);
    expect(unknownFields({ accountEnabled: 'yes' }, user)).toEqual(['$.accountEnabled: string, fixture has boolean']);
  });
});
