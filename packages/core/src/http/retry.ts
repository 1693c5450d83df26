import { ApiCallError } from '../errors/api-call-error';
import { IncompleteReadError } from '../errors/incomplete-read-error';
import { delay, isAbortError } from './delay';
import type { ProgressEvent } from '../adapter/idp-adapter-v1';

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** First backoff for errors without a vendor-given wait. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Total time this call may spend waiting; past it, the read fails instead of hanging. */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, initialDelayMs: 500, maxDelayMs: 30_000, budgetMs: 120_000 };

/**
 * Retries what `ApiCallError.isRetryable` says is retryable, waiting as the vendor asked
 * (`retryAfterMs`) or with exponential backoff, within a count and a time budget. Sleeps are
 * abortable. Anything not retryable, or a spent budget, is rethrown (a spent budget as an
 * `IncompleteReadError` naming the resource, with the last vendor error as its cause).
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
  },
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.abortSignal?.aborted) throw abortedError(options, error);
      if (!ApiCallError.isInstance(error) || !error.isRetryable) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
      const wait = error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs + 50, policy.maxDelayMs * 4) : backoff * (0.5 + random() / 2);
      if (attempt >= policy.maxRetries || waited + wait > policy.budgetMs) {
        throw new IncompleteReadError({
          vendor: options.vendor,
          resource: options.resource,
          reason: error.status === undefined ? 'timeout' : 'retry-budget',
          message: `${options.vendor}: reading ${options.resource} failed after ${attempt + 1} attempt(s)${error.status ? ` (last HTTP ${error.status})` : ''}: ${error.message}`,
          cause: error,
        });
      }
      options.onProgress?.({
        type: error.status === 429 || error.retryAfterMs !== undefined ? 'throttle' : 'retry',
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
      waited += wait;
    }
  }
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
