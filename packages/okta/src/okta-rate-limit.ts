import { delay, getHeader, IncompleteReadError, type ProgressEvent } from '@claude-idp/core';
import { rateBucket } from './okta-api-facts';

type HeaderBag = Parameters<typeof getHeader>[0];

interface BucketState {
  limit: number;
  remaining: number;
  /** Local-clock ms when Okta's window resets. */
  resetAt: number;
}

/** Never sleep longer than this on one header (Okta windows are one minute; guards against clock skew or a bad header). */
const MAX_PAUSE_MS = 65_000;

/**
 * Paces requests by Okta's own rate-limit headers, per bucket, instead of retrying into 429s.
 *
 * Every Okta response carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
 * `X-Rate-Limit-Reset` (epoch seconds) for the bucket the request fell in. The whole
 * `/api/v1/apps/*` family (app users, app groups, features, push mappings) shares one bucket of
 * 100/min (20 on free orgs), so a large app-user listing alone can empty it: when a bucket has no
 * requests left, the next request in it waits until the reset instead of earning a 429.
 * Reset is corrected by the response's `Date` header when our clock is off by more than a second.
 */
export class OktaPacer {
  private readonly buckets = new Map<string, BucketState>();
  /** Requests sent and not yet answered, per bucket (they will use up `remaining`). */
  private readonly inFlight = new Map<string, number>();
  /** A bucket not seen yet sends one request first and learns its headers before sending more. */
  private readonly probes = new Map<string, Promise<void>>();
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Waits, if the bucket is spent, until its window resets; then counts the request as in flight.
   * A wait longer than the retry budget (`budgetMs`) fails at once, naming the bucket, rather
   * than sleeping past the point where the read would fail anyway.
   */
  async acquire(
    url: string,
    signal?: AbortSignal,
    onProgress?: (e: ProgressEvent) => void,
    budgetMs?: number,
  ): Promise<() => void> {
    const bucket = rateBucket(new URL(url).pathname);
    let probe: (() => void) | undefined;
    for (;;) {
      const s = this.buckets.get(bucket);
      const pending = this.probes.get(bucket);
      if (!s && pending) {
        await abortable(pending, signal);
        continue;
      }
      if (!s) {
        this.probes.set(bucket, new Promise<void>((resolve) => (probe = resolve)));
        break;
      }
      const now = this.now();
      if (s && now >= s.resetAt) {
        s.remaining = s.limit;
        s.resetAt = Infinity;
      }
      if (s.remaining - (this.inFlight.get(bucket) ?? 0) > 0 || s.resetAt === Infinity) break;
      const wait = Math.min(MAX_PAUSE_MS, s.resetAt - now);
      if (budgetMs !== undefined && wait > budgetMs) {
        throw new IncompleteReadError({
          vendor: 'okta',
          resource: bucket,
          reason: 'retry-budget',
          message: `okta: the rate limit of the ${bucket} bucket is spent (${s.limit} a window) and resets in ${Math.ceil(wait / 1000)} s, past the retry budget of ${Math.round(budgetMs / 1000)} s; try again later or raise retry.budgetMs`,
        });
      }
      onProgress?.({
        type: 'throttle',
        resource: bucket,
        delayMs: wait,
        reason: `Okta rate limit: ${s.remaining} of ${s.limit} requests left in the ${bucket} bucket until the reset`,
      });
      await delay(wait, signal);
      s.remaining = s.limit;
      s.resetAt = Infinity;
    }
    this.inFlight.set(bucket, (this.inFlight.get(bucket) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight.set(bucket, Math.max(0, (this.inFlight.get(bucket) ?? 1) - 1));
      if (probe) {
        // The probe is over: the others may go. No headers came back (a proxy, a test server):
        // nothing to pace by, so the bucket flows freely until a response says otherwise.
        if (!this.buckets.has(bucket))
          this.buckets.set(bucket, { limit: Infinity, remaining: Infinity, resetAt: Infinity });
        this.probes.delete(bucket);
        probe();
      }
    };
  }

  /** Records the headers of a response (any status: a 429 carries them too). */
  observe(url: string, headers: HeaderBag): void {
    const limit = Number(getHeader(headers, 'x-rate-limit-limit'));
    const remaining = Number(getHeader(headers, 'x-rate-limit-remaining'));
    const reset = Number(getHeader(headers, 'x-rate-limit-reset'));
    if (
      !Number.isFinite(limit) ||
      !Number.isFinite(remaining) ||
      !Number.isFinite(reset) ||
      getHeader(headers, 'x-rate-limit-reset') === undefined
    )
      return;
    const serverNow = Date.parse(getHeader(headers, 'date') ?? '');
    const now = this.now();
    // `Date` has one-second resolution: only a larger difference is a real clock skew. A Date a day
    // or more away (1970 from a broken proxy) is not a clock: it is ignored, not trusted.
    const apart = Math.abs(now - serverNow);
    const skew = Number.isFinite(serverNow) && apart > 1000 && apart < 24 * 3600_000 ? now - serverNow : 0;
    const bucket = rateBucket(new URL(url).pathname);
    const prev = this.buckets.get(bucket);
    // Headers of concurrent responses arrive out of order: keep the lowest `remaining` within a window.
    const resetAt = Math.min(reset * 1000 + skew, now + MAX_PAUSE_MS);
    const sameWindow = prev && Math.abs(prev.resetAt - resetAt) < 1000;
    this.buckets.set(bucket, {
      limit,
      remaining: sameWindow ? Math.min(prev.remaining, remaining) : remaining,
      resetAt,
    });
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    void p.then(() => (signal.removeEventListener('abort', stop), resolve()));
  });
}
