import { startLoopbackServer } from '@claude-idp/core/testing';
import { createEntraFake, entraMinimumRequests } from '@claude-idp/entra/testing';
import { describeOwnerLoss, ownedDemoTenant } from './watch-e2e-kit';

// Entra: the watcher creates its Graph subscriptions at --public-url (the fake validates both
// notification URLs with Graph's validationToken), then the fake POSTs Graph's change
// notifications with each subscription's clientState.

describeOwnerLoss('entra', async () => {
  const server = await startLoopbackServer();
  const fake = createEntraFake(ownedDemoTenant(), { baseUrl: server.url });
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
});
