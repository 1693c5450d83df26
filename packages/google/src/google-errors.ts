import { ApiCallError, PermissionError, retryAfterMs } from '@claude-idp/core';
import { GOOGLE_DIRECTORY_SCOPES } from './google-settings';

/**
 * Google's error body (v1 format):
 * `{"error":{"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded","message":"..."}],"code":403,"message":"..."}}`.
 * The token endpoint answers OAuth's `{"error":"unauthorized_client","error_description":"..."}` instead.
 */
interface GoogleErrorBody {
  error?:
    | { code?: number; message?: string; errors?: { domain?: string; reason?: string; message?: string }[] }
    | string;
  error_description?: string;
}

/**
 * Quirk: Google answers rate limiting with 403, not 429, and gaxios' retry (which retries only
 * 408/429/5xx) skips it. These reasons mean "slow down": `userRateLimitExceeded` (2,400 queries per
 * minute per user per project), `rateLimitExceeded`, `quotaExceeded` (concurrent requests).
 */
export const GOOGLE_RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

/** What gaxios throws, as far as we read it (GaxiosError; its type is not exported by @googleapis/admin). */
interface GaxiosLikeError {
  message?: string;
  code?: string | number;
  config?: { url?: string | URL; method?: string };
  response?: { status: number; data?: unknown; headers?: Headers | Record<string, string> };
}

export interface GoogleErrorContext {
  url: string;
  /** The service account's client id, for the delegation hint. */
  clientId: string | null;
  subject: string | null;
  /** Set when the per-request deadline (of this many ms) aborted the call. */
  timeoutMs?: number;
}

/**
 * One failed call as core's typed errors: Google's 403 rate-limit reasons and 5xx/429 as a
 * retryable `ApiCallError`; 401, 403 and the token endpoint's refusals as a `PermissionError`
 * naming the scope or the delegation step; the rest as a non-retryable `ApiCallError`. The raw
 * gaxios error is not kept as `cause`: its config carries the request headers.
 */
export function toGoogleError(error: unknown, ctx: GoogleErrorContext): Error {
  const e = error as GaxiosLikeError;
  const url = e.config?.url ? String(e.config.url) : ctx.url;
  const method = e.config?.method ?? 'GET';
  const res = e.response;
  if (!res) {
    if (ctx.timeoutMs !== undefined) {
      return new ApiCallError({
        vendor: 'google',
        url,
        method,
        kind: 'timeout',
        timeoutMs: ctx.timeoutMs,
        isRetryable: true,
        message: `${method} ${stripQuery(url)} timed out after ${ctx.timeoutMs} ms`,
      });
    }
    const timedOut = e.code === 'TimeoutError' || /timeout|timed out/i.test(e.message ?? '');
    return new ApiCallError({
      vendor: 'google',
      url,
      method,
      kind: timedOut ? 'timeout' : 'network',
      isRetryable: true,
      message: `${method} ${stripQuery(url)} ${timedOut ? 'timed out' : `failed: ${e.message ?? 'network error'}`}`,
    });
  }
  const body = readBody(res.data);
  const headers = headerRecord(res.headers);
  if (url.includes('oauth2.googleapis.com/token')) return tokenError(res.status, body, url, ctx);
  const detail = typeof body.error === 'object' ? body.error : undefined;
  const reasons = (detail?.errors ?? []).map((x) => x.reason ?? '');
  const message = detail?.message ?? (typeof res.data === 'string' ? res.data.slice(0, 200) : '');
  const responseBody = typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? '');
  if (res.status === 403 && reasons.some((r) => GOOGLE_RATE_LIMIT_REASONS.has(r))) {
    return new ApiCallError({
      vendor: 'google',
      url,
      method,
      status: 403,
      responseHeaders: headers,
      responseBody,
      isRetryable: true,
      throttled: true,
      retryAfterMs: retryAfterMs(headers, { throttled: true }),
      message: `${method} ${stripQuery(url)}: Google rate limit (${reasons.join(', ')}): ${message}`,
    });
  }
  if (res.status === 401 || res.status === 403) return permissionError(res.status, reasons, message, url, ctx);
  return new ApiCallError({
    vendor: 'google',
    url,
    method,
    status: res.status,
    responseHeaders: headers,
    responseBody,
    retryAfterMs: retryAfterMs(headers, { throttled: res.status === 429 }),
    message: `${method} ${stripQuery(url)} answered HTTP ${res.status}${message ? `: ${message}` : ''}`,
  });
}

function permissionError(
  status: number,
  reasons: string[],
  message: string,
  url: string,
  ctx: GoogleErrorContext,
): PermissionError {
  const delegation = ctx.subject
    ? `In the Admin console (Security > Access and data control > API controls > Manage domain-wide delegation), authorize client ID ${ctx.clientId ?? '(the service account client_id)'} for ${GOOGLE_DIRECTORY_SCOPES.join(',')}; ${ctx.subject} must be an admin allowed to read users and groups.`
    : 'The access token must carry the scopes above and belong to an admin allowed to read users and groups.';
  const why =
    status === 401
      ? 'the credential was rejected (expired or revoked token?)'
      : `Google refused the request (${reasons.join(', ') || 'forbidden'}: ${message || 'Not Authorized'})`;
  return new PermissionError({
    vendor: 'google',
    status,
    url,
    missing: [...GOOGLE_DIRECTORY_SCOPES],
    message: `google: ${why}. Grant: ${GOOGLE_DIRECTORY_SCOPES.join(', ')}. ${delegation}`,
  });
}

function tokenError(status: number, body: GoogleErrorBody, url: string, ctx: GoogleErrorContext): Error {
  const code = typeof body.error === 'string' ? body.error : 'token_error';
  if (status >= 500 || status === 429)
    return new ApiCallError({
      vendor: 'google',
      url,
      method: 'POST',
      status,
      message: `POST ${url}: the token endpoint answered HTTP ${status}`,
    });
  // unauthorized_client: domain-wide delegation is missing for this client id or for a scope.
  // invalid_grant: the key is wrong/disabled, or the subject is not a user of the domain.
  const hint =
    code === 'unauthorized_client'
      ? `domain-wide delegation is not set up: authorize client ID ${ctx.clientId ?? '(the key file client_id)'} for ${GOOGLE_DIRECTORY_SCOPES.join(',')} in Admin console > Security > Access and data control > API controls > Manage domain-wide delegation`
      : `check that the service account key is current and GOOGLE_ADMIN_SUBJECT (${ctx.subject ?? 'unset'}) is an existing admin user`;
  return new PermissionError({
    vendor: 'google',
    status,
    url,
    missing: [`domain-wide delegation: ${GOOGLE_DIRECTORY_SCOPES.join(',')}`],
    message: `google: the token request was refused (${code}${body.error_description ? `: ${body.error_description}` : ''}); ${hint}.`,
  });
}

function readBody(data: unknown): GoogleErrorBody {
  if (data && typeof data === 'object') return data as GoogleErrorBody;
  if (typeof data === 'string') {
    try {
      const parsed: unknown = JSON.parse(data);
      if (parsed && typeof parsed === 'object') return parsed as GoogleErrorBody;
    } catch {
      // not JSON: an HTML error page from a proxy, say
    }
  }
  return {};
}

function headerRecord(h: Headers | Record<string, string> | undefined): Record<string, string> {
  if (!h) return {};
  if (typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function') {
    const out: Record<string, string> = {};
    (h as Headers).forEach((v, k) => (out[k] = v));
    return out;
  }
  return { ...(h as Record<string, string>) };
}

const stripQuery = (url: string) => url.split('?')[0];
