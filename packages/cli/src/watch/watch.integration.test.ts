import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cloneTenant,
  DEMO_CLAUDE_ORG,
  demoConfig,
  demoMembers,
  demoTenant,
  startLoopbackServer,
  type GenericTenant,
} from '@claude-idp/core/testing';
import { createAnthropicFake } from '@claude-idp/anthropic/testing';
import { run } from '../cli-program';
import { captureIo } from '../__tests__/io-capture';
import { tmp } from '../__tests__/run-bin';
import { watchTestPieces } from '../commands/watch';
import type { IdpEventReceiverV1, SubscriptionManager } from '@claude-idp/core';
import type { Io } from '../cli-io';
import { REFUSALS_LOGGED, type WatchListener } from './listener';
import { testAdapter, testReceiver, webhookSink, type WebhookSink } from './watch-test-kit';

// `watch` in-process over real loopback HTTP, with a test receiver and adapter in place of a
// vendor's (the vendor receivers are tested end to end with the built binary).

const RECEIVER_SECRET = 'receiver-secret-5f1c9e2a7b';
const WEBHOOK_SECRET = 'webhook-secret-8d3a6c1f0e';
const until = async (what: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The captured Io with the real clock (the engine's timers run on it). */
function liveIo(cwd: string, env: Record<string, string>): Io & { out: string } {
  const io = captureIo(cwd, env);
  const both = { ...io, stderr: (s: string) => io.stdout(s), now: () => new Date() };
  return Object.defineProperty(both, 'out', { get: () => io.out + io.err });
}

/** The demo tenant with its Owner group's one member active: an Owner exists until the test removes her. */
function ownedTenant(): GenericTenant {
  const t = cloneTenant(demoTenant());
  for (const u of t.users) if (u.id === 'd01') u.status = 'active';
  return t;
}

interface Started {
  io: Io & { out: string };
  listener: WatchListener;
  adapter: ReturnType<typeof testAdapter>;
  tenant: { current: GenericTenant };
  sink: WebhookSink;
  controller: AbortController;
  done: Promise<number>;
  dir: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  watchTestPieces.current = undefined;
});

async function startWatch(
  extra: string[] = [],
  opts: {
    state?: boolean;
    dir?: string;
    env?: Record<string, string>;
    members?: boolean;
    claudeOnly?: boolean;
    receiver?: IdpEventReceiverV1;
    tenant?: GenericTenant;
  } = {},
): Promise<Started> {
  const dir = opts.dir ?? tmp();
  const config = demoConfig('okta');
  if (opts.claudeOnly) config.organizations = config.organizations.filter((o) => o.id === DEMO_CLAUDE_ORG);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
  const tenant = { current: opts.tenant ?? ownedTenant() };
  const adapter = testAdapter(() => tenant.current);
  const sink = await webhookSink(WEBHOOK_SECRET);
  let listener: WatchListener | undefined;
  watchTestPieces.current = {
    adapter,
    receiver: opts.receiver ?? testReceiver(RECEIVER_SECRET),
    onListening: (l) => (listener = l),
  };
  const io = liveIo(dir, { CLAUDE_IDP_WEBHOOK_SECRET: WEBHOOK_SECRET, ...opts.env });
  const controller = new AbortController();
  const done = run(
    [
      'watch',
      '--idp',
      'okta',
      '--config',
      'config.json',
      ...(opts.members === false ? [] : ['--members', 'members.json']),
      '--listen',
      '127.0.0.1:0',
      '--quiet-period',
      '300ms',
      '--max-wait',
      '2s',
      '--max-body',
      '2kb',
      '--notify',
      sink.url,
      ...(opts.state ? ['--state', 'state'] : []),
      ...extra,
    ],
    { io, abortSignal: controller.signal },
  );
  cleanups.push(async () => {
    controller.abort();
    await done.catch(() => undefined);
    await sink.close();
  });
  await until(() => listener !== undefined).catch(() => {
    throw new Error(`watch did not start:\n${io.out}`);
  });
  return { io, listener: listener!, adapter, tenant, sink, controller, done, dir };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('claude-idp watch (in-process, real HTTP)', () => {
  it('notifies once, naming the new finding, after the last Owner leaves the Owner group; replays cost nothing', async () => {
    const w = await startWatch();
    const base = w.listener.url;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, idp: 'okta' });
    expect(w.adapter.reads).toEqual({ full: 1, targeted: 0 });
    expect(w.sink.received).toHaveLength(0); // the baseline notifies nothing without --state

    w.tenant.current = cloneTenant(w.tenant.current);
    const owners = w.tenant.current.groups.find((g) => g.id === 'dg01')!;
    owners.memberUserIds = [];
    const delivery = JSON.stringify({ events: [{ id: 'evt-1', group: 'dg01' }] });
    const sentAt = Date.now();
    expect((await post(`${base}/events/okta`, delivery, { 'x-test-secret': RECEIVER_SECRET })).status).toBe(200);
    // The vendor delivers at least once: the same event again is dropped.
    expect((await post(`${base}/events/okta`, delivery, { 'x-test-secret': RECEIVER_SECRET })).status).toBe(200);
    await until(() => w.sink.received.length > 0);
    expect(Date.now() - sentAt).toBeLessThan(300 + 2000);
    await new Promise((r) => setTimeout(r, 800)); // a second notification would have come by now
    expect(w.sink.received).toHaveLength(1);
    const note = w.sink.received[0]!;
    expect(note.signatureOk).toBe(true);
    const newFindings = note.body.newFindings as { total: number; items: { code: string }[] };
    // Nobody holds Owner any more, and the Owner who left the group loses access.
    expect(newFindings.items.map((f) => f.code).sort()).toEqual(['ACCESS_LOSS', 'OWNER_LOCKOUT']);
    expect(note.body.trigger).toEqual({ total: 1, items: ['a member left group dg01'] });
    expect(w.adapter.reads).toEqual({ full: 1, targeted: 1 });
    expect(w.io.out).toMatch(/1 event → targeted read: 1 targets/);
    expect(w.io.out).not.toMatch(/test: accepted/); // accepted deliveries: one line per batch, not per delivery
    expect(w.io.out).toMatch(/2 new findings: .*OWNER_LOCKOUT/);

    // The same state again: nothing new, nothing sent.
    await post(`${base}/events/okta`, JSON.stringify({ events: [{ id: 'evt-2', group: 'dg01' }] }), {
      'x-test-secret': RECEIVER_SECRET,
    });
    await until(() => w.adapter.reads.targeted === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.sink.received).toHaveLength(1);

    w.controller.abort();
    expect(await w.done).toBe(0);
    expect(w.io.out).toMatch(/stopped: 3 events \(1 replays dropped\), reads: 2 targeted, 0 full/);
  });

  it('survives a flood of bad requests, stays ready, and logs no secret', async () => {
    const w = await startWatch();
    const base = w.listener.url;
    const ev = `${base}/events/okta`;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const answers = await Promise.all([
        post(ev, '{"events": [', { 'x-test-secret': RECEIVER_SECRET }), // malformed JSON
        post(ev, JSON.stringify({ events: [] }), { 'x-test-secret': `wrong-${RECEIVER_SECRET}` }), // wrong secret
        post(ev, JSON.stringify({ events: [] })), // no secret
        post(ev, 'x'.repeat(3000), { 'x-test-secret': RECEIVER_SECRET }), // over --max-body 2kb
        fetch(ev, { method: 'POST', headers: { 'x-test-secret': RECEIVER_SECRET }, body: '{"events":[]}' }), // text/plain
        fetch(ev, { method: 'DELETE' }),
        fetch(`${base}/nowhere`),
        fetch(`${base}/healthz`, { method: 'POST' }),
      ]);
      statuses.push(...answers.map((a) => a.status));
      await Promise.all(answers.map((a) => a.arrayBuffer()));
    }
    // Not HTTP at all, and a body that never ends within the declared length.
    await new Promise<void>((resolve) => {
      const s = connect(w.listener.port, '127.0.0.1', () => s.end('GARBAGE\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    const big = await fetch(ev, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-secret': RECEIVER_SECRET },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('['.repeat(4096)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).catch(() => null);
    if (big) expect(big.status).toBe(413);

    expect(new Set(statuses)).toEqual(new Set([400, 401, 413, 415, 405, 404]));
    expect(statuses.filter((s) => s === 401)).toHaveLength(40);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(w.adapter.reads).toEqual({ full: 1, targeted: 0 });
    expect(w.io.out).toMatch(/test: refused a delivery without the right x-test-secret header/);
    expect(w.io.out).toMatch(/refused a body over 2048 bytes/);
    for (const secret of [RECEIVER_SECRET, WEBHOOK_SECRET, '/hooks/claude-idp']) expect(w.io.out).not.toContain(secret);
    expect(w.io.out).toContain('http://127.0.0.1:'); // the notify target shows as its host only
    // A flood does not flood the log: REFUSALS_LOGGED lines a minute, the rest counted in one line.
    const refusalLines = () => w.io.out.split('\n').filter((l) => / refused /.test(l));
    expect(refusalLines().length).toBeLessThanOrEqual(REFUSALS_LOGGED);
    w.controller.abort();
    expect(await w.done).toBe(0);
    expect(w.io.out).toMatch(/refused \d+ more requests in the last minute \(\d+× 4\d\d/);
  });

  it('with --state: saves runs and watch.json, and a restart compares with the last run', async () => {
    const w = await startWatch([], { state: true });
    // First run in an empty state directory: today's findings are the baseline, saved, not notified.
    await until(() => /the \d+ current findings are the baseline, not notified/.test(w.io.out));
    w.controller.abort();
    expect(await w.done).toBe(0);
    const state = join(w.dir, 'state');
    const saved = JSON.parse(readFileSync(join(state, 'watch.json'), 'utf8'));
    expect(saved).toMatchObject({
      schemaVersion: 1,
      idp: 'okta',
      subscriptions: null,
      claude: { lastActivityId: null },
    });
    expect(readdirSync(join(state, 'runs'))).toHaveLength(1);
    expect(w.sink.received).toHaveLength(0);
    expect(existsSync(join(state, '.lock'))).toBe(false);
    expect(w.io.out).toMatch(/state saved in .*state; subscriptions kept for the next start/);

    // A restart on an unchanged tenant: compared with the saved run, nothing is new, nothing is sent.
    const again = await startWatch([], { state: true, dir: w.dir });
    await until(() => /baseline:/.test(again.io.out));
    again.controller.abort();
    expect(await again.done).toBe(0);
    expect(again.sink.received).toHaveLength(0);
    expect(readdirSync(join(state, 'runs'))).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(state, 'watch.json'), 'utf8')).savedAt).not.toBe(saved.savedAt);

    // The Owner group emptied while no watcher ran: the restart notifies what is new since the last run.
    const changed = ownedTenant();
    changed.groups.find((g) => g.id === 'dg01')!.memberUserIds = [];
    const third = await startWatch([], { state: true, dir: w.dir, tenant: changed });
    await until(() => third.sink.received.length === 1);
    const codes = (third.sink.received[0]!.body.newFindings as { items: { code: string }[] }).items.map((f) => f.code);
    expect(codes).toContain('OWNER_LOCKOUT');
    third.controller.abort();
    expect(await third.done).toBe(0);
  });

  it('polls the Claude activity feed: a role changed in Claude re-reads the Claude side only', async () => {
    const claudeServer = await startLoopbackServer();
    const claude = createAnthropicFake({
      orgKind: 'enterprise',
      orgId: DEMO_CLAUDE_ORG,
      members: demoMembers().filter((m) => m.orgId === DEMO_CLAUDE_ORG),
      baseUrl: claudeServer.url,
    });
    claudeServer.use(claude.handlers);
    cleanups.push(() => claudeServer.close());
    const w = await startWatch(['--claude-poll-every', '5s'], { env: claude.env, members: false, claudeOnly: true });
    await until(() => /polling the Claude activity feed every 5s, after/.test(w.io.out));
    const liam = claude.users().find((u) => u.email === 'liam.walsh@northwind.example')!;
    claude.update((org) => org.updateRole(liam.id, 'managed'));
    await until(() => /1 event → claude read: the Claude side/.test(w.io.out), 15_000).catch((e: Error) => {
      throw new Error(`${e.message}:\n${w.io.out}\n${JSON.stringify(claude.activities.list())}`);
    });
    expect(w.adapter.reads).toEqual({ full: 1, targeted: 0 }); // the IdP was not read again
    // A feed the key can no longer read: logged, shown under `degraded`, the watcher still ready.
    claude.kit.inject({ match: /\/v1\/compliance\/activities/, fault: { type: 'status', status: 403 }, times: 100 });
    await until(() => /polling the Claude activity feed failed/.test(w.io.out), 15_000);
    const r = await fetch(`${w.listener.url}/readyz`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { degraded: string[] }).degraded).toContain('Claude activity feed failing');
    w.controller.abort();
    expect(await w.done).toBe(0);
    expect(w.io.out).not.toContain(claude.env.ANTHROPIC_ADMIN_KEY!);
  }, 30_000);

  /** The test receiver with a subscription manager whose first `ensure` fails (the vendor refused). */
  function subscribing(): IdpEventReceiverV1 & { calls: string[] } {
    const calls: string[] = [];
    let restored: unknown = null;
    const subscriptions: SubscriptionManager = {
      async ensure({ publicUrl, now }) {
        calls.push(`ensure ${publicUrl}`);
        if (calls.filter((c) => c.startsWith('ensure')).length === 1) throw new Error('the vendor refused: 403');
        return { nextRunAt: new Date(now.getTime() + 3_600_000), lines: ['subscription sub-1 created'] };
      },
      async close() {
        calls.push('close');
        return ['subscription sub-1 removed'];
      },
      save: () => ({ id: 'sub-1', restoredFrom: restored }),
      restore(saved) {
        calls.push(`restore ${JSON.stringify(saved)}`);
        restored = saved;
      },
    };
    return { ...testReceiver(RECEIVER_SECRET), subscriptions, calls };
  }

  it('a receiver that subscribes needs --public-url (usage error), and it must be https off loopback', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(demoConfig('okta')));
    writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
    const tenant = ownedTenant();
    for (const [extra, message] of [
      [[], /--public-url is required for okta: the watcher subscribes/],
      [['--public-url', 'http://watch.example.com'], /--public-url must use https:\/\//],
    ] as const) {
      watchTestPieces.current = { adapter: testAdapter(() => tenant), receiver: subscribing() };
      const io = liveIo(dir, {});
      const args = ['watch', '--idp', 'okta', '--config', 'config.json', '--members', 'members.json', ...extra];
      expect(await run(args, { io })).toBe(2);
      expect(io.out).toMatch(message);
      expect(io.out).not.toMatch(/first full read/);
    }
  });

  it('ready but degraded while the subscriptions fail (the vendor must still reach the listener); subscribed after a retry; removed on stop without --state, kept with it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      const receiver = subscribing();
      const w = await startWatch(['--public-url', 'https://watch.example.com'], { receiver });
      expect(w.io.out).toMatch(/subscriptions failed: the vendor refused: 403; retrying in 1m/);
      const r = await fetch(`${w.listener.url}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({
        ready: true,
        subscriptions: 'failing',
        degraded: ['subscriptions failing'],
      });
      await vi.advanceTimersByTimeAsync(60_000);
      await until(() => /subscriptions ready; next renewal at/.test(w.io.out));
      const after = await fetch(`${w.listener.url}/readyz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({ ready: true, subscriptions: 'ok', degraded: [] });
      w.controller.abort();
      expect(await w.done).toBe(0);
      expect(receiver.calls).toEqual(['ensure https://watch.example.com', 'ensure https://watch.example.com', 'close']);
      expect(w.io.out).toMatch(/subscription sub-1 removed/);

      // With --state: kept on stop, saved in watch.json, restored on the next start.
      const kept = subscribing();
      const s = await startWatch(['--public-url', 'https://watch.example.com'], { receiver: kept, state: true });
      await vi.advanceTimersByTimeAsync(60_000);
      await until(() => /subscriptions ready/.test(s.io.out));
      s.controller.abort();
      expect(await s.done).toBe(0);
      expect(kept.calls).not.toContain('close');
      const again = subscribing();
      const t = await startWatch(['--public-url', 'https://watch.example.com'], {
        receiver: again,
        state: true,
        dir: s.dir,
      });
      expect(again.calls[0]).toBe('restore {"id":"sub-1","restoredFrom":null}');
      t.controller.abort();
      expect(await t.done).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  }, 30_000);

  it('listens on every interface only when told to, with a warning line', async () => {
    const w = await startWatch(['--listen', '0.0.0.0:0']);
    expect(w.io.out).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+ \(/);
    expect(w.io.out).toMatch(
      /warning: 0\.0\.0\.0 is reachable from other machines; put a TLS-terminating reverse proxy in front/,
    );
    expect(w.io.out).not.toMatch(/loopback only/);
  });

  it('a notification that fails is logged (host only) and the watcher stays ready', async () => {
    // No CLAUDE_IDP_WEBHOOK_SECRET: the receiver refuses the unsigned notification with 401.
    const w = await startWatch([], { env: { CLAUDE_IDP_WEBHOOK_SECRET: '' } });
    w.tenant.current = cloneTenant(w.tenant.current);
    w.tenant.current.groups.find((g) => g.id === 'dg01')!.memberUserIds = [];
    await post(`${w.listener.url}/events/okta`, JSON.stringify({ events: [{ id: 'e1', group: 'dg01' }] }), {
      'x-test-secret': RECEIVER_SECRET,
    });
    await until(() => /notification to http:\/\/127\.0\.0\.1:\d+\/… failed: HTTP 401 after 1 attempt/.test(w.io.out));
    expect(w.sink.received).toHaveLength(1);
    expect(w.sink.received[0]!.signatureOk).toBe(false);
    expect((await fetch(`${w.listener.url}/readyz`)).status).toBe(200);
    expect(w.io.out).not.toContain('/hooks/claude-idp');
  });
});
