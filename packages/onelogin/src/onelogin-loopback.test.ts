import { startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter } from './index';
import { createOneLoginFake, oneloginConformanceTenant, oneloginMinimumRequests } from './testing';

/** Through a real HTTP server on 127.0.0.1 (no msw interception): ONELOGIN_BASE_URL=http://127.0.0.1:<port>. */
describe('onelogin over a loopback HTTP server', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer({ latencyMs: 5 });
  });
  afterAll(() => server.close());

  it('reads the tenant over plain http on loopback, at the minimum request count', async () => {
    const tenant = oneloginConformanceTenant();
    const fake = createOneLoginFake(tenant, { baseUrl: server.url });
    server.use(fake.handlers);
    const before = server.served;
    const adapter = createOneLoginAdapter({ env: { ...fake.env, ONELOGIN_BASE_URL: server.url } });
    const snapshot = await adapter.readSnapshot();
    expect(snapshot.complete).toBe(true);
    expect(snapshot.tenant).toBe(new URL(server.url).host);
    expect(snapshot.users.map((u) => u.email)).toContain('Margaret.Hamilton@acme.example');
    expect(snapshot.assignments.userIds).toHaveLength(2);
    expect(server.served - before).toBe(oneloginMinimumRequests(tenant));
    expect(fake.kit.requests).toHaveLength(oneloginMinimumRequests(tenant));
  });
});
