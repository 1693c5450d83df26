import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  ApiCallError,
  checkBaseUrl,
  ConfigurationError,
  InputError,
  registerSecret,
  withRetry,
  zodIssues,
  type SubscriptionManager,
} from '@claude-idp/core';
import { createTokenSource } from './entra-credential';
import { answerError, graphErrorCode, safeJson, toPermissionError } from './entra-errors';
import { GraphHttp, type GraphAnswer } from './entra-graph-client';
import type { ResolvedEntraSettings } from './entra-settings';

/**
 * Microsoft Graph subscriptions for `watch`: one on `users`, one on `groups`, created, renewed
 * before they expire and deleted through `@microsoft/microsoft-graph-client` with the adapter's
 * credentials. Sources (Microsoft Graph documentation, microsoftgraph/microsoft-graph-docs-contrib):
 * - concepts/change-notifications-delivery-webhooks.md: POST /subscriptions (201 + subscription),
 *   PATCH /subscriptions/{id} `{expirationDateTime}` to renew (200), DELETE (204); `clientState`
 *   is echoed in every notification and must be compared with the one sent.
 * - concepts/includes/change-notifications-subscription-lifetime.md: "user, group, other directory
 *   resources: 41,760 minutes (under 29 days)" is the maximum expiration.
 * - concepts/change-notifications-lifecycle-events.md: `lifecycleNotificationUrl` can only be set
 *   at creation; `reauthorizationRequired` is answered with POST /subscriptions/{id}/reauthorize
 *   (api-reference/v1.0/api/subscription-reauthorize.md: 204) or a renewal; `subscriptionRemoved`
 *   with a new subscription; `missed` with a full re-read.
 * - api-reference/beta/resources/subscription.md: users and groups take changeType `updated` and
 *   `deleted` only; clientState at most 255 characters; notification URLs must be https.
 * - api-reference/v1.0/api/subscription-reauthorize.md: application permission User.Read.All for
 *   `users`, Group.Read.All for `groups` (the permission a 403 asks to grant).
 */

/** The directory resources watched and the application permission each subscription needs. */
export const ENTRA_WATCHED_RESOURCES = [
  { resource: 'users', grant: 'User.Read.All' },
  // Group membership changes arrive as `updated` notifications carrying `members@delta`.
  { resource: 'groups', grant: 'Group.Read.All' },
] as const;
export type WatchedResource = (typeof ENTRA_WATCHED_RESOURCES)[number]['resource'];

/**
 * Users and groups support only `updated` and `deleted` (subscription resource type): `updated`
 * covers creation, profile, status, name and membership changes and soft deletion (a deleted user
 * waits 30 days in the recycle bin), `deleted` permanent deletion.
 */
export const ENTRA_CHANGE_TYPE = 'updated,deleted';
/** Graph's maximum for directory resources, 41,760 minutes (under 29 days). */
export const ENTRA_MAX_SUBSCRIPTION_MINUTES = 41_760;
/** Requested lifetime: the maximum less an hour, so clock skew never makes Graph refuse it. */
const LIFETIME_MS = (ENTRA_MAX_SUBSCRIPTION_MINUTES - 60) * 60_000;
/** Renewed when it expires within this (and `ensure` runs at least this often). */
const RENEW_WITHIN_MS = 3 * 24 * 60 * 60_000;
const MAX_SLEEP_MS = 12 * 60 * 60_000;
/** Graph's documented maximum clientState length (subscription resource type: 255 characters). */
const CLIENT_STATE_MAX = 255;

export const ENTRA_EVENT_PATH = '/events/entra';
export const ENTRA_LIFECYCLE_PATH = '/events/entra/lifecycle';

/** One subscription as kept between runs: no secret, only the clientState's SHA-256. */
const savedSubscription = z
  .object({
    id: z.string().min(1),
    resource: z.enum(['users', 'groups']),
    notificationUrl: z.string().url(),
    expirationDateTime: z.string().datetime({ offset: true }),
    clientStateSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
const savedState = z.object({ version: z.literal(1), subscriptions: z.array(savedSubscription) }).strict();
export type SavedEntraSubscription = z.infer<typeof savedSubscription>;

interface Tracked extends SavedEntraSubscription {
  /** Set by a lifecycle notification; `ensure` acts on it. */
  pending?: 'reauthorize' | 'recreate';
}

const graphSubscription = z
  .object({ id: z.string().min(1), expirationDateTime: z.string().min(1), resource: z.string() })
  .passthrough();

export interface EntraSubscriptionManager extends SubscriptionManager {
  /** The subscription if it is one this manager created (or restored); null otherwise. */
  lookup(subscriptionId: string): SavedEntraSubscription | null;
  /** Constant-time check of a notification's clientState against the subscription's. */
  clientStateMatches(subscriptionId: string, presented: string | undefined): boolean;
  /** Records a lifecycle notification; the next `ensure` reauthorizes or recreates. */
  flag(subscriptionId: string, action: 'reauthorize' | 'recreate'): void;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function createEntraSubscriptionManager(
  settings: () => ResolvedEntraSettings,
  env: () => Record<string, string | undefined>,
): EntraSubscriptionManager {
  const tracked = new Map<WatchedResource, Tracked>();
  let http: GraphHttp | null = null;
  let resolved: ResolvedEntraSettings | null = null;
  const client = () => {
    resolved ??= settings();
    http ??= new GraphHttp({
      graphUrl: resolved.graphUrl,
      tokens: createTokenSource(resolved.auth, resolved.graphUrl),
      fetch: resolved.fetch,
      timeoutMs: resolved.timeoutMs,
    });
    return { http, settings: resolved };
  };
  /** The configured clientState, or a random one (32 bytes, base64url: 43 characters). */
  const newClientState = () => {
    const configured = env().ENTRA_WEBHOOK_CLIENT_STATE?.trim();
    if (configured) {
      if (configured.length > CLIENT_STATE_MAX)
        throw new ConfigurationError({
          setting: 'ENTRA_WEBHOOK_CLIENT_STATE',
          message: `ENTRA_WEBHOOK_CLIENT_STATE is longer than Graph's ${CLIENT_STATE_MAX} characters`,
        });
      registerSecret(configured);
      return configured;
    }
    const value = randomBytes(32).toString('base64url');
    registerSecret(value);
    return value;
  };

  const call = async (
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    grant: string,
    body: unknown,
    abortSignal: AbortSignal | undefined,
    accept: number[] = [],
  ): Promise<GraphAnswer> => {
    const { http, settings } = client();
    const url = `${http.root.toString().replace(/\/+$/, '')}/v1.0${path}`;
    const once = async () => {
      const answer = await http.send({ method, version: 'v1.0', path, body, abortSignal });
      if ((answer.status >= 200 && answer.status < 300) || accept.includes(answer.status)) return answer;
      throw answerError(answer, { url, method });
    };
    // Creating is not idempotent: a POST that timed out or lost its connection may have created a
    // subscription, so only Graph's 429 (refused before any work) is retried for it.
    const creating = method === 'POST' && path === '/subscriptions';
    const attempt = async () => {
      try {
        return await once();
      } catch (error) {
        if (creating && !(ApiCallError.isInstance(error) && error.status === 429)) throw new NotRetried(error);
        throw error;
      }
    };
    try {
      return await withRetry(attempt, {
        vendor: 'entra',
        resource: 'subscriptions',
        policy: settings.retry,
        abortSignal,
      });
    } catch (caught) {
      const error = caught instanceof NotRetried ? caught.error : caught;
      if (ApiCallError.isInstance(error) && (error.status === 401 || error.status === 403))
        throw toPermissionError(error, [grant]);
      throw error;
    }
  };

  const create = async (
    resource: WatchedResource,
    grant: string,
    publicUrl: string,
    now: Date,
    abortSignal?: AbortSignal,
  ): Promise<Tracked> => {
    const clientState = newClientState();
    const notificationUrl = `${publicUrl}${ENTRA_EVENT_PATH}`;
    let answer: GraphAnswer;
    try {
      answer = await call(
        'POST',
        '/subscriptions',
        grant,
        {
          changeType: ENTRA_CHANGE_TYPE,
          notificationUrl,
          lifecycleNotificationUrl: `${publicUrl}${ENTRA_LIFECYCLE_PATH}`,
          resource,
          expirationDateTime: new Date(now.getTime() + LIFETIME_MS).toISOString(),
          clientState,
        },
        abortSignal,
      );
    } catch (error) {
      // Graph answers 400 when the notification URL did not echo the validation token in time.
      const graph = ApiCallError.isInstance(error) ? graphErrorCode(safeJson(error.responseBody)) : null;
      if (ApiCallError.isInstance(error) && error.status === 400 && /validation/i.test(graph?.message ?? ''))
        throw new ConfigurationError({
          setting: 'publicUrl',
          message: `entra: Microsoft Graph could not validate ${notificationUrl} (${graph?.code}: ${graph?.message}); it must be reachable from Microsoft Graph over https and answer the validation request within 10 seconds`,
          cause: error,
        });
      throw error;
    }
    const sub = parseSubscription(answer.body);
    return {
      id: sub.id,
      resource,
      notificationUrl,
      expirationDateTime: sub.expirationDateTime,
      clientStateSha256: sha256(clientState).toString('hex'),
    };
  };

  const remove = async (t: Tracked, abortSignal?: AbortSignal) => {
    const grant = ENTRA_WATCHED_RESOURCES.find((r) => r.resource === t.resource)!.grant;
    // 404: already gone (expired or removed by Graph).
    await call('DELETE', `/subscriptions/${encodeURIComponent(t.id)}`, grant, undefined, abortSignal, [404]);
  };

  const find = (subscriptionId: string) => [...tracked.values()].find((t) => t.id === subscriptionId);

  const ensure: SubscriptionManager['ensure'] = async ({ publicUrl, now, abortSignal }) => {
    const base = checkBaseUrl(publicUrl, 'publicUrl');
    const lines: string[] = [];
    for (const { resource, grant } of ENTRA_WATCHED_RESOURCES) {
      const t = tracked.get(resource);
      const path = (id: string) => `/subscriptions/${encodeURIComponent(id)}`;
      if (t && t.notificationUrl !== `${base}${ENTRA_EVENT_PATH}`) {
        // Best effort: one left behind expires by itself, and its notifications are refused (unknown id).
        const removed = await remove(t, abortSignal).then(
          () => 'deleted',
          (error: Error) => `could not delete (${error.message}; it expires by itself)`,
        );
        tracked.delete(resource);
        lines.push(`entra: subscription ${t.id} on ${resource}: the public URL changed; ${removed}`);
      }
      const current = tracked.get(resource);
      if (current && current.pending !== 'recreate') {
        const expires = Date.parse(current.expirationDateTime);
        if (current.pending === 'reauthorize' || expires - now.getTime() < RENEW_WITHIN_MS) {
          // A renewal also reauthorizes (lifecycle events doc), so one PATCH answers both.
          const expirationDateTime = new Date(now.getTime() + LIFETIME_MS).toISOString();
          const answer = await call('PATCH', path(current.id), grant, { expirationDateTime }, abortSignal, [404]);
          if (answer.status !== 404) {
            current.expirationDateTime = parseSubscription(answer.body).expirationDateTime;
            const why = current.pending === 'reauthorize' ? 'reauthorized and renewed' : 'renewed';
            delete current.pending;
            lines.push(`entra: ${why} subscription ${current.id} on ${resource} until ${current.expirationDateTime}`);
            continue;
          }
          lines.push(`entra: subscription ${current.id} on ${resource} no longer exists; creating a new one`);
        } else continue;
      }
      if (current?.pending === 'recreate') {
        await remove(current, abortSignal).catch(() => undefined);
        lines.push(
          `entra: subscription ${current.id} on ${resource} was removed by Microsoft Graph; creating a new one`,
        );
      }
      tracked.delete(resource);
      const created = await create(resource, grant, base, now, abortSignal);
      tracked.set(resource, created);
      lines.push(`entra: created subscription ${created.id} on ${resource} until ${created.expirationDateTime}`);
    }
    const soonest = Math.min(...[...tracked.values()].map((t) => Date.parse(t.expirationDateTime) - RENEW_WITHIN_MS));
    const nextRunAt = new Date(Math.max(now.getTime(), Math.min(soonest, now.getTime() + MAX_SLEEP_MS)));
    return { nextRunAt, lines };
  };
  // One ensure at a time (a timer and a lifecycle notification may ask together): never two creations.
  let running: Promise<unknown> = Promise.resolve();

  return {
    ensure(args) {
      const next = running.then(
        () => ensure(args),
        () => ensure(args),
      );
      running = next.catch(() => undefined);
      return next;
    },
    async close(abortSignal) {
      const lines: string[] = [];
      for (const [resource, t] of tracked) {
        try {
          await remove(t, abortSignal);
          lines.push(`entra: deleted subscription ${t.id} on ${resource}`);
        } catch (error) {
          lines.push(`entra: could not delete subscription ${t.id} on ${resource}: ${(error as Error).message}`);
        }
      }
      tracked.clear();
      return lines;
    },
    save() {
      return {
        version: 1,
        subscriptions: [...tracked.values()].map(({ pending: _pending, ...t }) => t),
      };
    },
    restore(saved) {
      const parsed = savedState.safeParse(saved);
      if (!parsed.success)
        throw new InputError({
          source: 'entra subscriptions state',
          issues: zodIssues(parsed.error, saved, savedState),
        });
      tracked.clear();
      for (const s of parsed.data.subscriptions) tracked.set(s.resource, { ...s });
    },
    lookup(subscriptionId) {
      const t = find(subscriptionId);
      if (!t) return null;
      const { pending: _pending, ...rest } = t;
      return rest;
    },
    clientStateMatches(subscriptionId, presented) {
      const t = find(subscriptionId);
      if (!t || !presented) return false;
      return timingSafeEqual(sha256(presented), Buffer.from(t.clientStateSha256, 'hex'));
    },
    flag(subscriptionId, action) {
      const t = find(subscriptionId);
      if (t && t.pending !== 'recreate') t.pending = action;
    },
  };
}

/** Carries an error past the retry layer unretried. */
class NotRetried {
  constructor(readonly error: unknown) {}
}

function parseSubscription(body: unknown): z.infer<typeof graphSubscription> {
  const parsed = graphSubscription.safeParse(body);
  if (!parsed.success)
    throw new ApiCallError({
      vendor: 'entra',
      url: 'subscriptions',
      method: 'POST',
      status: 200,
      responseBody: JSON.stringify(body ?? null).slice(0, 300),
      message:
        'entra: Microsoft Graph answered a subscription request without a subscription id and expirationDateTime',
    });
  return parsed.data;
}
