import { ApiCallError, MalformedResponseError } from '../errors/api-call-error';
import { noAnswerError, startRequestDeadline, DEFAULT_REQUEST_TIMEOUT_MS } from './request-timeout';
import { retryAfterMs } from './retry-after';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface FetchJsonResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One JSON request through an injected `fetch` (core itself never reaches the network), with a
 * per-request timeout joined to the caller's abort signal (body included). Non-2xx answers become
 * `ApiCallError` (retryable per status, with the vendor's requested wait: `Retry-After`, or a
 * rate-limit reset on a 429); a 2xx body that is not JSON becomes a `MalformedResponseError`
 * (retryable). Used by the clients that have no vendor SDK.
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
  const timeoutMs = args.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const deadline = startRequestDeadline(timeoutMs, args.abortSignal);
  const failed = (error: unknown, what: string, status?: number) =>
    args.abortSignal?.aborted
      ? error
      : noAnswerError({ vendor: args.vendor, url: args.url, method, deadline, status }, error, what);
  let res: Response;
  let text: string;
  try {
    try {
      res = await args.fetch(args.url, {
        method,
        headers: {
          accept: 'application/json',
          ...(args.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...args.headers,
        },
        body: args.body === undefined ? undefined : JSON.stringify(args.body),
        signal: deadline.signal,
      });
    } catch (error) {
      throw failed(error, 'failed');
    }
    try {
      text = await res.text();
    } catch (error) {
      throw failed(error, 'body could not be read', res.status);
    }
  } finally {
    deadline.done();
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
      retryAfterMs: retryAfterMs(res.headers, { throttled: res.status === 429 }),
      message: `${method} ${args.url} answered HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
    });
  }
  if (res.status === 204 || text === '') return { status: res.status, headers: res.headers, body: undefined as T };
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as T };
  } catch (error) {
    throw new MalformedResponseError({
      vendor: args.vendor,
      url: args.url,
      method,
      status: res.status,
      responseHeaders: headers,
      responseBody: text,
      message: `${args.vendor}: ${method} ${new URL(args.url).pathname} answered HTTP ${res.status} with a body that is not JSON`,
      cause: error,
    });
  }
}
