import { ApiCallError, PermissionError, retryAfterMs } from '@claude-idp/core';
import type { GraphAnswer } from './entra-graph-client';

/** Graph's error envelope: `{ "error": { "code": "Authorization_RequestDenied", "message": "...", "innerError": {...} } }`. */
export function graphErrorCode(body: unknown): { code: string; message: string } | null {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return null;
  return {
    code: typeof error.code === 'string' ? error.code : '',
    message: typeof error.message === 'string' ? error.message : '',
  };
}

/** A non-2xx answer (plain or inside `$batch`) as core's ApiCallError, with Graph's Retry-After honoured. */
export function answerError(answer: GraphAnswer, request: { url: string; method: string }): ApiCallError {
  const graph = graphErrorCode(answer.body);
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
  const detail = graph ? `${graph.code}${graph.code && graph.message ? ': ' : ''}${graph.message}` : text.slice(0, 300);
  return new ApiCallError({
    vendor: 'entra',
    url: request.url,
    method: request.method,
    status: answer.status,
    responseHeaders: answer.headers,
    responseBody: text,
    retryAfterMs: retryAfterMs(answer.headers, { throttled: answer.status === 429 }),
    message: `${request.method} ${request.url} answered HTTP ${answer.status}${detail ? ` ${detail}` : ''}`,
  });
}

/**
 * 401 / 403 become a PermissionError naming the application permission to grant (and to
 * admin-consent). Graph answers 403 `Authorization_RequestDenied` ("Insufficient privileges to
 * complete the operation.") when the app lacks the permission, 401 `InvalidAuthenticationToken`
 * when the token is missing, expired or for another audience.
 */
export function toPermissionError(error: ApiCallError, grant: string[]): PermissionError {
  const graph = graphErrorCode(safeJson(error.responseBody));
  const why = graph ? ` ${graph.code}${graph.message ? `: ${graph.message}` : ''}` : '';
  const path = safePath(error.url);
  const message =
    error.status === 401
      ? `entra: Microsoft Graph rejected the token for ${error.method} ${path} (HTTP 401${why}). Check the credential, the tenant and that the token is for ${safeOrigin(error.url)}.`
      : `entra: Microsoft Graph refused ${error.method} ${path} (HTTP ${error.status ?? '?'}${why}). Grant the application permission ${grant.join(' and ')} to the reading app and grant admin consent.`;
  return new PermissionError({
    vendor: 'entra',
    status: error.status,
    url: error.url,
    missing: error.status === 401 ? [] : grant,
    message,
    cause: error,
  });
}

/** A response body parsed as JSON, or null. */
export function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'Microsoft Graph';
  }
}
