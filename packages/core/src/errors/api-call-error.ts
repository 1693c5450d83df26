import { ClaudeIdpError } from './claude-idp-error';
import { redactHeaders, redactText, redactUrl } from './redact';

const marker = 'claude-idp.error.api-call';
const symbol = Symbol.for(marker);
const malformedMarker = 'claude-idp.error.malformed-response';
const malformedSymbol = Symbol.for(malformedMarker);

/**
 * What went wrong with one call, the same way for every vendor:
 * - `status`: the vendor answered an HTTP error status;
 * - `network`: no answer (connection refused or reset);
 * - `timeout`: no answer within the per-request timeout;
 * - `malformed-response`: an answer whose body is not what the API documents (not JSON, a page
 *   without its item list). See `MalformedResponseError`.
 */
export type ApiCallErrorKind = 'status' | 'network' | 'timeout' | 'malformed-response';

/**
 * One vendor HTTP call that failed: status, URL, response headers and body (all redacted before
 * they are stored), whether it is worth retrying, and how long the vendor asked us to wait.
 */
export class ApiCallError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly vendor: string;
  readonly url: string;
  readonly method: string;
  readonly kind: ApiCallErrorKind;
  /** HTTP status; undefined for network failures and timeouts. */
  readonly status: number | undefined;
  readonly responseHeaders: Record<string, string>;
  readonly responseBody: string | undefined;
  readonly isRetryable: boolean;
  /**
   * Milliseconds the vendor asked to wait: `Retry-After`, or a rate-limit reset header on a
   * throttle (see `retryAfterMs`). Undefined when the vendor asked nothing (then: backoff).
   */
  readonly retryAfterMs: number | undefined;
  /** The vendor said "slow down" (429, Google's 403 rate-limit reasons, no requests left in the window). */
  readonly throttled: boolean;
  /** The per-request timeout that expired (kind `timeout`). */
  readonly timeoutMs: number | undefined;

  constructor(args: {
    vendor: string;
    message: string;
    url: string;
    method?: string;
    kind?: ApiCallErrorKind;
    status?: number;
    responseHeaders?: Record<string, string>;
    responseBody?: string;
    isRetryable?: boolean;
    retryAfterMs?: number;
    throttled?: boolean;
    timeoutMs?: number;
    cause?: unknown;
  }) {
    super({
      name: args.kind === 'malformed-response' ? 'MalformedResponseError' : 'ApiCallError',
      code: 'API_CALL_FAILED',
      message: redactText(args.message),
      cause: args.cause,
    });
    this.vendor = args.vendor;
    this.url = redactUrl(args.url);
    this.method = args.method ?? 'GET';
    this.kind =
      args.kind ?? (args.timeoutMs !== undefined ? 'timeout' : args.status === undefined ? 'network' : 'status');
    this.status = args.status;
    this.responseHeaders = redactHeaders(args.responseHeaders);
    this.responseBody = args.responseBody === undefined ? undefined : redactText(args.responseBody.slice(0, 2000));
    this.isRetryable = args.isRetryable ?? (this.kind === 'status' ? ApiCallError.retryableStatus(args.status) : true);
    this.retryAfterMs = args.retryAfterMs;
    this.throttled = args.throttled ?? args.status === 429;
    this.timeoutMs = args.timeoutMs;
  }

  /** 408, 409, 429 and 5xx are worth retrying; a network failure (no status) too. */
  static retryableStatus(status: number | undefined): boolean {
    return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  }

  static override isInstance(error: unknown): error is ApiCallError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}

/**
 * An answer whose body is not what the vendor documents: not JSON, or JSON without the item list
 * a page must carry. Usually a connection cut mid-body, so it is retried within the budget like a
 * 5xx; past the budget the read fails (`IncompleteReadError`, reason `malformed-response`).
 * `status` is the HTTP status that came with the body (often 200).
 */
export class MalformedResponseError extends ApiCallError {
  private readonly [malformedSymbol] = true;

  constructor(args: {
    vendor: string;
    url: string;
    method?: string;
    status?: number;
    message: string;
    responseHeaders?: Record<string, string>;
    responseBody?: string;
    isRetryable?: boolean;
    cause?: unknown;
  }) {
    super({ ...args, kind: 'malformed-response', isRetryable: args.isRetryable ?? true });
  }

  static override isInstance(error: unknown): error is MalformedResponseError {
    return ClaudeIdpError.hasMarker(error, malformedMarker);
  }
}
