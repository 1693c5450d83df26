import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeQueue, RecentIds, type ReceiveResult, type WatchEvent } from '@claude-idp/core';
import { startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter, createOneLoginEventReceiver } from '../index';
import { numericId } from './onelogin-fake-ids';
import { createOneLoginFake, oneloginConformanceTenant } from './index';

const SECRET = 'Bearer 0d3f6a9c2e5b8d1f4a7c0e3b6d9f2a5c';

/**
 * Over real HTTP on loopback: the OneLogin API fake on one server, and a plain node:http listener
 * on another that hands each request to the receiver, as `watch` does.
 */
describe('onelogin fake webhooks → receiver, over real HTTP', () => {
  let api: LoopbackServer;
  let listener: Server;
  let listenerUrl: string;
  const results: ReceiveResult[] = [];
  const receiver = createOneLoginEventReceiver({ env: { ONELOGIN_WEBHOOK_SECRET: SECRET } });

  beforeAll(async () => {
    api = await startLoopbackServer();
    listener = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const result = await receiver.handle({
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: new Date(),
      });
      results.push(result);
      res.writeHead(result.answer.status, result.answer.headers).end(result.answer.body ?? '');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/events/onelogin`;
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  const start = () => {
    const fake = createOneLoginFake(oneloginConformanceTenant(), { baseUrl: api.url });
    api.use(fake.handlers);
    fake.events.subscribe({ url: listenerUrl, secret: SECRET });
    return { fake, adapter: createOneLoginAdapter({ env: fake.env }) };
  };

  it('removing the last owner: one authenticated delivery, one role re-read, the owner group empty', async () => {
    const { fake, adapter } = start();
    const previous = await adapter.readSnapshot();
    const before = results.length;
    fake.update((t) => {
      t.groups.find((g) => g.id === 'g01')!.memberUserIds = [];
    });
    const deliveries = await fake.events.settled();
    expect(deliveries).toHaveLength(1);
    const d = deliveries[0]!;
    expect(d.status).toBe(200);
    expect(d.headers).toEqual({ Authorization: SECRET, 'content-type': 'application/json' });
    const body = JSON.parse(d.body) as Record<string, unknown>[];
    expect(body).toEqual([
      expect.objectContaining({
        event_type_id: 148,
        user_id: numericId('user', 'u01'),
        role_id: numericId('role', 'g01'),
        role_name: 'anthropic-claudeai-468ca80f-owner',
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
      }),
    ]);
    const events = results.slice(before).flatMap((r) => r.events);
    const queue = new ChangeQueue();
    for (const e of events) queue.add(e, new Date());
    const batch = queue.take();
    expect(batch.targets).toEqual([{ kind: 'group', id: `role:${numericId('role', 'g01')}` }]);
    fake.kit.reset();
    const refreshed = await adapter.refreshSnapshot!(previous, { targets: batch.targets });
    expect(refreshed.read).toBe('targeted');
    expect(refreshed.snapshot.groups.find((g) => g.name.endsWith('-owner'))!.memberUserIds).toEqual([]);
    expect(fake.kit.requests.map((r) => r.pathname)).toEqual([
      '/auth/oauth2/v2/token',
      `/api/2/roles/${numericId('role', 'g01')}`,
    ]);
  });

  it('batches as OneLogin does: at most 10 events per POST', async () => {
    const { fake } = start();
    fake.update((t) => {
      for (let i = 0; i < 23; i++) {
        t.users.push({
          id: `n${i}`,
          email: `n${i}@acme.example`,
          login: `n${i}@acme.example`,
          givenName: 'New',
          familyName: `Person${i}`,
          status: 'active',
        });
      }
    });
    const deliveries = await fake.events.settled();
    expect(deliveries.map((d) => (JSON.parse(d.body) as unknown[]).length)).toEqual([10, 10, 3]);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    expect(fake.events.events).toHaveLength(23);
    expect(fake.events.events.every((e) => e.event_type_id === 13)).toBe(true);
  });

  it('a replayed delivery carries the same uuids, which the listener drops', async () => {
    const { fake } = start();
    fake.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    await fake.events.settled();
    const first = results.length;
    await fake.events.replay(0);
    await fake.events.replay(0);
    const again = results.slice(first);
    expect(again.map((r) => r.answer.status)).toEqual([200, 200]);
    const seen = new RecentIds();
    const original = JSON.parse(fake.events.deliveries[0]!.body) as { uuid: string }[];
    seen.remember(original[0]!.uuid);
    const kept: WatchEvent[] = again.flatMap((r) => r.events).filter((e) => e.id === null || seen.remember(e.id));
    expect(again.flatMap((r) => r.events.map((e) => e.id))).toEqual([original[0]!.uuid, original[0]!.uuid]);
    expect(kept).toEqual([]);
  });

  it('refuses forged, malformed and mistyped deliveries over HTTP, with no detail', async () => {
    const { fake } = start();
    const json = { 'content-type': 'application/json' };
    const send = (headers: Record<string, string>, body: string) => fake.events.sendRaw({ headers, body });
    const good = JSON.stringify([{ uuid: 'u-1', event_type_id: 14, user_id: 1 }]);
    const answers = [
      await send(json, good),
      await send({ ...json, Authorization: 'Bearer guessed' }, good),
      await send({ ...json, Authorization: SECRET }, '[{"uuid": "u-1",'),
      await send({ 'content-type': 'text/plain', Authorization: SECRET }, good),
      await send({ ...json, Authorization: SECRET }, good),
      await fake.events.sendRaw({ method: 'GET', headers: { Authorization: SECRET }, body: '' }),
    ];
    expect(answers.map((a) => [a.status, a.answer])).toEqual([
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
      [400, 'Bad Request'],
      [415, 'Unsupported Media Type'],
      [200, 'OK'],
      [405, 'Method Not Allowed'],
    ]);
  });

  it('emit sends hand-made events completed with OneLogin fields; ones watch ignores ask for nothing', async () => {
    const { fake } = start();
    const before = results.length;
    fake.events.emit([{ event_type_id: 5, user_id: numericId('user', 'u01'), user_name: 'Ada Lovelace' }]);
    const [d] = await fake.events.settled();
    expect(JSON.parse(d!.body)).toEqual([
      expect.objectContaining({ event_type_id: 5, role_id: null, app_id: null, account_id: expect.any(Number) }),
    ]);
    const [r] = results.slice(before);
    expect(r!.events).toEqual([expect.objectContaining({ type: 'event_type_id 5', targets: [] })]);
  });

  it('no log line of the receiver holds the secret', () => {
    expect(results.length).toBeGreaterThan(5);
    const token = SECRET.split(' ')[1]!;
    for (const r of results) {
      expect(r.log).toBeTruthy();
      expect(r.log).not.toContain(token);
      for (const e of r.events) expect(e.summary).not.toContain(token);
    }
  });

  it('changes OneLogin has no event for send nothing; an unsubscribed webhook gets nothing', async () => {
    const { fake } = start();
    fake.update((t) => {
      t.groups.find((g) => g.id === 'g06')!.name = 'anthropic-sales';
      t.app.sso.nameId = 'login';
    });
    expect(await fake.events.settled()).toHaveLength(0);
    const other = createOneLoginFake(oneloginConformanceTenant(), { baseUrl: api.url });
    const sub = other.events.subscribe({ url: listenerUrl, secret: SECRET });
    sub.unsubscribe();
    other.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    expect(await other.events.settled()).toHaveLength(0);
    expect(other.events.events).toHaveLength(1);
  });
});
