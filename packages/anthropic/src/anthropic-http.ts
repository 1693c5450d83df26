import { ApiCallError, collectPages, fetchJson, PermissionError, withRetry, type ProgressEvent } from '@claude-idp/core';
import { MAX_PAGE_SIZE, REQUIRED_PERMISSIONS } from './anthropic-api-facts';
import { expectShape, listCheck, parseErrorBody, type AnthropicList } from './anthropic-schemas';
import type { ResolvedConnection } from './anthropic-settings';

export interface CallOptions {
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface AnthropicRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Validates the answer's shape. */
  check: (v: unknown) => string | null;
  /** 404 is an answer, not an error (e.g. DELETE of something already gone): returns null. */
  notFoundIsNull?: boolean;
  /**
   * Runs before each retry of a request that is not idempotent (POST /invites): if the first try
   * reached the API but its answer was lost, this finds the result instead of repeating the write.
   */
  beforeRetry?: () => Promise<unknown | null>;
}

/**
 * One Admin API call: the injected fetch through core's `fetchJson` (timeout, abort), inside
 * core's `withRetry` (429 with `retry-after`, 5xx including 529 overloaded, network errors).
 * 401/403 become `PermissionError` naming what key is needed; every error is redacted by core
 * before it is stored, and the key is registered as a secret when the connection is resolved.
 */
export async function call<T>(conn: () => ResolvedConnection, req: AnthropicRequest, options: CallOptions = {}): Promise<T> {
  const c = conn();
  const url = new URL(c.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const resource = `${req.method} ${url.pathname}`;
  return withRetry(
    async (attempt) => {
      if (attempt > 0 && req.beforeRetry) {
        const found = await req.beforeRetry();
        if (found !== null) return found as T;
      }
      try {
        const res = await fetchJson<unknown>({
          fetch: c.fetch,
          vendor: 'anthropic',
          url: url.toString(),
          method: req.method,
          headers: c.headers,
          body: req.body,
          timeoutMs: c.timeoutMs,
          abortSignal: options.abortSignal,
          acceptStatus: req.notFoundIsNull ? [404] : undefined,
        });
        if (res.status === 404) return null as T;
        return expectShape<T>(res.body, req.check, resource);
      } catch (error) {
        throw mapError(error, resource);
      }
    },
    { vendor: 'anthropic', resource, policy: c.retry, abortSignal: options.abortSignal, onProgress: options.onProgress },
  );
}

function mapError(error: unknown, resource: string): unknown {
  if (!ApiCallError.isInstance(error) || (error.status !== 401 && error.status !== 403)) return error;
  const vendor = parseErrorBody(error.responseBody);
  const missing = error.status === 401 ? ['a valid Admin API key in ANTHROPIC_ADMIN_KEY'] : [REQUIRED_PERMISSIONS.console, REQUIRED_PERMISSIONS.enterprise];
  return new PermissionError({
    vendor: 'anthropic',
    status: error.status,
    url: error.url,
    missing,
    message: `anthropic: ${resource} was refused (HTTP ${error.status}${vendor ? ` ${vendor.type}: ${vendor.message}` : ''}). Use ${missing.join(', or ')}.`,
    cause: error,
  });
}

/**
 * Every item of an `after_id`-paged listing, at the maximum page size. The next page starts
 * after `last_id` while `has_more` is true; core's `paginate` fails the read on a repeated
 * cursor, and a page that says `has_more` without a `last_id` is a broken listing, not the end.
 */
export function listAll<T>(conn: () => ResolvedConnection, path: string, resource: string, item: (v: unknown) => string | null, options: CallOptions = {}): Promise<T[]> {
  return collectPages<T, string>({
    vendor: 'anthropic',
    resource,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
    fetchPage: async (cursor) => {
      const page = await call<AnthropicList<T>>(conn, { method: 'GET', path, query: { limit: MAX_PAGE_SIZE, after_id: cursor ?? undefined }, check: listCheck(item) }, options);
      if (page.has_more && !page.last_id) {
        throw expectShape(page, () => 'last_id: a cursor when has_more is true', `GET ${path}`);
      }
      if (page.has_more && page.data.length === 0) {
        // An empty page that claims more would loop on the same cursor; paginate would catch the
        // repeat, but naming the fault is kinder.
        throw expectShape(page, () => 'data: items when has_more is true', `GET ${path}`);
      }
      return { items: page.data, next: page.has_more ? page.last_id : null };
    },
  });
}
