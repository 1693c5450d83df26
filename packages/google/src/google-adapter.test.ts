import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DirectorySnapshotSchema,
  IncompleteReadError,
  InputError,
  PermissionError,
  type ProgressEvent,
} from '@claude-idp/core';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { writeServiceAccountKey } from './google-test-key';
import { createGoogleAdapter, type GoogleAdapterSettings } from './index';
import { createGoogleFake, googleError, googleMinimumRequests } from './testing/index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fast = { retry: { initialDelayMs: 1, maxDelayMs: 10, budgetMs: 2_000, maxRetries: 4 }, timeoutMs: 2_000 };
function setup(t: GenericTenant = conformanceTenant(), o?: Parameters<typeof createGoogleFake>[1]) {
  const fake = createGoogleFake(t, o);
  server.resetHandlers(...fake.handlers);
  return fake;
}
/** The fake's connection without its declaration: what Google's API alone can tell. */
const bare = (fake: ReturnType<typeof setup>) => ({
  GOOGLE_API_URL: fake.baseUrl,
  GOOGLE_ACCESS_TOKEN: fake.accessToken,
});
const adapter = (fake: ReturnType<typeof setup>, s: GoogleAdapterSettings = {}) =>
  createGoogleAdapter({ env: fake.env, ...fast, ...s });
const idOf = (fake: ReturnType<typeof setup>, s: { users: { id: string; email: string | null }[] }, email: string) =>
  s.users.find((u) => u.email?.toLowerCase() === email.toLowerCase())?.id;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('without a declaration: what Google hides is reported, never guessed', () => {
  it('app.sso is null, assignments are empty and marked unavailable, groups and people are still read', async () => {
    const fake = setup();
    const s = await createGoogleAdapter({ env: bare(fake), ...fast }).readSnapshot({ app: 'Claude' });
    expect(DirectorySnapshotSchema.parse(s)).toEqual(s);
    expect(s.complete).toBe(true);
    expect(s.app).toEqual({ id: 'Claude', name: 'Claude', sso: null, scim: null });
    expect(s.assignments).toEqual({ userIds: [], groupIds: [] });
    expect(s.unavailable?.map((u) => u.check)).toEqual(['sso', 'assignments', 'scim']);
    expect(s.unavailable?.find((u) => u.check === 'assignments')?.reason).toMatch(
      /does not show which org units and groups/,
    );
    // anthropic- groups and the group nested in one; Engineering is only known from a declaration.
    // In core's code-point order (never localeCompare, whose order depends on the machine's locale).
    expect(s.groups.map((g) => g.name)).toEqual([
      'Contractors',
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'anthropic-console-9f2c1d7e-developer',
    ]);
    expect(s.users.map((u) => u.email)).toContain('radia.perlman@acme.example');
    expect(s.users.map((u) => u.email)).not.toContain('ken.thompson@acme.example');
  });
});

describe('with a declaration: the full snapshot, marked declared', () => {
  it('reads SSO settings and assignments from the declaration and people from the directory', async () => {
    const fake = setup();
    const s = await adapter(fake).readSnapshot({ app: 'Claude' });
    expect(s.app.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'emailAddress',
      nameIdSource: 'user.primaryEmail',
      emailAttribute: { name: 'email', source: 'user.primaryEmail' },
      declared: true,
    });
    expect(s.unavailable).toEqual([{ check: 'scim', reason: expect.any(String) }]);
    expect(s.assignments.userIds.sort()).toEqual(
      [idOf(fake, s, 'ken.thompson@acme.example'), idOf(fake, s, 'margaret.hamilton@acme.example')].sort(),
    );
    const names = new Map(s.groups.map((g) => [g.id, g.name]));
    expect(s.assignments.groupIds.map((id) => names.get(id))).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'Engineering',
    ]);
    expect(s.tenant).toBe(fake.customerId);
    expect(s.nesting).toBe('transitive');
  });

  it('maps statuses (archived -> deprovisioned, suspended) and keeps aliases for email comparison', async () => {
    const t = conformanceTenant();
    t.users[0]!.aliases = ['ada@acme.example', 'countess@acme.example'];
    const fake = setup(t);
    const s = await adapter(fake).readSnapshot({ app: 'Claude' });
    const by = (e: string) => s.users.find((u) => u.email === e)!;
    expect(by('ken.thompson@acme.example').status).toBe('deprovisioned');
    expect(by('edsger.dijkstra@acme.example').status).toBe('suspended');
    expect(by('ada.lovelace@acme.example').aliases).toEqual([
      'ada@acme.example',
      'countess@acme.example',
      'ada.lovelace@acme.example.test-google-a.com',
    ]);
    expect(by('ada.lovelace@acme.example').login).toBe('ada.lovelace@acme.example');
  });

  it('asks only for the fields the declared sources need, and reports them under canonical names', async () => {
    const fake = setup();
    const declaration = fake.declarationFor();
    declaration.apps[0]!.sso!.attributes = [
      { name: 'email', source: 'Basic Information > Primary email' },
      { name: 'firstName', source: 'Basic Information > First name' },
      { name: 'title', source: 'Employee details > Job title' },
      { name: 'claudeEmail', source: 'customSchemas.Employment.ClaudeEmail' },
    ];
    const s = await createGoogleAdapter({ env: bare(fake), declaration, ...fast }).readSnapshot({ app: 'Claude' });
    expect(s.users.find((u) => u.email === 'ada.lovelace@acme.example')!.fields).toEqual({
      'user.primaryEmail': 'ada.lovelace@acme.example',
      'user.name.givenName': 'Ada',
      'user.organizations.title': null,
      'user.customSchemas.Employment.ClaudeEmail': null,
    });
    const list = fake.kit.requests.find((r) => r.pathname.endsWith('/users') && !r.query.query)!;
    expect(list.query).toMatchObject({
      maxResults: '500',
      projection: 'custom',
      customFieldMask: 'Employment',
      customer: 'my_customer',
    });
    expect(list.query.fields).toBe(
      'nextPageToken,users(id,primaryEmail,suspended,archived,aliases,nonEditableAliases,orgUnitPath,customerId,name/givenName,organizations,customSchemas)',
    );
  });

  it('org units: users under a declared unit are assigned, an excluded child unit is not', async () => {
    const fake = setup();
    const declaration = fake.declarationFor();
    declaration.apps[0]!.access = { orgUnits: ['/'], excludedOrgUnits: ['/Claude'], groups: [] };
    const s = await createGoogleAdapter({ env: bare(fake), declaration, ...fast }).readSnapshot({ app: 'Claude' });
    const assigned = new Set(s.assignments.userIds);
    expect(s.users.filter((u) => assigned.has(u.id)).map((u) => u.email)).not.toContain('ken.thompson@acme.example');
    expect(assigned.size).toBe(conformanceTenant().users.length - 2);
  });

  it('keeps members from outside the customer (login null) and expands a CUSTOMER member to everyone', async () => {
    const fake = setup();
    const owner = fake.tenant.groups[0]!;
    const ownerId = (await adapter(fake).readSnapshot({ app: 'Claude' })).groups.find((g) => g.name === owner.name)!.id;
    server.use(
      http.get(`${fake.baseUrl}/admin/directory/v1/groups/${ownerId}/members`, () =>
        HttpResponse.json({
          kind: 'admin#directory#members',
          etag: 'etag',
          members: [
            {
              kind: 'admin#directory#member',
              etag: 'a',
              id: '99999',
              email: 'partner@other.example',
              role: 'MEMBER',
              type: 'USER',
              status: 'ACTIVE',
            },
            { kind: 'admin#directory#member', etag: 'b', id: fake.customerId, role: 'MEMBER', type: 'CUSTOMER' },
          ],
        }),
      ),
    );
    const s = await adapter(fake).readSnapshot({ app: 'Claude' });
    expect(s.users.find((u) => u.id === '99999')).toEqual({
      id: '99999',
      email: 'partner@other.example',
      login: null,
      status: 'active',
      fields: { 'user.primaryEmail': null },
    });
    const group = s.groups.find((g) => g.id === ownerId)!;
    expect(group.memberUserIds).toContain('99999');
    expect(group.memberUserIds.length).toBe(conformanceTenant().users.length + 1);
  });
});

describe('groups: declared twice, nested and unreadable', () => {
  it('a group declared twice (by address and by id) is assigned once', async () => {
    const fake = setup();
    const first = await adapter(fake).readSnapshot({ app: 'Claude' });
    const engineering = first.groups.find((g) => g.name === 'Engineering')!.id;
    const declaration = fake.declarationFor();
    declaration.apps[0]!.access!.groups = ['Engineering@acme.example', engineering];
    const s = await createGoogleAdapter({ env: bare(fake), declaration, ...fast }).readSnapshot({ app: 'Claude' });
    expect(s.assignments.groupIds).toEqual([engineering]);
  });

  it('a nested group that cannot be read fails the read rather than dropping its members', async () => {
    const fake = setup();
    const contractors = (await adapter(fake).readSnapshot({ app: 'Claude' })).groups.find(
      (g) => g.name === 'Contractors',
    )!.id;
    server.use(
      http.get(`${fake.baseUrl}/admin/directory/v1/groups/${contractors}`, () =>
        HttpResponse.json(googleError(404, 'notFound', 'Resource Not Found: groupKey'), { status: 404 }),
      ),
    );
    const e = await failure(adapter(fake).readSnapshot({ app: 'Claude' }));
    expect(IncompleteReadError.isInstance(e)).toBe(true);
    expect(e!.message).toMatch(/nested group contractors@acme.example cannot be read/);
  });
});

describe('typed errors on bad input and configuration', () => {
  it('a declared group that does not exist is an InputError naming its place in the declaration', async () => {
    const fake = setup();
    const declaration = fake.declarationFor();
    declaration.apps[0]!.access!.groups = ['engineering@acme.example', 'no-such-group@acme.example'];
    const e = await failure(
      createGoogleAdapter({ env: bare(fake), declaration, ...fast }).readSnapshot({ app: 'Claude' }),
    );
    expect(InputError.isInstance(e)).toBe(true);
    expect((e as InputError).issues[0]!.path).toBe('apps[0].access.groups[1]');
    expect((e as InputError).source).toBe('<declaration setting>');
  });

  it('with several declared apps the app must be named; an unknown one is named in the error', async () => {
    const fake = setup();
    // The fake declares Claude and Claude Bookmark.
    const two = createGoogleAdapter({ env: bare(fake), declaration: fake.declarationFor(), ...fast });
    expect(InputError.isInstance(await failure(two.readSnapshot()))).toBe(true);
    const one = createGoogleAdapter({ env: bare(fake), declaration: fake.declarationFor().apps[0]!, ...fast });
    expect((await one.readSnapshot()).app.id).toBe('app-claude');
    expect((await two.readSnapshot({ app: 'claude' })).app.name).toBe('Claude');
    expect((await failure(two.readSnapshot({ app: 'Gemini' })))?.message).toMatch(/no app "Gemini" in the declaration/);
  });

  it('missing settings name the variable; plain http is refused except on loopback', async () => {
    const none = await failure(createGoogleAdapter({ env: {} }).readSnapshot({ app: 'Claude' }));
    expect(ConfigurationError.isInstance(none) && none.setting).toBe('GOOGLE_APPLICATION_CREDENTIALS');
    const dir = mkdtempSync(join(tmpdir(), 'google-key-'));
    const keyFile = join(dir, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', private_key: 'x' }),
    );
    const noSubject = await failure(
      createGoogleAdapter({ env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile } }).readSnapshot({ app: 'Claude' }),
    );
    expect(ConfigurationError.isInstance(noSubject) && noSubject.setting).toBe('GOOGLE_ADMIN_SUBJECT');
    const http = await failure(
      createGoogleAdapter({
        env: { GOOGLE_API_URL: 'http://admin.example.com', GOOGLE_ACCESS_TOKEN: 't' },
      }).readSnapshot({ app: 'Claude' }),
    );
    expect(ConfigurationError.isInstance(http) && http.setting).toBe('GOOGLE_API_URL');
    const path = await failure(
      createGoogleAdapter({
        env: { GOOGLE_API_URL: 'https://proxy.example/google', GOOGLE_ACCESS_TOKEN: 't' },
      }).readSnapshot({ app: 'Claude' }),
    );
    expect(path?.message).toMatch(/must be an origin/);
    writeFileSync(keyFile, '{"private_key": "-----BEGIN PRIVATE KEY-----\\nAAAA');
    const broken = await failure(
      createGoogleAdapter({
        env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_ADMIN_SUBJECT: 'a@b' },
      }).readSnapshot({ app: 'Claude' }),
    );
    expect(ConfigurationError.isInstance(broken)).toBe(true);
    expect(broken!.message).not.toContain('AAAA');
  });

  it('a rejected token is a PermissionError that names the scopes, and never shows the token', async () => {
    const fake = setup();
    const token = 'ya29.a0-secret-token-value-0123456789';
    // Google's 401 for an expired or revoked token.
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            errors: [
              {
                message: 'Invalid Credentials',
                domain: 'global',
                reason: 'authError',
                location: 'Authorization',
                locationType: 'header',
              },
            ],
            status: 'UNAUTHENTICATED',
          },
        },
      },
      times: Infinity,
    });
    const e = await failure(
      createGoogleAdapter({ env: { ...bare(fake), GOOGLE_ACCESS_TOKEN: token }, ...fast }).readSnapshot({
        app: 'Claude',
      }),
    );
    expect(PermissionError.isInstance(e)).toBe(true);
    expect((e as PermissionError).missing).toContain('https://www.googleapis.com/auth/admin.directory.user.readonly');
    expect(JSON.stringify(e) + String(e) + String((e as Error).cause ?? '')).not.toContain(token);
  });
});

describe('service account with domain-wide delegation', () => {
  const keyFile = writeServiceAccountKey({
    project_id: 'p',
    private_key_id: 'k1',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  const privateKey = (JSON.parse(readFileSync(keyFile, 'utf8')) as { private_key: string }).private_key;
  const env = (fake: ReturnType<typeof setup>, subject = 'ada.lovelace@acme.example') => ({
    GOOGLE_API_URL: fake.baseUrl,
    GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    GOOGLE_ADMIN_SUBJECT: subject,
    GOOGLE_APP_DECLARATION: fake.env.GOOGLE_APP_DECLARATION,
  });

  it('signs in once as the subject with the two read-only scopes and reads the directory', async () => {
    const fake = setup();
    const s = await createGoogleAdapter({ env: env(fake), ...fast }).readSnapshot({ app: 'Claude' });
    expect(s.complete).toBe(true);
    expect(fake.tokenRequests).toEqual([
      {
        subject: 'ada.lovelace@acme.example',
        granted: true,
        scopes: [
          'https://www.googleapis.com/auth/admin.directory.user.readonly',
          'https://www.googleapis.com/auth/admin.directory.group.readonly',
        ],
      },
    ]);
  });

  it('without delegation: a PermissionError naming the client id and the console step, no key in it', async () => {
    const fake = setup(conformanceTenant(), { delegation: false });
    const e = await failure(createGoogleAdapter({ env: env(fake), ...fast }).readSnapshot({ app: 'Claude' }));
    expect(PermissionError.isInstance(e)).toBe(true);
    expect(e!.message).toMatch(/unauthorized_client.*104857600000000000001.*Manage domain-wide delegation/);
    expect(JSON.stringify(e) + e!.message).not.toContain(privateKey.split('\n')[1]!);
  });

  it('a subject that is not a user of the domain: a PermissionError pointing at GOOGLE_ADMIN_SUBJECT', async () => {
    const fake = setup();
    const e = await failure(
      createGoogleAdapter({ env: env(fake, 'ghost@acme.example'), ...fast }).readSnapshot({ app: 'Claude' }),
    );
    expect(PermissionError.isInstance(e)).toBe(true);
    expect(e!.message).toMatch(/invalid_grant.*GOOGLE_ADMIN_SUBJECT \(ghost@acme.example\)/);
  });

  it('an injected fetch carries the token request and every Directory call', async () => {
    const fake = setup();
    const urls: string[] = [];
    const fetch = (input: string | URL | Request, init?: RequestInit) => (
      urls.push(String(input instanceof Request ? input.url : input)), globalThis.fetch(input, init)
    );
    await createGoogleAdapter({ env: env(fake), fetch, ...fast }).readSnapshot({ app: 'Claude' });
    expect(urls.filter((u) => u.startsWith('https://oauth2.googleapis.com/token'))).toHaveLength(1);
    expect(urls.filter((u) => u.startsWith(`${fake.baseUrl}/admin/directory/v1/`))).toHaveLength(
      fake.kit.requests.length,
    );
  });
});

describe('throttling, retry and completeness', () => {
  it('gaxios does not retry on its own: one 503 with no retries left is one request and a typed error', async () => {
    const fake = setup();
    fake.kit.inject({
      fault: { type: 'status', status: 503, body: googleError(503, 'backendError', 'Backend Error') },
      match: /\/users\?/,
      times: Infinity,
    });
    const e = await failure(adapter(fake, { retry: { maxRetries: 0 } }).readSnapshot({ app: 'Claude' }));
    expect(IncompleteReadError.isInstance(e)).toBe(true);
    expect(fake.kit.requests.filter((r) => r.pathname.endsWith('/users') && !r.query.query)).toHaveLength(1);
  });

  it("honours Retry-After on Google's 403 rate limit, and backs off exponentially without it", async () => {
    const fake = setup();
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 403,
        headers: { 'retry-after': '1' },
        body: googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits'),
      },
      match: /\/users\?/,
    });
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 403,
        body: googleError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'),
      },
      match: /\/groups\?/,
      times: 2,
    });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const s = await adapter(fake, { retry: { initialDelayMs: 1, maxDelayMs: 1_000, budgetMs: 5_000 } }).readSnapshot({
      app: 'Claude',
      onProgress: (e) => events.push(e),
    });
    expect(s.complete).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'throttle', resource: 'users', status: 403, delayMs: 1_050 }),
    );
    // Without Retry-After, a rate-limit 403 is still a throttle, waited out with backoff.
    expect(
      events.filter((e) => e.type === 'throttle' && e.status === 403 && e.resource.startsWith('groups')),
    ).toHaveLength(2);
    expect(
      events
        .filter((e) => e.type === 'throttle' && e.resource.startsWith('groups'))
        .every((e) => e.type === 'throttle' && e.delayMs < 1_000),
    ).toBe(true);
  });

  it('a members listing shorter than directMembersCount, twice, fails the read (count-mismatch)', async () => {
    const fake = setup(conformanceTenant(), { pageSizeCap: 2 });
    fake.kit.inject({ fault: { type: 'dropNext' }, match: /\/members/, times: Infinity });
    const e = await failure(adapter(fake).readSnapshot({ app: 'Claude' }));
    expect(IncompleteReadError.isInstance(e) && e.reason).toBe('count-mismatch');
    expect(e!.message).toMatch(/directMembersCount/);
  });

  it('a user list that keeps losing its nextPageToken fails the read instead of shrinking the tenant', async () => {
    const fake = setup(conformanceTenant(), { pageSizeCap: 2 });
    fake.kit.inject({
      fault: { type: 'dropNext' },
      match: (r) => r.pathname.endsWith('/users') && !r.query.query,
      times: Infinity,
    });
    const e = await failure(adapter(fake).readSnapshot({ app: 'Claude' }));
    expect(IncompleteReadError.isInstance(e) && e.reason).toBe('count-mismatch');
  });

  it('a body that is not JSON is retried, then succeeds', async () => {
    const fake = setup();
    fake.kit.inject({ fault: { type: 'malformed' }, match: /\/groups\?/, times: 2 });
    const s = await adapter(fake).readSnapshot({ app: 'Claude' });
    expect(s.groups).toHaveLength(5);
  });

  it('aborting mid-read stops with a typed error', async () => {
    const fake = setup(conformanceTenant(), { pageSizeCap: 1 });
    const controller = new AbortController();
    const e = await failure(
      adapter(fake).readSnapshot({
        app: 'Claude',
        abortSignal: controller.signal,
        onProgress: (ev) => ev.type === 'page' && controller.abort(new Error('stop')),
      }),
    );
    expect(IncompleteReadError.isInstance(e) && e.reason).toBe('aborted');
  });

  it('a large tenant is read in the minimum number of requests, within the quota pacing', async () => {
    const t = conformanceTenant();
    for (let i = 0; i < 1200; i++)
      t.users.push({
        id: `x${i}`,
        email: `p${i}@acme.example`,
        login: `p${i}@acme.example`,
        givenName: 'P',
        familyName: String(i),
        status: 'active',
      });
    t.groups[1]!.memberUserIds.push(...t.users.slice(13, 463).map((u) => u.id));
    const fake = setup(t);
    const s = await adapter(fake).readSnapshot({ app: 'Claude' });
    // The 12 people the conformance tenant reaches (all but one), and the 450 added to a group.
    expect(s.users).toHaveLength(12 + 450);
    expect(fake.kit.requests).toHaveLength(googleMinimumRequests(t));
  });

  it('stays under queriesPerMinute: 11 requests at 300/min (5/s, burst 5) take over a second', async () => {
    const fake = setup();
    const started = Date.now();
    await adapter(fake, { queriesPerMinute: 300 }).readSnapshot({ app: 'Claude' });
    expect(fake.kit.requests).toHaveLength(11);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
  });
});
