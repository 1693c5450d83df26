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
import {
  EVENT_KINDS,
  eventTime,
  ONELOGIN_EVENT_TYPES,
  OneLoginWebhookEventSchema,
  type OneLoginWebhookEvent,
} from './onelogin-event-types';
import { roleGroupId } from './onelogin-read-snapshot';

export interface OneLoginEventReceiverSettings {
  /** Where the variables below are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * The value of the custom header set on the OneLogin webhook: all of it (`Bearer 7f…`) or the
   * part after the scheme (`7f…`). Default `ONELOGIN_WEBHOOK_SECRET`. At least 16 characters.
   * Never logged.
   */
  secret?: string;
  /** The custom header's name. Default `ONELOGIN_WEBHOOK_HEADER`, else `Authorization`. */
  header?: string;
  /**
   * The Claude app's numeric id: app events about other apps are ignored. Default
   * `ONELOGIN_APP_ID` when it is all digits; without one, every app event re-reads the app.
   */
  appId?: string;
}

export const ONELOGIN_EVENTS_PATH = '/events/onelogin';
const SOURCE = 'onelogin';
const MIN_SECRET_LENGTH = 16;
/** Hop-by-hop and body headers cannot carry the secret. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'connection', 'transfer-encoding']);

const clean = (v: string | undefined) => (v === undefined ? undefined : v.trim() || undefined);

/**
 * The OneLogin side of `watch`: an `IdpEventReceiverV1` at `/events/onelogin` for the deliveries of
 * a OneLogin event webhook (Developers → Webhooks, format "JSON Array", a custom header carrying
 * the secret; see onelogin-event-types.ts for the sources). OneLogin has no API to create the
 * webhook, so there is no subscription manager: the admin creates it once.
 *
 * Checks, in order: POST (else 405); the custom header, compared in constant time (missing 401,
 * wrong 403); `application/json` (else 415); a JSON array of events (else 400). Answers carry no
 * detail; the log line says what was refused and never holds the secret. Each event becomes a
 * `WatchEvent` whose id is OneLogin's `uuid`, so the listener drops redelivered events.
 *
 * @throws ConfigurationError naming `ONELOGIN_WEBHOOK_SECRET` when no secret (or a short one) is
 *   configured, or `ONELOGIN_WEBHOOK_HEADER` when the header name is not a usable header.
 */
export function createOneLoginEventReceiver(settings: OneLoginEventReceiverSettings = {}): IdpEventReceiverV1 {
  const env = settings.env ?? process.env;
  const secret = clean(settings.secret ?? env.ONELOGIN_WEBHOOK_SECRET);
  if (!secret) {
    throw new ConfigurationError({
      setting: 'ONELOGIN_WEBHOOK_SECRET',
      message:
        'OneLogin events: set ONELOGIN_WEBHOOK_SECRET to the value of the custom header on the OneLogin webhook (Developers → Webhooks → Custom Headers)',
    });
  }
  registerSecret(secret);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError({
      setting: 'ONELOGIN_WEBHOOK_SECRET',
      message: `OneLogin events: ONELOGIN_WEBHOOK_SECRET is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value (e.g. \`openssl rand -hex 32\`)`,
    });
  }
  const header = clean(settings.header ?? env.ONELOGIN_WEBHOOK_HEADER) ?? 'Authorization';
  if (!HTTP_HEADER_NAME.test(header) || RESERVED_HEADERS.has(header.toLowerCase())) {
    throw new ConfigurationError({
      setting: 'ONELOGIN_WEBHOOK_HEADER',
      message: `OneLogin events: ONELOGIN_WEBHOOK_HEADER must be a plain HTTP header name (such as Authorization or X-Webhook-Token), not "${header}"`,
    });
  }
  const headerKey = header.toLowerCase();
  const appRef = clean(settings.appId ?? env.ONELOGIN_APP_ID);
  const appId = appRef && /^\d+$/.test(appRef) ? Number(appRef) : null;

  return {
    specificationVersion: 'v1',
    idp: 'onelogin',
    paths: [ONELOGIN_EVENTS_PATH],
    handle(request: WatchRequest): ReceiveResult {
      if (request.method !== 'POST') return refuse(405, `${SOURCE}: refused a ${request.method} (webhooks POST)`);
      const presented = request.headers[headerKey];
      if (presented === undefined || presented === '')
        return refuse(401, `${SOURCE}: refused a delivery without the ${header} header`);
      // The whole value, or the value after an auth scheme (`Bearer <secret>` when only the token
      // was configured); both compared every time, in constant time.
      const whole = secretsEqual(presented, secret);
      const afterScheme = secretsEqual(presented.replace(/^[A-Za-z][\w.+-]* +/, ''), secret);
      if (!(whole || afterScheme))
        return refuse(
          403,
          `${SOURCE}: refused a delivery whose ${header} header does not match ONELOGIN_WEBHOOK_SECRET`,
        );
      const parsed = parseJsonBody(request, SOURCE);
      if (!parsed.ok) return parsed.result;
      const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
      if (!items.every((i) => typeof i === 'object' && i !== null && !Array.isArray(i)))
        return refuse(
          400,
          `${SOURCE}: refused a body that is not an array of event objects (set the webhook's format to JSON Array)`,
        );
      const events = items.map((item, i) => toWatchEvent(item, i, appId));
      const relevant = events.filter((e) => e.targets.length > 0).length;
      return {
        answer: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'OK' },
        events,
        log: `${SOURCE}: ${events.length} event(s), ${relevant} to re-read`,
      };
    },
  };
}

/**
 * What one OneLogin event asks `watch` to re-read (the rule for every event type, in one place).
 * Apps reach people only through roles (and by hand), and a role is a group of the snapshot
 * (`role:<id>`), so:
 * - an app added to / removed from a role (1, 2): the app (its assignments) and that role, when
 *   it is the watched app (any app when the app id is not known);
 * - someone joining or leaving a role (4, 147–150, 513, 514): that role (its members);
 * - a person created, changed, suspended, locked, deleted (13, 14, 17, ...): that person;
 * - an app given to one person by hand, or taken back (206, 207): the app;
 * - any other type (logins, MFA, policies, ...): nothing. Changes OneLogin documents no event
 *   for (a role renamed, created or deleted; the app's SAML parameters) wait for the periodic
 *   full read.
 */
export function oneLoginEventTargets(e: OneLoginWebhookEvent, appId: number | null): ChangeTarget[] {
  const t = e.event_type_id;
  const forThisApp = appId === null || e.app_id == null || e.app_id === appId;
  if (includes(EVENT_KINDS.appRole, t)) {
    if (!forThisApp) return [];
    return e.role_id != null ? [{ kind: 'app' }, { kind: 'group', id: roleGroupId(e.role_id) }] : [{ kind: 'app' }];
  }
  if (includes(EVENT_KINDS.roleMembership, t)) {
    return e.role_id != null
      ? [{ kind: 'group', id: roleGroupId(e.role_id) }]
      : [{ kind: 'everything', reason: `OneLogin event ${t} names no role` }];
  }
  if (includes(EVENT_KINDS.user, t)) {
    return e.user_id != null
      ? [{ kind: 'user', id: String(e.user_id) }]
      : [{ kind: 'everything', reason: `OneLogin event ${t} names no user` }];
  }
  if (includes(EVENT_KINDS.appLogin, t)) return forThisApp ? [{ kind: 'app' }] : [];
  return [];
}

/** A vendor-supplied name for one log line: no control characters (no forged lines), at most 80 characters. */
function printable(name: string): string {
  const flat = name.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function includes(list: readonly number[], t: number): boolean {
  return list.includes(t);
}

function toWatchEvent(item: unknown, index: number, appId: number | null): WatchEvent {
  const parsed = OneLoginWebhookEventSchema.safeParse(item);
  if (!parsed.success) {
    // An authenticated event this code cannot read: what it changed is unknown, so read everything.
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    return {
      source: SOURCE,
      id: null,
      type: 'unreadable',
      at: null,
      targets: [{ kind: 'everything', reason: `a OneLogin event could not be read (${where})` }],
      summary: `OneLogin event #${index + 1} of the delivery has an unexpected shape at ${where}`,
    };
  }
  const e = parsed.data;
  const type = (ONELOGIN_EVENT_TYPES as Record<number, string>)[e.event_type_id] ?? `event_type_id ${e.event_type_id}`;
  const named = (what: string, id: number | null | undefined, name: string | null | undefined) =>
    id == null ? null : `${what} ${id}${name ? ` (${printable(name)})` : ''}`;
  const about = [
    named('user', e.user_id, e.user_name),
    named('role', e.role_id, e.role_name),
    named('app', e.app_id, e.app_name),
  ].filter(Boolean);
  return {
    source: SOURCE,
    id: e.uuid ?? e.create?._id ?? null,
    type,
    at: eventTime(e),
    targets: oneLoginEventTargets(e, appId),
    summary: `OneLogin ${type}${about.length ? `: ${about.join(', ')}` : ''}`,
  };
}
