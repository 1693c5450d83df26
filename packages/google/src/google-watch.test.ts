import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, InputError, type IdpEventReceiverV1, type ReceiveResult } from '@claude-idp/core';
import { conformanceTenant, startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { createGoogleEventReceiver, GOOGLE_EVENTS_PATH } from './index';
import { createGoogleFake, type GoogleFake } from './testing/index';
import { serveReceiver } from './testing/receiver-server';

// Everything over real sockets: the fake's Admin SDK on one loopback server, the receiver on
// another; channels are created through @googleapis/admin and notifications are real POSTs.
let google: LoopbackServer;
let listener: Awaited<ReturnType<typeof serveReceiver>>;
let fake: GoogleFake;
let receiver: IdpEventReceiverV1;
const T0 = new Date();

beforeAll(async () => {
  google = await startLoopbackServer();
});
afterAll(() => google.close());
beforeEach(async () => {
  fake = createGoogleFake(conformanceTenant(), { baseUrl: google.url });
  google.use(fake.handlers);
  receiver = createGoogleEventReceiver({ env: fake.env });
  listener = await serveReceiver(receiver);
});
afterEach(() => listener.close());

const open = async () => {
  const out = await receiver.subscriptions!.ensure({ publicUrl: listener.url, now: T0 });
  await fake.events.settled();
  return out;
};
const userChannel = (event = 'update') => fake.events.channels.find((c) => c.watch === `users:${event}`)!;
const activityChannel = () => fake.events.channels.find((c) => c.watch === 'activities:admin')!;
const last = (): ReceiveResult => listener.results.at(-1)!;
const groupEmail = (name: string) =>
  fake.tenant.groups.find((g) => g.name === name) && `${name.toLowerCase()}@${fake.tenant.domain}`;

describe('channels through @googleapis/admin against the fake', () => {
  it('opens one users.watch channel per user event and one admin activities channel, each answered by its sync', async () => {
    const { lines, nextRunAt } = await open();
    expect(fake.events.channels.map((c) => c.watch).sort()).toEqual([
      'activities:admin',
      'users:add',
      'users:delete',
      'users:undelete',
      'users:update',
    ]);
    expect(lines.filter((l) => l.includes('opened channel'))).toHaveLength(5);
    const paths = fake.kit.requests.map((r) => new URL(r.url).pathname);
    expect(paths.filter((p) => p === '/admin/directory/v1/users/watch')).toHaveLength(4);
    expect(paths).toContain('/admin/reports/v1/activity/users/all/applications/admin/watch');
    // Each channel's address is the receiver's path; Google caps nothing here (6 h asked, under the 2-day maximum).
    for (const c of fake.events.channels) {
      expect(c.address).toBe(`${listener.url}${GOOGLE_EVENTS_PATH}`);
      expect(Number(c.expiration) - T0.getTime()).toBeGreaterThan(5.9 * 3600_000);
      expect(Number(c.expiration) - T0.getTime()).toBeLessThanOrEqual(6 * 3600_000 + 5_000);
    }
    // Five sync messages, message number 1, no body, all acknowledged without an event.
    expect(fake.events.deliveries).toHaveLength(5);
    for (const d of fake.events.deliveries) {
      expect(d.headers['x-goog-resource-state']).toBe('sync');
      expect(d.headers['x-goog-message-number']).toBe('1');
      expect(d.status).toBe(200);
    }
    expect(listener.results.every((r) => r.events.length === 0 && /\(sync\)/.test(r.log ?? ''))).toBe(true);
    // Renewal is due before the first expiry.
    const firstExpiry = Math.min(...fake.events.channels.map((c) => Number(c.expiration)));
    expect(nextRunAt.getTime()).toBeLessThan(firstExpiry);
    expect(nextRunAt.getTime()).toBeGreaterThan(T0.getTime());
  });

  it('a second ensure before the renewal time changes nothing', async () => {
    const { nextRunAt } = await open();
    const before = fake.events.channels.map((c) => c.id).sort();
    const again = await receiver.subscriptions!.ensure({
      publicUrl: listener.url,
      now: new Date(nextRunAt.getTime() - 60_000),
    });
    expect(again.lines).toEqual([]);
    expect(fake.events.channels.map((c) => c.id).sort()).toEqual(before);
  });

  it('renews at nextRunAt: the successor is created first, then the old channel is stopped', async () => {
    const { nextRunAt } = await open();
    const old = new Set(fake.events.channels.map((c) => c.id));
    fake.kit.requests.length = 0;
    const { lines } = await receiver.subscriptions!.ensure({ publicUrl: listener.url, now: nextRunAt });
    expect(lines.filter((l) => l.includes('renewed channel'))).toHaveLength(5);
    expect(lines.filter((l) => l.includes('stopped channel'))).toHaveLength(5);
    expect(fake.events.channels).toHaveLength(5);
    expect(fake.events.channels.some((c) => old.has(c.id))).toBe(false);
    const paths = fake.kit.requests.map((r) => new URL(r.url).pathname);
    // The first stop comes after the first watch of its kind; both stop endpoints are used.
    expect(paths.indexOf('/admin/directory/v1/users/watch')).toBeLessThan(
      paths.indexOf('/admin/directory_v1/channels/stop'),
    );
    expect(paths.filter((p) => p === '/admin/directory_v1/channels/stop')).toHaveLength(4);
    expect(paths.filter((p) => p === '/admin/reports_v1/channels/stop')).toHaveLength(1);
  });

  it('close() stops every channel', async () => {
    await open();
    const lines = await receiver.subscriptions!.close();
    expect(lines).toHaveLength(5);
    expect(fake.events.channels).toHaveLength(0);
  });

  it('refuses a plain-http public URL that is not loopback', async () => {
    await expect(receiver.subscriptions!.ensure({ publicUrl: 'http://watch.example.com', now: T0 })).rejects.toSatisfy(
      (e: unknown) => ConfigurationError.isInstance(e) && e.setting === 'publicUrl',
    );
    expect(fake.events.channels).toHaveLength(0);
  });

  it('GOOGLE_WATCH_GROUP_ACTIVITY=false opens the user channels only', async () => {
    receiver = createGoogleEventReceiver({ env: { ...fake.env, GOOGLE_WATCH_GROUP_ACTIVITY: 'false' } });
    await receiver.subscriptions!.ensure({ publicUrl: listener.url, now: T0 });
    expect(fake.events.channels.map((c) => c.watch)).not.toContain('activities:admin');
    expect(fake.events.channels).toHaveLength(4);
  });

  it('save() keeps ids, resource ids and expiry but no token; restore() authenticates the same channels', async () => {
    await open();
    const saved = receiver.subscriptions!.save();
    const text = JSON.stringify(saved);
    for (const c of fake.events.channels) {
      expect(text).toContain(c.id);
      expect(text).toContain(c.resourceId);
      expect(text).not.toContain(c.token!);
    }
    // A new process: restore, then a notification on an existing channel is accepted.
    await listener.close();
    receiver = createGoogleEventReceiver({ env: fake.env });
    receiver.subscriptions!.restore(JSON.parse(text));
    listener = await serveReceiver(receiver);
    // The channels' address moves with the new listener port in this test only.
    for (const c of fake.events.channels) c.address = `${listener.url}${GOOGLE_EVENTS_PATH}`;
    const alice = fake.tenant.users[0]!;
    fake.update((t) => {
      t.users.find((u) => u.id === alice.id)!.givenName = 'Alicia';
    });
    await fake.events.settled();
    expect(last().rejected).toBeUndefined();
    expect(last().events[0]?.targets[0]?.kind).toBe('user');
    expect(() => receiver.subscriptions!.restore({ version: 1, channels: [{ id: 'x' }] })).toThrow(InputError);
  });
});

describe('notifications from fake.update()', () => {
  it('a user change arrives as an update notification with the user as target', async () => {
    await open();
    const carol = fake.tenant.users.find((u) => u.status === 'active')!;
    fake.update((t) => {
      t.users.find((u) => u.id === carol.id)!.status = 'suspended';
    });
    const deliveries = await fake.events.settled();
    const d = deliveries.at(-1)!;
    expect(d.headers['x-goog-resource-state']).toBe('update');
    expect(d.headers['x-goog-channel-id']).toBe(userChannel().id);
    const body = JSON.parse(d.body) as { kind: string; id: string; primaryEmail: string };
    expect(body.kind).toBe('admin#directory#user');
    expect(body.primaryEmail.toLowerCase()).toBe(carol.email.toLowerCase());
    const [event] = last().events;
    expect(event).toMatchObject({
      source: 'google',
      type: 'update',
      id: `${userChannel().id}:${d.headers['x-goog-message-number']}`,
      targets: [{ kind: 'user', id: body.id }],
    });
  });

  it('a group membership change arrives as an admin activity with the group (by address) as target', async () => {
    await open();
    const group = fake.tenant.groups.find((g) => g.memberUserIds.length > 0)!;
    const removed = fake.tenant.users.find((u) => u.id === group.memberUserIds[0])!;
    fake.update((t) => {
      const g = t.groups.find((x) => x.id === group.id)!;
      g.memberUserIds = g.memberUserIds.filter((id) => id !== removed.id);
    });
    const d = (await fake.events.settled()).at(-1)!;
    expect(d.headers['x-goog-channel-id']).toBe(activityChannel().id);
    const body = JSON.parse(d.body) as {
      kind: string;
      events: { name: string; parameters: { name: string; value: string }[] }[];
    };
    expect(body.kind).toBe('admin#reports#activity');
    expect(body.events[0]!.name).toBe('REMOVE_GROUP_MEMBER');
    const [event] = last().events;
    expect(event!.type).toBe('REMOVE_GROUP_MEMBER');
    expect(event!.targets).toEqual([{ kind: 'group', id: groupEmail(group.name) }]);
    expect(event!.summary).toContain(removed.email.toLowerCase());
  });

  it('admin activities that touch no group give no target', async () => {
    await open();
    const ch = activityChannel();
    await fake.events.sendRaw({
      channelId: ch.id,
      headers: fake.events.headersFor(ch.id, 'CHANGE_USER_SETTING'),
      body: JSON.stringify({
        kind: 'admin#reports#activity',
        events: [{ type: 'USER_SETTINGS', name: 'CHANGE_PASSWORD' }],
      }),
    });
    expect(last().answer.status).toBe(200);
    expect(last().events).toEqual([]);
  });
});

describe('the handshake: every refusal has a status, no detail, and a log line', () => {
  const send = async (headers: Record<string, string>, body = '{"kind":"admin#directory#user","id":"1"}') => {
    const d = await fake.events.sendRaw({ url: `${listener.url}${GOOGLE_EVENTS_PATH}`, headers, body });
    return { d, result: last() };
  };

  it('a wrong token is refused with 403', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    const { d, result } = await send({ ...h, 'x-goog-channel-token': 'not-the-token' });
    expect(d.status).toBe(403);
    expect(d.answer).toBe('Forbidden');
    expect(result.rejected).toBe(true);
    expect(result.log).toMatch(/does not match/);
  });

  it('a missing token is refused with 401', async () => {
    await open();
    const { 'x-goog-channel-token': _, ...h } = fake.events.headersFor(userChannel().id, 'update');
    const { d } = await send(h);
    expect(d.status).toBe(401);
  });

  it('an unknown channel is refused with 403, even with a token of ours', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    const { d, result } = await send({ ...h, 'x-goog-channel-id': 'someone-elses-channel' });
    expect(d.status).toBe(403);
    expect(result.log).toMatch(/did not create/);
    // A forged id cannot write lines into the log.
    await send({ ...h, 'x-goog-channel-id': 'a\tb%0aFAKE' });
    expect(last().log).toMatch(/channel a\?b\?0aFAKE,/);
  });

  it('a notification naming another resource is refused with 403', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    const { d } = await send({ ...h, 'x-goog-resource-id': 'another-resource' });
    expect(d.status).toBe(403);
  });

  it('a replayed message is acknowledged once more without an event, and keeps its event id', async () => {
    await open();
    const carol = fake.tenant.users[1]!;
    fake.update((t) => {
      t.users.find((u) => u.id === carol.id)!.familyName = 'Changed';
    });
    await fake.events.settled();
    const first = last();
    expect(first.events).toHaveLength(1);
    const replay = await fake.events.replay(fake.events.deliveries.length - 1);
    expect(replay.status).toBe(200);
    expect(last().events).toEqual([]);
    expect(last().log).toMatch(/already received/);
  });

  it('a sync message is acknowledged with 200 and no event', async () => {
    await open();
    const { d, result } = await send(fake.events.headersFor(userChannel().id, 'sync'), '');
    expect(d.status).toBe(200);
    expect(result.events).toEqual([]);
  });

  it('a body that is not JSON is refused with 400; a body that is not a user with 400', async () => {
    await open();
    expect((await send(fake.events.headersFor(userChannel().id, 'update'), '{"id":')).d.status).toBe(400);
    expect((await send(fake.events.headersFor(userChannel().id, 'update'), '{"kind":"x"}')).d.status).toBe(400);
  });

  it('a wrong content type is refused with 415', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    const { d } = await send({ ...h, 'content-type': 'text/plain' });
    expect(d.status).toBe(415);
  });

  it('a missing or non-numeric message number is refused with 400; a GET with 405', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    expect((await send({ ...h, 'x-goog-message-number': 'x' })).d.status).toBe(400);
    const res = await fetch(`${listener.url}${GOOGLE_EVENTS_PATH}`);
    expect(res.status).toBe(405);
  });

  it('a refused message number is processed when Google sends it again', async () => {
    await open();
    const h = fake.events.headersFor(userChannel().id, 'update');
    expect((await send({ ...h, 'content-type': 'text/plain' })).d.status).toBe(415);
    const ok = await send(h);
    expect(ok.d.status).toBe(200);
    expect(ok.result.events).toHaveLength(1);
  });

  it('no token appears in any log line, summary or answer', async () => {
    const opened = await open();
    const first = fake.events.channels.map((c) => c.token!);
    const renewed = await receiver.subscriptions!.ensure({ publicUrl: listener.url, now: opened.nextRunAt });
    const tokens = [...first, ...fake.events.channels.map((c) => c.token!)];
    expect(new Set(tokens).size).toBe(10);
    const h = fake.events.headersFor(userChannel().id, 'update');
    await send({ ...h, 'x-goog-channel-token': `${tokens[0]}x` });
    await send({ ...h, 'x-goog-channel-id': 'unknown' });
    await send(h);
    fake.update((t) => {
      t.groups[0]!.name = `${t.groups[0]!.name}-renamed`;
    });
    await fake.events.settled();
    const lines = await receiver.subscriptions!.close();
    const text = JSON.stringify([
      listener.results.map((r) => [r.log, r.answer, r.events.map((e) => e.summary)]),
      lines,
      opened.lines,
      renewed.lines,
    ]);
    expect(listener.results.length).toBeGreaterThan(7);
    for (const token of tokens) expect(text).not.toContain(token);
  });
});
