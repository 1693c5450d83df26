import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeEvents, GenericTenant, LoopbackServer } from '@claude-idp/core/testing';
import { cloneTenant, demoConfig, demoMembers, demoTenant } from '@claude-idp/core/testing';
import type { IdpKind } from '@claude-idp/core';
import { tmp } from '../__tests__/run-bin';
import { freePort } from '../demo-watch';
import { spawnWatch, type WatchProcess } from './watch-bin-kit';
import { webhookSink, type WebhookSink } from './watch-test-kit';

// The end-to-end scenario every IdP passes, as in production: the built `claude-idp watch` in a
// child process, the vendor's fake on a loopback server delivering its own events to it over
// real HTTP, and a webhook receiver checking claude-idp's signature.

/** One vendor's side of the scenario. */
export interface VendorUnderWatch {
  server: LoopbackServer;
  /** The fake's tenant changes and its deliveries (each fake's `events` API). */
  update(mutate: (t: GenericTenant) => void): void;
  events: Pick<FakeEvents, 'settled' | 'replay' | 'sendRaw'>;
  /** Environment for the watcher (connection and delivery secret). */
  env: Record<string, string>;
  /** Secrets that must never appear in the watcher's output. */
  secrets(): string[];
  /** Registers the watcher's URL with the vendor (hook, webhook, subscription) once it listens. */
  subscribe(listenerUrl: string): Promise<void>;
  /** The requests a full read of the tenant takes. */
  fullReadRequests(): number;
  /** A delivery without the vendor's authentication, and the status the receiver must answer. */
  forged: { headers: Record<string, string>; body: string; status: number };
  /** The watcher subscribes itself (Graph, Google): it gets `--public-url` (its own loopback address). */
  subscribesItself?: boolean;
  /** More `watch` arguments (e.g. `--app`). */
  args?: string[];
}

/** The demo org with its Owner group's one member active: an Owner exists until the test removes her. */
export function ownedDemoTenant(): GenericTenant {
  const t = cloneTenant(demoTenant());
  for (const u of t.users) if (u.id === 'd01') u.status = 'active';
  return t;
}

const WEBHOOK_SECRET = 'webhook-secret-e2e-6c2f8a1d';
const QUIET_MS = 500;

export function describeOwnerLoss(
  idp: Exclude<IdpKind, 'generic'>,
  setup: () => Promise<VendorUnderWatch>,
  /** The vendor's own further cases, run against the same watcher before it is stopped. */
  more?: (running: () => { watch: WatchProcess }) => void,
): void {
  let vendor: VendorUnderWatch;
  let sink: WebhookSink;
  let watch: WatchProcess;
  let fullReadMs = 0;

  beforeAll(async () => {
    vendor = await setup();
    sink = await webhookSink(WEBHOOK_SECRET);
    const dir = tmp();
    const port = vendor.subscribesItself ? await freePort() : 0;
    const listen = vendor.subscribesItself
      ? ['--listen', `127.0.0.1:${port}`, '--public-url', `http://127.0.0.1:${port}`]
      : ['--listen', '127.0.0.1:0'];
    writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig(idp), null, 2));
    writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers(), null, 2));
    watch = spawnWatch(
      [
        '--idp',
        idp,
        '--members',
        'members.json',
        ...listen,
        ...(vendor.args ?? []),
        '--quiet-period',
        `${QUIET_MS}ms`,
        '--max-wait',
        '5s',
        '--notify',
        sink.url,
        '--log-format',
        'json',
      ],
      { cwd: dir, env: { ...vendor.env, CLAUDE_IDP_WEBHOOK_SECRET: WEBHOOK_SECRET } },
    );
    const url = await watch.url();
    fullReadMs = Number((await watch.waitFor(/baseline: [^"]*\((\d+) ms\)/))[1]);
    await vendor.subscribe(url);
    if (vendor.subscribesItself) await watch.waitFor(/subscriptions ready; next renewal at/);
  }, 60_000);

  afterAll(async () => {
    await watch?.stop();
    await sink?.close();
    await vendor?.server.close();
  });

  const reads = () =>
    watch.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; read?: string })
      .filter((l) => l.read);

  describe(`claude-idp watch --idp ${idp} (built binary, the ${idp} fake, real HTTP)`, () => {
    it('the last Owner leaves the Owner group: one notification naming the finding, after one targeted read', async () => {
      const before = vendor.server.served;
      const sentAt = Date.now();
      vendor.update((t) => {
        t.groups.find((g) => g.id === 'dg01')!.memberUserIds = [];
      });
      const deliveries = await vendor.events.settled();
      expect(deliveries.at(-1)!.status).toBeLessThan(300);
      await watch.waitFor(/new findings?:/, 20_000);
      const until = Date.now() + 5000;
      while (sink.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      // Within the quiet period plus one read (a targeted read is faster than the full read it is compared with).
      expect(Date.now() - sentAt).toBeLessThan(QUIET_MS + fullReadMs + 1500);
      const served = vendor.server.served - before;

      // The vendor delivers at least once: the same delivery again is dropped, costing no read.
      const replayed = await vendor.events.replay(deliveries.length - 1);
      expect(replayed.status).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, QUIET_MS + 1500));

      expect(sink.received).toHaveLength(1);
      const note = sink.received[0]!;
      expect(note.signatureOk).toBe(true);
      const codes = (note.body.newFindings as { items: { code: string }[] }).items.map((f) => f.code);
      expect(codes).toContain('OWNER_LOCKOUT');
      // The IdP requests after the change: the targeted read only, fewer than a full read.
      expect(served).toBeGreaterThan(0);
      expect(served).toBeLessThan(vendor.fullReadRequests());
      expect(reads().map((l) => l.read)).toEqual(['targeted']);
      expect(vendor.server.served - before).toBe(served); // the replay read nothing
      for (const secret of [...vendor.secrets(), WEBHOOK_SECRET]) expect(watch.output).not.toContain(secret);
    }, 60_000);

    more?.(() => ({ watch }));

    it('refuses a delivery without the vendor’s authentication, stays up and ready, stops with exit 0', async () => {
      const raw = await vendor.events.sendRaw({ headers: vendor.forged.headers, body: vendor.forged.body });
      expect(raw.status).toBe(vendor.forged.status);
      expect((await fetch(`${await watch.url()}/readyz`)).status).toBe(200);
      expect(await watch.stop()).toBe(0);
      // (A replay is dropped by the listener on the event id, or by a receiver that tracks the
      // vendor's message numbers itself, as Google's does: either way it cost no read, above.)
      expect(watch.output).toMatch(/"msg":"stopped: \d+ events \(\d+ replays dropped\)/);
    }, 30_000);
  });
}
