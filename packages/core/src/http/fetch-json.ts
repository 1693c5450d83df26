import { ApiCallError } from '../errors/api-call-error';
import { IncompleteReadError } from '../errors/incomplete-read-error';
import { retryAfterMs } from './retry-after';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface FetchJsonResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One JSON request through an injected `fetch` (core itself never reaches the network), with a
 * per-request timeout joined to the caller's abort signal. Non-2xx answers become `ApiCallError`
 * (retryable per status, with the vendor's requested wait); a body that is not JSON becomes an
 * `IncompleteReadError` (`malformed-response`). Used by the clients that have no vendor SDK.
 */
export async function fetchJson<T = unknown>(args: {
  fetch: FetchLike;
  vendor: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Accept these non-2xx statuses as answers instead of errors (e.g. Okta's 400 for "provisioning off"). */
  acceptStatus?: number[];
}): Promise<FetchJsonResult<T>> {
  const method = args.method ?? 'GET';
  const timeout = AbortSignal.timeout(args.timeoutMs ?? 30_000);
  const signal = args.abortSignal ? AbortSignal.any([args.abortSignal, timeout]) : timeout;
  let res: Response;
  try {
    res = await args.fetch(args.url, {
      method,
      headers: { accept: 'application/json', ...(args.body === undefined ? {} : { 'content-type': 'application/json' }), ...args.headers },
      body: args.body === undefined ? undefined : JSON.stringify(args.body),
      signal,
    });
  } catch (error) {
    if (args.abortSignal?.aborted) throw error;
    const timedOut = timeout.aborted;
    throw new ApiCallError({
      vendor: args.vendor,
      url: args.url,
      method,
      message: timedOut ? `${method} ${args.url} timed out after ${args.timeoutMs ?? 30_000} ms` : `${method} ${args.url} failed: ${(error as Error).message}`,
      isRetryable: true,
      cause: error,
    });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    throw new ApiCallError({ vendor: args.vendor, url: args.url, method, status: res.status, message: `${method} ${args.url}: body could not be read`, isRetryable: true, cause: error });
  }
  const headers = Object.fromEntries(res.headers.entries());
  if (!res.ok && !args.acceptStatus?.includes(res.status)) {
    throw new ApiCallError({
      vendor: args.vendor,
      url: args.url,
      method,
      status: res.status,
      responseHeaders: headers,
      responseBody: text,
      retryAfterMs: retryAfterMs(res.headers),
      message: `${method} ${args.url} answered HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
    });
  }
  if (res.status === 204 || text === '') return { status: res.status, headers: res.headers, body: undefined as T };
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as T };
  } catch (error) {
    throw new IncompleteReadError({
      vendor: args.vendor,
      resource: new URL(args.url).pathname,
      reason: 'malformed-response',
      message: `${args.vendor}: ${method} ${new URL(args.url).pathname} answered HTTP ${res.status} with a body that is not JSON`,
      cause: error,
    });
  }
}
