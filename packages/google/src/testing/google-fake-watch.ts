import { createHash } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { isLoopbackHost } from '@claude-idp/core';
import {
  diffTenants,
  EventDelivery,
  type Delivery,
  type FakeKit,
  type GenericTenant,
  type TenantChange,
  type FakeEvents,
} from '@claude-idp/core/testing';
import { googleError, type TokenIssuer } from './google-fake-auth';
import { notModelled } from './google-fake-query';
import type { GoogleStore } from './google-fake-store';

/** A channel the fake holds, in Google's Channel shape plus what it needs to deliver. */
export interface GoogleFakeChannel {
  kind: 'api#channel';
  id: string;
  resourceId: string;
  resourceUri: string;
  /** Expiration, ms since the epoch, as a string (Google's `int64` format). */
  expiration: string;
  address: string;
  token: string | null;
  /** `users:add` ... or `activities:admin`. */
  watch: string;
  /** The last message number sent (sync is 1). */
  messageNumber: number;
}

export interface GoogleFakeEvents extends FakeEvents {
  /** Every notification sent so far, in order, with the subscriber's answer. */
  readonly deliveries: Delivery[];
  /** The channels open now. */
  readonly channels: readonly GoogleFakeChannel[];
  /** Resolves when every queued notification is delivered. */
  settled(): Promise<Delivery[]>;
  /** Sends delivery `i` again, byte for byte (a replay). */
  replay(i: number): Promise<Delivery>;
  /** Sends anything to a channel's address (or `url`): malformed, forged or wrong-typed notifications. */
  sendRaw(args: {
    headers: Record<string, string>;
    body?: string;
    url?: string;
    channelId?: string;
  }): Promise<Delivery>;
  /** The headers Google would send on `channelId` for a notification in `state` (the next message number). */
  headersFor(channelId: string, state: string): Record<string, string>;
}

/** `params.ttl`: "the default is 2 hours and the maximum TTL is 2 days" (discovery doc, Channel.params). */
const DEFAULT_TTL_MS = 2 * 3600_000;
const MAX_TTL_MS = 2 * 86_400_000;
const USER_EVENTS = new Set(['add', 'delete', 'update', 'undelete', 'makeAdmin']);

/**
 * The push-notification side of the Google fake: `users.watch`, Reports `activities.watch` (the
 * `admin` application for all users) and both `channels.stop` endpoints in Google's shapes, the
 * `sync` message on every new channel, and on `update()` the notifications Google would send for
 * the tenant's changes, over real HTTP to each channel's address.
 */
export function createGoogleWatchFake(args: {
  baseUrl: string;
  kit: FakeKit;
  tokens: TokenIssuer;
  store: () => GoogleStore;
  now?: () => number;
  fetch?: typeof fetch;
}) {
  const { baseUrl, kit, tokens } = args;
  const now = args.now ?? Date.now;
  const delivery = new EventDelivery(args.fetch);
  const channels = new Map<string, GoogleFakeChannel>();

  const headersFor = (ch: GoogleFakeChannel, state: string, number: number, withBody: boolean) => ({
    ...(withBody ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
    'x-goog-channel-id': ch.id,
    ...(ch.token !== null ? { 'x-goog-channel-token': ch.token } : {}),
    'x-goog-channel-expiration': new Date(Number(ch.expiration)).toUTCString(),
    'x-goog-resource-id': ch.resourceId,
    'x-goog-resource-uri': ch.resourceUri,
    'x-goog-resource-state': state,
    'x-goog-message-number': String(number),
  });
  const send = (ch: GoogleFakeChannel, state: string, body: object | null) => {
    // Message numbers increase per channel but are not consecutive (push guide); sync is always 1.
    if (state !== 'sync') ch.messageNumber += 1 + Math.floor(Math.random() * 3);
    const number = state === 'sync' ? 1 : ch.messageNumber;
    const text = body === null ? '' : JSON.stringify(body);
    return delivery.send(ch.address, { headers: headersFor(ch, state, number, body !== null), body: text });
  };
  const live = () => [...channels.values()].filter((c) => Number(c.expiration) > now());

  /** Google's answer to a channel request body it cannot take. */
  const badChannel = (message: string) => HttpResponse.json(googleError(400, 'invalid', message), { status: 400 });

  const open = async (request: Request, watch: string, resourceUri: string): Promise<Response> => {
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return HttpResponse.json(googleError(400, 'parseError', 'Parse Error'), { status: 400 });
    }
    const known = new Set(['id', 'type', 'address', 'token', 'expiration', 'params', 'payload', 'kind']);
    const extra = Object.keys(body).find((k) => !known.has(k));
    if (extra) return notModelled(`the channel field ${extra}`);
    if (body.payload !== undefined) return notModelled('payload on a channel');
    if (typeof body.id !== 'string' || !body.id) return badChannel('Required: channel id');
    if (body.type !== 'web_hook' && body.type !== 'webhook') return badChannel('Invalid channel type');
    if (typeof body.address !== 'string') return badChannel('Required: address');
    let address: URL;
    try {
      address = new URL(body.address);
    } catch {
      return badChannel(`Invalid address: ${String(body.address)}`);
    }
    // Google delivers to https only; the fake also delivers to loopback http (the test's listener).
    if (address.protocol !== 'https:' && !(address.protocol === 'http:' && isLoopbackHost(address.hostname)))
      return HttpResponse.json(
        googleError(400, 'push.webhookUrlNotHttps', `WebHook callback must be HTTPS: ${body.address}`),
        { status: 400 },
      );
    if (body.token !== undefined && (typeof body.token !== 'string' || body.token.length > 256))
      return badChannel('Invalid token: at most 256 characters');
    if ([...channels.values()].some((c) => c.id === body.id))
      return HttpResponse.json(googleError(400, 'channelIdNotUnique', `Channel id ${body.id} not unique`), {
        status: 400,
      });
    const params = (body.params ?? {}) as Record<string, unknown>;
    const unknownParam = Object.keys(params).find((k) => k !== 'ttl');
    if (unknownParam) return notModelled(`channel params.${unknownParam}`);
    let lifetime = DEFAULT_TTL_MS;
    if (params.ttl !== undefined) {
      const ttl = Number(params.ttl);
      if (!Number.isInteger(ttl) || ttl <= 0) return badChannel(`Invalid params.ttl: ${String(params.ttl)}`);
      lifetime = ttl * 1000;
    }
    if (body.expiration !== undefined) {
      const at = Number(body.expiration);
      if (!Number.isInteger(at) || at <= now()) return badChannel(`Invalid expiration: ${String(body.expiration)}`);
      lifetime = Math.min(lifetime, at - now());
    }
    // Google caps a channel's life at its maximum rather than refusing a longer one (it answers the real expiration).
    lifetime = Math.min(lifetime, MAX_TTL_MS);
    const ch: GoogleFakeChannel = {
      kind: 'api#channel',
      id: body.id,
      resourceId: createHash('sha256').update(`${resourceUri}:${body.id}`).digest('base64url').slice(0, 27),
      resourceUri,
      expiration: String(now() + lifetime),
      address: body.address,
      token: typeof body.token === 'string' ? body.token : null,
      watch,
      messageNumber: 1,
    };
    channels.set(ch.id, ch);
    // The sync message is queued at once: as with Google, it may reach the address before the watch call's answer.
    void send(ch, 'sync', null);
    const { watch: _w, address: _a, messageNumber: _m, token, ...shape } = ch;
    return HttpResponse.json({ ...shape, ...(token !== null ? { token } : {}) });
  };

  const stop = async (request: Request): Promise<Response> => {
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return HttpResponse.json(googleError(400, 'parseError', 'Parse Error'), { status: 400 });
    }
    const ch = typeof body.id === 'string' ? channels.get(body.id) : undefined;
    if (!ch || ch.resourceId !== body.resourceId)
      return HttpResponse.json(googleError(404, 'notFound', `Channel '${String(body.id)}' not found for project`), {
        status: 404,
      });
    channels.delete(ch.id);
    return new HttpResponse(null, { status: 204 });
  };

  const handlers = (): RequestHandler[] => [
    http.post(
      `${baseUrl}/admin/directory/v1/users/watch`,
      kit.handle(async ({ request }) => {
        const denied = tokens.check(request.headers.get('authorization'), 'user');
        if (denied) return denied;
        const url = new URL(request.url);
        const extra = [...url.searchParams.keys()].find((k) => !['customer', 'event', 'domain', 'alt'].includes(k));
        if (extra) return notModelled(`users.watch parameter ${extra}`);
        const customer = url.searchParams.get('customer');
        const store = args.store();
        if (!customer && !url.searchParams.get('domain'))
          return HttpResponse.json(googleError(400, 'badRequest', 'Bad Request'), { status: 400 });
        if (customer && customer !== 'my_customer' && customer !== store.customerId)
          return HttpResponse.json(googleError(403, 'forbidden', 'Not Authorized to access this resource/api'), {
            status: 403,
          });
        const event = url.searchParams.get('event');
        if (event === null) return notModelled('users.watch without an event');
        if (!USER_EVENTS.has(event))
          return HttpResponse.json(googleError(400, 'invalid', `Invalid value '${event}' for event`), { status: 400 });
        const uri = `${baseUrl}/admin/directory/v1/users?${customer ? `customer=${customer}` : `domain=${url.searchParams.get('domain')}`}&event=${event}&alt=json`;
        return open(request, `users:${event}`, uri);
      }),
    ),
    http.post(
      `${baseUrl}/admin/reports/v1/activity/users/:userKey/applications/:applicationName/watch`,
      kit.handle(async ({ request, params }) => {
        const denied = tokens.check(request.headers.get('authorization'), 'reports');
        if (denied) return denied;
        if (params.userKey !== 'all' || params.applicationName !== 'admin')
          return notModelled(`activities.watch for ${String(params.userKey)}/${String(params.applicationName)}`);
        const url = new URL(request.url);
        const extra = [...url.searchParams.keys()].find((k) => !['customerId', 'alt'].includes(k));
        if (extra) return notModelled(`activities.watch parameter ${extra}`);
        const customerId = url.searchParams.get('customerId');
        if (customerId && customerId !== args.store().customerId)
          return HttpResponse.json(googleError(403, 'forbidden', 'Not Authorized to access this resource/api'), {
            status: 403,
          });
        return open(
          request,
          'activities:admin',
          `${baseUrl}/admin/reports/v1/activity/users/all/applications/admin?alt=json`,
        );
      }),
    ),
    http.post(
      `${baseUrl}/admin/directory_v1/channels/stop`,
      kit.handle(async ({ request }) => {
        const denied = tokens.check(request.headers.get('authorization'), 'user');
        return denied ?? stop(request);
      }),
    ),
    http.post(
      `${baseUrl}/admin/reports_v1/channels/stop`,
      kit.handle(async ({ request }) => {
        const denied = tokens.check(request.headers.get('authorization'), 'reports');
        return denied ?? stop(request);
      }),
    ),
    http.all(`${baseUrl}/admin/reports/v1/*`, ({ request }) =>
      notModelled(`${request.method} ${new URL(request.url).pathname}`),
    ),
    http.all(`${baseUrl}/admin/reports_v1/*`, ({ request }) =>
      notModelled(`${request.method} ${new URL(request.url).pathname}`),
    ),
    http.all(`${baseUrl}/admin/directory_v1/*`, ({ request }) =>
      notModelled(`${request.method} ${new URL(request.url).pathname}`),
    ),
  ];

  /** The notifications Google would send for the change from `before` to `after`. */
  const notify = (before: GenericTenant, beforeStore: GoogleStore, after: GenericTenant, afterStore: GoogleStore) => {
    const changes = diffTenants(before, after);
    if (!changes.length) return;
    const userOf = (s: GoogleStore, t: GenericTenant, genericId: string) => {
      const email = t.users.find((u) => u.id === genericId)?.email.toLowerCase();
      return s.users.find((u) => String(u.primaryEmail).toLowerCase() === email);
    };
    const groupOf = (s: GoogleStore, t: GenericTenant, genericId: string) => {
      const i = t.groups.findIndex((g) => g.id === genericId);
      return i >= 0 ? s.groups[i] : undefined;
    };
    const userNotice = (u: Record<string, unknown> | undefined) =>
      u && { kind: 'admin#directory#user', id: u.id, etag: u.etag, primaryEmail: u.primaryEmail };
    let sequence = 0;
    const activity = (name: string, parameters: Record<string, string>) => ({
      kind: 'admin#reports#activity',
      id: {
        time: new Date(now()).toISOString(),
        uniqueQualifier: String(BigInt(now()) * 1000n + BigInt(sequence++)),
        applicationName: 'admin',
        customerId: afterStore.customerId,
      },
      etag: `"${afterStore.customerId}/${name}/${sequence}"`,
      actor: { callerType: 'USER', email: `admin@${after.domain}` },
      events: [
        {
          type: 'GROUP_SETTINGS',
          name,
          parameters: Object.entries(parameters).map(([n, value]) => ({ name: n, value })),
        },
      ],
    });
    for (const change of changes) {
      for (const [watch, state, body] of noticesFor(change)) {
        if (!body) continue;
        for (const ch of live()) if (ch.watch === watch) void send(ch, state, body);
      }
    }

    function noticesFor(c: TenantChange): [string, string, object | undefined][] {
      const gEmail = (s: GoogleStore, t: GenericTenant, id: string) => String(groupOf(s, t, id)?.email ?? '');
      switch (c.type) {
        case 'user.created':
          return [['users:add', 'add', userNotice(userOf(afterStore, after, c.user.id))]];
        case 'user.deleted':
          return [['users:delete', 'delete', userNotice(userOf(beforeStore, before, c.user.id))]];
        case 'user.updated':
          return [['users:update', 'update', userNotice(userOf(afterStore, after, c.user.id))]];
        // Assigning a person to the app moves them to the app's org unit: a user update in Google.
        case 'app.user.assigned':
        case 'app.user.unassigned':
          return [['users:update', 'update', userNotice(userOf(afterStore, after, c.user.id))]];
        case 'group.created':
          return [
            [
              'activities:admin',
              'CREATE_GROUP',
              activity('CREATE_GROUP', { GROUP_EMAIL: gEmail(afterStore, after, c.group.id) }),
            ],
          ];
        case 'group.deleted':
          return [
            [
              'activities:admin',
              'DELETE_GROUP',
              activity('DELETE_GROUP', { GROUP_EMAIL: gEmail(beforeStore, before, c.group.id) }),
            ],
          ];
        case 'group.renamed':
          return [
            [
              'activities:admin',
              'CHANGE_GROUP_NAME',
              activity('CHANGE_GROUP_NAME', {
                GROUP_EMAIL: gEmail(beforeStore, before, c.group.id),
                NEW_VALUE: c.group.name,
                OLD_VALUE: c.previousName,
              }),
            ],
          ];
        case 'group.member.added':
        case 'group.member.removed': {
          const name = c.type === 'group.member.added' ? 'ADD_GROUP_MEMBER' : 'REMOVE_GROUP_MEMBER';
          return [
            [
              'activities:admin',
              name,
              activity(name, { GROUP_EMAIL: gEmail(afterStore, after, c.group.id), USER_EMAIL: c.user.email }),
            ],
          ];
        }
        case 'group.nested.added':
        case 'group.nested.removed': {
          const name = c.type === 'group.nested.added' ? 'ADD_GROUP_MEMBER' : 'REMOVE_GROUP_MEMBER';
          return [
            [
              'activities:admin',
              name,
              activity(name, {
                GROUP_EMAIL: gEmail(afterStore, after, c.group.id),
                USER_EMAIL: gEmail(afterStore, after, c.member.id) || gEmail(beforeStore, before, c.member.id),
              }),
            ],
          ];
        }
        // The SAML app's settings and group access live in the Admin console only: Google sends nothing.
        case 'app.group.assigned':
        case 'app.group.unassigned':
        case 'app.settings.updated':
          return [];
      }
    }
  };

  const events: GoogleFakeEvents = {
    get deliveries() {
      return delivery.deliveries;
    },
    get channels() {
      return [...channels.values()];
    },
    settled: () => delivery.settled(),
    replay(i) {
      const d = delivery.deliveries[i];
      if (!d) throw new Error(`no delivery ${i} (there are ${delivery.deliveries.length})`);
      return delivery.send(d.url, { headers: { ...d.headers }, body: d.body });
    },
    sendRaw({ headers, body, url, channelId }) {
      const target = url ?? (channelId ? channels.get(channelId)?.address : live()[0]?.address);
      if (!target) throw new Error('sendRaw: no url and no open channel to take the address from');
      return delivery.send(target, { headers, body: body ?? '' });
    },
    headersFor(channelId, state) {
      const ch = channels.get(channelId);
      if (!ch) throw new Error(`no channel ${channelId}`);
      ch.messageNumber += 1;
      return headersFor(ch, state, ch.messageNumber, state !== 'sync');
    },
  };

  return { handlers, notify, events };
}
