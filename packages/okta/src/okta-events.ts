import {
  ConfigurationError,
  HTTP_HEADER_NAME,
  parseJsonBody,
  refuse,
  registerSecret,
  secretsEqual,
  type ChangeTarget,
  type IdpEventReceiverV1,
  type ReceiveResult,
  type WatchEvent,
  type WatchRequest,
} from '@claude-idp/core';
import { z } from 'zod';
import { OKTA_ID } from './okta-api-facts';

/**
 * Okta event hooks, the receiving side (developer.okta.com/docs/concepts/event-hooks):
 * - One-time verification: Okta GETs the hook's URL with the header `X-Okta-Verification-Challenge`
 *   and expects 200 `application/json` `{"verification":"<the header's value>"}` (Okta support
 *   article "Unable to verify event hook"; EventHookApi `verifyEventHook` in okta-sdk-nodejs).
 * - Deliveries: POST `application/json`, the envelope below; Okta expects 200 or 204 with an
 *   empty body within 3 seconds, else it retries once (EventHookApi: "If a response is not
 *   received within 3 seconds, the outbound request times out. One retry is attempted").
 * - Both carry the header configured on the hook, `channel.config.authScheme {type: 'HEADER',
 *   key, value}` (spec `EventHookChannelConfigAuthScheme`: "This secret key is passed to your
 *   external service endpoint for security verification"). It is the only authentication Okta
 *   offers for event hooks (no signature), so it is checked on every request, in constant time.
 */
export const OKTA_EVENT_HOOK_PATH = '/events/okta';
export const OKTA_VERIFICATION_HEADER = 'x-okta-verification-challenge';

/** A `target[]` entry of an Okta System Log event (spec `LogTarget`), the parts read. */
const LogTarget = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  alternateId: z.string().nullish(),
  displayName: z.string().nullish(),
});
export type OktaLogTarget = z.infer<typeof LogTarget>;

/** One System Log event in `data.events[]` (spec `LogEvent`): `uuid` is its unique id. */
const LogEvent = z.looseObject({
  uuid: z.string().min(1),
  published: z.string().nullish(),
  eventType: z.string().min(1),
  displayMessage: z.string().nullish(),
  target: z.array(LogTarget).nullish(),
});

/** The event hook request body (Okta's CloudEvents 0.1 envelope, `eventType: com.okta.event_hook`). */
const EventHookEnvelope = z.looseObject({
  eventType: z.literal('com.okta.event_hook'),
  eventTypeVersion: z.string(),
  cloudEventsVersion: z.string(),
  source: z.string(),
  eventId: z.string(),
  eventTime: z.string().optional(),
  contentType: z.string().optional(),
  data: z.looseObject({ events: z.array(LogEvent) }),
});
export type OktaEventHookBody = z.infer<typeof EventHookEnvelope>;

/**
 * What each Okta event type means for a re-read (the System Log event types Okta lets event hooks
 * subscribe to). A type not listed is counted, logged and asks for no read.
 * - `group`: the `UserGroup` target is re-read (its name and members; a member added is reached
 *   through it).
 * - `app`: the Claude app's settings and assignments are re-read, when the event's `AppInstance`
 *   target is the watched app (or there is no such target to tell).
 * - `user`: the `User` target's profile and status are re-read.
 */
export const OKTA_EVENT_TARGETS: readonly { match: string; kind: 'group' | 'app' | 'user' }[] = [
  { match: 'group.user_membership.add', kind: 'group' },
  { match: 'group.user_membership.remove', kind: 'group' },
  { match: 'group.profile.updated', kind: 'group' },
  { match: 'group.lifecycle.create', kind: 'group' },
  { match: 'group.lifecycle.delete', kind: 'group' },
  { match: 'application.user_membership.add', kind: 'app' },
  { match: 'application.user_membership.remove', kind: 'app' },
  { match: 'application.user_membership.change_username', kind: 'app' },
  { match: 'application.user_membership.update', kind: 'app' },
  { match: 'group.application_assignment.add', kind: 'app' },
  { match: 'group.application_assignment.remove', kind: 'app' },
  { match: 'group.application_assignment.update', kind: 'app' },
  // Create, update (the app's SSO and provisioning settings), activate, deactivate, delete.
  { match: 'application.lifecycle.*', kind: 'app' },
  // Create, activate, deactivate, suspend, unsuspend, delete, ... (status changes).
  { match: 'user.lifecycle.*', kind: 'user' },
  { match: 'user.account.update_profile', kind: 'user' },
  // Locked out after too many sign-in attempts, and unlocked: the status the snapshot records.
  { match: 'user.account.lock', kind: 'user' },
  { match: 'user.account.unlock_by_admin', kind: 'user' },
];

/** The event types to subscribe a hook to (wildcards expanded to the ones Okta lets hooks subscribe to). */
export const OKTA_EVENT_HOOK_EVENT_TYPES: readonly string[] = [
  ...OKTA_EVENT_TARGETS.filter((x) => !x.match.endsWith('*')).map((x) => x.match),
  'application.lifecycle.create',
  'application.lifecycle.update',
  'application.lifecycle.activate',
  'application.lifecycle.deactivate',
  'application.lifecycle.delete',
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.reactivate',
  'user.lifecycle.delete.initiated',
];

const kindOf = (eventType: string) =>
  OKTA_EVENT_TARGETS.find((x) =>
    x.match.endsWith('.*') ? eventType.startsWith(x.match.slice(0, -1)) : x.match === eventType,
  )?.kind;

/**
 * The change targets of one Okta event. `watchedApp` is the app's id (`0oa…`) or label (from
 * `OKTA_APP_ID`); app events about another app ask for nothing.
 */
export function oktaEventTargets(
  event: { eventType: string; target?: OktaLogTarget[] | null },
  watchedApp: string | undefined,
): ChangeTarget[] {
  const kind = kindOf(event.eventType);
  const targets = event.target ?? [];
  const ofType = (type: string) => targets.filter((t) => t.type === type);
  switch (kind) {
    case 'group': {
      const groups = ofType('UserGroup');
      // A group event with no group named cannot be re-read alone.
      return groups.length
        ? groups.map((g) => ({ kind: 'group', id: g.id }))
        : [{ kind: 'everything', reason: `okta ${event.eventType} named no group` }];
    }
    case 'user': {
      const users = ofType('User');
      return users.length
        ? users.map((u) => ({ kind: 'user', id: u.id }))
        : [{ kind: 'everything', reason: `okta ${event.eventType} named no user` }];
    }
    case 'app':
      return isWatchedApp(ofType('AppInstance'), watchedApp) ? [{ kind: 'app' }] : [];
    default:
      return [];
  }
}

function isWatchedApp(apps: OktaLogTarget[], watched: string | undefined): boolean {
  if (!apps.length || !watched) return true; // cannot tell which app: re-read it
  if (OKTA_ID.test(watched) && watched.startsWith('0oa')) return apps.some((a) => a.id === watched);
  const label = watched.toLowerCase();
  return apps.some((a) => a.displayName?.toLowerCase() === label || a.alternateId?.toLowerCase() === label);
}

export interface OktaEventReceiverSettings {
  /** Environment to read `OKTA_EVENT_HOOK_SECRET`, `OKTA_EVENT_HOOK_HEADER` and `OKTA_APP_ID` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** The value of the authorization header configured on the event hook (default `OKTA_EVENT_HOOK_SECRET`). */
  secret?: string;
  /** The name of that header (default `OKTA_EVENT_HOOK_HEADER`, else `Authorization`). */
  header?: string;
  /** The watched Claude app's id or label (default `OKTA_APP_ID`): app events about other apps are ignored. */
  appId?: string;
}

const MAX_CHALLENGE = 1024;

/**
 * The `watch --idp okta` receiver at `/events/okta`: answers Okta's one-time verification, checks
 * the hook's authorization header on every request (constant time), and turns each delivered
 * event into a `WatchEvent` (id = the event's `uuid`, so a retried delivery is dropped by the
 * listener). It answers at once: Okta retries a delivery not answered within 3 seconds.
 * Without a configured secret it is not created (ConfigurationError naming OKTA_EVENT_HOOK_SECRET):
 * an event hook endpoint anyone can post to would let anyone trigger reads.
 */
export function createOktaEventReceiver(settings: OktaEventReceiverSettings = {}): IdpEventReceiverV1 {
  const env = settings.env ?? process.env;
  const secret = (settings.secret ?? env.OKTA_EVENT_HOOK_SECRET)?.trim();
  if (!secret)
    throw new ConfigurationError({
      setting: 'OKTA_EVENT_HOOK_SECRET',
      message:
        'No event hook secret: set OKTA_EVENT_HOOK_SECRET to the value of the authorization header configured on the Okta event hook (channel.config.authScheme.value)',
    });
  registerSecret(secret);
  const header = (settings.header ?? env.OKTA_EVENT_HOOK_HEADER)?.trim() || 'Authorization';
  if (!HTTP_HEADER_NAME.test(header))
    throw new ConfigurationError({
      setting: 'OKTA_EVENT_HOOK_HEADER',
      message: 'OKTA_EVENT_HOOK_HEADER must be an HTTP header name (letters, digits and -)',
    });
  const headerKey = header.toLowerCase();
  const watchedApp = (settings.appId ?? env.OKTA_APP_ID)?.trim() || undefined;

  const authenticate = (request: WatchRequest): ReceiveResult | null => {
    const presented = request.headers[headerKey];
    if (presented === undefined)
      return refuse(401, `okta: refused a ${request.method} without the event hook's ${header} header`);
    if (!secretsEqual(presented, secret))
      return refuse(
        401,
        `okta: refused a ${request.method} whose ${header} header does not match OKTA_EVENT_HOOK_SECRET`,
      );
    return null;
  };

  return {
    specificationVersion: 'v1',
    idp: 'okta',
    paths: [OKTA_EVENT_HOOK_PATH],
    handle(request) {
      if (request.method !== 'GET' && request.method !== 'POST')
        return refuse(405, `okta: refused a ${request.method} (event hooks GET to verify and POST events)`);
      const denied = authenticate(request);
      if (denied) return denied;
      if (request.method === 'GET') return verification(request);
      return delivery(request, watchedApp);
    },
  };
}

function verification(request: WatchRequest): ReceiveResult {
  const challenge = request.headers[OKTA_VERIFICATION_HEADER];
  if (!challenge || challenge.length > MAX_CHALLENGE)
    return refuse(400, `okta: refused a GET without a usable X-Okta-Verification-Challenge header`);
  return {
    answer: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verification: challenge }),
    },
    events: [],
    log: 'okta: answered the event hook verification challenge',
  };
}

function delivery(request: WatchRequest, watchedApp: string | undefined): ReceiveResult {
  const parsed = parseJsonBody(request, 'okta');
  if (!parsed.ok) return parsed.result;
  const body = EventHookEnvelope.safeParse(parsed.value);
  if (!body.success) {
    const issue = body.error.issues[0];
    return refuse(
      400,
      `okta: refused a delivery that is not an event hook request (${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'})`,
    );
  }
  const events: WatchEvent[] = body.data.data.events.map((e) => ({
    source: 'okta',
    id: e.uuid,
    type: e.eventType,
    at: e.published ?? null,
    targets: oktaEventTargets(e, watchedApp),
    summary: summary(e),
  }));
  const ignored = events.filter((e) => !e.targets.length);
  return {
    answer: { status: 200 },
    events,
    log:
      `okta: delivery ${body.data.eventId}: ${events.length} event(s)` +
      (ignored.length
        ? `, ${ignored.length} asking for no read (${[...new Set(ignored.map((e) => e.type))].join(', ')})`
        : ''),
  };
}

/** One line per event: its type, Okta's message and what it names (ids and display names; never headers). */
function summary(e: { eventType: string; displayMessage?: string | null; target?: OktaLogTarget[] | null }): string {
  const named = (e.target ?? []).map((t) => `${t.type} ${t.displayName ? `"${t.displayName}" ` : ''}${t.id}`);
  return `okta ${e.eventType}${e.displayMessage ? ` (${e.displayMessage})` : ''}${named.length ? `: ${named.join(', ')}` : ''}`;
}
