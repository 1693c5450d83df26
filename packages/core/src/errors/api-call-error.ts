import { ClaudeIdpError } from './claude-idp-error';
import { redactHeaders, redactText, redactUrl } from './redact';

const marker = 'claude-idp.error.api-call';
const symbol = Symbol.for(marker);

/**
 * One vendor HTTP call that failed: status, URL, response headers and body (all redacted before
 * they are stored), whether it is worth retrying, and how long the vendor asked us to wait.
 */
export class ApiCallError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly vendor: string;
  readonly url: string;
  readonly method: string;
  /** HTTP status; undefined for network failures and timeouts. */
  readonly status: number | undefined;
  readonly responseHeaders: Record<string, string>;
  readonly responseBody: string | undefined;
  readonly isRetryable: boolean;
  /** Milliseconds the vendor asked to wait (Retry-After or rate-limit reset headers). */
  readonly retryAfterMs: number | undefined;

  constructor(args: {
    vendor: string;
    message: string;
    url: string;
    method?: string;
    status?: number;
    responseHeaders?: Record<string, string>;
    responseBody?: string;
    isRetryable?: boolean;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super({ name: 'ApiCallError', code: 'API_CALL_FAILED', message: redactText(args.message), cause: args.cause });
    this.vendor = args.vendor;
    this.url = redactUrl(args.url);
    this.method = args.method ?? 'GET';
    this.status = args.status;
    this.responseHeaders = redactHeaders(args.responseHeaders);
    this.responseBody = args.responseBody === undefined ? undefined : redactText(args.responseBody.slice(0, 2000));
    this.isRetryable = args.isRetryable ?? ApiCallError.retryableStatus(args.status);
    this.retryAfterMs = args.retryAfterMs;
  }

  /** 408, 409, 429 and 5xx are worth retrying; a network failure (no status) too. */
  static retryableStatus(status: number | undefined): boolean {
    return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  }

  static override isInstance(error: unknown): error is ApiCallError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
