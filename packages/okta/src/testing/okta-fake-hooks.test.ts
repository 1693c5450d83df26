import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectorySnapshot, IdpEventReceiverV1, ReceiveResult, WatchEvent } from '@claude-idp/core';
import { conformanceTenant, startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter, createOktaEventReceiver, OKTA_EVENT_HOOK_EVENT_TYPES } from '../index';
import { createOktaFake, oktaId, type OktaFake } from './index';
import { createGate } from './okta-fake-gate';

const SECRET = 'event-hook-secret-3b7e91';

/** A watcher-like receiver on node:http: the receiver's answer for each request, and what it logged and found. */
async function startReceiver(receiver: IdpEventReceiverV1) {
  const results: ReceiveResult[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const r = await receiver.handle({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'http://127.0.0.1'),
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: new Date(),
        });
        results.push(r);
        res.writeHead(r.answer.status, r.answer.headers ?? {}).end(r.answer.body ?? '');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events/okta`;
  return {
    url,
    results,
    events: (): WatchEvent[] => results.flatMap((r) => r.events),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let okta: LoopbackServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let fake: OktaFake;
beforeAll(async () => {
  okta = await startLoopbackServer();
  receiver = await startReceiver(createOktaEventReceiver({ env: { OKTA_EVENT_HOOK_SECRET: SECRET } }));
});
afterAll(async () => {
  await okta.close();
  await receiver.close();
});
afterEach(() => {
  receiver.results.length = 0;
});

function serve(): OktaFake {
  fake = createOktaFake(conformanceTenant(), { baseUrl: okta.url });
  okta.use(fake.handlers);
  return fake;
}

/** The parts of an `EventHook` answer (or an Okta error) the tests read. */
type Hook = Record<string, unknown> & { id?: string };

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${okta.url}${path}`, {
    method,
    headers: {
      authorization: `SSWS ${fake.env.OKTA_API_TOKEN}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Hook) : null };
};

/** The request body of `createEventHook` (spec `EventHook`: name, events {type, items}, channel {type, version, config}). */
const hookBody = (args: { uri?: string; secret?: string; items?: readonly string[] } = {}) => ({
  name: 'claude-idp watch',
  events: { type: 'EVENT_TYPE', items: [...(args.items ?? OKTA_EVENT_HOOK_EVENT_TYPES)] },
  channel: {
    type: 'HTTP',
    version: '1.0.0',
    config: {
      uri: args.uri ?? receiver.url,
      headers: [{ key: 'X-Other-Header', value: 'my-header-value' }],
      authScheme: { type: 'HEADER', key: 'Authorization', value: args.secret ?? SECRET },
    },
  },
});

async function verifiedHook(args: Parameters<typeof hookBody>[0] = {}) {
  const created = await api('POST', '/api/v1/eventHooks', hookBody(args));
  expect(created.status).toBe(200);
  const verified = await api('POST', `/api/v1/eventHooks/${created.body!.id}/lifecycle/verify`);
  return { id: String(created.body!.id), created, verified };
}

describe('the Okta fake: event hook management API', () => {
  it('creates an ACTIVE, UNVERIFIED hook in Okta shape without returning the secret; lists and gets it', async () => {
    serve();
    const created = await api('POST', '/api/v1/eventHooks', hookBody());
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^who[0-9A-Za-z]{17}$/),
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      name: 'claude-idp watch',
      events: { type: 'EVENT_TYPE', items: [...OKTA_EVENT_HOOK_EVENT_TYPES] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri: receiver.url, authScheme: { type: 'HEADER', key: 'Authorization' } },
      },
    });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    expect((await api('GET', '/api/v1/eventHooks')).body).toEqual([created.body]);
    expect((await api('GET', `/api/v1/eventHooks/${created.body!.id}`)).body).toEqual(created.body);
    expect(await api('GET', '/api/v1/eventHooks/who00000000000000000')).toMatchObject({
      status: 404,
      body: { errorCode: 'E0000007' },
    });
  });

  it('an event hook filter is not modelled: 501, not a hook that ignores it', async () => {
    serve();
    const filtered = { ...hookBody(), events: { ...hookBody().events, filter: { type: 'EXPRESSION_LANGUAGE' } } };
    expect((await api('POST', '/api/v1/eventHooks', filtered)).status).toBe(501);
  });

  it('refuses what Okta refuses: no name, no events, a non-HTTPS URL (400 E0000001), no credential (401)', async () => {
    serve();
    const { name: _n, ...noName } = hookBody();
    expect(await api('POST', '/api/v1/eventHooks', noName)).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
    expect(
      await api('POST', '/api/v1/eventHooks', { ...hookBody(), events: { type: 'EVENT_TYPE', items: [] } }),
    ).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(await api('POST', '/api/v1/eventHooks', hookBody({ uri: 'http://hooks.example.com/okta' }))).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
    const anonymous = await fetch(`${okta.url}/api/v1/eventHooks`);
    expect(anonymous.status).toBe(401);
    expect(fake.events.hooks).toEqual([]);
  });

  it('verification: GETs the hook URL with a challenge, the auth and custom headers; VERIFIED only on a correct echo', async () => {
    serve();
    const { verified } = await verifiedHook();
    expect(verified).toMatchObject({ status: 200, body: { verificationStatus: 'VERIFIED' } });
    const [d] = await fake.events.settled();
    expect(d).toMatchObject({ status: 200, body: '' });
    expect(d!.headers).toMatchObject({ authorization: SECRET, 'x-other-header': 'my-header-value' });
    const challenge = d!.headers['x-okta-verification-challenge']!;
    expect(challenge.length).toBeGreaterThan(20);
    expect(JSON.parse(d!.answer)).toEqual({ verification: challenge });
  });

  it('a hook whose secret the receiver does not accept stays UNVERIFIED: 400 after one retry, and receives nothing', async () => {
    serve();
    const { id, verified } = await verifiedHook({ secret: 'not-the-receivers-secret' });
    expect(verified).toMatchObject({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorCauses: [{ errorSummary: expect.stringContaining('Unable to verify event hook') }],
      },
    });
    const tries = await fake.events.settled();
    expect(tries.map((d) => d.status)).toEqual([401, 401]);
    expect(tries.every((d) => d.answer === 'Unauthorized')).toBe(true);
    expect((await api('GET', `/api/v1/eventHooks/${id}`)).body).toMatchObject({ verificationStatus: 'UNVERIFIED' });
    fake.update((t) => t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12'));
    expect(await fake.events.settled()).toHaveLength(2);
  });

  it('deactivate, activate, and delete only when INACTIVE', async () => {
    serve();
    const { id } = await verifiedHook();
    expect(await api('DELETE', `/api/v1/eventHooks/${id}`)).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000001' },
    });
    expect(await api('POST', `/api/v1/eventHooks/${id}/lifecycle/deactivate`)).toMatchObject({
      status: 200,
      body: { status: 'INACTIVE' },
    });
    fake.update((t) => t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12'));
    expect(await fake.events.settled()).toHaveLength(1); // the verification only: an INACTIVE hook gets nothing
    expect(await api('DELETE', `/api/v1/eventHooks/${id}`)).toEqual({ status: 204, body: null });
    expect((await api('GET', `/api/v1/eventHooks/${id}`)).status).toBe(404);
  });

  it('PUT (replace) is not modelled: 501, never a silent 200', async () => {
    serve();
    const { id } = await verifiedHook();
    expect((await api('PUT', `/api/v1/eventHooks/${id}`, hookBody())).status).toBe(501);
  });
});

describe('the Okta fake: deliveries to a verified hook, over real HTTP', () => {
  it("update() delivers Okta's event hook request: envelope, headers, one event per change, answered 200", async () => {
    serve();
    await verifiedHook();
    fake.update((t) => {
      t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12');
      t.users.find((u) => u.id === 'u05')!.status = 'suspended';
    });
    const [, d] = await fake.events.settled();
    expect(d).toMatchObject({ status: 200, answer: '' });
    expect(d!.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: SECRET,
      'x-other-header': 'my-header-value',
    });
    const body = JSON.parse(d!.body) as { data: { events: { eventType: string }[] } };
    expect(body).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: expect.stringContaining('/api/v1/eventHooks/who'),
      contentType: 'application/json',
    });
    expect(body.data.events.map((e) => e.eventType).sort()).toEqual([
      'group.user_membership.add',
      'user.lifecycle.suspend',
    ]);
    expect(receiver.events().map((e) => e.targets)).toEqual(
      expect.arrayContaining([
        [{ kind: 'group', id: oktaId('00g', 'g02') }],
        [{ kind: 'user', id: oktaId('00u', 'u05') }],
      ]),
    );
  });

  it('a hook gets only the event types it subscribed to', async () => {
    serve();
    await verifiedHook({ items: ['user.lifecycle.suspend'] });
    fake.update((t) => t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12'));
    expect(await fake.events.settled()).toHaveLength(1);
    fake.update((t) => {
      t.users.find((u) => u.id === 'u05')!.status = 'suspended';
    });
    const all = await fake.events.settled();
    expect(all).toHaveLength(2);
    expect(JSON.parse(all[1]!.body).data.events.map((e: { eventType: string }) => e.eventType)).toEqual([
      'user.lifecycle.suspend',
    ]);
  });

  it('replay(i) sends the same delivery again: the same uuids reach the receiver', async () => {
    serve();
    await verifiedHook();
    fake.update((t) => t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12'));
    await fake.events.settled();
    const first = receiver.events().map((e) => e.id);
    receiver.results.length = 0;
    const again = await fake.events.replay(1);
    expect(again.status).toBe(200);
    expect(receiver.events().map((e) => e.id)).toEqual(first);
  });

  it('sendRaw: malformed JSON is 400, no secret is 401, a wrong content type is 415', async () => {
    serve();
    await verifiedHook();
    const json = { 'content-type': 'application/json', authorization: SECRET };
    expect((await fake.events.sendRaw({ headers: json, body: '{"eventType":' })).status).toBe(400);
    expect((await fake.events.sendRaw({ headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(
      401,
    );
    expect((await fake.events.sendRaw({ headers: { ...json, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(
      415,
    );
    for (const r of receiver.results) expect(`${r.log} ${r.answer.body}`).not.toContain(SECRET);
  });

  it('end to end: the targets a delivery names, refreshed, equal a full read of the changed org', async () => {
    serve();
    await verifiedHook();
    const adapter = createOktaAdapter({ env: fake.env });
    const previous: DirectorySnapshot = await adapter.readSnapshot();
    fake.update((t) => {
      t.groups.find((g) => g.id === 'g02')!.memberUserIds.push('u12');
      t.assignments.groupIds.push('g05');
      t.users.find((u) => u.id === 'u01')!.familyName = 'Lovelace-Byron';
    });
    await fake.events.settled();
    const targets = receiver.events().flatMap((e) => e.targets);
    expect(targets).toEqual(expect.arrayContaining([{ kind: 'app' }, { kind: 'group', id: oktaId('00g', 'g02') }]));
    const refreshed = await adapter.refreshSnapshot!(previous, { targets });
    expect(refreshed.read).toBe('targeted');
    const fresh = await adapter.readSnapshot();
    expect({ ...refreshed.snapshot, capturedAt: '' }).toEqual({ ...fresh, capturedAt: '' });
  });
});

describe('the Okta fake: event hook scopes for OAuth service apps', () => {
  const tokens = new Map([
    [
      'read-only',
      { scopes: ['okta.apps.read', 'okta.eventHooks.read'], expiresAt: Date.now() + 60_000, clientId: 'c' },
    ],
    ['manage', { scopes: ['okta.eventHooks.manage'], expiresAt: Date.now() + 60_000, clientId: 'c' }],
  ]);
  const gate = createGate({}, 'https://acme.okta.com', tokens);
  const call = (token: string, method: string) => {
    const url = new URL('https://acme.okta.com/api/v1/eventHooks');
    return gate(url, new Request(url, { method, headers: { authorization: `Bearer ${token}` } })).denied;
  };

  it('creating needs okta.eventHooks.manage (403 E0000006 naming it); listing takes .read or .manage', async () => {
    const denied = call('read-only', 'POST');
    expect(denied?.status).toBe(403);
    expect(denied?.headers.get('www-authenticate')).toContain('scope="okta.eventHooks.manage"');
    expect(((await denied!.json()) as { errorCode: string }).errorCode).toBe('E0000006');
    expect(call('read-only', 'GET')).toBeUndefined();
    expect(call('manage', 'GET')).toBeUndefined();
    expect(call('manage', 'POST')).toBeUndefined();
  });
});
