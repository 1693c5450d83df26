import {
  ApiCallError,
  checkBaseUrl,
  ConfigurationError,
  PermissionError,
  registerSecret,
  resolveRequestTimeoutMs,
  startRequestDeadline,
  type SubscriptionManager,
} from '@claude-idp/core';
import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import type { GoogleChannel, GoogleChannelBook, GoogleWatch } from './google-channel-book';
import { createDirectory, createReports } from './google-client';
import { toGoogleError } from './google-errors';
import { GOOGLE_REPORTS_SCOPE, resolveGoogleSettings, type GoogleAdapterSettings } from './google-settings';

export interface GoogleChannelSettings extends GoogleAdapterSettings {
  /**
   * Watch group changes through the Reports API's `admin` activities (Group Settings events), which
   * needs the `admin.reports.audit.readonly` scope. Default true; `GOOGLE_WATCH_GROUP_ACTIVITY=false`
   * turns it off (group changes are then seen by the periodic full read only).
   */
  groupActivity?: boolean;
  /** The lifetime asked for each channel, in seconds (`params.ttl`); default 21,600 (6 h), at most 172,800 (2 days). */
  channelTtlSeconds?: number;
  /** One token for every channel instead of a random one each (default `GOOGLE_WEBHOOK_TOKEN`); at most 256 characters. */
  webhookToken?: string;
}

/** Channel lifetimes Google accepts: `params.ttl` "default is 2 hours and the maximum TTL is 2 days" (discovery doc, Channel.params). */
export const GOOGLE_CHANNEL_MAX_TTL_SECONDS = 172_800;
const DEFAULT_TTL_SECONDS = 21_600;
/** Google documents a channel token of at most 256 characters (push guide, "token"). */
const MAX_TOKEN_LENGTH = 256;
const USER_EVENTS = ['add', 'delete', 'update', 'undelete'] as const;
const BATCH_MS = 5 * 60_000;

/**
 * Creates, renews and stops the watcher's notification channels: one Directory `users.watch`
 * channel per user event (`add`, `delete`, `update`, `undelete`: `makeAdmin` changes nothing the
 * snapshot reads) and, unless turned off, one Reports `activities.watch` channel on the `admin`
 * application for group changes (Directory has no groups.watch). A channel is renewed before it
 * expires by creating its successor first, then stopping it (channels cannot be extended).
 */
export function createGoogleChannelManager(
  settings: GoogleChannelSettings,
  book: GoogleChannelBook,
): SubscriptionManager {
  let clients:
    | { directory: admin_directory_v1.Admin; reports: admin_reports_v1.Admin | null; customer: string; ttl: number }
    | undefined;
  const env = () => settings.env ?? process.env;
  const fixedToken = () => {
    const token = settings.webhookToken ?? (env().GOOGLE_WEBHOOK_TOKEN || undefined);
    if (token === undefined) return undefined;
    if (token.length < 16 || token.length > MAX_TOKEN_LENGTH)
      throw new ConfigurationError({
        setting: settings.webhookToken !== undefined ? 'webhookToken' : 'GOOGLE_WEBHOOK_TOKEN',
        message: `the channel token must be 16 to ${MAX_TOKEN_LENGTH} characters (Google's limit is ${MAX_TOKEN_LENGTH})`,
      });
    registerSecret(token);
    return token;
  };
  const groupActivity = () =>
    settings.groupActivity ?? !/^(false|0|no|off)$/i.test(env().GOOGLE_WATCH_GROUP_ACTIVITY ?? '');
  const setup = () => {
    if (clients) return clients;
    const ttl = settings.channelTtlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 300 || ttl > GOOGLE_CHANNEL_MAX_TTL_SECONDS)
      throw new ConfigurationError({
        setting: 'channelTtlSeconds',
        message: `channelTtlSeconds must be a whole number from 300 to ${GOOGLE_CHANNEL_MAX_TTL_SECONDS} (Google's maximum, 2 days)`,
      });
    const resolved = resolveGoogleSettings(settings);
    clients = {
      directory: createDirectory(resolved, settings),
      reports: groupActivity() ? createReports(resolved, settings, [GOOGLE_REPORTS_SCOPE]) : null,
      customer: resolved.customer,
      ttl,
    };
    return clients;
  };
  const wanted = (): GoogleWatch[] => [
    ...USER_EVENTS.map((e) => `users:${e}` as const),
    ...(groupActivity() ? (['activities:admin'] as const) : []),
  ];
  /** Renew this long before expiry: a fifth of the lifetime, at most 30 minutes. */
  const margin = () => Math.min(30 * 60_000, (setup().ttl * 1000) / 5);

  const call = async <T>(
    what: string,
    watch: GoogleWatch,
    run: (signal: AbortSignal) => Promise<{ data: T }>,
    abortSignal?: AbortSignal,
  ): Promise<T> => {
    const timeoutMs = resolveRequestTimeoutMs(settings);
    const deadline = startRequestDeadline(timeoutMs, abortSignal);
    try {
      return (await run(deadline.signal)).data;
    } catch (error) {
      if (abortSignal?.aborted) throw error;
      const typed = toGoogleError(error, {
        url: what,
        clientId: null,
        subject: null,
        timeoutMs: deadline.timedOut ? timeoutMs : undefined,
      });
      // The Reports channel needs its own scope; say so instead of the directory scopes.
      if (PermissionError.isInstance(typed) && watch === 'activities:admin')
        throw new PermissionError({
          vendor: 'google',
          status: typed.status,
          url: typed.url,
          missing: [GOOGLE_REPORTS_SCOPE],
          message: `google: Google refused to watch the admin activities (group changes): grant ${GOOGLE_REPORTS_SCOPE} (domain-wide delegation for a service account), or set GOOGLE_WATCH_GROUP_ACTIVITY=false to rely on the periodic full read for group changes`,
        });
      throw typed;
    } finally {
      deadline.done();
    }
  };

  const create = async (watch: GoogleWatch, address: string, now: Date, abortSignal?: AbortSignal) => {
    const c = setup();
    const { channel, token } = book.open(watch, address, fixedToken());
    const requestBody = {
      id: channel.id,
      type: 'web_hook',
      address,
      token,
      expiration: String(now.getTime() + c.ttl * 1000),
      params: { ttl: String(c.ttl) },
    };
    try {
      const data =
        watch === 'activities:admin'
          ? await call(
              'POST admin/reports/v1/activity/users/all/applications/admin/watch',
              watch,
              (signal) =>
                c.reports!.activities.watch(
                  {
                    userKey: 'all',
                    applicationName: 'admin',
                    ...(c.customer === 'my_customer' ? {} : { customerId: c.customer }),
                    requestBody,
                  },
                  { signal, retry: false },
                ),
              abortSignal,
            )
          : await call(
              'POST admin/directory/v1/users/watch',
              watch,
              (signal) =>
                c.directory.users.watch(
                  { customer: c.customer, event: watch.slice(6), requestBody },
                  { signal, retry: false },
                ),
              abortSignal,
            );
      if (!data?.resourceId)
        throw new ApiCallError({
          vendor: 'google',
          url: 'watch',
          method: 'POST',
          status: 200,
          message: `google: the ${watch} watch answered without a resourceId`,
        });
      channel.resourceId = data.resourceId;
      channel.resourceUri = data.resourceUri ?? null;
      const expiration = Number(data.expiration);
      channel.expiration = Number.isFinite(expiration) && expiration > 0 ? expiration : now.getTime() + c.ttl * 1000;
      return channel;
    } catch (error) {
      book.remove(channel.id);
      throw error;
    }
  };

  /** Stops a channel (best effort: one Google no longer knows is gone already). */
  const stop = async (channel: GoogleChannel, abortSignal?: AbortSignal): Promise<string> => {
    book.remove(channel.id);
    if (!channel.resourceId) return `google: channel ${label(channel)} forgotten (it was never confirmed)`;
    const c = setup();
    const requestBody = { id: channel.id, resourceId: channel.resourceId };
    try {
      await call(
        'POST channels/stop',
        channel.watch,
        (signal) =>
          channel.watch === 'activities:admin'
            ? (
                c.reports ?? createReports(resolveGoogleSettings(settings), settings, [GOOGLE_REPORTS_SCOPE])
              ).channels.stop({ requestBody }, { signal, retry: false })
            : c.directory.channels.stop({ requestBody }, { signal, retry: false }),
        abortSignal,
      );
      return `google: stopped channel ${label(channel)}`;
    } catch (error) {
      if (ApiCallError.isInstance(error) && error.status === 404)
        return `google: channel ${label(channel)} was already gone`;
      return `google: could not stop channel ${label(channel)} (${error instanceof Error ? error.message : String(error)}); it expires by itself`;
    }
  };

  return {
    async ensure({ publicUrl, now, abortSignal }) {
      const base = checkBaseUrl(publicUrl, 'publicUrl');
      const address = `${base}/events/google`;
      const lines: string[] = [];
      const keep = new Set<string>();
      const currentOf = (watch: GoogleWatch) =>
        book
          .list()
          .filter((ch) => ch.watch === watch && ch.address === address && ch.resourceId && ch.expiration)
          .sort((a, b) => b.expiration! - a.expiration!)[0];
      const remaining = (ch: GoogleChannel | undefined) => (ch ? ch.expiration! - now.getTime() : 0);
      // Channels opened together expire milliseconds apart: once one is due, renew those due within a few minutes too.
      const anyDue = wanted().some((w) => remaining(currentOf(w)) <= margin());
      const window = anyDue ? margin() + BATCH_MS : margin();
      for (const watch of wanted()) {
        const current = currentOf(watch);
        if (current && remaining(current) > window) {
          keep.add(current.id);
          continue;
        }
        // Successor first, then stop the old one: no gap in notifications.
        const fresh = await create(watch, address, now, abortSignal);
        keep.add(fresh.id);
        lines.push(
          `google: ${current ? 'renewed' : 'opened'} channel ${label(fresh)} until ${new Date(fresh.expiration!).toISOString()}`,
        );
      }
      // Channels replaced, for another address, or no longer wanted.
      for (const ch of book.list()) if (!keep.has(ch.id)) lines.push(await stop(ch, abortSignal));
      const next = Math.min(...book.list().map((ch) => ch.expiration! - margin()));
      return { nextRunAt: new Date(Math.max(now.getTime() + 1_000, next)), lines };
    },
    async close(abortSignal) {
      const lines: string[] = [];
      for (const ch of book.list()) lines.push(await stop(ch, abortSignal));
      return lines;
    },
    save: () => book.save(),
    restore: (saved) => book.restore(saved),
  };
}

const label = (c: GoogleChannel) => `${c.watch} ${c.id.slice(0, 22)}…`;
