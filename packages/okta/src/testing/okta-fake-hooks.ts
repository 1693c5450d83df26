import { randomBytes, randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { z } from 'zod';
import type {
  Delivery,
  EventDelivery,
  GenericGroup,
  GenericUser,
  ResolverArgs,
  TenantChange,
  FakeEvents,
} from '@claude-idp/core/testing';
import { oktaError as err } from './okta-fake-gate';
import { oktaId } from './okta-fake-ids';
import type { OktaOrg } from './okta-fake-store';

/**
 * Okta's event hooks in the fake: the management API (`/api/v1/eventHooks`, spec `EventHook` in
 * okta-sdk-nodejs `src/types/generated/models/EventHook.d.ts` and `EventHookApi`), the one-time
 * verification Okta makes to the hook's URL, and the deliveries of System Log events to every
 * ACTIVE and VERIFIED hook subscribed to their type (developer.okta.com/docs/concepts/event-hooks).
 */

/** An event hook as the fake keeps it (the `authScheme.value` is kept but never returned: spec "not returned in the response"). */
export interface OktaFakeEventHook {
  id: string;
  status: 'ACTIVE' | 'INACTIVE';
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  name: string;
  description: string | null;
  created: string;
  createdBy: string;
  lastUpdated: string;
  events: { type: 'EVENT_TYPE'; items: string[]; filter: null };
  channel: {
    type: 'HTTP';
    version: string;
    config: {
      uri: string;
      headers: { key: string; value: string }[];
      method: 'POST';
      authScheme: { type: 'HEADER'; key: string; value: string } | null;
    };
  };
}

/** The test-facing side of the fake's event hooks. */
export interface OktaFakeEvents extends FakeEvents {
  /** The hooks registered through the API (secrets included: this is the test's view). */
  readonly hooks: readonly OktaFakeEventHook[];
  // deliveries (verifications included; a retry is a second entry), settled(), replay(i) (what
  // Okta does when an answer is late) and sendRaw() (default: the first ACTIVE hook's URL, no
  // authorization header unless given) are FakeEvents'.
}

/** Okta documents a maximum of 25 event hooks per org (help.okta.com, "Create an event hook"). */
const MAX_HOOKS = 25;
/** Okta's verification and delivery requests time out after 3 seconds and are retried once (EventHookApi `verifyEventHook`). */
const TIMEOUT_MS = 3_000;
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * The `createEventHook` request body (spec `EventHook`: name, events {type EVENT_TYPE, items},
 * channel {type HTTP, version 1.0.0, config {uri, headers, method, authScheme}}). Read-only fields
 * sent along (id, status, created ...) are ignored, as Okta ignores them.
 */
const CreateEventHook = z.object({
  name: z.string().trim().min(1, 'The field cannot be left blank'),
  description: z.string().nullish(),
  events: z.object({
    type: z.literal('EVENT_TYPE'),
    items: z
      .array(z.string().regex(EVENT_TYPE, 'is not an event hook eligible event type'))
      .min(1, 'The field cannot be left blank'),
  }),
  channel: z.object({
    type: z.literal('HTTP'),
    version: z.literal('1.0.0', 'the only supported version is 1.0.0'),
    config: z.object({
      uri: z.url(),
      headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).nullish(),
      method: z.literal('POST').optional(),
      authScheme: z.object({ type: z.literal('HEADER'), key: z.string().min(1), value: z.string().min(1) }).nullish(),
    }),
  }),
});

export function createEventHooks(deps: {
  base: string;
  org: () => OktaOrg;
  domain: string;
  delivery: EventDelivery;
  route: (
    params: readonly string[],
    resolve: (a: RouteArgs) => Response | Promise<Response>,
  ) => (args: ResolverArgs) => Promise<Response>;
  /** The fake's 501 naming what it does not model. */
  notModelled: (request: Request, what: string, headers: Record<string, string>) => Response;
}) {
  const hooks = new Map<string, OktaFakeEventHook>();
  const { base, delivery } = deps;
  const render = (h: OktaFakeEventHook) => ({
    ...h,
    channel: {
      ...h.channel,
      config: {
        ...h.channel.config,
        authScheme: h.channel.config.authScheme ? { type: 'HEADER', key: h.channel.config.authScheme.key } : null,
      },
    },
    _links: {
      self: { href: `${base}/api/v1/eventHooks/${h.id}` },
      verify: { href: `${base}/api/v1/eventHooks/${h.id}/lifecycle/verify`, hints: { allow: ['POST'] } },
      ...(h.status === 'ACTIVE'
        ? { deactivate: { href: `${base}/api/v1/eventHooks/${h.id}/lifecycle/deactivate`, hints: { allow: ['POST'] } } }
        : { activate: { href: `${base}/api/v1/eventHooks/${h.id}/lifecycle/activate`, hints: { allow: ['POST'] } } }),
    },
  });
  const notFound = (id: unknown, headers: Record<string, string>) =>
    err(404, 'E0000007', `Not found: Resource not found: ${String(id)} (EventHook)`, [], headers);
  const invalid = (headers: Record<string, string>, ...causes: string[]) =>
    err(400, 'E0000001', 'Api validation failed: eventHook', causes, headers);
  const ok = (h: OktaFakeEventHook, headers: Record<string, string>) => HttpResponse.json(render(h), { headers });

  /** The headers Okta sends with a verification or a delivery: its own, the hook's custom ones, the auth header. */
  const outboundHeaders = (h: OktaFakeEventHook, extra: Record<string, string>) => {
    const out: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'Okta-Integrations',
      'x-okta-request-id': randomBytes(18).toString('base64url'),
      ...extra,
    };
    for (const x of h.channel.config.headers) out[x.key.toLowerCase()] = x.value;
    const auth = h.channel.config.authScheme;
    if (auth) out[auth.key.toLowerCase()] = auth.value;
    return out;
  };
  /** One request with Okta's 3-second timeout and its one retry after a timeout or an error answer. */
  const send = async (
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ) => {
    const first = await delivery.send(url, { ...init, timeoutMs: TIMEOUT_MS });
    if (first.status !== null && first.status >= 200 && first.status < 300) return first;
    return delivery.send(url, { ...init, timeoutMs: TIMEOUT_MS });
  };

  const parseHook = (body: unknown, a: RouteArgs): OktaFakeEventHook | Response => {
    const filter = (body as { events?: { filter?: unknown } } | null)?.events?.filter;
    if (filter !== undefined && filter !== null)
      return deps.notModelled(a.request, 'event hook filters (events.filter)', a.headers);
    const parsed = CreateEventHook.safeParse(body);
    if (!parsed.success)
      return invalid(a.headers, ...parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const { name, description, events, channel } = parsed.data;
    const uri = new URL(channel.config.uri);
    // Okta calls HTTPS endpoints only; the fake also calls loopback HTTP, so tests need no certificate.
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname);
    if (uri.protocol !== 'https:' && !(uri.protocol === 'http:' && loopback))
      return invalid(a.headers, 'channel.config.uri: must use HTTPS');
    const now = new Date().toISOString();
    const auth = channel.config.authScheme;
    return {
      id: oktaId('who', randomUUID()),
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      name,
      description: description ?? null,
      created: now,
      createdBy: oktaId('00u', 'fake-admin'),
      lastUpdated: now,
      events: { type: 'EVENT_TYPE', items: events.items, filter: null },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: uri.toString(),
          headers: channel.config.headers ?? [],
          method: 'POST',
          authScheme: auth ? { type: 'HEADER', key: auth.key, value: auth.value } : null,
        },
      },
    };
  };

  const handlers = (): RequestHandler[] => {
    const { route } = deps;
    const hookOf = (a: RouteArgs) => hooks.get(String(a.params.eventHookId));
    return [
      http.get(
        `${base}/api/v1/eventHooks`,
        route([], (a) => HttpResponse.json([...hooks.values()].map(render), { headers: a.headers })),
      ),
      http.post(
        `${base}/api/v1/eventHooks`,
        route([], async (a) => {
          let body: unknown;
          try {
            body = await a.request.json();
          } catch {
            return err(400, 'E0000003', 'The request body was not well-formed.', [], a.headers);
          }
          if (hooks.size >= MAX_HOOKS) return invalid(a.headers, `A maximum of ${MAX_HOOKS} event hooks is allowed`);
          const hook = parseHook(body, a);
          if (hook instanceof Response) return hook;
          hooks.set(hook.id, hook);
          return ok(hook, a.headers);
        }),
      ),
      http.get(
        `${base}/api/v1/eventHooks/:eventHookId`,
        route([], (a) => {
          const h = hookOf(a);
          return h ? ok(h, a.headers) : notFound(a.params.eventHookId, a.headers);
        }),
      ),
      http.delete(
        `${base}/api/v1/eventHooks/:eventHookId`,
        route([], (a) => {
          const h = hookOf(a);
          if (!h) return notFound(a.params.eventHookId, a.headers);
          // Spec (EventHookApi deleteEventHook): "you can only delete event hooks with a status of INACTIVE".
          if (h.status !== 'INACTIVE') return invalid(a.headers, 'Deactivate the event hook before deleting it');
          hooks.delete(h.id);
          return new HttpResponse(null, { status: 204, headers: a.headers });
        }),
      ),
      ...(['activate', 'deactivate'] as const).map((op) =>
        http.post(
          `${base}/api/v1/eventHooks/:eventHookId/lifecycle/${op}`,
          route([], (a) => {
            const h = hookOf(a);
            if (!h) return notFound(a.params.eventHookId, a.headers);
            h.status = op === 'activate' ? 'ACTIVE' : 'INACTIVE';
            h.lastUpdated = new Date().toISOString();
            return ok(h, a.headers);
          }),
        ),
      ),
      http.post(
        `${base}/api/v1/eventHooks/:eventHookId/lifecycle/verify`,
        route([], async (a) => {
          const h = hookOf(a);
          if (!h) return notFound(a.params.eventHookId, a.headers);
          const challenge = randomBytes(30).toString('base64url');
          const d = await send(h.channel.config.uri, {
            method: 'GET',
            headers: outboundHeaders(h, { 'x-okta-verification-challenge': challenge }),
          });
          let echoed: unknown;
          try {
            echoed = (JSON.parse(d.answer) as { verification?: unknown }).verification;
          } catch {
            echoed = undefined;
          }
          if (d.status !== 200 || echoed !== challenge)
            return invalid(a.headers, `Unable to verify event hook. Hook ${h.name} execution failed`);
          h.verificationStatus = 'VERIFIED';
          h.lastUpdated = new Date().toISOString();
          return ok(h, a.headers);
        }),
      ),
    ];
  };

  /** Okta's events for each change, delivered to each ACTIVE and VERIFIED hook subscribed to their type. */
  const deliver = (changes: TenantChange[], before: OktaOrg, after: OktaOrg): void => {
    const events = changes.flatMap((c) => oktaEventsOf(c, before, after, deps.domain));
    if (!events.length) return;
    for (const h of hooks.values()) {
      if (h.status !== 'ACTIVE' || h.verificationStatus !== 'VERIFIED') continue;
      const subscribed = events.filter((e) => h.events.items.includes(e.eventType));
      if (!subscribed.length) continue;
      const now = new Date().toISOString();
      const body = JSON.stringify({
        eventType: 'com.okta.event_hook',
        eventTypeVersion: '1.0',
        cloudEventsVersion: '0.1',
        source: `${base}/api/v1/eventHooks/${h.id}`,
        eventId: randomUUID(),
        eventTime: now,
        contentType: 'application/json',
        data: { events: subscribed.map((e) => ({ ...e, published: now })) },
      });
      void send(h.channel.config.uri, {
        method: 'POST',
        headers: outboundHeaders(h, { 'content-type': 'application/json' }),
        body,
      });
    }
  };

  const events: OktaFakeEvents = {
    get hooks() {
      return [...hooks.values()];
    },
    get deliveries() {
      return delivery.deliveries;
    },
    settled: () => delivery.settled(),
    replay(i) {
      const d = delivery.deliveries[i];
      if (!d) throw new RangeError(`no delivery ${i} (${delivery.deliveries.length} made)`);
      return delivery.send(d.url, {
        method: d.body ? 'POST' : 'GET',
        headers: d.headers,
        body: d.body || undefined,
        timeoutMs: TIMEOUT_MS,
      });
    },
    sendRaw({ headers, body, method = 'POST', url }) {
      const target = url ?? [...hooks.values()].find((h) => h.status === 'ACTIVE')?.channel.config.uri;
      if (!target) throw new Error('sendRaw: no url given and no ACTIVE event hook registered');
      return delivery.send(target, {
        method,
        headers,
        body: method === 'GET' ? undefined : body,
        timeoutMs: TIMEOUT_MS,
      });
    },
  };
  return { handlers, deliver, events };
}

export interface RouteArgs {
  request: Request;
  params: Record<string, string | readonly string[] | undefined>;
  headers: Record<string, string>;
  url: URL;
}

type LogTarget = { id: string; type: string; alternateId: string; displayName: string; detailEntry: null };

/**
 * A change as the System Log events Okta records for it (event types from Okta's Event Types
 * catalog; each `LogEvent` in the spec's shape: uuid, published, eventType, version, displayMessage,
 * severity, actor, client, outcome, target[], transaction, debugContext ...). Nested groups do not
 * exist in Okta: no event.
 */
export function oktaEventsOf(c: TenantChange, before: OktaOrg, after: OktaOrg, domain: string) {
  const userT = (u: GenericUser): LogTarget => ({
    id: oktaId('00u', u.id),
    type: 'User',
    alternateId: u.login,
    displayName: `${u.givenName} ${u.familyName}`,
    detailEntry: null,
  });
  const groupT = (g: GenericGroup): LogTarget => ({
    id: oktaId('00g', g.id),
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: g.name,
    detailEntry: null,
  });
  const app = after.app ?? before.app;
  const appT: LogTarget = {
    id: app.id,
    type: 'AppInstance',
    alternateId: String(app.label),
    displayName: String(app.label),
    detailEntry: null,
  };
  const one = (eventType: string, displayMessage: string, target: LogTarget[]) => [
    {
      uuid: randomUUID(),
      published: '',
      eventType,
      version: '0',
      displayMessage,
      severity: 'INFO',
      client: {
        userAgent: null,
        zone: 'null',
        device: 'Unknown',
        id: null,
        ipAddress: null,
        geographicalContext: null,
      },
      device: null,
      actor: {
        id: oktaId('00u', 'fake-admin'),
        type: 'User',
        alternateId: `admin@${domain}`,
        displayName: 'Okta Admin',
        detailEntry: null,
      },
      outcome: { result: 'SUCCESS', reason: null },
      target,
      transaction: { type: 'WEB', id: randomBytes(18).toString('base64url'), detail: {} },
      debugContext: { debugData: {} },
      legacyEventType: null,
      authenticationContext: null,
      securityContext: null,
      insertionTimestamp: null,
    },
  ];
  switch (c.type) {
    case 'user.created':
      return one('user.lifecycle.create', 'Create Okta user', [userT(c.user)]);
    case 'user.deleted':
      return one('user.lifecycle.delete.initiated', 'Delete Okta user', [userT(c.user)]);
    case 'user.updated': {
      const out = [];
      if (c.fields.includes('status')) {
        const [type, message] = statusEvent(c.previous.status, c.user.status);
        out.push(...one(type, message, [userT(c.user)]));
      }
      if (c.fields.some((f) => f !== 'status'))
        out.push(...one('user.account.update_profile', 'Update user profile for Okta', [userT(c.user)]));
      return out;
    }
    case 'group.created':
      return one('group.lifecycle.create', 'Create Okta group', [groupT(c.group)]);
    case 'group.deleted':
      return one('group.lifecycle.delete', 'Delete Okta group', [groupT(c.group)]);
    case 'group.renamed':
      return one('group.profile.updated', 'Okta group profile updated', [groupT(c.group)]);
    case 'group.member.added':
      return one('group.user_membership.add', 'Add user to group membership', [userT(c.user), groupT(c.group)]);
    case 'group.member.removed':
      return one('group.user_membership.remove', 'Remove user from group membership', [userT(c.user), groupT(c.group)]);
    case 'app.user.assigned':
      return one('application.user_membership.add', 'Add user to application membership', [userT(c.user), appT]);
    case 'app.user.unassigned':
      return one('application.user_membership.remove', 'Remove user from application membership', [
        userT(c.user),
        appT,
      ]);
    case 'app.group.assigned':
      return one('group.application_assignment.add', 'Add assigned application to group', [appT, groupT(c.group)]);
    case 'app.group.unassigned':
      return one('group.application_assignment.remove', 'Remove assigned application from group', [
        appT,
        groupT(c.group),
      ]);
    case 'app.settings.updated':
      return one('application.lifecycle.update', 'Update application', [appT]);
    case 'group.nested.added':
    case 'group.nested.removed':
      return [];
  }
}

function statusEvent(from: GenericUser['status'], to: GenericUser['status']): [string, string] {
  if (to === 'suspended') return ['user.lifecycle.suspend', 'Suspend Okta user'];
  if (to === 'deprovisioned') return ['user.lifecycle.deactivate', 'Deactivate Okta user'];
  if (to === 'active' && from === 'suspended') return ['user.lifecycle.unsuspend', 'Unsuspend Okta user'];
  if (to === 'active' && from === 'deprovisioned') return ['user.lifecycle.reactivate', 'Reactivate Okta user'];
  if (to === 'active') return ['user.lifecycle.activate', 'Activate Okta user'];
  if (to === 'locked') return ['user.account.lock', 'Max sign in attempts exceeded'];
  return ['user.lifecycle.create', 'Create Okta user'];
}
