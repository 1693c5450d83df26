import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardRefusalError, plan } from '@claude-idp/core';
import { demoConfig, demoMembers, demoTenant, DEMO_CONSOLE_ORG, snapshotFromTenant } from '@claude-idp/core/testing';
import { createAnthropicAdminClient } from './index';
import { createAnthropicFake } from './testing';
import { FAST_RETRY } from './__support__/anthropic-test-support';

// A real two-org plan from core's `plan` (the demo: claude.ai Enterprise + Console), applied to the
// Console org with the key of that org only. The plan records each org's own members hash, so apply
// checks its org without the members file of the other org.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

function setup() {
  const members = demoMembers();
  const thePlan = plan({
    snapshot: snapshotFromTenant(demoTenant()),
    config: demoConfig('generic'),
    members,
    now: '2026-11-22T00:00:00Z',
  });
  const fake = createAnthropicFake({
    orgId: DEMO_CONSOLE_ORG,
    members: members.filter((m) => m.orgId === DEMO_CONSOLE_ORG),
  });
  server.resetHandlers(...fake.handlers);
  return { thePlan, fake, client: createAnthropicAdminClient({ env: fake.env, retry: FAST_RETRY }) };
}

describe('apply a core plan to one org of several (Plan.inputs.membersByOrg)', () => {
  it('the plan carries a hash per org, and apply accepts the untouched Console org without a members file', async () => {
    const { thePlan, client, fake } = setup();
    expect(Object.keys(thePlan.inputs?.membersByOrg ?? {}).sort()).toEqual(
      [DEMO_CONSOLE_ORG, demoConfig().organizations[0]!.id].sort(),
    );
    // The demo plan removes 3 stale Console members of 7: above the default 10% breaker, so raised here.
    const summary = await client.applyPlan(thePlan, {
      dryRun: true,
      limits: { maxDeprovision: '50%' },
      overrideGuards: thePlan.guards.map((g) => g.code),
    });
    expect(summary.orgId).toBe(DEMO_CONSOLE_ORG);
    expect(fake.writes()).toEqual([]);
  });

  it('refuses as stale once someone changed that org in the Console', async () => {
    const { thePlan, client, fake } = setup();
    fake.update((store) => {
      const sam = store.userByEmail('sam.rivera@northwind.example')!;
      store.updateRole(sam.id, 'billing');
    });
    const error = await client
      .applyPlan(thePlan, {
        dryRun: true,
        limits: { maxDeprovision: '50%' },
        overrideGuards: thePlan.guards.map((g) => g.code).filter((c) => c !== 'STALE_PLAN'),
      })
      .catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error)).toBe(true);
    expect((error as GuardRefusalError).guards.map((g) => g.code)).toContain('STALE_PLAN');
  });
});
