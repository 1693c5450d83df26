import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneTenant,
  demoConfig,
  demoMembers,
  demoTenant,
  startLoopbackServer,
  type LoopbackServer,
} from '@claude-idp/core/testing';
import { OKTA_EVENT_HOOK_EVENT_TYPES } from '@claude-idp/okta';
import { createOktaFake, oktaMinimumRequests } from '@claude-idp/okta/testing';
import { tmp } from '../__tests__/run-bin';
import { spawnWatch, type WatchProcess } from './watch-bin-kit';
import { webhookSink, type WebhookSink } from './watch-test-kit';

// End to end, as in production: the built `claude-idp watch` in a child process, Okta's fake on a
// loopback server registering an event hook to it and delivering Okta's own event hook requests,
// and a webhook receiver that checks claude-idp's signature.

const HOOK_SECRET = 'okta-hook-secret-3b7e1d9c5a';
const WEBHOOK_SECRET = 'webhook-secret-e2e-6c2f8a1d';
const TOKEN = 'SSWS-e2e-token-00TzQ9xE2ExTOKEN';
const QUIET_MS = 500;

let server: LoopbackServer;
let fake: ReturnType<typeof createOktaFake>;
let sink: WebhookSink;
let watch: WatchProcess;
let fullReadMs = 0;

beforeAll(async () => {
  const tenant = cloneTenant(demoTenant());
  for (const u of tenant.users) if (u.id === 'd01') u.status = 'active'; // the Owner group has an active Owner
  server = await startLoopbackServer();
  fake = createOktaFake(tenant, { baseUrl: server.url, apiToken: TOKEN });
  server.use(fake.handlers);
  sink = await webhookSink(WEBHOOK_SECRET);
  const dir = tmp();
  writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('okta'), null, 2));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers(), null, 2));
  watch = spawnWatch(
    [
      '--idp',
      'okta',
      '--members',
      'members.json',
      '--listen',
      '127.0.0.1:0',
      '--quiet-period',
      `${QUIET_MS}ms`,
      '--max-wait',
      '5s',
      '--notify',
      sink.url,
      '--log-format',
      'json',
    ],
    {
      cwd: dir,
      env: {
        OKTA_ORG_URL: server.url,
        OKTA_API_TOKEN: TOKEN,
        OKTA_APP_ID: fake.appId,
        OKTA_EVENT_HOOK_SECRET: HOOK_SECRET,
        CLAUDE_IDP_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    },
  );
  const url = await watch.url();
  fullReadMs = Number((await watch.waitFor(/baseline: [^"]*\((\d+) ms\)/))[1]);
  // Register the hook as an admin would (Okta's Event Hooks API), and let Okta verify it.
  const headers = { authorization: `SSWS ${TOKEN}`, 'content-type': 'application/json' };
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
  expect(verified.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await watch?.stop();
  await sink?.close();
  await server?.close();
});

const logLines = () =>
  watch.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; read?: string; durationMs?: number });

describe('claude-idp watch --idp okta (built binary, Okta fake, real HTTP)', () => {
  it('the last Owner leaves the Owner group: one notification naming the finding, after one targeted read', async () => {
    const before = server.served;
    const sentAt = Date.now();
    fake.update((t) => {
      t.groups.find((g) => g.id === 'dg01')!.memberUserIds = [];
    });
    const deliveries = await fake.events.settled();
    expect(deliveries.at(-1)!.status).toBe(200);
    await watch.waitFor(/new findings?:/, 20_000);
    const until = Date.now() + 5000;
    while (sink.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const elapsed = Date.now() - sentAt;
    // Within the quiet period plus one read (the targeted read is faster than the full read it is compared with).
    expect(elapsed).toBeLessThan(QUIET_MS + fullReadMs + 1500);

    // Okta delivers at least once: the same delivery again is dropped, costing no read.
    const replayed = await fake.events.replay(deliveries.length - 1);
    expect(replayed.status).toBe(200);
    await new Promise((r) => setTimeout(r, QUIET_MS + 1500));

    expect(sink.received).toHaveLength(1);
    const note = sink.received[0]!;
    expect(note.signatureOk).toBe(true);
    const codes = (note.body.newFindings as { items: { code: string; message: string }[] }).items.map((f) => f.code);
    expect(codes).toContain('OWNER_LOCKOUT');
    const reads = logLines().filter((l) => l.read);
    expect(reads.map((l) => l.read)).toEqual(['targeted']);
    // The IdP requests after the change: the targeted read only, fewer than one full read.
    const requests = server.served - before;
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThan(oktaMinimumRequests(fake.tenant));
    expect(watch.output).not.toContain(HOOK_SECRET);
    expect(watch.output).not.toContain(WEBHOOK_SECRET);
    expect(watch.output).not.toContain(TOKEN);
  }, 60_000);

  it('refuses deliveries without the hook secret, stays up and ready', async () => {
    const raw = await fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'com.okta.event_hook', data: { events: [] } }),
    });
    expect(raw.status).toBe(401);
    const url = await watch.url();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await watch.stop()).toBe(0);
    expect(watch.output).toMatch(/"msg":"stopped: \d+ events \(1 replays dropped\)/);
  }, 30_000);
});
