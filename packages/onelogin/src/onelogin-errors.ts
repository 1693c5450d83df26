import { ApiCallError, PermissionError } from '@claude-idp/core';
import { READ_SCOPE, VENDOR } from './onelogin-api-facts';
import { ErrorV1Schema, ErrorV2Schema } from './onelogin-schemas';

const marker = 'claude-idp.error.onelogin-api';
const symbol = Symbol.for(marker);

/** What OneLogin said in an error body, whichever of its two shapes it used. */
export interface OneLoginErrorBody {
  statusCode: number | undefined;
  /** v2 `name` (`NotFoundError`, `UnauthorizedError` ...) or v1 `status.type` (`Unauthorized`, `bad request` ...). */
  name: string | undefined;
  message: string;
}

/**
 * Reads OneLogin's error body. v2 endpoints answer `{"message", "statusCode", "name"}`; v1
 * endpoints (groups, the legacy token) wrap it as `{"status": {"error": true, "code", "type",
 * "message"}}`, where `message` may itself be an object (`{"attribute", "description"}`).
 */
export function parseOneLoginErrorBody(text: string | undefined): OneLoginErrorBody | undefined {
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const v2 = ErrorV2Schema.safeParse(json);
  if (v2.success) return { statusCode: v2.data.statusCode, name: v2.data.name, message: v2.data.message };
  const v1 = ErrorV1Schema.safeParse(json);
  if (v1.success) {
    const m = v1.data.status.message;
    const message =
      typeof m === 'string' ? m : m && typeof m === 'object' ? Object.values(m).map(String).join(': ') : '';
    return { statusCode: v1.data.status.code, name: v1.data.status.type, message };
  }
  return undefined;
}

/**
 * The one error type for an HTTP answer OneLogin refused: an `ApiCallError` (so core's retry and
 * the CLI's exit codes treat it like every vendor failure) that also carries OneLogin's own
 * `errorName` and `errorMessage` from the body.
 */
export class OneLoginApiError extends ApiCallError {
  private readonly [symbol] = true;
  readonly errorName: string | undefined;
  readonly errorMessage: string | undefined;

  constructor(source: ApiCallError, body: OneLoginErrorBody | undefined, message?: string) {
    super({
      vendor: VENDOR,
      url: source.url,
      method: source.method,
      status: source.status,
      responseHeaders: source.responseHeaders,
      responseBody: source.responseBody,
      isRetryable: source.isRetryable,
      retryAfterMs: source.retryAfterMs,
      throttled: source.throttled,
      kind: source.kind,
      timeoutMs: source.timeoutMs,
      message: message ?? describe(source, body),
      cause: source,
    });
    this.name = 'OneLoginApiError';
    this.errorName = body?.name;
    this.errorMessage = body?.message;
  }

  static override isInstance(error: unknown): error is OneLoginApiError {
    return error != null && typeof error === 'object' && (error as Record<symbol, unknown>)[symbol] === true;
  }
}

function describe(e: ApiCallError, body: OneLoginErrorBody | undefined): string {
  const path = safePath(e.url);
  const what = body
    ? `${body.name ?? 'error'}: ${body.message}`
    : e.responseBody
      ? e.responseBody.slice(0, 200)
      : 'no body';
  return `OneLogin ${e.method} ${path} answered HTTP ${e.status} (${what})`;
}

function safePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** "Insufficient Permission" (api-docs/1/groups/get-group-by-id) and 403s: the credential lacks a scope. */
export function isInsufficientPermission(status: number | undefined, body: OneLoginErrorBody | undefined): boolean {
  return status === 403 || (status === 401 && /insufficient permission/i.test(body?.message ?? ''));
}

/** Maps a failed call: permission problems name the scope to grant; everything else keeps OneLogin's words. */
export function toOneLoginError(error: ApiCallError): OneLoginApiError | PermissionError {
  const body = parseOneLoginErrorBody(error.responseBody);
  if (isInsufficientPermission(error.status, body)) {
    return new PermissionError({
      vendor: VENDOR,
      status: error.status,
      url: error.url,
      missing: [READ_SCOPE],
      message:
        `OneLogin refused ${error.method} ${safePath(error.url)} (HTTP ${error.status}${body ? ` ${body.message}` : ''}): ` +
        `the API credential's scope is too narrow. Create the credential pair with "${READ_SCOPE}" (Admin → Developers → API Credentials).`,
      cause: new OneLoginApiError(error, body),
    });
  }
  return new OneLoginApiError(error, body);
}
