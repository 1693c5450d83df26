import type { FetchLike } from '../http/fetch-json';
import type { RetryPolicy } from '../http/retry';

/**
 * The connection settings every adapter and client shares (SPEC §7): where its defaults come from,
 * the transport, where the vendor API is, and how patient it is. Each vendor's settings extend
 * this with its credentials.
 */
export interface ConnectionSettings {
  /** Where defaults (the SPEC §6 variables) come from; `process.env` when absent. Read when a call starts, never at import. */
  env?: Record<string, string | undefined>;
  /** Injected fetch / transport (tests, proxies); the global one, looked up at request time, when absent. */
  fetch?: FetchLike;
  /**
   * The vendor API's base URL (`https://acme.okta.com`, `https://graph.microsoft.com`, ...); each
   * adapter's default and environment variable are in its README. https, or http on loopback.
   */
  baseUrl?: string;
  /**
   * How long one request may go unanswered (body included) before it is abandoned and retried,
   * in ms; default `DEFAULT_REQUEST_TIMEOUT_MS` (20 000). The retry budget bounds the whole call.
   */
  requestTimeoutMs?: number;
  /** @deprecated Use `requestTimeoutMs` (same meaning; still read when `requestTimeoutMs` is absent). */
  timeoutMs?: number;
  /** Retry budget for 429 / 5xx / network errors / timeouts; see `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once; default 4 (within the vendor's published limits). */
  concurrency?: number;
}
