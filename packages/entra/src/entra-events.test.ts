import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionError, type ReceiveResult } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './entra-adapter';
import { createEntraEventReceiver } from './entra-events';
import { ENTRA_MAX_SUBSCRIPTION_MINUTES } from './entra-subscriptions';
import { startWatchHarness, type WatchHarness } from './entra-watch-harness.test-helper';

let h: WatchHarness | undefined;
afterEach(async () => {
  if (h) {
    // Whatever the test did: no log line carries a clientState that was delivered or the Graph token.
    const secrets = new Set(['fake-graph-token', ...h.fake.events.subscriptions.flatMap((s) => s.clientState ?? [])]);
    for (const d of h.fake.events.deliveries) {
      try {
        for (const n of (JSON.parse(d.body) as { value?: { clientState?: string }[] }).value ?? [])
          if (n.clientState) secrets.add(n.clientState);
      } catch {
        // not JSON (a validation request, a malformed send)
      }
    }
    for (const line of logs(h)) for (const secret of secrets) expect(line).not.toContain(secret);
  }
  await h?.close();
  h = undefined;
});

async function subscribed(env: Record<string, string> = {}) {
  h = await startWatchHarness(conformanceTenant(), { env });
  const run = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
  return { h, run };
}

/** Every log line the receiver and the manager produced. */
function logs(h: WatchHarness, lines: string[] = []): string[] {
  return [...h.results.map((r) => r.log ?? ''), ...lines];
}

function notification(h: WatchHarness, overrides: Record<string, unknown> = {}) {
  const sub = h.fake.events.subscriptions.find((s) => s.resource === 'users')!;
  const id = h.fake.graphId('user', 'u01');
  return {
    value: [
      {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        clientState: sub.clientState,
        changeType: 'updated',
        resource: `Users/${id}`,
        resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${id}`, id },
        tenantId: h.fake.tenantId,
        ...overrides,
      },
    ],
  };
}

const last = (h: WatchHarness): ReceiveResult => h.results[h.results.length - 1]!;

describe('entra receiver: subscriptions through the Graph client, against the fake over loopback', () => {
  it('creates users and groups subscriptions after echoing both validation requests', async () => {
    const { h, run } = await subscribed();
    const subs = h.fake.events.subscriptions;
    expect(subs.map((s) => s.resource).sort()).toEqual(['groups', 'users']);
    for (const s of subs) {
      expect(s.changeType).toBe('updated,deleted');
      expect(s.notificationUrl).toBe(`${h.publicUrl}/events/entra`);
      expect(s.lifecycleNotificationUrl).toBe(`${h.publicUrl}/events/entra/lifecycle`);
      expect(Date.parse(s.expirationDateTime)).toBeLessThanOrEqual(
        Date.now() + ENTRA_MAX_SUBSCRIPTION_MINUTES * 60_000,
      );
      expect(s.clientState).toMatch(/^[\w-]{43}$/);
    }
    // A random clientState per subscription.
    expect(subs[0]!.clientState).not.toBe(subs[1]!.clientState);
    // Both URLs of both subscriptions were validated over HTTP, answered as Graph requires.
    const validations = h.fake.events.deliveries.filter((d) => d.url.includes('validationToken='));
    expect(validations).toHaveLength(4);
    for (const v of validations) {
      expect(v.status).toBe(200);
      expect(v.answer).toBe(decodeURIComponent(new URL(v.url).searchParams.get('validationToken')!));
    }
    expect(run.lines).toHaveLength(2);
    expect(run.lines[0]).toMatch(/created subscription .* on users/);
    expect(run.nextRunAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('answers the validation request with the decoded token as text/plain only', async () => {
    const r = createEntraEventReceiver({ env: {} });
    const res = await r.handle({
      method: 'POST',
      url: new URL('http://x/events/entra?validationToken=Validation%3A%20Testing%20client%20%26%20more'),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      receivedAt: new Date(),
    });
    expect(res.answer.status).toBe(200);
    expect(res.answer.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.answer.body).toBe('Validation: Testing client & more');
    const html = await r.handle({
      method: 'POST',
      url: new URL('http://x/events/entra?validationToken=%3Cscript%3E'),
      headers: {},
      body: '',
      receivedAt: new Date(),
    });
    expect(html.answer.status).toBe(400);
    expect(html.answer.body).not.toContain('script');
  });

  it('turns a group membership change into one group target (members@delta) and answers 202', async () => {
    const { h } = await subscribed();
    h.fake.update((t) => {
      t.groups.find((g) => g.id === 'g01')!.memberUserIds = [];
    });
    const [delivery] = (await h.fake.events.settled()).filter((d) => d.body.includes('members@delta'));
    expect(delivery!.status).toBe(202);
    const body = JSON.parse(delivery!.body);
    const g01 = h.fake.graphId('group', 'g01');
    expect(body.value[0].resourceData['members@delta']).toEqual([
      { id: h.fake.graphId('user', 'u01'), '@removed': { reason: 'deleted' } },
    ]);
    const r = last(h);
    expect(r.rejected).toBeUndefined();
    expect(r.events).toEqual([
      {
        source: 'entra',
        id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        type: 'updated',
        at: body.value[0].resourceData.eventTime,
        targets: [{ kind: 'group', id: g01 }],
        summary: `group ${g01} members changed (0 added, 1 removed)`,
      },
    ]);
  });

  it('turns a user update, a user (soft) deletion and a group deletion into their targets', async () => {
    const { h } = await subscribed();
    h.fake.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    await h.fake.events.settled();
    expect(last(h).events[0]!.targets).toEqual([{ kind: 'user', id: h.fake.graphId('user', 'u02') }]);
    const before = h.results.length;
    h.fake.update((t) => {
      t.users = t.users.filter((u) => u.id !== 'u12');
      t.groups = t.groups.filter((g) => g.id !== 'g06');
    });
    await h.fake.events.settled();
    const events = h.results.slice(before).flatMap((r) => r.events);
    // A deleted user goes to the recycle bin first: Graph says `updated`; a security group is gone at once: `deleted`.
    expect(events.map((e) => [e.type, e.targets])).toEqual([
      ['updated', [{ kind: 'user', id: h.fake.graphId('user', 'u12') }]],
      ['deleted', [{ kind: 'group', id: h.fake.graphId('group', 'g06') }]],
    ]);
  });

  it('refuses a wrong or missing clientState with 403 and no detail, and logs neither value', async () => {
    const { h, run } = await subscribed();
    const wrong = await h.fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(h, { clientState: 'guessed-client-state' })),
    });
    expect(wrong.status).toBe(403);
    expect(wrong.answer).toBe('Forbidden');
    expect(last(h).log).toMatch(/clientState does not match/);
    expect(last(h).events).toEqual([]);
    const missing = await h.fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(h, { clientState: undefined })),
    });
    expect(missing.status).toBe(403);
    expect(last(h).log).toMatch(/clientState is missing/);
    const secrets = [
      ...h.fake.events.subscriptions.map((s) => s.clientState!),
      'guessed-client-state',
      'fake-graph-token',
    ];
    for (const line of logs(h, run.lines)) for (const s of secrets) expect(line).not.toContain(s);
  });

  it('refuses a notification for a subscription it did not create, even with a valid clientState', async () => {
    const { h } = await subscribed();
    const d = await h.fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(h, { subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07' })),
    });
    expect(d.status).toBe(403);
    expect(last(h).log).toMatch(/did not create/);
  });

  it('refuses malformed JSON (400), a wrong content type (415), a non-collection body (400) and a GET (405)', async () => {
    const { h } = await subscribed();
    const good = JSON.stringify(notification(h));
    const before = h.results.length;
    expect(
      (await h.fake.events.sendRaw({ headers: { 'content-type': 'application/json' }, body: '{"value": [' })).status,
    ).toBe(400);
    expect((await h.fake.events.sendRaw({ headers: { 'content-type': 'text/plain' }, body: good })).status).toBe(415);
    expect(
      (await h.fake.events.sendRaw({ headers: { 'content-type': 'application/json' }, body: '{"value": []}' })).status,
    ).toBe(400);
    const refused = h.results.slice(before);
    expect(refused).toHaveLength(3);
    expect(refused.every((r) => r.rejected && r.events.length === 0)).toBe(true);
    const get = await fetch(`${h.publicUrl}/events/entra`);
    expect(get.status).toBe(405);
  });

  it('accepts a replayed delivery again with the same event id, so the listener drops the replay', async () => {
    const { h } = await subscribed();
    h.fake.update((t) => {
      t.users.find((u) => u.id === 'u03')!.givenName = 'Alan M.';
    });
    const deliveries = await h.fake.events.settled();
    const i = deliveries.findIndex((d) => d.body.includes('"changeType":"updated"'));
    const first = last(h);
    const replay = await h.fake.events.replay(i);
    expect(replay.status).toBe(202);
    expect(replay.body).toBe(deliveries[i]!.body);
    expect(last(h).events).toEqual(first.events);
    expect(first.events[0]!.id).toMatch(/^sha256:/);
    // The same change made again later is a new event (another eventTime and sequenceNumber).
    h.fake.update((t) => {
      t.users.find((u) => u.id === 'u03')!.givenName = 'Alan';
    });
    await h.fake.events.settled();
    expect(last(h).events[0]!.id).not.toBe(first.events[0]!.id);
  });

  it('gives no id when a notification has neither an id nor an eventTime', async () => {
    const { h } = await subscribed();
    await h.fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(h)),
    });
    expect(last(h).events[0]!.id).toBeNull();
    expect(last(h).events[0]!.at).toBeNull();
  });

  it('uses the notification id for replay dedupe when Graph sends one', async () => {
    const { h } = await subscribed();
    await h.fake.events.sendRaw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(h, { id: 'lsgTZMr9KwAAA' })),
    });
    const sub = h.fake.events.subscriptions.find((s) => s.resource === 'users')!;
    expect(last(h).events[0]!.id).toBe(`${sub.id}:lsgTZMr9KwAAA`);
  });
});

describe('entra receiver: lifecycle notifications', () => {
  it('reauthorizationRequired asks to renew; the next ensure reauthorizes by renewing (PATCH)', async () => {
    const { h } = await subscribed();
    const sub = h.fake.events.subscriptions.find((s) => s.resource === 'groups')!;
    const d = await h.fake.events.lifecycle(sub.id, 'reauthorizationRequired');
    expect(d.status).toBe(202);
    expect(d.url).toBe(`${h.publicUrl}/events/entra/lifecycle`);
    expect(last(h).lifecycle).toEqual([{ kind: 'renew', subscriptionId: sub.id }]);
    h.fake.kit.reset();
    const run = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
    expect(run.lines).toEqual([
      expect.stringMatching(new RegExp(`reauthorized and renewed subscription ${sub.id} on groups`)),
    ]);
    expect(h.fake.kit.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `PATCH /v1.0/subscriptions/${sub.id}`,
    ]);
  });

  it('subscriptionRemoved asks to recreate; the next ensure creates a new subscription', async () => {
    const { h } = await subscribed();
    const old = h.fake.events.subscriptions.find((s) => s.resource === 'users')!;
    await h.fake.events.lifecycle(old.id, 'subscriptionRemoved');
    expect(last(h).lifecycle).toEqual([{ kind: 'recreate', subscriptionId: old.id }]);
    expect(last(h).events.map((e) => e.targets)).toEqual([
      [{ kind: 'everything', reason: `Microsoft Graph removed subscription ${old.id}` }],
    ]);
    const run = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
    expect(run.lines.join('\n')).toMatch(/created subscription .* on users/);
    const now = h.fake.events.subscriptions.find((s) => s.resource === 'users')!;
    expect(now.id).not.toBe(old.id);
    // The old id is no longer accepted.
    expect(h.receiver.subscriptions.lookup(old.id)).toBeNull();
  });

  it('missed asks for a full read; a lifecycle notification with a wrong clientState is refused', async () => {
    const { h } = await subscribed();
    const sub = h.fake.events.subscriptions[0]!;
    await h.fake.events.lifecycle(sub.id, 'missed');
    expect(last(h).lifecycle).toEqual([{ kind: 'missed', subscriptionId: sub.id }]);
    const forged = await h.fake.events.sendRaw({
      url: `${h.publicUrl}/events/entra/lifecycle`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [{ subscriptionId: sub.id, clientState: 'x', lifecycleEvent: 'subscriptionRemoved' }],
      }),
    });
    expect(forged.status).toBe(403);
    expect(last(h).lifecycle).toBeUndefined();
  });
});

describe('entra subscriptions manager', () => {
  it('renews (PATCH expirationDateTime) what expires within three days, and leaves the rest', async () => {
    const { h } = await subscribed();
    const saved = h.receiver.subscriptions.save() as {
      subscriptions: { resource: string; expirationDateTime: string }[];
    };
    const soon = new Date(Date.now() + 24 * 3600_000).toISOString();
    saved.subscriptions.find((s) => s.resource === 'users')!.expirationDateTime = soon;
    h.receiver.subscriptions.restore(saved);
    h.fake.kit.reset();
    const run = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
    expect(run.lines).toEqual([expect.stringMatching(/^entra: renewed subscription .* on users until /)]);
    expect(h.fake.kit.requests.map((r) => r.method)).toEqual(['PATCH']);
    const users = h.fake.events.subscriptions.find((s) => s.resource === 'users')!;
    expect(Date.parse(users.expirationDateTime)).toBeGreaterThan(Date.now() + 27 * 24 * 3600_000);
  });

  it('creates a subscription again when Graph no longer has the one due for renewal (PATCH 404)', async () => {
    const { h } = await subscribed();
    const old = h.fake.events.subscriptions.find((s) => s.resource === 'groups')!;
    const saved = h.receiver.subscriptions.save() as {
      subscriptions: { resource: string; expirationDateTime: string }[];
    };
    saved.subscriptions.find((s) => s.resource === 'groups')!.expirationDateTime = new Date(
      Date.now() + 3600_000,
    ).toISOString();
    h.receiver.subscriptions.restore(saved);
    await fetch(`${h.graph.url}/v1.0/subscriptions/${old.id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer t' },
    });
    const run = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
    expect(run.lines[0]).toMatch(/no longer exists; creating a new one/);
    expect(run.lines[1]).toMatch(/created subscription .* on groups/);
    expect(h.fake.events.subscriptions.map((s) => s.resource).sort()).toEqual(['groups', 'users']);
    expect(h.receiver.subscriptions.lookup(old.id)).toBeNull();
  });

  it('moves the subscriptions when the public URL changes (the old ones deleted)', async () => {
    const { h } = await subscribed();
    const old = h.fake.events.subscriptions.map((s) => s.id);
    const moved = h.publicUrl.replace('127.0.0.1', 'localhost');
    const run = await h.receiver.subscriptions.ensure({ publicUrl: moved, now: new Date() });
    expect(run.lines.filter((l) => l.includes('the public URL changed; deleted'))).toHaveLength(2);
    const now = h.fake.events.subscriptions;
    expect(now.map((s) => s.notificationUrl)).toEqual([`${moved}/events/entra`, `${moved}/events/entra`]);
    expect(now.some((s) => old.includes(s.id))).toBe(false);
  });

  it('the fake refuses a renewal past the 41,760-minute maximum with Graph 400', async () => {
    const { h } = await subscribed();
    const sub = h.fake.events.subscriptions[0]!;
    const res = await fetch(`${h.graph.url}/v1.0/subscriptions/${sub.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ expirationDateTime: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/41760 minutes/);
  });

  it('save() keeps ids and expiry but no clientState; a restored receiver accepts their notifications', async () => {
    const { h } = await subscribed();
    const saved = h.receiver.subscriptions.save();
    const text = JSON.stringify(saved);
    for (const s of h.fake.events.subscriptions) {
      expect(text).toContain(s.id);
      expect(text).not.toContain(s.clientState!);
    }
    const restored = createEntraEventReceiver({ env: h.fake.env });
    restored.subscriptions.restore(JSON.parse(text));
    const body = JSON.stringify(notification(h));
    const req = {
      method: 'POST',
      url: new URL('http://x/events/entra'),
      headers: { 'content-type': 'application/json' },
      body,
      receivedAt: new Date(),
    };
    expect((await restored.handle(req)).answer.status).toBe(202);
    expect((await createEntraEventReceiver({ env: h.fake.env }).handle(req)).answer.status).toBe(403);
    expect(() => restored.subscriptions.restore({ version: 1, subscriptions: [{ id: 'x' }] })).toThrow(/resource/);
  });

  it('uses ENTRA_WEBHOOK_CLIENT_STATE when set', async () => {
    const { h } = await subscribed({ ENTRA_WEBHOOK_CLIENT_STATE: 'configured-state-value-0123456789' });
    expect(h.fake.events.subscriptions.map((s) => s.clientState)).toEqual([
      'configured-state-value-0123456789',
      'configured-state-value-0123456789',
    ]);
  });

  it('close() deletes every subscription it created', async () => {
    const { h } = await subscribed();
    const lines = await h.receiver.subscriptions.close();
    expect(lines).toHaveLength(2);
    expect(h.fake.events.subscriptions).toEqual([]);
  });

  it('a 403 on creation is a PermissionError naming the Graph permission', async () => {
    h = await startWatchHarness(conformanceTenant());
    h.fake.kit.inject({ fault: { type: 'status', status: 403 }, match: '/subscriptions' });
    const error = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() }).catch((e) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect(error.missing).toEqual(['User.Read.All']);
  });

  it('retries a create only on Graph 429; a 503 may have created it, so it is not sent again', async () => {
    h = await startWatchHarness(conformanceTenant());
    h.fake.kit.inject({ fault: { type: 'throttle' }, match: '/subscriptions', times: 1 });
    await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() });
    expect(h.fake.events.subscriptions).toHaveLength(2);
    expect(h.fake.kit.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    await h.receiver.subscriptions.close();
    h.fake.kit.reset();
    h.fake.kit.inject({ fault: { type: 'status', status: 503 }, match: '/subscriptions', times: 1 });
    const error = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() }).catch((e) => e);
    expect(error.status).toBe(503);
    expect(h.fake.kit.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('runs one ensure at a time, so two callers never create two subscriptions per resource', async () => {
    h = await startWatchHarness(conformanceTenant());
    const now = new Date();
    await Promise.all([
      h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now }),
      h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now }),
    ]);
    expect(h.fake.events.subscriptions).toHaveLength(2);
  });

  it('the fake refuses a subscription whose notification URL echoes a wrong token, or answers too slowly', async () => {
    h = await startWatchHarness(conformanceTenant(), { fake: { validationTimeoutMs: 300 } });
    h.override(async () => ({ status: 200, type: 'text/plain', body: 'not-the-token' }));
    const wrong = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() }).catch((e) => e);
    expect(ConfigurationError.isInstance(wrong)).toBe(true);
    expect(wrong.message).toMatch(
      /ValidationError: Subscription validation request failed. Response must exactly match/,
    );
    h.override(async (url) => {
      await new Promise((r) => setTimeout(r, 600));
      return { status: 200, type: 'text/plain', body: url.searchParams.get('validationToken') ?? '' };
    });
    const slow = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() }).catch((e) => e);
    expect(slow.message).toMatch(/must respond with 200 OK/);
    h.override(async (url) => ({
      status: 200,
      type: 'text/html',
      body: url.searchParams.get('validationToken') ?? '',
    }));
    const html = await h.receiver.subscriptions.ensure({ publicUrl: h.publicUrl, now: new Date() }).catch((e) => e);
    expect(html.message).toMatch(/Content-Type text\/plain/);
    expect(h.fake.events.subscriptions).toEqual([]);
  });

  it('refuses a public URL that is plain http off loopback', async () => {
    const r = createEntraEventReceiver({ env: { ENTRA_ACCESS_TOKEN: 't' } });
    const error = await r.subscriptions
      .ensure({ publicUrl: 'http://watch.example.com', now: new Date() })
      .catch((e) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error.setting).toBe('publicUrl');
  });
});

describe('entra receiver + refreshSnapshot: a notification re-reads only what it names', () => {
  it('removing the last Owner from the owner group: one notification, one group re-read equal to a full read', async () => {
    const { h } = await subscribed();
    const adapter = createEntraAdapter({ env: h.fake.env });
    const previous = await adapter.readSnapshot();
    const before = h.results.length;
    h.fake.update((t) => {
      t.groups.find((g) => g.id === 'g01')!.memberUserIds = [];
    });
    await h.fake.events.settled();
    const events = h.results.slice(before).flatMap((r) => r.events);
    expect(events).toHaveLength(1);
    h.fake.kit.reset();
    const refreshed = await adapter.refreshSnapshot!(previous, { targets: events.flatMap((e) => e.targets) });
    expect(refreshed.read).toBe('targeted');
    const owner = refreshed.snapshot.groups.find((g) => g.id === h.fake.graphId('group', 'g01'))!;
    expect(owner.memberUserIds).toEqual([]);
    const { capturedAt: _a, ...patched } = refreshed.snapshot;
    const { capturedAt: _b, ...fresh } = await adapter.readSnapshot();
    expect(patched).toEqual(fresh);
  });
});
