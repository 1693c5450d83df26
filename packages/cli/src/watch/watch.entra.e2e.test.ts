import { expect, it } from 'vitest';
import { startLoopbackServer } from '@claude-idp/core/testing';
import { createEntraFake, entraMinimumRequests } from '@claude-idp/entra/testing';
import { describeOwnerLoss, ownedDemoTenant } from './watch-e2e-kit';

// Entra: the watcher creates its Graph subscriptions at --public-url (the fake validates both
// notification URLs with Graph's validationToken), then the fake POSTs Graph's change
// notifications with each subscription's clientState.

let fake: ReturnType<typeof createEntraFake>;

describeOwnerLoss(
  'entra',
  async () => {
    const server = await startLoopbackServer();
    fake = createEntraFake(ownedDemoTenant(), { baseUrl: server.url });
    server.use(fake.handlers);
    return {
      server,
      update: (m) => fake.update(m),
      events: fake.events,
      env: fake.env,
      secrets: () => [
        fake.env.ENTRA_ACCESS_TOKEN!,
        ...fake.events.subscriptions.flatMap((s) => (s.clientState ? [s.clientState] : [])),
      ],
      subscribe: async () => {},
      fullReadRequests: () => entraMinimumRequests(fake.tenant),
      forged: {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          value: [
            {
              subscriptionId: fake.events.subscriptions[0]?.id ?? 'unknown',
              clientState: 'forged-client-state',
              changeType: 'updated',
              resource: 'Users/00000000-0000-0000-0000-000000000000',
              tenantId: fake.env.ENTRA_TENANT_ID,
            },
          ],
        }),
        status: 403,
      },
      subscribesItself: true,
    };
  },
  (running) => {
    it('Graph lifecycle notifications: reauthorizationRequired renews the subscription, missed runs a full read', async () => {
      const { watch } = running();
      const sub = fake.events.subscriptions[0]!;
      const renewals = () => (watch.output.match(/subscriptions ready; next renewal at/g) ?? []).length;
      const before = renewals();
      expect((await fake.events.lifecycle(sub.id, 'reauthorizationRequired')).status).toBeLessThan(300);
      await watch.waitFor(/subscription renew asked/);
      const until = Date.now() + 10_000;
      while (renewals() === before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(renewals()).toBe(before + 1);
      expect((await fake.events.lifecycle(sub.id, 'missed')).status).toBeLessThan(300);
      await watch.waitFor(/full read \(events were lost\)/);
    }, 30_000);
  },
);
