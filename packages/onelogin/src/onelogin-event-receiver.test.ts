import { readFileSync } from 'node:fs';
import { ConfigurationError, type WatchRequest } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { describe, expect, it } from 'vitest';
import { createOneLoginEventReceiver, oneLoginEventTargets } from './onelogin-event-receiver';
import { eventTime, OneLoginWebhookEventSchema } from './onelogin-event-types';
import { createOneLoginFake } from './testing';

/** OneLogin's webhook sample (src/__fixtures__/README.md has the source). */
const sample = JSON.parse(
  readFileSync(new URL('./__fixtures__/onelogin-webhook-login-event.json', import.meta.url), 'utf8'),
) as Record<string, unknown>[];

const SECRET = 'Bearer 4f9c2a7e1b6d8f03a5c9e2b7d4f1a6c8';
const APP = 1061937;
const env = { ONELOGIN_WEBHOOK_SECRET: SECRET, ONELOGIN_APP_ID: String(APP) };

/** A login event shaped like the webhook sample (api-docs/1/events/webhooks), trimmed. */
const event = (over: Record<string, unknown> = {}) => ({
  create: { _id: 'd210df80-ede8-42ba-8199-00ce951bc222' },
  uuid: 'd210df80-ede8-42ba-8199-00ce951bc222',
  event_type_id: 5,
  event_timestamp: '2017-12-05 19:13:06 UTC',
  actor_user_id: 32916209,
  user_name: 'John Richards',
  app_id: null,
  role_id: null,
  role_name: null,
  account_id: 92920,
  ...over,
});

const request = (over: Partial<WatchRequest> & { body?: string } = {}): WatchRequest => ({
  method: 'POST',
  url: new URL('http://127.0.0.1/events/onelogin'),
  headers: { 'content-type': 'application/json', authorization: SECRET },
  body: JSON.stringify([event()]),
  receivedAt: new Date(),
  ...over,
});

describe('createOneLoginEventReceiver: configuration', () => {
  it('refuses to be created without ONELOGIN_WEBHOOK_SECRET, naming the variable', () => {
    for (const value of [undefined, '', '   ']) {
      let error: unknown;
      try {
        createOneLoginEventReceiver({ env: { ONELOGIN_WEBHOOK_SECRET: value } });
      } catch (e) {
        error = e;
      }
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect((error as ConfigurationError).setting).toBe('ONELOGIN_WEBHOOK_SECRET');
    }
  });

  it('refuses a short secret without printing it, and a header name that cannot carry it', () => {
    expect(() => createOneLoginEventReceiver({ env: { ONELOGIN_WEBHOOK_SECRET: 'short-one' } })).toThrow(
      expect.objectContaining({
        setting: 'ONELOGIN_WEBHOOK_SECRET',
        message: expect.not.stringContaining('short-one'),
      }),
    );
    for (const header of ['Content-Type', 'X Bad', 'Host']) {
      expect(() => createOneLoginEventReceiver({ env: { ...env, ONELOGIN_WEBHOOK_HEADER: header } })).toThrow(
        expect.objectContaining({ setting: 'ONELOGIN_WEBHOOK_HEADER' }),
      );
    }
  });

  it('answers at /events/onelogin and has no subscription manager (OneLogin has no webhook API)', () => {
    const r = createOneLoginEventReceiver({ env });
    expect(r).toMatchObject({ specificationVersion: 'v1', idp: 'onelogin', paths: ['/events/onelogin'] });
    expect(r.subscriptions).toBeUndefined();
  });
});

describe('createOneLoginEventReceiver: the handshake', () => {
  const receiver = createOneLoginEventReceiver({ env });

  it('accepts a delivery with the right header and turns each event into a WatchEvent keyed by its uuid', async () => {
    const body = JSON.stringify([
      event(),
      event({ uuid: 'a1', event_type_id: 147, user_id: 36216766, role_id: 199848, role_name: 'anthropic-owners' }),
    ]);
    const result = await receiver.handle(request({ body }));
    expect(result.answer.status).toBe(200);
    expect(result.rejected).toBeUndefined();
    expect(result.events.map((e) => [e.id, e.type, e.targets])).toEqual([
      ['d210df80-ede8-42ba-8199-00ce951bc222', 'event_type_id 5', []],
      ['a1', 'USER_MANUALLY_ADDED_TO_ROLE', [{ kind: 'group', id: 'role:199848' }]],
    ]);
    expect(result.events[0]!.at).toBe('2017-12-05T19:13:06.000Z');
    expect(result.events[1]!.summary).toBe(
      'OneLogin USER_MANUALLY_ADDED_TO_ROLE: user 36216766 (John Richards), role 199848 (anthropic-owners)',
    );
    expect(result.log).toBe('onelogin: 2 event(s), 1 to re-read');
  });

  it('refuses a missing header with 401 and a wrong one with 403, no detail in the answer', async () => {
    const missing = await receiver.handle(request({ headers: { 'content-type': 'application/json' } }));
    expect(missing).toMatchObject({ rejected: true, events: [], answer: { status: 401, body: 'Unauthorized' } });
    const empty = await receiver.handle(
      request({ headers: { 'content-type': 'application/json', authorization: '' } }),
    );
    expect(empty.answer.status).toBe(401);
    for (const wrong of [`${SECRET}x`, SECRET.slice(0, -1), 'Bearer nope', SECRET.toLowerCase()]) {
      const r = await receiver.handle(
        request({ headers: { 'content-type': 'application/json', authorization: wrong } }),
      );
      expect(r).toMatchObject({ rejected: true, events: [], answer: { status: 403, body: 'Forbidden' } });
    }
  });

  it('accepts the header with an auth scheme in front when only the token is configured', async () => {
    const token = SECRET.slice('Bearer '.length);
    const bare = createOneLoginEventReceiver({ env: { ONELOGIN_WEBHOOK_SECRET: token } });
    const json = { 'content-type': 'application/json' };
    expect((await bare.handle(request({ headers: { ...json, authorization: SECRET } }))).answer.status).toBe(200);
    expect((await bare.handle(request({ headers: { ...json, authorization: token } }))).answer.status).toBe(200);
    expect(
      (await bare.handle(request({ headers: { ...json, authorization: `Bearer ${token}x` } }))).answer.status,
    ).toBe(403);
    // The other way round is not accepted: a configured scheme is part of the secret.
    expect((await receiver.handle(request({ headers: { ...json, authorization: token } }))).answer.status).toBe(403);
  });

  it('checks the header before anything else: an unauthenticated malformed body is a 401, not a 400', async () => {
    const r = await receiver.handle(request({ headers: { 'content-type': 'text/plain' }, body: '{not json' }));
    expect(r.answer.status).toBe(401);
  });

  it('refuses another method (405), a wrong content type (415), malformed JSON and a body that is not events (400)', async () => {
    expect((await receiver.handle(request({ method: 'GET', body: '' }))).answer.status).toBe(405);
    const type = await receiver.handle(request({ headers: { 'content-type': 'text/plain', authorization: SECRET } }));
    expect(type).toMatchObject({ rejected: true, answer: { status: 415 } });
    // SIEM (NDJSON) format: one event per line is not one JSON document.
    const ndjson = [JSON.stringify(event()), JSON.stringify(event({ uuid: 'b' }))].join('\n');
    for (const body of ['{not json', ndjson, '"text"', '[1, 2]', '[[]]', 'null']) {
      const r = await receiver.handle(request({ body }));
      expect(r, body).toMatchObject({ rejected: true, events: [], answer: { status: 400, body: 'Bad Request' } });
    }
  });

  it('uses the header the admin chose (ONELOGIN_WEBHOOK_HEADER), case-insensitively', async () => {
    const custom = createOneLoginEventReceiver({ env: { ...env, ONELOGIN_WEBHOOK_HEADER: 'X-Webhook-Token' } });
    const ok = await custom.handle(
      request({ headers: { 'content-type': 'application/json', 'x-webhook-token': SECRET } }),
    );
    expect(ok.answer.status).toBe(200);
    // The secret in Authorization is not enough once another header is configured.
    expect((await custom.handle(request())).answer.status).toBe(401);
  });

  it('a replayed delivery gives the same event ids (the listener drops them)', async () => {
    const body = JSON.stringify([event({ uuid: 'same-uuid', event_type_id: 14, user_id: 1 })]);
    const a = await receiver.handle(request({ body }));
    const b = await receiver.handle(request({ body }));
    expect(a.events.map((e) => e.id)).toEqual(['same-uuid']);
    expect(b.events.map((e) => e.id)).toEqual(['same-uuid']);
  });

  it('an authenticated event it cannot read asks for a full read rather than being dropped', async () => {
    const r = await receiver.handle(request({ body: JSON.stringify([{ uuid: 'x', event_type_id: 'fourteen' }]) }));
    expect(r.answer.status).toBe(200);
    expect(r.events[0]).toMatchObject({ id: null, targets: [{ kind: 'everything' }] });
  });

  it('never writes the secret, or any part of it, in a log line or an answer', async () => {
    const cases = [
      request(),
      request({ headers: { 'content-type': 'application/json' } }),
      request({ headers: { 'content-type': 'application/json', authorization: `${SECRET}0` } }),
      request({ headers: { 'content-type': 'application/json', authorization: SECRET.slice(0, 20) } }),
      request({ headers: { 'content-type': 'text/html', authorization: SECRET } }),
      request({ body: '{bad' }),
      request({ body: JSON.stringify([event({ user_name: SECRET, event_type_id: 14, user_id: 3 })]) }),
    ];
    const secretPart = SECRET.slice('Bearer '.length, 'Bearer '.length + 12);
    for (const c of cases) {
      const r = await receiver.handle(c);
      const text = [r.log, r.answer.body, ...r.events.map((e) => e.summary)].join('\n');
      expect(r.log).toBeTruthy();
      // A vendor name that happens to equal the secret is the vendor's data; the secret itself never comes from us.
      if (!c.body.includes(SECRET)) expect(text).not.toContain(secretPart);
      expect(r.log).not.toContain(secretPart);
    }
  });

  it('strips control characters from names in summaries (no forged log lines)', async () => {
    const body = JSON.stringify([event({ event_type_id: 14, user_id: 7, user_name: 'Eve\nonelogin: 0 event(s)' })]);
    const r = await receiver.handle(request({ body }));
    expect(r.events[0]!.summary).not.toContain('\n');
  });
});

describe('OneLogin webhook payloads: the documented sample and the fake', () => {
  it('the receiver accepts OneLogin’s documented sample delivery, keyed by its uuid', async () => {
    const receiver = createOneLoginEventReceiver({ env });
    // The page's copy ends before `event_type_id`; a login event is type 5.
    const r = await receiver.handle(request({ body: JSON.stringify([{ ...sample[0], event_type_id: 5 }]) }));
    expect(r.answer.status).toBe(200);
    expect(r.events).toEqual([
      expect.objectContaining({
        id: 'd210df80-ede8-42ba-8199-00ce951bc222',
        at: '2017-12-05T19:13:06.000Z',
        targets: [],
      }),
    ]);
  });

  it('the fake’s events carry every field of the sample, with the same value types', () => {
    const fake = createOneLoginFake(conformanceTenant());
    fake.update((t) => {
      t.users[0]!.status = 'suspended';
    });
    const [made] = fake.events.events;
    for (const [key, value] of Object.entries(sample[0]!)) {
      expect(made, key).toHaveProperty(key);
      const got = made![key];
      if (value !== null && got !== null) expect(typeof got, key).toBe(typeof value);
    }
    expect(made).toMatchObject({ event_type_id: 21, create: { _id: made!.uuid } });
  });
});

describe('oneLoginEventTargets: what each event type re-reads', () => {
  const parse = (o: Record<string, unknown>) => OneLoginWebhookEventSchema.parse(event(o));
  it.each([
    [
      'app added to the watched app role',
      { event_type_id: 1, app_id: APP, role_id: 9 },
      [{ kind: 'app' }, { kind: 'group', id: 'role:9' }],
    ],
    [
      'app removed from a role',
      { event_type_id: 2, app_id: APP, role_id: 9 },
      [{ kind: 'app' }, { kind: 'group', id: 'role:9' }],
    ],
    ['another app added to a role', { event_type_id: 1, app_id: 42, role_id: 9 }, []],
    ['role assigned to a user', { event_type_id: 4, user_id: 3, role_id: 9 }, [{ kind: 'group', id: 'role:9' }]],
    [
      'user removed from a role by a mapping',
      { event_type_id: 150, user_id: 3, role_id: 9 },
      [{ kind: 'group', id: 'role:9' }],
    ],
    ['role removed through the API', { event_type_id: 514, user_id: 3, role_id: 9 }, [{ kind: 'group', id: 'role:9' }]],
    [
      'a role event naming no role',
      { event_type_id: 147, user_id: 3 },
      [{ kind: 'everything', reason: 'OneLogin event 147 names no role' }],
    ],
    ['user created', { event_type_id: 13, user_id: 3 }, [{ kind: 'user', id: '3' }]],
    ['user updated', { event_type_id: 14, user_id: 3 }, [{ kind: 'user', id: '3' }]],
    ['user suspended', { event_type_id: 21, user_id: 3 }, [{ kind: 'user', id: '3' }]],
    ['user deleted', { event_type_id: 17, user_id: 3 }, [{ kind: 'user', id: '3' }]],
    ['app given by hand', { event_type_id: 206, user_id: 3, app_id: APP }, [{ kind: 'app' }]],
    ['another app given by hand', { event_type_id: 206, user_id: 3, app_id: 42 }, []],
    ['a login', { event_type_id: 5, user_id: 3 }, []],
    ['an unknown type', { event_type_id: 99999, user_id: 3, role_id: 9 }, []],
  ])('%s', (_name, fields, targets) => {
    expect(oneLoginEventTargets(parse(fields), APP)).toEqual(targets);
  });

  it('without a known app id every app event re-reads the app', () => {
    expect(oneLoginEventTargets(parse({ event_type_id: 1, app_id: 42, role_id: 9 }), null)).toEqual([
      { kind: 'app' },
      { kind: 'group', id: 'role:9' },
    ]);
  });

  it('reads both time formats OneLogin uses', () => {
    expect(eventTime({ event_timestamp: '2017-12-05 19:13:06 UTC' })).toBe('2017-12-05T19:13:06.000Z');
    expect(eventTime({ created_at: '2016-01-21T09:20:15.990Z' })).toBe('2016-01-21T09:20:15.990Z');
    expect(eventTime({ created_at: 'yesterday' })).toBeNull();
  });
});
