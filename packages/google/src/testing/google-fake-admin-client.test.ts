import { admin, auth, type admin_directory_v1 } from '@googleapis/admin';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conformanceTenant } from '@claude-idp/core/testing';
import { userListParams } from '../google-lists';
import { createGoogleFake } from './index';

/**
 * The fake driven by Google's own Directory client (`@googleapis/admin`), as a user's
 * integration test would: every list and get the Google adapter calls with the parameters it
 * sends, the documented query grammar, ordering and `userKey`, and what the fake does not
 * model failing loudly instead of answering 200 with unfiltered data.
 */
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(pageSizeCap?: number) {
  const tenant = conformanceTenant();
  tenant.users[0]!.aliases = ['ada@acme.example'];
  const fake = createGoogleFake(tenant, { pageSizeCap });
  server.resetHandlers(...fake.handlers);
  const oauth = new auth.OAuth2();
  oauth.setCredentials({ access_token: fake.accessToken });
  // The client's default transport (gaxios on node-fetch), which msw intercepts; no retries, so a refusal shows at once.
  const directory = admin({ version: 'directory_v1', auth: oauth, retry: false });
  return { fake, directory };
}

/** Every page of a list, passing nextPageToken back as pageToken. */
async function all<T>(page: (pageToken: string | undefined) => Promise<{ data: object }>, key: string): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const data = (await page(token)).data as Record<string, unknown> & { nextPageToken?: string | null };
    out.push(...((data[key] as T[] | undefined) ?? []));
    token = data.nextPageToken ?? undefined;
  } while (token);
  return out;
}

/** The HTTP status and Google error JSON a call fails with. */
async function failure(
  call: Promise<unknown>,
): Promise<{ status: number; body: { error: { code: number; message: string; errors: { reason: string }[] } } }> {
  const error = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { status?: number; response?: { status: number; data: never } } | null;
  expect(error?.response).toBeDefined();
  return { status: error!.response!.status, body: error!.response!.data };
}

const emails = (users: admin_directory_v1.Schema$User[]) => users.map((u) => u.primaryEmail);
const q = (directory: admin_directory_v1.Admin, query: string) =>
  directory.users
    .list({ customer: 'my_customer', query, fields: 'users(primaryEmail)' })
    .then((r) => emails(r.data.users ?? []).sort());

describe('google fake through @googleapis/admin: what the adapter reads', () => {
  it('users.list: pages of the adapter mask, the org-unit cross-check and custom-schema projection', async () => {
    const { directory } = setup(4);
    const params = userListParams([]);
    const users = await all<admin_directory_v1.Schema$User>(
      (pageToken) => directory.users.list({ customer: 'my_customer', maxResults: 500, pageToken, ...params }),
      'users',
    );
    expect(users).toHaveLength(13);
    expect(Object.keys(users[0]!).sort()).toEqual([
      'aliases',
      'archived',
      'customerId',
      'id',
      'nonEditableAliases',
      'orgUnitPath',
      'primaryEmail',
      'suspended',
    ]);
    const ou = await all<admin_directory_v1.Schema$User>(
      (pageToken) =>
        directory.users.list({
          customer: 'my_customer',
          maxResults: 500,
          pageToken,
          fields: 'nextPageToken,users(id,orgUnitPath)',
          query: "orgUnitPath='/Claude'",
        }),
      'users',
    );
    expect(ou.map((u) => u.orgUnitPath)).toEqual(['/Claude', '/Claude']);
    const custom = userListParams(['customSchemas.Employment.costCenter']);
    const withSchemas = await directory.users.list({ customer: 'my_customer', maxResults: 500, ...custom });
    expect(withSchemas.data.users).toHaveLength(4);
  });

  it('groups.list with the two prefix queries, groups.get, and members.list paged with its mask', async () => {
    const { directory } = setup(2);
    const fields = 'nextPageToken,groups(id,email,name,directMembersCount,aliases,nonEditableAliases)';
    const byEmail = await all<admin_directory_v1.Schema$Group>(
      (pageToken) =>
        directory.groups.list({
          customer: 'my_customer',
          maxResults: 200,
          pageToken,
          query: 'email:anthropic-*',
          fields,
        }),
      'groups',
    );
    const byName = await all<admin_directory_v1.Schema$Group>(
      (pageToken) =>
        directory.groups.list({
          customer: 'my_customer',
          maxResults: 200,
          pageToken,
          query: 'name:anthropic-*',
          fields,
        }),
      'groups',
    );
    expect(byEmail.map((g) => g.name).sort()).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
    expect(byName.map((g) => g.id).sort()).toEqual(byEmail.map((g) => g.id).sort());
    const group = (
      await directory.groups.get({
        groupKey: 'anthropic-claudeai-468ca80f-user@acme.example',
        fields: 'id,email,name,directMembersCount,aliases,nonEditableAliases',
      })
    ).data;
    expect(group.directMembersCount).toBe('6');
    const members = await all<admin_directory_v1.Schema$Member>(
      (pageToken) =>
        directory.members.list({
          groupKey: group.id!,
          maxResults: 200,
          pageToken,
          includeDerivedMembership: false,
          fields: 'nextPageToken,members(id,email,type,status)',
        }),
      'members',
    );
    expect(members).toHaveLength(6);
    expect(members.map((m) => `${m.type}:${m.email}:${m.status ?? '-'}`).sort()).toEqual([
      'GROUP:contractors@acme.example:-',
      'USER:Margaret.Hamilton@acme.example:ACTIVE',
      'USER:alan.turing@acme.example:ACTIVE',
      'USER:edsger.dijkstra@acme.example:SUSPENDED',
      'USER:grace.hopper@acme.example:ACTIVE',
      'USER:zoe.muller@acme.example:ACTIVE',
    ]);
  });
});

describe('google fake through @googleapis/admin: documented parameters it serves', () => {
  it('the users query grammar: fields, operators, quoted values, prefixes, booleans and free text', async () => {
    const { directory } = setup();
    expect(await q(directory, 'givenName:Ada')).toEqual(['ada.lovelace@acme.example']);
    expect(await q(directory, "name:'Alan Turing'")).toEqual(['alan.turing@acme.example']);
    expect(await q(directory, "name='grace hopper'")).toEqual(['grace.hopper@acme.example']);
    expect(await q(directory, 'familyName:Tor*')).toEqual(['linus.torvalds@acme.example']);
    expect(await q(directory, 'email:ken*')).toEqual(['ken.thompson@acme.example']);
    expect(await q(directory, 'isSuspended=true')).toEqual([
      'edsger.dijkstra@acme.example',
      'frances.allen@acme.example',
    ]);
    expect(await q(directory, 'isAdmin=true')).toEqual([]);
    expect(await q(directory, "isSuspended=false orgUnitPath='/Claude'")).toEqual([
      'Margaret.Hamilton@acme.example',
      'ken.thompson@acme.example',
    ]);
    expect(await q(directory, 'perlman')).toEqual(['radia.perlman@acme.example']);
  });

  it('orderBy email | familyName | givenName with sortOrder; groups by email', async () => {
    const { directory } = setup();
    const sorted = async (orderBy: string, sortOrder?: string) =>
      emails(
        (
          await directory.users.list({
            customer: 'my_customer',
            orderBy,
            sortOrder,
            maxResults: 3,
            fields: 'users(primaryEmail)',
          })
        ).data.users ?? [],
      );
    expect(await sorted('familyName')).toEqual([
      'frances.allen@acme.example',
      'edsger.dijkstra@acme.example',
      'Margaret.Hamilton@acme.example',
    ]);
    expect(await sorted('givenName', 'DESCENDING')).toEqual([
      'zoe.muller@acme.example',
      'unrelated.person@acme.example',
      'radia.perlman@acme.example',
    ]);
    expect(await sorted('email')).toEqual([
      'ada.lovelace@acme.example',
      'alan.turing@acme.example',
      'barbara.liskov@acme.example',
    ]);
    const groups =
      (
        await directory.groups.list({
          customer: 'my_customer',
          orderBy: 'email',
          sortOrder: 'DESCENDING',
          fields: 'groups(email)',
        })
      ).data.groups ?? [];
    expect(groups.map((g) => g.email)).toEqual([
      'sales@acme.example',
      'engineering@acme.example',
      'contractors@acme.example',
      'anthropic-console-9f2c1d7e-developer@acme.example',
      'anthropic-claudeai-468ca80f-user@acme.example',
      'anthropic-claudeai-468ca80f-owner@acme.example',
    ]);
    const bad = await failure(directory.users.list({ customer: 'my_customer', orderBy: 'lastLoginTime' }));
    expect([bad.status, bad.body.error.message]).toEqual([400, 'Invalid Input']);
  });

  it('groups.list({ userKey }): the groups the user is a direct member of; not together with customer', async () => {
    const { directory, fake } = setup();
    const of = async (userKey: string) =>
      ((await directory.groups.list({ userKey, fields: 'groups(name)' })).data.groups ?? []).map((g) => g.name).sort();
    expect(await of('ada.lovelace@acme.example')).toEqual(['Engineering', 'anthropic-claudeai-468ca80f-owner']);
    expect(await of('radia.perlman@acme.example')).toEqual(['Contractors']);
    const byMemberKey = async (memberKey: string) =>
      (
        (
          await directory.groups.list({
            customer: 'my_customer',
            query: `memberKey=${memberKey}`,
            fields: 'groups(name)',
          })
        ).data.groups ?? []
      )
        .map((g) => g.name)
        .sort();
    expect(await byMemberKey('ADA@acme.example')).toEqual(['Engineering', 'anthropic-claudeai-468ca80f-owner']);
    expect(await byMemberKey('contractors@acme.example')).toEqual(['anthropic-claudeai-468ca80f-user']);
    expect(
      (
        await failure(
          directory.groups.list({ customer: 'my_customer', query: 'memberKey=ada.lovelace@acme.example name:Eng*' }),
        )
      ).status,
    ).toBe(400);
    const ada = (await directory.users.get({ userKey: 'ada.lovelace@acme.example' })).data;
    expect(await of(ada.id!)).toEqual(['Engineering', 'anthropic-claudeai-468ca80f-owner']);
    expect(
      (await failure(directory.groups.list({ userKey: 'ada.lovelace@acme.example', customer: 'my_customer' }))).status,
    ).toBe(400);
    const member = (await directory.members.get({ groupKey: 'engineering@acme.example', memberKey: ada.id! })).data;
    expect([member.email, member.role, fake.customerId.startsWith('C')]).toEqual([
      'ada.lovelace@acme.example',
      'MEMBER',
      true,
    ]);
  });
});

describe('google fake through @googleapis/admin: never 200 for what it does not model', () => {
  it('an unparseable users query is 400 Invalid Input, as Google answers', async () => {
    const { directory } = setup();
    const bad = await failure(directory.users.list({ customer: 'my_customer', query: 'isAdmin:yes' }));
    expect(bad).toEqual({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'Invalid Input',
          errors: [{ domain: 'global', reason: 'invalid', message: 'Invalid Input' }],
        },
      },
    });
  });

  it('a fields mask naming a field the resource does not have is 400 invalidParameter', async () => {
    const { directory } = setup();
    const bad = await failure(
      directory.users.list({ customer: 'my_customer', fields: 'nextPageToken,users(id,shoeSize)' }),
    );
    expect([bad.status, bad.body.error.errors[0]!.reason, bad.body.error.message]).toEqual([
      400,
      'invalidParameter',
      'Invalid field selection users/shoeSize',
    ]);
    expect(
      (
        await directory.users.list({
          customer: 'my_customer',
          fields: 'users(id,name/givenName,isEnrolledIn2Sv)',
          maxResults: 1,
        })
      ).data.users,
    ).toHaveLength(1);
  });

  it('parameters, query fields and paths the fake does not model are a 501 naming them', async () => {
    const { directory } = setup();
    const cases: [Promise<unknown>, RegExp][] = [
      [directory.users.list({ customer: 'my_customer', viewType: 'domain_public' }), /viewType=domain_public/],
      [directory.users.list({ customer: 'my_customer', event: 'add' }), /event/],
      [directory.users.list({ customer: 'my_customer', showDeleted: 'true' }), /showDeleted/],
      [directory.users.list({ customer: 'my_customer', query: 'orgTitle:Engineer' }), /orgTitle/],
      [
        directory.users.list({ customer: 'my_customer', foo: 'bar' } as admin_directory_v1.Params$Resource$Users$List),
        /'foo'/,
      ],
      [directory.customers.get({ customerKey: 'my_customer' }), /customers\/my_customer/],
      [
        directory.members.hasMember({ groupKey: 'engineering@acme.example', memberKey: 'ada.lovelace@acme.example' }),
        /hasMember/,
      ],
      [directory.orgunits.list({ customerId: 'my_customer' }), /orgunits/],
      [directory.users.list({ customer: 'my_customer', pageToken: 'Q0FFUUFB' }), /pageToken/],
    ];
    for (const [call, named] of cases) {
      const { status, body } = await failure(call);
      expect(status).toBe(501);
      expect(body.error.message).toMatch(named);
    }
  });
});
