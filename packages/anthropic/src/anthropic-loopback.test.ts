import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { createAnthropicAdminClient } from './index';
import { createAnthropicFake } from './testing';
import { buildPlan, consoleMembers, FAST_RETRY, ORG, rows } from './__support__/anthropic-test-support';

// Through a real HTTP server on 127.0.0.1 (plain http is allowed on loopback only), with the
// client's own fetch: no msw interception in the client's process path.
describe('over real HTTP on loopback', () => {
  let loop: LoopbackServer;
  beforeAll(async () => {
    loop = await startLoopbackServer({ latencyMs: 2 });
  });
  afterAll(() => loop.close());

  it('reads members and applies a plan', async () => {
    const fake = createAnthropicFake({ baseUrl: loop.url, orgId: ORG, members: consoleMembers(), pageSizeCap: 3 });
    loop.use(fake.handlers);
    const client = createAnthropicAdminClient({ env: fake.env, retry: FAST_RETRY });
    expect(rows(await client.readMembers())).toEqual(rows(consoleMembers()));
    const plan = buildPlan(consoleMembers(), [
      {
        orgId: ORG,
        actions: [
          { email: 'di.user@acme.example', action: 'changeRole', from: 'user', to: 'billing' },
          { email: 'new@acme.example', action: 'provision', to: 'user' },
        ],
      },
    ]);
    const s = await client.applyPlan(plan);
    expect(s.done).toHaveLength(2);
    expect(rows(fake.members())).toContain('di.user@acme.example billing active');
    expect(rows(fake.members())).toContain('new@acme.example user invited');
    expect(loop.served).toBeGreaterThanOrEqual(7);
  });
});
