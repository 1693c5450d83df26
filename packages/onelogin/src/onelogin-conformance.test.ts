import { IncompleteReadError, PermissionError } from '@claude-idp/core';
import { runAdapterConformance, runFaultMatrix, type AdapterTestOptions } from '@claude-idp/core/conformance';
import type { GenericTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter, OneLoginApiError } from './index';
import { createOneLoginFake, oneloginConformanceTenant, type OneLoginFake } from './testing';

const args = {
  name: 'onelogin',
  // Margaret's hand assignment on top of a role one cannot exist in OneLogin (see the function).
  tenant: oneloginConformanceTenant,
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createOneLoginFake(tenant, o),
  createAdapter: (fake: OneLoginFake, o: AdapterTestOptions) => createOneLoginAdapter({ env: fake.env, ...o }),
  appId: (fake: OneLoginFake) => fake.appId,
};

runAdapterConformance({
  ...args,
  // Roles do not nest.
  nesting: false,
  login: 'login',
  fields: { email: 'user.email', login: 'user.username' },
  // OneLogin has no "deprovisioned" status: removing someone suspends (2) or deletes them.
  status: (s) => (s === 'deprovisioned' ? 'suspended' : s),
  // The SCIM email comes from the connector's SCIM JSON template, which the API does not return.
  unavailableSettings: ['scim.emailSource'],
  perUserRequest: /^\/api\/2\/users\/\d+$/,
});

// No opt-outs: every v2 listing carries Total-Count, which catches a dropped After-Cursor.
runFaultMatrix(args);

describe('onelogin: OneLogin cases', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const fast = { timeoutMs: 2_000, retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 2_000, maxRetries: 4 } };
  const serve = (o: Parameters<typeof createOneLoginFake>[1] = {}) => {
    const fake = createOneLoginFake(oneloginConformanceTenant(), o);
    server.resetHandlers(...fake.handlers);
    return fake;
  };

  it('401 "Insufficient Permission" (a credential without Read All) is a PermissionError naming "Read All"', async () => {
    const fake = serve({ scope: 'Read Users' });
    const error = await createOneLoginAdapter({ env: fake.env, ...fast })
      .readSnapshot()
      .catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual(['Read All']);
    expect((error as PermissionError).status).toBe(401);
    expect((error as Error).message).toContain('"Read All"');
    // A new token cannot widen a scope: no refresh was attempted.
    expect(fake.kit.count('/auth/oauth2/v2/token')).toBe(1);
  });

  it('the v1 envelope of "Insufficient Permission" (groups) is a PermissionError too', async () => {
    const fake = serve();
    fake.kit.inject({
      match: '/api/1/groups',
      fault: {
        type: 'status',
        status: 401,
        body: { status: { error: true, code: 401, type: 'Unauthorized', message: 'Insufficient Permission' } },
      },
    });
    const error = await createOneLoginAdapter({ env: fake.env, ...fast })
      .readSnapshot()
      .catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual(['Read All']);
  });

  it('a token that expires mid-read is refreshed once, and the read succeeds', async () => {
    const fake = serve({ pageSizeCap: 2 });
    const baseline = await createOneLoginAdapter({ env: fake.env, ...fast }).readSnapshot();
    fake.kit.reset();
    let calls = 0;
    const adapter = createOneLoginAdapter({
      env: fake.env,
      ...fast,
      fetch: (input, init) => {
        // Ten hours pass just before the 6th request.
        if (++calls === 6) fake.expireTokens();
        return globalThis.fetch(input, init);
      },
    });
    const snapshot = await adapter.readSnapshot();
    expect({ ...snapshot, capturedAt: '' }).toEqual({ ...baseline, capturedAt: '' });
    expect(fake.kit.count('/auth/oauth2/v2/token')).toBe(2);
    // Requests 1-5 used the first token; from the 6th, the old token was refused, then a new one used.
    const oldToken = fake.kit.requests[1]!.headers.authorization;
    const later = fake.kit.requests.slice(5).filter((r) => r.pathname.startsWith('/api/'));
    expect(later.some((r) => r.headers.authorization === oldToken)).toBe(true);
    expect(later.at(-1)!.headers.authorization).not.toBe(oldToken);
  });

  it('with a ready ONELOGIN_ACCESS_TOKEN, an expired token is a typed error (nothing to refresh with)', async () => {
    const fake = serve();
    const env = {
      ONELOGIN_BASE_URL: fake.baseUrl,
      ONELOGIN_ACCESS_TOKEN: fake.accessToken(),
      ONELOGIN_APP_ID: fake.appId,
    };
    const adapter = createOneLoginAdapter({ env, ...fast });
    expect((await adapter.readSnapshot()).complete).toBe(true);
    fake.expireTokens();
    const error = await adapter.readSnapshot().catch((e: unknown) => e);
    expect(OneLoginApiError.isInstance(error)).toBe(true);
    expect((error as OneLoginApiError).status).toBe(401);
    expect((error as OneLoginApiError).errorName).toBe('UnauthorizedError');
    expect(fake.kit.count('/auth/oauth2/v2/token')).toBe(0);
  });

  it('a token is reused across every request of a read, and across reads until it expires', async () => {
    const fake = serve({ pageSizeCap: 2 });
    const adapter = createOneLoginAdapter({ env: fake.env, ...fast });
    await adapter.readSnapshot();
    const tokenCalls = fake.kit.requests.filter((r) => r.pathname === '/auth/oauth2/v2/token');
    expect(tokenCalls).toHaveLength(1);
    // The credential pair travels in the documented header form, never in the URL.
    expect(tokenCalls[0]!.headers.authorization).toBe(`client_id:${fake.clientId}, client_secret:${fake.clientSecret}`);
    const bearers = new Set(
      fake.kit.requests.filter((r) => r.pathname.startsWith('/api/')).map((r) => r.headers.authorization),
    );
    expect(bearers.size).toBe(1);
    expect([...bearers][0]).toMatch(/^bearer [0-9a-f]+$/);
  });

  it('a dropped After-Cursor on a full page is caught by Total-Count (IncompleteReadError, never a smaller tenant)', async () => {
    const fake = serve({ pageSizeCap: 2 });
    fake.kit.inject({ match: /\/api\/2\/roles\?/, fault: { type: 'dropNext' } });
    const error = await createOneLoginAdapter({ env: fake.env, ...fast })
      .readSnapshot()
      .catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('count-mismatch');
    expect((error as IncompleteReadError).resource).toBe('roles');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const fake = serve({ pageSizeCap: 2 });
    for (const concurrency of [1, 3]) {
      let inFlight = 0;
      let peak = 0;
      const adapter = createOneLoginAdapter({
        env: fake.env,
        ...fast,
        concurrency,
        fetch: async (input, init) => {
          peak = Math.max(peak, ++inFlight);
          try {
            return await globalThis.fetch(input, init);
          } finally {
            inFlight--;
          }
        },
      });
      await adapter.readSnapshot();
      expect(peak).toBeLessThanOrEqual(concurrency);
      if (concurrency > 1) expect(peak).toBeGreaterThan(1);
    }
  });

  it('stops mid-read when aborted, with a typed error', async () => {
    const fake = serve({ pageSizeCap: 1 });
    const controller = new AbortController();
    let calls = 0;
    const adapter = createOneLoginAdapter({
      env: fake.env,
      ...fast,
      fetch: (input, init) => {
        if (++calls === 4) controller.abort(new Error('operator stop'));
        return globalThis.fetch(input, init);
      },
    });
    const error = await adapter.readSnapshot({ abortSignal: controller.signal }).catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('aborted');
    expect(calls).toBeLessThan(8);
  });
});
