import { startLoopbackServer } from '@claude-idp/core/testing';
import { createGoogleFake, googleMinimumRequests } from '@claude-idp/google/testing';
import { describeOwnerLoss, ownedDemoTenant } from './watch-e2e-kit';

// Google: the watcher opens its push notification channels (Directory users.watch, Reports
// activities.watch) at its --public-url; the fake sends each channel's sync, then Google's
// notifications with the X-Goog-* headers and the channel token.

describeOwnerLoss('google', async () => {
  const server = await startLoopbackServer();
  const fake = createGoogleFake(ownedDemoTenant(), { baseUrl: server.url });
  server.use(fake.handlers);
  return {
    server,
    update: (m) => fake.update(m),
    events: {
      settled: () => fake.events.settled(),
      replay: (i) => fake.events.replay(i),
      sendRaw: ({ headers, body }) => {
        const channel = fake.events.channels[0]!;
        return fake.events.sendRaw({
          channelId: channel.id,
          headers: {
            ...headers,
            ...fake.events.headersFor(channel.id, 'update'),
            'x-goog-channel-token': 'forged-token',
          },
          body,
        });
      },
    },
    env: fake.env,
    secrets: () => [fake.env.GOOGLE_ACCESS_TOKEN!, ...fake.events.channels.flatMap((c) => (c.token ? [c.token] : []))],
    subscribe: async () => {},
    fullReadRequests: () => googleMinimumRequests(fake.tenant),
    forged: { headers: { 'content-type': 'application/json' }, body: '{"id":"1"}', status: 403 },
    subscribesItself: true,
    args: ['--app', 'Claude'],
  };
});
