import { IncompleteReadError, PermissionError, type DirectorySnapshot, type ProgressEvent } from '@claude-idp/core';
import { conformanceTenant, type FaultRule } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import accessDenied from './__fixtures__/okta-error-access-denied.json';
import { createOktaAdapter } from './index';
import { createOktaFake, type OktaFakeOptions } from './testing/index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fast = { requestTimeoutMs: 500, retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 3_000, maxRetries: 5 } };
const strip = (s: DirectorySnapshot) => ({ ...s, capturedAt: '' });

/** A fake with small pages, the adapter on it, and the fault-free snapshot to compare against. */
async function setup(options: OktaFakeOptions = { pageSizeCap: 2 }) {
  const fake = createOktaFake(conformanceTenant(), options);
  server.resetHandlers(...fake.handlers);
  const events: ProgressEvent[] = [];
  // A real Okta fills every page up to the limit asked: ask for the fake's capped page size.
  const adapter = createOktaAdapter({ env: fake.env, ...fast, pageSize: options.pageSizeCap });
  const read = () => adapter.readSnapshot({ onProgress: (e) => events.push(e) });
  const baseline = await read();
  fake.kit.reset();
  events.length = 0;
  return { fake, read, baseline, events };
}

async function outcome(read: () => Promise<DirectorySnapshot>) {
  try {
    return { snapshot: await read() };
  } catch (error) {
    return { error };
  }
}

describe('okta: a dropped Link header is caught on every listing', () => {
  // Each listing pages by 2; the first page that has a next link loses it once.
  const drop = (match: RegExp): FaultRule => ({ fault: { type: 'dropNext' }, match });

  it('app users: the after=<last id> end check finds the rest and the read is whole', async () => {
    const { fake, read, baseline } = await setup();
    fake.kit.inject(drop(/\/apps\/[^/]+\/users/));
    const r = await outcome(read);
    expect(r.error).toBeUndefined();
    expect(strip(r.snapshot!)).toEqual(strip(baseline));
    const afterChecks = fake.kit.requests.filter((q) => /\/apps\/[^/]+\/users$/.test(q.pathname) && q.query.after);
    expect(afterChecks.length).toBeGreaterThan(0);
  });

  it('a last page shorter than the limit proves the end; only a full last page is checked with after=', async () => {
    // 2 a page, so the app-user listing ends on a short page or a full one depending on its size.
    const { fake, read } = await setup();
    const t = fake.tenant;
    const viaGroups = t.groups.filter((g) => t.assignments.groupIds.includes(g.id)).flatMap((g) => g.memberUserIds);
    const appUsers = new Set([...t.assignments.userIds, ...viaGroups]).size;
    const requests = () => fake.kit.requests.filter((r) => /^\/api\/v1\/apps\/[^/]+\/users$/.test(r.pathname)).length;
    await read();
    expect(requests()).toBe(Math.ceil(appUsers / 2) + (appUsers % 2 === 0 ? 1 : 0));
    // One person more or less flips the last page between full and short.
    fake.update((x) => {
      x.assignments.userIds.push(
        x.users.find((u) => !x.assignments.userIds.includes(u.id) && !viaGroups.includes(u.id))!.id,
      );
    });
    fake.kit.reset();
    await read();
    expect(requests()).toBe(Math.ceil((appUsers + 1) / 2) + ((appUsers + 1) % 2 === 0 ? 1 : 0));
  });

  it('an org refusing an id as `after` (400) skips the end check instead of failing the read', async () => {
    const { fake, read, baseline } = await setup({});
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 400,
        body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: after', errorCauses: [] },
      },
      match: (r) => Boolean(r.query.after),
      times: Infinity,
    });
    expect(strip(await read())).toEqual(strip(baseline));
  });

  it('anthropic- groups: recovered by the same end check', async () => {
    const { fake, read, baseline } = await setup();
    fake.kit.inject(drop(/\/api\/v1\/groups\?/));
    expect(strip(await read())).toEqual(strip(baseline));
    expect(fake.kit.requests.some((q) => q.pathname === '/api/v1/groups' && q.query.search && q.query.after)).toBe(
      true,
    );
  });

  it('group members: a listing short of the group usersCount is completed', async () => {
    const { fake, read, baseline } = await setup();
    fake.kit.inject(drop(/\/groups\/[^/]+\/users/));
    expect(strip(await read())).toEqual(strip(baseline));
  });

  it('group members: every page losing its link is still read whole, one end check at a time', async () => {
    const { fake, read, baseline } = await setup();
    fake.kit.inject({ ...drop(/\/groups\/[^/]+\/users/), times: Infinity });
    expect(strip(await read())).toEqual(strip(baseline));
  });

  it('group members: a listing that stays short of usersCount fails the read', async () => {
    const { fake, read } = await setup();
    // Okta's count says one more member than the listing can ever return.
    const owners = fake.org.groups.find((g) => g.profile.name.endsWith('-owner'))!;
    fake.org.members.get(owners.id)!.push('00uZZZZZZZZZZZZZZZZZ');
    const r = await outcome(read);
    expect(IncompleteReadError.isInstance(r.error)).toBe(true);
    expect((r.error as IncompleteReadError).reason).toBe('count-mismatch');
  });

  it('group members: a group that changed after its count was read is re-counted, not failed', async () => {
    const fake = createOktaFake(conformanceTenant());
    server.resetHandlers(...fake.handlers);
    let changed = false;
    const snapshot = await createOktaAdapter({ env: fake.env, ...fast }).readSnapshot({
      onProgress: (e) => {
        // The groups and their counts are read; Ada leaves the owner group (she stays in the
        // assigned Engineering group) just before the member listings are sent.
        if (!changed && e.type === 'start' && /^groups\/.+\/users$/.test(e.resource)) {
          changed = true;
          fake.update((t) => (t.groups.find((g) => g.name.endsWith('-owner'))!.memberUserIds = []));
        }
      },
    });
    expect(changed).toBe(true);
    expect(snapshot.groups.find((g) => g.name.endsWith('-owner'))!.memberUserIds).toEqual([]);
    const owner = fake.org.groups.find((g) => g.profile.name.endsWith('-owner'))!.id;
    const recount = fake.kit.requests.filter(
      (q) => q.pathname === '/api/v1/groups' && q.query.filter === `id eq "${owner}"`,
    );
    expect(recount).toHaveLength(1);
  });

  it('app groups (opaque cursor): the scope-GROUP cross-check refuses the smaller tenant', async () => {
    const { fake, read } = await setup();
    fake.kit.inject(drop(/\/apps\/[^/]+\/groups/));
    const r = await outcome(read);
    expect(r.snapshot).toBeUndefined();
    expect(IncompleteReadError.isInstance(r.error)).toBe(true);
    expect((r.error as IncompleteReadError).resource).toBe('apps/groups');
  });
});

describe('okta: throttling, server errors, permissions', () => {
  it('a 429 storm with Okta reset headers is waited out and gives the same snapshot', async () => {
    const { fake, read, baseline, events } = await setup({ pageSizeCap: 2, throttleResetSeconds: 0 });
    fake.kit.inject({ fault: { type: 'throttle' }, after: 3, times: 4 });
    expect(strip(await read())).toEqual(strip(baseline));
    expect(events.filter((e) => e.type === 'throttle' && 'status' in e && e.status === 429)).toHaveLength(4);
  });

  it('paces by X-Rate-Limit-Remaining instead of retrying into 429s (the /api/v1/apps/* bucket)', async () => {
    // 4 requests per second in the shared apps bucket; a read needs 5 there (features, app users
    // and its end check, app groups, group push), so each read must wait for a reset once.
    const { read, baseline, events } = await setup({ rateLimits: { limits: { apps: 4 }, windowMs: 1_000 } });
    const started = Date.now();
    expect(strip(await read())).toEqual(strip(baseline));
    expect(events.some((e) => e.type === 'throttle' && e.resource === 'apps' && !('status' in e))).toBe(true);
    expect(
      events.filter((e) => (e.type === 'retry' || e.type === 'throttle') && 'status' in e && e.status === 429),
    ).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(200);
  });

  it('500 then success gives the same snapshot', async () => {
    const { fake, read, baseline } = await setup();
    fake.kit.inject({ fault: { type: 'status', status: 500 }, after: 4, times: 2 });
    expect(strip(await read())).toEqual(strip(baseline));
  });

  it('a persistent 500 fails with IncompleteReadError after the retry budget', async () => {
    const { fake, read } = await setup();
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 500,
        body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorCauses: [] },
      },
      match: '/groups/',
      times: Infinity,
    });
    const r = await outcome(read);
    expect(IncompleteReadError.isInstance(r.error)).toBe(true);
    expect((r.error as IncompleteReadError).reason).toBe('retry-budget');
  });

  it('403 insufficient_scope names the scope to grant (okta.groups.read)', async () => {
    const { fake, read } = await setup();
    const www =
      'Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"';
    fake.kit.inject({
      fault: { type: 'status', status: 403, headers: { 'www-authenticate': www }, body: accessDenied },
      match: /\/api\/v1\/groups/,
      times: Infinity,
    });
    const r = await outcome(read);
    expect(PermissionError.isInstance(r.error)).toBe(true);
    expect((r.error as PermissionError).missing).toEqual(['okta.groups.read']);
    expect((r.error as Error).message).toContain('okta.groups.read');
  });

  it('403 E0000006 on an SSWS token names the endpoint scope and the admin role', async () => {
    const { fake, read } = await setup();
    fake.kit.inject({
      fault: { type: 'status', status: 403, body: accessDenied },
      match: '/api/v1/mappings',
      times: Infinity,
    });
    const r = await outcome(read);
    expect(PermissionError.isInstance(r.error)).toBe(true);
    expect((r.error as PermissionError).missing).toEqual([
      'okta.profileMappings.read',
      'admin role Read-Only Administrator',
    ]);
  });

  it('401 E0000011 (revoked token) is a PermissionError, and the token never appears in it', async () => {
    const fake = createOktaFake(conformanceTenant(), { apiToken: 'the-right-token-123456' });
    server.resetHandlers(...fake.handlers);
    const adapter = createOktaAdapter({ env: { ...fake.env, OKTA_API_TOKEN: 'a-revoked-token-987654' }, ...fast });
    const error = await adapter.readSnapshot().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).status).toBe(401);
    expect((error as Error).message).toContain('E0000011');
    expect(JSON.stringify(error) + String(error) + (error as Error).message).not.toContain('a-revoked-token-987654');
    const sent = fake.kit.requests[0]!.headers.authorization;
    expect(sent).toBe('SSWS a-revoked-token-987654');
  });
});
