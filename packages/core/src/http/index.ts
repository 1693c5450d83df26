export { delay, isAbortError } from './delay';
export { retryAfterMs, getHeader } from './retry-after';
export { withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { paginate, collectPages, type Page } from './paginate';
export { checkBaseUrl, isLoopbackHost } from './url';
export { fetchJson, type FetchLike, type FetchJsonResult } from './fetch-json';
export { mapWithConcurrency } from './concurrency';
