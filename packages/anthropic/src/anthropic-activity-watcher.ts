import { ConfigurationError, RecentIds, type WatchEvent } from '@claude-idp/core';
import { pollActivities, type ActivityPoll } from './anthropic-activity';
import { activityToWatchEvent } from './anthropic-activity-events';
import { createAnthropicAdminClient, type AnthropicAdminClient } from './anthropic-admin-client';
import type { AnthropicAdminEndpoints, CallOptions } from './anthropic-endpoints';
import type { AnthropicAdminSettings } from './anthropic-settings';

/** The largest page the feed serves (`limit` ≤ 5,000, Compliance activities reference). */
const FEED_MAX_LIMIT = 5000;

/**
 * A client, its endpoints, or the settings of a new one (`env`, `adminKey`, `baseUrl`, `retry`,
 * ... as for `createAnthropicAdminClient`; default: a client from `process.env`).
 */
export interface ActivityWatcherOptions extends AnthropicAdminSettings {
  /** A client (its pacer and retry budget are shared with its other calls). */
  client?: Pick<AnthropicAdminClient, 'pollActivities'>;
  /** Or the raw endpoints. */
  endpoints?: AnthropicAdminEndpoints;
  /** Only these orgs (bare UUIDs or `org_` ids): sent as `organization_ids[]` and checked per row. */
  organizationIds?: readonly string[];
  /**
   * The `lastId` saved from an earlier run: the first poll goes on from it, so nothing that
   * happened while the watcher was down is missed. Without it the first poll starts from the
   * newest row and replays no history.
   */
  sinceId?: string | null;
  /** Rows per page (1–5,000). Default 1,000. */
  limit?: number;
  /** How many row ids are remembered to drop redelivered rows across polls. Default 10,000. */
  rememberIds?: number;
}

const WATCH_KEYS = ['client', 'endpoints', 'organizationIds', 'sinceId', 'limit', 'rememberIds'] as const;
const SETTINGS_KEYS = [
  'adminKey',
  'baseUrl',
  'env',
  'fetch',
  'timeoutMs',
  'retry',
  'orgId',
  'orgKind',
  'pace',
] as const;
const OPTION_KEYS: readonly string[] = [...WATCH_KEYS, ...SETTINGS_KEYS];

export interface ActivityWatcherPoll {
  /** New rows as events, oldest first, each row once (redelivered rows are dropped by `id`). */
  events: WatchEvent[];
  /** The newest row seen: save it and pass it as `sinceId` after a restart. Null while the feed is empty. */
  lastId: string | null;
}

export interface ActivityWatcher {
  /**
   * The rows since the last poll, as `WatchEvent`s. Throttling and transient errors are retried
   * within the client's budget; a key without `read:compliance_activities` (or `read:org_audit`)
   * throws `PermissionError` naming the scope. A failed poll keeps `lastId`: the next poll
   * retries from the same place.
   */
  poll(options?: CallOptions): Promise<ActivityWatcherPoll>;
  /** The newest row seen so far (what to save). */
  readonly lastId: string | null;
}

/**
 * Polls the Compliance activity feed for `watch`. The feed is newest first and at-least-once;
 * the documented pattern keeps the newest row's id and passes it as `before_id` until
 * `has_more` is false (`pollActivities`). Rows are turned into `WatchEvent`s by
 * `activityToWatchEvent`.
 */
export function createActivityWatcher(options: ActivityWatcherOptions = {}): ActivityWatcher {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length)
    throw new ConfigurationError({
      setting: unknown[0]!,
      message: `createActivityWatcher: unknown option ${unknown.join(', ')} (known: ${OPTION_KEYS.join(', ')})`,
    });
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > FEED_MAX_LIMIT)
    throw new ConfigurationError({
      setting: 'limit',
      message: `createActivityWatcher: limit must be an integer from 1 to ${FEED_MAX_LIMIT} (got ${String(limit)})`,
    });
  if (
    options.sinceId !== undefined &&
    options.sinceId !== null &&
    (typeof options.sinceId !== 'string' || !options.sinceId)
  )
    throw new ConfigurationError({
      setting: 'sinceId',
      message: 'createActivityWatcher: sinceId must be a saved activity id',
    });
  const source: (args: Parameters<typeof pollActivities>[1], o?: CallOptions) => Promise<ActivityPoll> = options.client
    ? (args, o) => options.client!.pollActivities(args, o)
    : options.endpoints
      ? (args, o) => pollActivities(options.endpoints!, args, o)
      : (() => {
          const settings = Object.fromEntries(
            Object.entries(options).filter(([k]) => (SETTINGS_KEYS as readonly string[]).includes(k)),
          ) as AnthropicAdminSettings;
          const client = createAnthropicAdminClient(settings);
          return (args, o) => client.pollActivities(args, o);
        })();
  const organizationIds = options.organizationIds?.length ? [...options.organizationIds] : undefined;
  const seen = new RecentIds(options.rememberIds ?? 10_000);
  let lastId: string | null = options.sinceId ?? null;
  // 'fresh': nothing read yet and no saved id; 'empty': the feed was empty at the start, so every
  // row that appears later is new; 'cursor': polling forward from `lastId`.
  let state: 'fresh' | 'empty' | 'cursor' = lastId ? 'cursor' : 'fresh';

  const toEvents = (poll: ActivityPoll) =>
    poll.activities.filter((a) => seen.remember(a.id)).map((a) => activityToWatchEvent(a, { organizationIds }));

  return {
    get lastId() {
      return lastId;
    },
    async poll(o) {
      if (state === 'fresh') {
        // The newest row only: a starting point, no history.
        const start = await source({ limit: 1, organizationIds }, o);
        for (const a of start.activities) seen.remember(a.id);
        lastId = start.firstId;
        state = lastId ? 'cursor' : 'empty';
        return { events: [], lastId };
      }
      if (state === 'empty') {
        // Everything now in the feed came after the start: all of it, paged back in time.
        const first = await source({ limit, organizationIds, whole: true }, o);
        if (first.firstId) {
          lastId = first.firstId;
          state = 'cursor';
        }
        return { events: toEvents(first), lastId };
      }
      const next = await source({ sinceId: lastId, limit, organizationIds }, o);
      lastId = next.firstId ?? lastId;
      return { events: toEvents(next), lastId };
    },
  };
}
