import { ApiCallError, IncompleteReadError, PermissionError, getHeader, retryAfterMs } from '@claude-idp/core';
import { OKTA_ADMIN_ROLE, scopeFor } from './okta-api-facts';

/** What the SDK throws: `OktaApiError` (JSON error body) or `HttpError` (any other body), both with status/url/headers. */
interface SdkHttpError {
  name: string;
  status: number;
  url?: string;
  headers?: unknown;
  message: string;
  errorCode?: string;
  errorSummary?: string;
  errorCauses?: { errorSummary?: string }[];
  errorId?: string;
}

function isSdkHttpError(e: unknown): e is SdkHttpError {
  return (
    e instanceof Error &&
    (e.name === 'OktaApiError' || e.name === 'HttpError') &&
    typeof (e as { status?: unknown }).status === 'number'
  );
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof (headers as Headers).forEach === 'function')
    (headers as Headers).forEach((v, k) => (out[k] = v));
  return out;
}

/** `www-authenticate: Bearer ..., error="insufficient_scope", scope="okta.groups.read", resource="/api/v1/groups"` → the scopes. */
export function insufficientScopes(wwwAuthenticate: string | undefined): string[] {
  if (!wwwAuthenticate || !/insufficient_scope/.test(wwwAuthenticate)) return [];
  const m = /\bscope="([^"]*)"/.exec(wwwAuthenticate);
  return m?.[1] ? m[1].split(/\s+/).filter(Boolean) : [];
}

/**
 * Turns whatever the SDK or the transport threw into core's typed errors:
 * - 401 → PermissionError (the token is invalid, expired or revoked: E0000011);
 * - 403 → PermissionError naming the scope from `www-authenticate` (OAuth, `insufficient_scope`)
 *   or the endpoint's scope and the admin role (SSWS tokens act with their admin's role: E0000006);
 * - 429 / 5xx / network / timeout → retryable ApiCallError; the wait from X-Rate-Limit-Reset only on
 *   a throttle (Okta sends the header on every answer, a 500 included);
 * - anything else → non-retryable ApiCallError carrying Okta's errorCode in the body.
 * The caller's own abort is passed through untouched (withRetry turns it into `aborted`).
 */
export function toTypedError(error: unknown, url: string, abortSignal?: AbortSignal): unknown {
  if (abortSignal?.aborted) return error;
  if (ApiCallError.isInstance(error) || PermissionError.isInstance(error) || IncompleteReadError.isInstance(error))
    return error;
  const pathname = new URL(url).pathname;
  if (isSdkHttpError(error)) {
    const headers = headerRecord(error.headers);
    const body =
      error.errorCode !== undefined || error.name === 'OktaApiError'
        ? JSON.stringify({
            errorCode: error.errorCode,
            errorSummary: error.errorSummary,
            errorCauses: error.errorCauses,
            errorId: error.errorId,
          })
        : error.message.replace(/^HTTP \d+ /, '');
    const summary = error.errorCode ? `${error.errorCode} ${error.errorSummary ?? ''}`.trim() : `HTTP ${error.status}`;
    // E0000015 ("You do not have permission to access the feature you are requesting") is a feature
    // the org does not have (e.g. the Group Push API flag), not a missing grant: callers handle it.
    if ((error.status === 403 || error.status === 401) && error.errorCode !== 'E0000015') {
      const scopes = insufficientScopes(getHeader(headers, 'www-authenticate'));
      const missing =
        error.status === 401 ? [] : scopes.length ? scopes : [...scopeFor(pathname), `admin role ${OKTA_ADMIN_ROLE}`];
      const why =
        error.status === 401
          ? `Okta rejected the credential (${summary}): check OKTA_API_TOKEN, or the service app's OKTA_CLIENT_ID and key; it may be expired or revoked.`
          : `Okta refused GET ${pathname} (${summary}).${missing.length ? ` Grant: ${missing.join(', ')}.` : ''}`;
      return new PermissionError({ vendor: 'okta', status: error.status, url, missing, message: why, cause: error });
    }
    return new ApiCallError({
      vendor: 'okta',
      url,
      status: error.status,
      responseHeaders: headers,
      responseBody: body,
      // The rate-limit headers come on every answer: a wait only on a throttle (429, or none left).
      retryAfterMs: retryAfterMs(headers, { throttled: error.status === 429 }),
      message: `GET ${pathname} answered HTTP ${error.status}: ${summary}`,
      cause: error,
    });
  }
  // node-fetch: AbortError (our timeout fired), FetchError (socket); an injected fetch: TypeError / DOMException.
  const e = error as Error & { timeoutMs?: number };
  const timedOut = e?.name === 'AbortError' || e?.name === 'TimeoutError';
  return new ApiCallError({
    vendor: 'okta',
    url,
    kind: timedOut ? 'timeout' : 'network',
    timeoutMs: timedOut ? e.timeoutMs : undefined,
    message: timedOut
      ? `GET ${pathname} timed out${e.timeoutMs ? ` after ${e.timeoutMs} ms` : ''}`
      : `GET ${pathname} failed: ${e?.message ?? String(error)}`,
    isRetryable: true,
    cause: error,
  });
}

/** Okta's `errorCode` (E0000001, E0000015 ...) of a mapped error, when the body had one. */
export function oktaErrorCode(error: unknown): string | undefined {
  const body = ApiCallError.isInstance(error) ? error.responseBody : undefined;
  const cause = (error as { cause?: { errorCode?: unknown } } | undefined)?.cause;
  if (typeof cause?.errorCode === 'string') return cause.errorCode;
  try {
    const code = body ? (JSON.parse(body) as { errorCode?: unknown }).errorCode : undefined;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
