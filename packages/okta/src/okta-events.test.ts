import { ConfigurationError, type ReceiveResult, type WatchRequest } from '@claude-idp/core';
import { describe, expect, it } from 'vitest';
import { createOktaEventReceiver, oktaEventTargets, OKTA_EVENT_HOOK_EVENT_TYPES } from './index';

const SECRET = 'hook-secret-5d1f0c9a7e';
const APP = '0oa1claudeapp0000001';
const env = { OKTA_EVENT_HOOK_SECRET: SECRET, OKTA_APP_ID: APP };

function request(args: {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  auth?: string | null;
}): WatchRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...args.headers };
  if (args.auth !== null) headers.authorization = args.auth ?? SECRET;
  return {
    method: args.method ?? 'POST',
    url: new URL('http://127.0.0.1/events/okta'),
    headers,
    body: args.raw ?? (args.body === undefined ? '' : JSON.stringify(args.body)),
    receivedAt: new Date(),
  };
}

/** Okta's event hook request body (event hooks concept page; a real delivery's shape). */
function delivery(events: { eventType: string; target: { id: string; type: string; displayName?: string }[] }[]) {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/whoabc123',
    eventId: 'b5a188b9-5ece-4636-b041-482ffda96311',
    eventTime: '2026-12-06T21:00:00.000Z',
    contentType: 'application/json',
    data: {
      events: events.map((e, i) => ({
        uuid: `14a42b00-74e5-11ee-8a5a-69d62fcd0f8${i}`,
        published: '2026-12-06T20:59:59.000Z',
        eventType: e.eventType,
        version: '0',
        displayMessage: 'Add user to group membership',
        severity: 'INFO',
        actor: { id: '00uadmin', type: 'User', alternateId: 'admin@acme.example', displayName: 'Admin' },
        outcome: { result: 'SUCCESS', reason: null },
        target: e.target.map((t) => ({ alternateId: 'unknown', displayName: t.id, ...t })),
      })),
    },
  };
}

const membership = delivery([
  {
    eventType: 'group.user_membership.add',
    target: [
      { id: '00u1user000000000001', type: 'User' },
      { id: '00g1group00000000001', type: 'UserGroup', displayName: 'anthropic-claudeai-x-user' },
    ],
  },
]);

/** Everything a result would put in the operator's log or answer body. */
const printed = (r: ReceiveResult) => [r.log ?? '', r.answer.body ?? '', ...r.events.map((e) => e.summary)].join('\n');

describe('createOktaEventReceiver: set-up', () => {
  it('refuses to be created without OKTA_EVENT_HOOK_SECRET, naming the variable', () => {
    const error = (() => {
      try {
        createOktaEventReceiver({ env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).setting).toBe('OKTA_EVENT_HOOK_SECRET');
    expect(() => createOktaEventReceiver({ env: { OKTA_EVENT_HOOK_SECRET: '   ' } })).toThrow(/OKTA_EVENT_HOOK_SECRET/);
  });

  it('refuses a header name that is not one', () => {
    expect(() => createOktaEventReceiver({ env: { ...env, OKTA_EVENT_HOOK_HEADER: 'X Bad: header' } })).toThrow(
      /OKTA_EVENT_HOOK_HEADER/,
    );
  });

  it('answers at /events/okta as the okta receiver', () => {
    const r = createOktaEventReceiver({ env });
    expect(r).toMatchObject({ specificationVersion: 'v1', idp: 'okta', paths: ['/events/okta'] });
  });
});

describe('createOktaEventReceiver: the handshake and authentication', () => {
  const receiver = createOktaEventReceiver({ env });

  it('answers the one-time verification: 200 application/json {"verification": <challenge>}', async () => {
    const r = await receiver.handle(
      request({
        method: 'GET',
        headers: { 'x-okta-verification-challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' },
      }),
    );
    expect(r.answer.status).toBe(200);
    expect(r.answer.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(r.answer.body!)).toEqual({ verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' });
    expect(r.events).toEqual([]);
    expect(r.rejected).toBeUndefined();
  });

  it('a verification without the secret, or with a wrong one, is 401 with no detail and no echo', async () => {
    for (const auth of [null, 'wrong-secret', `${SECRET} `, SECRET.slice(0, -1)]) {
      const r = await receiver.handle(
        request({ method: 'GET', auth, headers: { 'x-okta-verification-challenge': 'challenge-value-1' } }),
      );
      expect(r.answer.status).toBe(401);
      expect(r.answer.body).toBe('Unauthorized');
      expect(r.rejected).toBe(true);
      expect(printed(r)).not.toContain('challenge-value-1');
    }
  });

  it('a GET with the secret but no challenge is 400', async () => {
    const r = await receiver.handle(request({ method: 'GET' }));
    expect(r.answer.status).toBe(400);
    expect(r.rejected).toBe(true);
  });

  it('a delivery with the right secret: 200, empty body, one event per Okta event with its uuid as id', async () => {
    const r = await receiver.handle(request({ body: membership }));
    expect(r.answer).toEqual({ status: 200 });
    expect(r.events).toEqual([
      {
        source: 'okta',
        id: '14a42b00-74e5-11ee-8a5a-69d62fcd0f80',
        type: 'group.user_membership.add',
        at: '2026-12-06T20:59:59.000Z',
        targets: [{ kind: 'group', id: '00g1group00000000001' }],
        summary: expect.stringContaining('anthropic-claudeai-x-user'),
      },
    ]);
  });

  it('a delivery replayed carries the same uuid (the listener drops it)', async () => {
    const a = await receiver.handle(request({ body: membership }));
    const b = await receiver.handle(request({ body: membership }));
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
  });

  it('a delivery without the header, or with a wrong value, is 401 with no detail and no event', async () => {
    for (const auth of [null, '', 'Bearer something', SECRET.toUpperCase()]) {
      const r = await receiver.handle(request({ body: membership, auth }));
      expect(r).toMatchObject({ answer: { status: 401, body: 'Unauthorized' }, events: [], rejected: true });
    }
  });

  it('checks the configured header name (OKTA_EVENT_HOOK_HEADER), case-insensitively', async () => {
    const custom = createOktaEventReceiver({ env: { ...env, OKTA_EVENT_HOOK_HEADER: 'X-Hook-Key' } });
    const wrongHeader = await custom.handle(request({ body: membership }));
    expect(wrongHeader.answer.status).toBe(401);
    const right = await custom.handle(request({ body: membership, auth: null, headers: { 'x-hook-key': SECRET } }));
    expect(right.answer.status).toBe(200);
    expect(right.events).toHaveLength(1);
  });

  it('malformed JSON is 400; a JSON body that is not an event hook request is 400', async () => {
    const bad = await receiver.handle(request({ raw: '{"eventType": "com.okta.event_hook", ' }));
    expect(bad).toMatchObject({ answer: { status: 400 }, events: [], rejected: true });
    const notOkta = await receiver.handle(request({ body: { ...membership, eventType: 'something.else' } }));
    expect(notOkta).toMatchObject({ answer: { status: 400 }, rejected: true });
    expect(notOkta.log).toContain('eventType');
    const noUuid = structuredClone(membership) as { data: { events: Record<string, unknown>[] } };
    delete noUuid.data.events[0]!.uuid;
    expect((await receiver.handle(request({ body: noUuid }))).answer.status).toBe(400);
  });

  it('a content type other than JSON is 415', async () => {
    const r = await receiver.handle(
      request({ body: membership, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    expect(r).toMatchObject({ answer: { status: 415 }, rejected: true });
  });

  it('methods other than GET and POST are 405', async () => {
    expect((await receiver.handle(request({ method: 'PUT', body: membership }))).answer.status).toBe(405);
  });

  it('no log line, answer body or summary ever shows the secret or the presented value', async () => {
    const results = [
      await receiver.handle(request({ method: 'GET', headers: { 'x-okta-verification-challenge': 'c1' } })),
      await receiver.handle(request({ method: 'GET', auth: 'presented-wrong-value' })),
      await receiver.handle(request({ body: membership })),
      await receiver.handle(request({ body: membership, auth: 'presented-wrong-value' })),
      await receiver.handle(request({ raw: 'not json' })),
      await receiver.handle(request({ body: membership, headers: { 'content-type': 'text/plain' } })),
    ];
    for (const r of results) {
      expect(r.log).toBeTruthy();
      expect(printed(r)).not.toContain(SECRET);
      expect(printed(r)).not.toContain('presented-wrong-value');
    }
    expect(results.map((r) => r.log)).toEqual([
      'okta: answered the event hook verification challenge',
      'okta: refused a GET whose Authorization header does not match OKTA_EVENT_HOOK_SECRET',
      expect.stringMatching(/^okta: delivery b5a188b9-\S+: 1 event\(s\)$/),
      'okta: refused a POST whose Authorization header does not match OKTA_EVENT_HOOK_SECRET',
      'okta: refused a body that is not JSON (8 bytes)',
      'okta: refused a POST with content type "text/plain"',
    ]);
  });
});

describe('okta event types → change targets', () => {
  const t = (eventType: string, target: { id: string; type: string; displayName?: string }[]) =>
    oktaEventTargets({ eventType, target: target.map((x) => ({ ...x })) }, APP);
  const user = { id: '00u1user000000000001', type: 'User' };
  const group = { id: '00g1group00000000001', type: 'UserGroup' };
  const ourApp = { id: APP, type: 'AppInstance', displayName: 'Claude' };
  const otherApp = { id: '0oa1otherapp00000001', type: 'AppInstance', displayName: 'Slack' };

  it('group membership, profile and lifecycle → the group', () => {
    for (const type of [
      'group.user_membership.add',
      'group.user_membership.remove',
      'group.profile.updated',
      'group.lifecycle.create',
      'group.lifecycle.delete',
    ])
      expect(t(type, [user, group])).toEqual([{ kind: 'group', id: group.id }]);
  });

  it('app assignments and app lifecycle/settings → the app, only when it is the watched app or cannot be told', () => {
    for (const type of [
      'application.user_membership.add',
      'application.user_membership.remove',
      'application.user_membership.change_username',
      'application.user_membership.update',
      'group.application_assignment.add',
      'group.application_assignment.remove',
      'group.application_assignment.update',
      'application.lifecycle.update',
      'application.lifecycle.deactivate',
    ]) {
      expect(t(type, [user, group, ourApp])).toEqual([{ kind: 'app' }]);
      expect(t(type, [user, group, otherApp])).toEqual([]);
      expect(t(type, [user, group])).toEqual([{ kind: 'app' }]);
    }
    // Watched by label: the AppInstance's display name tells.
    expect(oktaEventTargets({ eventType: 'application.lifecycle.update', target: [ourApp] }, 'claude')).toEqual([
      { kind: 'app' },
    ]);
    expect(oktaEventTargets({ eventType: 'application.lifecycle.update', target: [otherApp] }, 'Claude')).toEqual([]);
  });

  it('user lifecycle and profile → the user', () => {
    for (const type of [
      'user.lifecycle.create',
      'user.lifecycle.deactivate',
      'user.lifecycle.suspend',
      'user.lifecycle.delete.initiated',
      'user.account.update_profile',
      'user.account.lock',
    ])
      expect(t(type, [user])).toEqual([{ kind: 'user', id: user.id }]);
  });

  it('a group or user event naming no group or user asks for a full read', () => {
    expect(t('group.user_membership.add', [user])).toEqual([{ kind: 'everything', reason: expect.any(String) }]);
    expect(t('user.lifecycle.create', [])).toEqual([{ kind: 'everything', reason: expect.any(String) }]);
  });

  it('anything else asks for nothing, and the delivery log counts it', async () => {
    expect(t('user.session.start', [user])).toEqual([]);
    expect(t('policy.lifecycle.update', [])).toEqual([]);
    const r = await createOktaEventReceiver({ env }).handle(
      request({
        body: delivery([
          { eventType: 'user.session.start', target: [user] },
          ...[membership.data.events[0]!].map((e) => ({ eventType: e.eventType, target: e.target })),
        ]),
      }),
    );
    expect(r.events.map((e) => e.targets.length)).toEqual([0, 1]);
    expect(r.log).toContain('1 asking for no read (user.session.start)');
  });

  it('every event type a hook subscribes to maps to a target', () => {
    for (const type of OKTA_EVENT_HOOK_EVENT_TYPES)
      expect(t(type, [user, group, ourApp]).length, type).toBeGreaterThan(0);
  });
});
