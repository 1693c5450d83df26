import { startLoopbackServer } from '@claude-idp/core/testing';
import { OKTA_EVENT_HOOK_EVENT_TYPES } from '@claude-idp/okta';
import { createOktaFake, oktaMinimumRequests } from '@claude-idp/okta/testing';
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
  const headers = { authorization: `SSWS ${TOKEN}`, 'content-type': 'application/json' };
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
      const hook = (await (
        await fetch(`${server.url}/api/v1/eventHooks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            name: 'claude-idp watch',
            events: { type: 'EVENT_TYPE', items: OKTA_EVENT_HOOK_EVENT_TYPES },
            channel: {
              type: 'HTTP',
              version: '1.0.0',
              config: {
                uri: `${url}/events/okta`,
                authScheme: { type: 'HEADER', key: 'Authorization', value: HOOK_SECRET },
              },
            },
          }),
        })
      ).json()) as { id: string };
      const verified = await fetch(`${server.url}/api/v1/eventHooks/${hook.id}/lifecycle/verify`, {
        method: 'POST',
        headers,
      });
      if (verified.status !== 200) throw new Error(`the hook was not verified: ${verified.status}`);
    },
    fullReadRequests: () => oktaMinimumRequests(fake.tenant),
    forged: {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'com.okta.event_hook', data: { events: [] } }),
      status: 401,
    },
  };
});
