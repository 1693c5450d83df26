import type { FetchLike } from '../http/fetch-json';
import type { RetryPolicy } from '../http/retry';

/**
 * The connection settings every adapter and client shares (SPEC §7): where its defaults come from,
 * the transport, and how patient it is. Each vendor's settings extend this with its base URL and
 * credentials.
 */
export interface ConnectionSettings {
  /** Where defaults (the SPEC §6 variables) come from; `process.env` when absent. Read when a call starts, never at import. */
  env?: Record<string, string | undefined>;
  /** Injected fetch / transport (tests, proxies); the global one, looked up at request time, when absent. */
  fetch?: FetchLike;
  /** Per-request timeout in ms; default 30 000. */
  timeoutMs?: number;
  /** Retry budget for 429 / 5xx / network errors; see `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once; default 4 (within the vendor's published limits). */
  concurrency?: number;
}
