import { startLoopbackServer } from '@claude-idp/core/testing';
import { describe, expect, it } from 'vitest';
import { createOneLoginAdapter } from './index';
import { createOneLoginFake, oneloginConformanceTenant, oneloginMinimumRequests } from './testing';

/**
 * Request counts and wall time for large tenants over a loopback server with 20 ms latency per
 * request. Run with `ONELOGIN_BENCH=1 npx vitest run src/onelogin-bench.test.ts` (prints figures);
 * skipped otherwise to keep the suite fast.
 */
describe.skipIf(!process.env.ONELOGIN_BENCH)('onelogin read benchmark', () => {
  for (const people of [2_000, 10_000]) {
    it(`${people} people in three assigned roles: the minimum number of requests, timed per concurrency`, async () => {
      const t = oneloginConformanceTenant();
      for (let i = 0; i < people; i++) {
        t.users.push({ id: `x${i}`, email: `p${i}@acme.example`, login: `p${i}`, givenName: 'P', familyName: String(i), status: 'active' });
        t.groups[i % 3]!.memberUserIds.push(`x${i}`);
      }
      const server = await startLoopbackServer({ latencyMs: 20 });
      const fake = createOneLoginFake(t, { baseUrl: server.url });
      server.use(fake.handlers);
      try {
        for (const concurrency of [1, 4, 8]) {
          fake.kit.reset();
          const started = performance.now();
          const snapshot = await createOneLoginAdapter({ env: fake.env, concurrency }).readSnapshot();
          const ms = Math.round(performance.now() - started);
          expect(fake.kit.requests.length).toBe(oneloginMinimumRequests(t));
          console.log(`onelogin bench: ${snapshot.users.length} users, concurrency ${concurrency}: ${fake.kit.requests.length} requests, ${ms} ms`);
        }
      } finally {
        await server.close();
      }
    }, 120_000);
  }
});
