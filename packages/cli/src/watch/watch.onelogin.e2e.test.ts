import { startLoopbackServer } from '@claude-idp/core/testing';
import { createOneLoginFake, oneloginMinimumRequests } from '@claude-idp/onelogin/testing';
import { describeOwnerLoss, ownedDemoTenant } from './watch-e2e-kit';

// OneLogin: a webhook with a custom Authorization header (OneLogin has no API for webhooks: the
// fake's `events.subscribe` stands for the admin portal), JSON Array deliveries of OneLogin events.

const SECRET = 'Bearer onelogin-webhook-secret-7a1c4e9b2d';

describeOwnerLoss('onelogin', async () => {
  const server = await startLoopbackServer();
  const fake = createOneLoginFake(ownedDemoTenant(), { baseUrl: server.url });
  server.use(fake.handlers);
  return {
    server,
    update: (m) => fake.update(m),
    events: fake.events,
    env: { ...fake.env, ONELOGIN_WEBHOOK_SECRET: SECRET },
    secrets: () => [SECRET.slice('Bearer '.length), fake.env.ONELOGIN_CLIENT_SECRET!],
    async subscribe(url) {
      fake.events.subscribe({ url: `${url}/events/onelogin`, secret: SECRET });
    },
    fullReadRequests: () => oneloginMinimumRequests(fake.tenant),
    forged: { headers: { 'content-type': 'application/json' }, body: '[]', status: 401 },
  };
});
