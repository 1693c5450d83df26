import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ApiCallError, IncompleteReadError, PermissionError } from '@claude-idp/core';
import { ANTHROPIC_VERSION, REQUIRED_PERMISSIONS, SCOPE_SCREEN } from './anthropic-api-facts';
import { pacedFetch, type PaceEvent } from './anthropic-pace';
import type { ResolvedConnection } from './anthropic-settings';

/**
 * The official SDK client for one connection. The injected fetch (msw, the package's fake, a
 * user's own test server) carries every call, paced under the documented limits.
 *
 * Auth: the SDK would send the key as `Authorization: Bearer`; the Admin API guides send
 * `x-api-key`, and whether Enterprise keys are accepted as Bearer is not documented [I], so the
 * key goes in `x-api-key` and the Bearer header is removed. `anthropic-version` is the one the
 * guides send (2023-06-01) rather than the SDK's default.
 *
 * Retries: the SDK's automatic retries are off (`maxRetries: 0`). Reads are retried by core's
 * `withRetry` (the same statuses the SDK retries: 408, 409, 429 with `retry-after`, 5xx, no
 * answer), because a read must also fail within a total time budget as an `IncompleteReadError`
 * and report each wait as progress, which the SDK's retries cannot. Writes are retried by the
 * executor, which re-reads the org first: the SDK would resend a write after a lost answer or a
 * 503 `change_outcome_unknown` without looking, and a resent invite then comes back
 * `invite_already_exists`.
 */
export function createSdkClient(c: ResolvedConnection, onPace?: (e: PaceEvent) => void): Anthropic {
  return new Anthropic({
    apiKey: c.key,
    baseURL: c.baseUrl,
    fetch: pacedFetch(c.fetch, c.pace, onPace) as never,
    maxRetries: 0,
    timeout: c.timeoutMs ?? 30_000,
    defaultHeaders: { 'x-api-key': c.key, authorization: null, 'anthropic-version': ANTHROPIC_VERSION },
  });
}

const SCOPES_TEXT = /Missing required scopes\.\s*Got:\s*\[([^\]]*)\]\s*Needed:\s*\[([^\]]*)\]/i;

/** The scopes a 403 names as needed but not held (`Missing required scopes. Got: [...] Needed: [...]`). */
export function missingScopes(message: string): string[] | null {
  const m = SCOPES_TEXT.exec(message);
  if (!m) return null;
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim().replace(/^['"]|['"]$/g, ''))
      .filter(Boolean);
  const got = new Set(list(m[1]!));
  return list(m[2]!).filter((s) => !got.has(s));
}

/** The vendor's `error.details.error_code` of a failed call, or null (refusals by mode have none). */
export function errorCodeOf(error: unknown): string | null {
  if (error instanceof APIError) return error.errorCode;
  if (ApiCallError.isInstance(error) && error.responseBody) {
    try {
      const code = (JSON.parse(error.responseBody) as { error?: { details?: { error_code?: unknown } } }).error?.details
        ?.error_code;
      return typeof code === 'string' ? code : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * An SDK error as the project's errors: 401 and scope 403s become `PermissionError` naming what
 * to add and where; every other API failure an `ApiCallError` carrying status, headers and the
 * vendor body (so `errorCodeOf` still reads `error_code`). The key never appears: core redacts
 * every field, and the key was registered as a secret when the connection was resolved.
 */
export function toCoreError(error: unknown, method: string, path: string): unknown {
  if (error instanceof APIUserAbortError) return error;
  const url = path;
  const resource = `${method} ${path}`;
  if (error instanceof APIConnectionError) {
    return new ApiCallError({
      vendor: 'anthropic',
      message: `anthropic: ${resource} got no answer (${error.message})`,
      url,
      method,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new IncompleteReadError({
      vendor: 'anthropic',
      resource,
      reason: 'malformed-response',
      message: `anthropic: ${resource} answered a body that is not JSON (${error.message})`,
      cause: error,
    });
  }
  if (!(error instanceof APIError)) return error;
  const status = error.status;
  const message = error.apiMessage ?? error.message;
  const headers: Record<string, string> = {};
  error.headers?.forEach((v: string, k: string) => (headers[k] = v));
  const requestId = error.requestID ? ` (request-id ${error.requestID})` : '';
  if (status === 401 || (status === 403 && error.errorCode !== 'api_key_requester_unconfirmed')) {
    const scopes = status === 403 ? missingScopes(message) : null;
    const missing =
      status === 401
        ? ['a valid key in ANTHROPIC_ADMIN_KEY (a Console admin key or a Claude Enterprise key)']
        : scopes?.length
          ? scopes
          : [REQUIRED_PERMISSIONS.console, REQUIRED_PERMISSIONS.enterprise];
    const where = scopes?.length ? ` Add the scope ${scopes.join(', ')} to the key: ${SCOPE_SCREEN}.` : '';
    return new PermissionError({
      vendor: 'anthropic',
      status,
      url,
      missing,
      message: `anthropic: ${resource} was refused (HTTP ${status} ${error.type ?? ''}: ${message})${requestId}.${where || ` Use ${missing.join(', or ')}.`}`,
      // The SDK error is not kept as the cause: its message and headers carry the raw answer (which may echo the key).
    });
  }
  const retryAfter = Number(headers['retry-after']);
  return new ApiCallError({
    vendor: 'anthropic',
    message: `anthropic: ${resource} failed: HTTP ${status} ${error.type ?? ''}${error.errorCode ? ` ${error.errorCode}` : ''}: ${message}${requestId}`,
    url,
    method,
    status,
    responseHeaders: headers,
    responseBody: JSON.stringify(error.error ?? {}),
    retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    // The SDK error is not kept as the cause: its message and headers carry the raw answer (which may echo the key).
  });
}
