import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactText } from '@claude-idp/core';
import type { GenericTenant, IdpFake, LoopbackServer } from '@claude-idp/core/testing';
import { demoConnection, type LiveIdp } from './cli-adapters';
import { paint, useColor, type Io } from './cli-io';
import { loadDemoKit } from './demo-kit';
import { parseNotifyTarget } from './notify/targets';
import { runWatch } from './watch/run-watch';
import type { WatchListener } from './watch/listener';
import type { WatchLog } from './watch/watch-log';

// `claude-idp demo --watch`: the real watcher (receiver, engine, adapter, notifier) in this
// process against a vendor's fake served on loopback; a loopback receiver stands in for Slack.

/** The scripted change: the Owner group (its one member active) emptied. */
const OWNER_GROUP_ID = 'dg01';
const OWNER_USER_ID = 'd01';
const QUIET_MS = 300;
const WAIT_MS = 15_000;

interface LogEntry {
  line: string;
  fields: Record<string, unknown>;
}

interface SlackStandIn {
  url: string;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering as a Slack incoming webhook does (200 "ok"), keeping what it got. */
async function slackStandIn(): Promise<SlackStandIn> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      try {
        received.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/DEMO/WEBHOOK`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Creates an Okta event hook for a watcher's `/events/okta` (Okta's Event Hooks API, the
 * authorization header carrying `secret`) and verifies it: Okta's challenge, which the watcher
 * answers. Throws unless both answer 200.
 */
export async function registerOktaEventHook(args: {
  orgUrl: string;
  apiToken: string;
  listenerUrl: string;
  secret: string;
  name: string;
}): Promise<{ id: string; eventTypes: number; verificationStatus: string }> {
  const { OKTA_EVENT_HOOK_EVENT_TYPES } = await import('@claude-idp/okta');
  const headers = { authorization: `SSWS ${args.apiToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${args.orgUrl}/api/v1/eventHooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: args.name,
      events: { type: 'EVENT_TYPE', items: OKTA_EVENT_HOOK_EVENT_TYPES },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: `${args.listenerUrl}/events/okta`,
          authScheme: { type: 'HEADER', key: 'Authorization', value: args.secret },
        },
      },
    }),
  });
  if (created.status !== 200) throw new Error(`creating the Okta event hook failed: HTTP ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  const verified = await fetch(`${args.orgUrl}/api/v1/eventHooks/${id}/lifecycle/verify`, { method: 'POST', headers });
  if (verified.status !== 200) throw new Error(`the Okta event hook was not verified: HTTP ${verified.status}`);
  const { verificationStatus } = (await verified.json()) as { verificationStatus?: string };
  return { id, eventTypes: OKTA_EVENT_HOOK_EVENT_TYPES.length, verificationStatus: verificationStatus ?? 'unknown' };
}

/** A free loopback port, for a watcher that subscribes itself and so must know its URL before it listens. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const until = async (what: () => boolean, ms: number, waitingFor: string, stop?: AbortSignal): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (stop?.aborted) throw new Error(`interrupted while waiting for ${waitingFor}`);
    if (Date.now() > end) throw new Error(`the watch demo timed out waiting for ${waitingFor}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The vendor's side: how a watcher is subscribed, and what the watcher's environment holds. */
interface VendorSide {
  env: Record<string, string>;
  /** The watcher subscribes itself (Graph subscriptions, Google channels) at its own loopback URL. */
  subscribesItself: boolean;
  /** What the vendor's admin (or API call) does to send events to the watcher; its narration. */
  subscribe(listenerUrl: string): Promise<string>;
}

function vendorSide(idp: LiveIdp, fake: IdpFake, server: LoopbackServer): VendorSide {
  // Throwaway shared secrets for this run only: the fake sends them, the receiver checks them.
  const secret = randomBytes(24).toString('hex');
  switch (idp) {
    case 'okta': {
      return {
        env: { ...fake.env, OKTA_EVENT_HOOK_SECRET: secret },
        subscribesItself: false,
        async subscribe(url) {
          const hook = await registerOktaEventHook({
            orgUrl: server.url,
            apiToken: fake.env.OKTA_API_TOKEN!,
            listenerUrl: url,
            secret,
            name: 'claude-idp watch (demo)',
          });
          return `Okta event hook ${hook.id} created (POST /api/v1/eventHooks, ${hook.eventTypes} event types) and verified (POST …/lifecycle/verify: Okta's challenge, answered by the watcher): ${hook.verificationStatus}`;
        },
      };
    }
    case 'onelogin': {
      const header = `Bearer ${secret}`;
      return {
        env: { ...fake.env, ONELOGIN_WEBHOOK_SECRET: header },
        subscribesItself: false,
        async subscribe(url) {
          const { subscribe } = fake.events as unknown as {
            subscribe(s: { url: string; secret: string }): unknown;
          };
          subscribe({ url: `${url}/events/onelogin`, secret: header });
          return 'OneLogin webhook added (OneLogin has no API for it: an admin adds it under Developers → Webhooks, with a custom Authorization header)';
        },
      };
    }
    case 'entra':
      return {
        env: fake.env,
        subscribesItself: true,
        subscribe: async () =>
          'the watcher created its Microsoft Graph subscriptions at its own URL (Graph validated them with a validationToken)',
      };
    case 'google':
      return {
        env: fake.env,
        subscribesItself: true,
        subscribe: async () =>
          'the watcher opened its Google push notification channels at its own URL (Google sent each channel a sync message)',
      };
  }
}

/**
 * Runs the watch demo and prints its transcript; 0 once the notification naming the new finding
 * was received and the watcher stopped.
 */
export async function runDemoWatch(
  io: Io,
  idp: LiveIdp,
  options: { onStop?: (handler: () => void) => () => void; abortSignal?: AbortSignal } = {},
): Promise<number> {
  const p = paint(useColor(io));
  const out = (s = '') => io.stdout(`${s}\n`);
  const step = (n: number, s: string) => out(`\n${p.bold(`${n}. ${s}`)}`);
  const { cloneTenant, demoConfig, demoMembers, demoTenant, startLoopbackServer } = await loadDemoKit();

  const tenant: GenericTenant = cloneTenant(demoTenant());
  for (const u of tenant.users) if (u.id === OWNER_USER_ID) u.status = 'active';
  const ownerGroup = tenant.groups.find((g) => g.id === OWNER_GROUP_ID);
  const owner = tenant.users.find((u) => u.id === OWNER_USER_ID);
  if (!ownerGroup || !owner)
    throw new Error(`the demo tenant has no group ${OWNER_GROUP_ID} with user ${OWNER_USER_ID}`);

  const dir = mkdtempSync(join(tmpdir(), 'claude-idp-demo-watch-'));
  const server = await startLoopbackServer();
  const slack = await slackStandIn();
  const stop = new AbortController();
  const unregister = options.onStop?.(() => stop.abort());
  const onAbort = () => stop.abort();
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  let done: Promise<number> | undefined;
  try {
    const { fake, adapter } = await demoConnection(idp, tenant, server.url);
    server.use(fake.handlers);
    const events = fake.events;
    if (!events) throw new Error(`the ${idp} fake delivers no change events`);
    const vendor = vendorSide(idp, fake, server);
    writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));

    out(p.bold(`claude-idp demo --watch · ${idp}`));
    out(
      `The fake ${idp} tenant at ${server.url}; the real watcher (the @claude-idp/${idp} adapter and event receiver, the engine, the notifier) in this process on a loopback port; a loopback receiver stands in for Slack. Nothing leaves this machine.`,
    );

    const entries: LogEntry[] = [];
    const log: WatchLog = (line, fields = {}) => {
      entries.push({ line, fields });
      out(`  ${p.dim('watch │')} ${redactText(line).replace(/[\r\n]+/g, ' ')}`);
    };
    const logged = (re: RegExp) => entries.some((e) => re.test(e.line));

    const port = vendor.subscribesItself ? await freePort() : 0;
    let listener: WatchListener | undefined;
    let fullReadRequests = 0;
    step(1, 'Start the watcher: a full read of the IdP and an audit (the baseline)');
    done = runWatch(
      // The watcher's timers (quiet period, renewals) run on the real clock, whatever --now or
      // SOURCE_DATE_EPOCH say; its environment is the fake's, never the caller's credentials.
      { ...io, env: vendor.env, now: () => new Date() },
      log,
      {
        idp,
        app: tenant.app.name,
        config: demoConfig(idp),
        members: join(dir, 'members.json'),
        listen: { host: '127.0.0.1', port, exposed: false },
        publicUrl: vendor.subscribesItself ? `http://127.0.0.1:${port}` : undefined,
        keep: 1,
        targets: [parseNotifyTarget(`slack+${slack.url}`)],
        quietMs: QUIET_MS,
        maxWaitMs: 5000,
        fullEveryMs: 6 * 3_600_000,
        claudePollMs: 30_000,
        maxBodyBytes: 1024 * 1024,
        quiet: true,
      },
      stop.signal,
      {
        adapter,
        onListening: (l) => {
          // Nothing but the first full read has asked the IdP anything yet.
          fullReadRequests = server.served;
          listener = l;
        },
      },
    );
    // Ctrl-C stops the watcher gracefully (its onStop), and the demo says it was interrupted (130).
    const failed = done.then((code) => {
      throw new Error(stop.signal.aborted ? 'interrupted' : `the watcher stopped early (exit ${code})`);
    });
    failed.catch(() => undefined);
    const race = <T>(pending: Promise<T>) => Promise.race([pending, failed]);
    await race(until(() => listener !== undefined, WAIT_MS, 'the watcher to listen', stop.signal));

    step(2, `Subscribe the watcher to ${idp}'s change events`);
    const how = await race(vendor.subscribe(listener!.url));
    if (vendor.subscribesItself)
      await race(until(() => logged(/^subscriptions ready/), WAIT_MS, 'the subscriptions', stop.signal));
    await race(events.settled());
    out(`  ${how}`);

    step(3, `The change: ${owner.email}, the last Owner, leaves the Owner group "${ownerGroup.name}"`);
    const before = server.served;
    const delivered = events.deliveries.length;
    const readsBefore = entries.filter((e) => e.fields.read).length;
    const started = Date.now();
    fake.update((t) => {
      t.groups.find((g) => g.id === OWNER_GROUP_ID)!.memberUserIds = [];
    });
    const deliveries = (await race(events.settled())).slice(delivered);
    for (const d of deliveries) {
      const body = d.body.length > 240 ? `${d.body.slice(0, 240)}…` : d.body;
      out(
        `  ${p.dim(`${idp} → watcher │`)} POST ${new URL(d.url).pathname} → ${d.status ?? d.error} (${Buffer.byteLength(d.body)} bytes): ${redactText(body)}`,
      );
    }
    await race(until(() => slack.received.length > 0, WAIT_MS, 'the notification', stop.signal));
    const ms = Date.now() - started;
    const targetedRequests = server.served - before;
    const reads = entries.filter((e) => e.fields.read).slice(readsBefore);
    const targeted = reads.filter((e) => e.fields.read === 'targeted').length;
    const full = reads.filter((e) => e.fields.read === 'full').length;

    step(4, 'What the watcher read');
    out(
      `  ${targeted} targeted read${targeted === 1 ? '' : 's'}${full ? ` and ${full} full read${full === 1 ? '' : 's'}` : ''} after the change: ${targetedRequests} request${targetedRequests === 1 ? '' : 's'} to the ${idp} API, against ${fullReadRequests} for the full read at start (quiet period ${QUIET_MS} ms; event to notification ${ms} ms)`,
    );

    step(5, 'What Slack received (the loopback stand-in)');
    for (const message of slack.received) out(slackText(message));

    step(6, 'Stop the watcher (as on SIGTERM: finish the read, close the subscriptions)');
    stop.abort();
    const code = await done;
    const names = slack.received.map(slackText).join('\n');
    if (!/OWNER_LOCKOUT/.test(names)) throw new Error('the notification did not name OWNER_LOCKOUT');
    out(`\nDone (exit ${code}). Run it against your IdP: claude-idp watch --help, docs/watch.md.`);
    return code;
  } finally {
    stop.abort();
    await done?.catch(() => undefined);
    unregister?.();
    options.abortSignal?.removeEventListener('abort', onAbort);
    await slack.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Slack message's text as a person sees it: the header, then each section's mrkdwn. */
function slackText(message: Record<string, unknown>): string {
  const blocks = (message.blocks ?? []) as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.text) lines.push(...b.text.text.split('\n'));
    for (const e of b.elements ?? []) lines.push(...e.text.split('\n'));
  }
  if (!lines.length && typeof message.text === 'string') lines.push(message.text);
  const plain = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return lines.map((l) => `  slack │ ${plain(l)}`).join('\n');
}
