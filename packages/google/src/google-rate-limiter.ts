import { delay } from '@claude-idp/core';

/**
 * Keeps a read inside the Directory API's quota: "2,400 queries per minute per user per Google
 * Cloud project" by default (developers.google.com/admin-sdk/directory/v1/limits), and at most
 * `concurrency` requests in flight ("quotaExceeded" is the concurrent-request limit). A token
 * bucket refilled at queriesPerMinute/60 per second, one per request, burst of one second's worth.
 * Shared by every request of one adapter, so parallel reads of the same adapter share the quota.
 */
export class GoogleRateLimiter {
  private tokens: number;
  private last: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly perMs: number;
  private readonly burst: number;

  constructor(
    queriesPerMinute: number,
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = Math.max(1, queriesPerMinute) / 60_000;
    this.burst = Math.max(1, Math.floor(queriesPerMinute / 60));
    this.tokens = this.burst;
    this.last = now();
  }

  /** Runs `fn` once a slot and a quota token are free. Waiting is abortable. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquireSlot(signal);
    try {
      await this.acquireToken(signal);
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private async acquireSlot(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.concurrency) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
  }

  private async acquireToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.perMs);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await delay(Math.ceil((1 - this.tokens) / this.perMs), signal);
    }
  }
}
