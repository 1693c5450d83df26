import { timingSafeEqual, createHash } from 'node:crypto';
import type { IdpKind } from '../schemas';

/**
 * What one change event touched, as far as the vendor's event says. `watch` re-reads only these
 * (an adapter's `refreshSnapshot`) and falls back to a full read for `everything`.
 */
export type ChangeTarget =
  /** One user's profile or status (the IdP's immutable user id). */
  | { kind: 'user'; id: string }
  /** One group's name and direct members (the IdP's immutable group id). */
  | { kind: 'group'; id: string }
  /** The Claude app: its SSO / SCIM settings and its user and group assignments. */
  | { kind: 'app' }
  /** The Claude side: members, pending invites and enforced settings (`readClaudeSide`), re-read whole. */
  | { kind: 'claude' }
  /** The event does not say what changed (or says too much): read the whole tenant. */
  | { kind: 'everything'; reason: string };

/** Where a change event came from: one of the IdPs, or Claude's Compliance activity feed. */
export type WatchSource = Exclude<IdpKind, 'generic'> | 'claude';

/** One authenticated change event, in the vendor-neutral form `watch` coalesces. */
export interface WatchEvent {
  source: WatchSource;
  /**
   * The vendor's unique id of this delivery or event (Okta event `uuid`, Google channel id and
   * message number, OneLogin event `uuid`, Claude activity `id`), so a replay is recognised and
   * dropped; null when the vendor sends none (Graph basic notifications).
   */
  id: string | null;
  /** The vendor's own event type (`group.user_membership.remove`, `updated`, `makeAdmin`, ...). */
  type: string;
  /** When the vendor says it happened (ISO 8601), when it says. */
  at: string | null;
  /** What to re-read; empty when the event is relevant to nothing `watch` reads. */
  targets: ChangeTarget[];
  /** One human line for the log: what happened to whom, never a secret. */
  summary: string;
}

/** An HTTP request to the watch listener, already bounded in size by the listener. */
export interface WatchRequest {
  method: string;
  /** Path and query as received (`/okta?x=1`), relative to the listener. */
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The raw body (UTF-8 text; empty for none). */
  body: string;
  /** When the listener received it. */
  receivedAt: Date;
}

/** What the listener sends back. */
export interface WatchAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A receiver's verdict on one request: the answer to send, the events it carried, and one log
 * line. A rejection answers 400/401/403/415 with no detail in the body; the detail goes in `log`
 * (never a secret, never the expected value).
 */
export interface ReceiveResult {
  answer: WatchAnswer;
  events: WatchEvent[];
  /** For the operator's log. Required for rejections and handshakes. */
  log?: string;
  /** True when the request was refused (bad or missing verification, wrong content type, malformed body). */
  rejected?: boolean;
  /**
   * Lifecycle signals that are not change events: the subscription must be re-created or
   * re-authorised now (Graph `subscriptionRemoved` / `reauthorizationRequired`, a Google channel
   * stopped), or events were lost (`missed`): `watch` then runs a full read.
   */
  lifecycle?: { kind: 'renew' | 'recreate' | 'missed'; subscriptionId?: string }[];
}

/**
 * One IdP's change-event endpoint (`watch --idp KIND`): verifies the vendor's handshake and
 * authentication, and turns authenticated deliveries into `WatchEvent`s. Built by each adapter
 * package (`createOktaEventReceiver`, ...). It never reads the IdP itself; `watch` does.
 */
export interface IdpEventReceiverV1 {
  readonly specificationVersion: 'v1';
  readonly idp: Exclude<IdpKind, 'generic'>;
  /** The paths it answers under the listener, e.g. `['/events/okta']`. */
  readonly paths: readonly string[];
  /** The content types a delivery may have (checked by the receiver; listed for the docs and `/readyz`). */
  handle(request: WatchRequest): ReceiveResult | Promise<ReceiveResult>;
  /** Present when the vendor needs subscriptions created and renewed by the watcher (Graph, Google). */
  readonly subscriptions?: SubscriptionManager;
}

/** The subscriptions (Graph) or channels (Google) a watcher creates, renews before expiry, and removes. */
export interface SubscriptionManager {
  /**
   * Creates what is missing and renews what expires before `renewBefore`; returns when it must
   * run again and one log line per subscription touched. Throws a typed error when the vendor
   * refuses (permission, unreachable notification URL).
   */
  ensure(args: {
    /** The public https URL the vendor reaches the listener at (no trailing slash). */
    publicUrl: string;
    now: Date;
    abortSignal?: AbortSignal;
  }): Promise<{ nextRunAt: Date; lines: string[] }>;
  /** Removes (or stops) what `ensure` created; best effort, on shutdown. */
  close(abortSignal?: AbortSignal): Promise<string[]>;
  /** What must survive a restart (subscription ids, expiry, the verification secrets' digests). JSON. */
  save(): unknown;
  restore(saved: unknown): void;
}

/**
 * Compares a presented secret with the expected one in constant time (over their SHA-256, so the
 * lengths leak nothing either). False when either is empty.
 */
export function secretsEqual(presented: string | undefined | null, expected: string | undefined | null): boolean {
  if (!presented || !expected) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * An HTTP header name (an RFC 9110 token): what a configured secret-header name must be, for the
 * receivers whose vendor authenticates deliveries with a header of the admin's choosing.
 */
export const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The answers a receiver gives to refused requests: the status only, no detail. */
export function refuse(status: 400 | 401 | 403 | 405 | 415, log: string): ReceiveResult {
  const text: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    405: 'Method Not Allowed',
    415: 'Unsupported Media Type',
  };
  return {
    answer: { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text[status] },
    events: [],
    log,
    rejected: true,
  };
}

/** True when the request's content type is JSON (`application/json`, any parameters). */
export function isJsonContentType(headers: Record<string, string>): boolean {
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** The body parsed as JSON, or a 400 refusal naming the problem in the log only. */
export function parseJsonBody(
  request: WatchRequest,
  source: string,
): { ok: true; value: unknown } | { ok: false; result: ReceiveResult } {
  if (!isJsonContentType(request.headers))
    return {
      ok: false,
      result: refuse(
        415,
        `${source}: refused a ${request.method} with content type "${request.headers['content-type'] ?? '(none)'}"`,
      ),
    };
  try {
    return { ok: true, value: JSON.parse(request.body) };
  } catch {
    return {
      ok: false,
      result: refuse(400, `${source}: refused a body that is not JSON (${request.body.length} bytes)`),
    };
  }
}
