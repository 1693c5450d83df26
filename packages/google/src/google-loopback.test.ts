import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, conformanceTenant, type LoopbackServer } from '@claude-idp/core/testing';
import { createGoogleAdapter } from './index';
import { createGoogleFake, googleMinimumRequests } from './testing/index';

// No msw interception in this file: requests go over a real socket through gaxios' own
// transport (node-fetch), as they would to admin.googleapis.com or a proxy.
describe('google: through a real HTTP server at GOOGLE_API_URL', () => {
  let loopback: LoopbackServer;
  beforeAll(async () => {
    loopback = await startLoopbackServer({ latencyMs: 5 });
  });
  afterAll(() => loopback.close());

  it('reads the whole tenant with GOOGLE_API_URL=http://127.0.0.1:port as the client rootUrl', async () => {
    const fake = createGoogleFake(conformanceTenant(), { baseUrl: loopback.url });
    loopback.use(fake.handlers);
    const before = loopback.served;
    const s = await createGoogleAdapter({ env: fake.env }).readSnapshot({ app: 'Claude' });
    expect(s.complete).toBe(true);
    expect(s.users).toHaveLength(12);
    expect(s.assignments.groupIds).toHaveLength(3);
    expect(fake.kit.requests.every((r) => r.url.startsWith(`${loopback.url}/admin/directory/v1/`))).toBe(true);
    expect(loopback.served - before).toBe(googleMinimumRequests(fake.tenant));
  });

  it('recovers from a Google 403 rate limit served over the socket', async () => {
    const fake = createGoogleFake(conformanceTenant(), { baseUrl: loopback.url, pageSizeCap: 3 });
    loopback.use(fake.handlers);
    fake.kit.inject({ fault: { type: 'throttle' }, after: 1, times: 2 });
    const s = await createGoogleAdapter({ env: fake.env, retry: { initialDelayMs: 5, maxDelayMs: 20 } }).readSnapshot({
      app: 'Claude',
    });
    expect(s.users).toHaveLength(12);
  });
});
