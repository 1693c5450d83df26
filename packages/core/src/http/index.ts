export { delay, isAbortError } from './delay';
export { retryAfterMs, rateLimitWindow, rateLimitSpent, getHeader } from './retry-after';
export { withRetry, DEFAULT_RETRY_POLICY, MAX_VENDOR_WAIT_MS, type RetryPolicy } from './retry';
export { paginate, collectPages, type Page } from './paginate';
export { checkBaseUrl, isLoopbackHost } from './url';
export { fetchJson, type FetchLike, type FetchJsonResult } from './fetch-json';
export { mapWithConcurrency } from './concurrency';
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  resolveRequestTimeoutMs,
  startRequestDeadline,
  noAnswerError,
  type RequestDeadline,
} from './request-timeout';
export { readAsWhole } from './read-as-whole';
export { resolveBaseUrl } from './base-url';
