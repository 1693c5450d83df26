import { ApiCallError } from '../errors/api-call-error';
import { IncompleteReadError } from '../errors/incomplete-read-error';
import { delay, isAbortError } from './delay';
import type { ProgressEvent } from '../adapter/idp-adapter-v1';

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** First backoff for errors without a vendor-given wait. */
  initialDelayMs: number;
  /** Longest backoff between two attempts (a vendor-given wait is bounded by the budget instead). */
  maxDelayMs: number;
  /**
   * Wall time one call may take, attempts and waits together. A retry that would start past it
   * is not made: the call fails (`IncompleteReadError`) instead of hanging.
   */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  budgetMs: 120_000,
};

/** No vendor wait is taken above this, whatever a header says (a bad clock, a bad header). */
export const MAX_VENDOR_WAIT_MS = 5 * 60_000;

/**
 * Retries what `ApiCallError.isRetryable` says is retryable, within a count and a wall-time budget:
 * - a throttle, or any answer with `Retry-After`, waits as the vendor asked (`retryAfterMs`); a
 *   wait that would end past the budget fails at once, naming the throttle, rather than sleeping
 *   into a failure;
 * - anything else (5xx, network error, timeout, a body cut short) backs off exponentially from
 *   `initialDelayMs` with jitter (50–100 % of the step), capped at `maxDelayMs`.
 * Sleeps are abortable. Anything not retryable is rethrown as is; a spent budget becomes an
 * `IncompleteReadError` naming the resource (reason `timeout`, `malformed-response` or
 * `retry-budget`), with the last vendor error as its cause.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: {
    vendor: string;
    resource: string;
    policy?: Partial<RetryPolicy>;
    abortSignal?: AbortSignal;
    onProgress?: (event: ProgressEvent) => void;
    /** Deterministic jitter in tests; default Math.random. */
    random?: () => number;
    /** Clock, for tests; default Date.now. */
    now?: () => number;
  },
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const start = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.abortSignal?.aborted) throw abortedError(options, error);
      if (!ApiCallError.isInstance(error) || !error.isRetryable) throw error;
      const elapsed = now() - start;
      const asked =
        error.retryAfterMs === undefined ? undefined : Math.min(error.retryAfterMs + 50, MAX_VENDOR_WAIT_MS);
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt) * (0.5 + random() / 2);
      const wait = asked ?? backoff;
      if (attempt >= policy.maxRetries || elapsed + wait > policy.budgetMs) {
        throw spentError(options, error, { attempts: attempt + 1, elapsed, asked, budgetMs: policy.budgetMs });
      }
      options.onProgress?.({
        type: error.throttled || asked !== undefined ? 'throttle' : 'retry',
        resource: options.resource,
        attempt: attempt + 1,
        delayMs: Math.round(wait),
        status: error.status,
        reason: error.message,
      } as ProgressEvent);
      try {
        await delay(wait, options.abortSignal);
      } catch (e) {
        throw abortedError(options, e);
      }
    }
  }
}

function spentError(
  options: { vendor: string; resource: string },
  error: ApiCallError,
  t: { attempts: number; elapsed: number; asked: number | undefined; budgetMs: number },
): IncompleteReadError {
  const head = `${options.vendor}: reading ${options.resource} failed`;
  const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  if (t.asked !== undefined && t.elapsed + t.asked > t.budgetMs) {
    const what = error.throttled
      ? `the rate limit (HTTP ${error.status ?? '?'})`
      : `HTTP ${error.status ?? '?'} with Retry-After`;
    return new IncompleteReadError({
      vendor: options.vendor,
      resource: options.resource,
      reason: 'retry-budget',
      message: `${head}: ${what} asks to wait ${secs(t.asked)}, past the retry budget (${secs(Math.max(0, t.budgetMs - t.elapsed))} left of ${secs(t.budgetMs)}); try again later or raise retry.budgetMs: ${error.message}`,
      cause: error,
    });
  }
  const tries = `after ${t.attempts} attempt(s) in ${secs(t.elapsed)}`;
  if (error.kind === 'timeout') {
    return new IncompleteReadError({
      vendor: options.vendor,
      resource: options.resource,
      reason: 'timeout',
      message: `${head}: timed out after ${error.timeoutMs ?? '?'} ms ${tries} (requestTimeoutMs sets the per-request timeout)`,
      cause: error,
    });
  }
  return new IncompleteReadError({
    vendor: options.vendor,
    resource: options.resource,
    reason:
      error.kind === 'malformed-response'
        ? 'malformed-response'
        : error.kind === 'network'
          ? 'timeout'
          : 'retry-budget',
    message: `${head} ${tries}${error.status ? ` (last HTTP ${error.status})` : ''}: ${error.message}`,
    cause: error,
  });
}

function abortedError(options: { vendor: string; resource: string }, cause: unknown): IncompleteReadError {
  return new IncompleteReadError({
    vendor: options.vendor,
    resource: options.resource,
    reason: 'aborted',
    message: `${options.vendor}: reading ${options.resource} was aborted`,
    cause,
  });
}

export { isAbortError };
