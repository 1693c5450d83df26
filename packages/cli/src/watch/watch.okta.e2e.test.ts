import { startLoopbackServer } from '@claude-idp/core/testing';
import { createOktaFake, oktaMinimumRequests } from '@claude-idp/okta/testing';
import { registerOktaEventHook } from '../demo-watch';
import { describeOwnerLoss, ownedDemoTenant } from './watch-e2e-kit';

// Okta: an event hook registered through Okta's Event Hooks API and verified (Okta's GET with
// X-Okta-Verification-Challenge), then Okta's `com.okta.event_hook` deliveries with the hook's
// authorization header.

const HOOK_SECRET = 'okta-hook-secret-3b7e1d9c5a';
const TOKEN = 'SSWS-e2e-token-00TzQ9xE2ExTOKEN';

describeOwnerLoss('okta', async () => {
  const server = await startLoopbackServer();
  const fake = createOktaFake(ownedDemoTenant(), { baseUrl: server.url, apiToken: TOKEN });
  server.use(fake.handlers);
  return {
    server,
    update: (m) => fake.update(m),
    events: fake.events,
    env: {
      OKTA_ORG_URL: server.url,
      OKTA_API_TOKEN: TOKEN,
      OKTA_APP_ID: fake.appId,
      OKTA_EVENT_HOOK_SECRET: HOOK_SECRET,
    },
    secrets: () => [HOOK_SECRET, TOKEN],
    async subscribe(url) {
      await registerOktaEventHook({
        orgUrl: server.url,
        apiToken: TOKEN,
        listenerUrl: url,
        secret: HOOK_SECRET,
        name: 'claude-idp watch',
      });
    },
    fullReadRequests: () => oktaMinimumRequests(fake.tenant),
    forged: {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'com.okta.event_hook', data: { events: [] } }),
      status: 401,
    },
  };
});
