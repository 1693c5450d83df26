import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { refuse, type ReceiveResult } from '@claude-idp/core';
import { startListener, type WatchListener, watchReadiness } from './listener';

let listener: WatchListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

const lines: string[] = [];
const start = (handle: () => ReceiveResult | Promise<ReceiveResult>, extra: { requestTimeoutMs?: number } = {}) =>
  startListener({
    host: '127.0.0.1',
    port: 0,
    receiver: { specificationVersion: 'v1', idp: 'okta', paths: ['/events/okta'], handle },
    maxBodyBytes: 1024,
    readiness: () => ({ ready: true, detail: {} }),
    onResult: () => {},
    log: (l) => lines.push(l),
    ...extra,
  });

/** Sends raw bytes and resolves with what came back when the server closed the connection. */
function raw(port: number, text: string): Promise<{ answer: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let answer = '';
    const s = connect(port, '127.0.0.1', () => s.write(text));
    s.on('data', (d) => (answer += d));
    s.on('close', () => resolve({ answer, ms: Date.now() - t0 }));
    s.on('error', () => {});
  });
}

describe('the watch listener', () => {
  it('drops a request whose body never arrives (slow client) within the request timeout', async () => {
    listener = await start(() => ({ answer: { status: 200 }, events: [] }), { requestTimeoutMs: 1000 });
    const r = await raw(
      listener.port,
      'POST /events/okta HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a"',
    );
    expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(r.ms).toBeLessThan(5000);
    expect(listener.answered.get(408)).toBe(1);
  }, 10_000);

  it('answers 500 when the receiver throws, and keeps serving', async () => {
    listener = await start(() => {
      throw new Error('receiver bug with secret-ish detail');
    });
    const r = await fetch(`${listener.url}/events/okta`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(500);
    expect(await r.text()).toBe('Internal Server Error');
    expect(lines.at(-1)).toBe('the okta receiver failed on a POST to /events/okta');
    expect((await fetch(`${listener.url}/healthz`)).status).toBe(200);
  });

  it('refuses a declared body over the limit before reading it, and counts answers by status', async () => {
    listener = await start(() => refuse(401, 'no'));
    const r = await raw(
      listener.port,
      'POST /events/okta HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 999999\r\n\r\n',
    );
    expect(r.answer).toMatch(/^HTTP\/1\.1 413/);
    expect(listener.answered.get(413)).toBe(1);
  });
});

describe('watchReadiness', () => {
  const ok = { stopping: false, readsOk: true, subscriptionsOk: true, subscriptionsTried: true };
  it('stays ready while reads or subscriptions fail, naming them; not ready while stopping', () => {
    expect(watchReadiness(ok)).toEqual({ ready: true, degraded: [] });
    expect(watchReadiness({ ...ok, readsOk: false, subscriptionsOk: false })).toEqual({
      ready: true,
      degraded: ['reads failing', 'subscriptions failing'],
    });
    expect(watchReadiness({ ...ok, subscriptionsOk: false, subscriptionsTried: false }).degraded).toEqual([
      'subscriptions being created',
    ]);
    expect(watchReadiness({ ...ok, stopping: true }).ready).toBe(false);
  });
});
