import { generateKeyPairSync } from 'node:crypto';
import { PermissionError, type DirectorySnapshot } from '@claude-idp/core';
import { expectedView, viewOfSnapshot } from '@claude-idp/core/conformance';
import { conformanceTenant, startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from './index';
import { createOktaFake, largeTenant, oktaMinimumRequests, type OktaFake, type OktaFakeOptions } from './testing/index';

/**
 * Through a real HTTP server on 127.0.0.1: the SDK's own transport (node-fetch over node:http),
 * not msw interception, so headers, Link parsing, timeouts and the OAuth token round trip are real.
 */
const view = { nesting: false, login: 'login' as const };
let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());

function serve(options: OktaFakeOptions = {}): OktaFake {
  const fake = createOktaFake(conformanceTenant(), { ...options, baseUrl: server.url });
  server.use(fake.handlers);
  return fake;
}

describe('okta over a loopback HTTP server', () => {
  it('reads the tenant with an SSWS token, paging through real Link headers', async () => {
    const fake = serve({ pageSizeCap: 3 });
    const before = server.served;
    const snapshot: DirectorySnapshot = await createOktaAdapter({
      baseUrl: `${server.url}/`,
      apiToken: 'loopback-token-0001',
      appId: fake.appId,
      env: {},
    }).readSnapshot();
    expect(viewOfSnapshot(snapshot, view)).toEqual(expectedView(fake.tenant, view));
    expect(snapshot.tenant).toBe(server.url); // the trailing slash was stripped (the SDK would build //api/v1)
    expect(server.served - before).toBe(fake.kit.requests.length);
    expect(fake.kit.requests.every((r) => r.headers.authorization === 'SSWS loopback-token-0001')).toBe(true);
    expect(fake.kit.requests.some((r) => r.query.after)).toBe(true);
  });

  it('reads through an OAuth service app: private-key JWT, Bearer token, the four read scopes', async () => {
    const fake = serve();
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const adapter = createOktaAdapter({
      env: {
        OKTA_ORG_URL: server.url,
        OKTA_CLIENT_ID: '0oaserviceapp0000001',
        OKTA_PRIVATE_KEY: privateKey,
        OKTA_APP_ID: 'Claude',
      },
    });
    const snapshot = await adapter.readSnapshot();
    expect(viewOfSnapshot(snapshot, view)).toEqual(expectedView(fake.tenant, view));
    // One token for the whole read, requested first (the SDK caches it).
    const tokens = fake.kit.requests.flatMap((r, i) => (r.pathname === '/oauth2/v1/token' ? [i] : []));
    expect(tokens).toEqual([0]);
    const api = fake.kit.requests.filter((r) => r.pathname.startsWith('/api/'));
    expect(api.every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? ''))).toBe(true);
  });

  it('a service app missing a granted scope fails with a PermissionError naming it, not a smaller tenant', async () => {
    serve({ grantedScopes: ['okta.apps.read', 'okta.users.read', 'okta.profileMappings.read'] });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const adapter = createOktaAdapter({
      orgUrl: server.url,
      clientId: '0oaserviceapp0000001',
      privateKey,
      appId: 'Claude',
      env: {},
    });
    const error = await adapter.readSnapshot().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing.join(' ')).toContain('okta.groups.read');
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  it('a 3000-person tenant at 20 ms per request: the planned requests, one at a time and overlapped', async () => {
    const slow = await startLoopbackServer({ latencyMs: 20 });
    try {
      const fake = createOktaFake(largeTenant(), { baseUrl: slow.url });
      slow.use(fake.handlers);
      const timed = async (concurrency: number) => {
        const adapter = createOktaAdapter({ env: fake.env, concurrency });
        await adapter.readSnapshot(); // warm: SDK loaded, rate-limit buckets known
        const before = slow.served;
        const started = performance.now();
        const snapshot = await adapter.readSnapshot();
        return { snapshot, ms: performance.now() - started, requests: slow.served - before };
      };
      const serial = await timed(1);
      const parallel = await timed(4);
      expect(parallel.snapshot.users).toHaveLength(2740);
      expect(parallel.requests).toBe(oktaMinimumRequests(fake.tenant));
      expect(serial.requests).toBe(parallel.requests);
      // How much the overlap saves is a figure for `npm run bench`, not an assertion.
      console.info(
        `okta: ${parallel.snapshot.users.length} users, ${parallel.snapshot.groups.length} groups, ${parallel.requests} requests; ${Math.round(serial.ms)} ms one at a time, ${Math.round(parallel.ms)} ms with 4 in flight (20 ms latency per request)`,
      );
    } finally {
      await slow.close();
    }
  });
});
