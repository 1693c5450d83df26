import { ApiCallError, fetchJson, withRetry, type FetchJsonResult, type ProgressEvent } from '@claude-idp/core';
import type { z } from 'zod';
import { VENDOR } from './onelogin-api-facts';
import { isInsufficientPermission, parseOneLoginErrorBody, toOneLoginError } from './onelogin-errors';
import { resolveOneLoginSettings, type OneLoginSettings, type ResolvedOneLoginSettings } from './onelogin-settings';
import { createTokenProvider, type TokenProvider } from './onelogin-token';
import { listGroupsV1, listV2 } from './onelogin-paging';
import { validate } from './onelogin-validate';

export interface CallOptions {
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface OneLoginClient {
  readonly settings: ResolvedOneLoginSettings;
  /** One GET, authenticated, retried within the budget, body validated by `schema`. */
  get<S extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    schema: S,
    resource: string,
    options?: CallOptions,
  ): Promise<z.infer<S>>;
  /** The raw answer of one authenticated GET (status, headers, unvalidated body). */
  getRaw(
    path: string,
    query: Record<string, string>,
    resource: string,
    options?: CallOptions,
  ): Promise<FetchJsonResult<unknown>>;
  /** Every item of a v2 listing: After-Cursor walk, cursor sent back alone, Total-Count checked. */
  list<S extends z.ZodType>(
    path: string,
    args: { filters?: Record<string, string>; limit: number; schema: S; resource: string },
    options?: CallOptions,
  ): Promise<z.infer<S>[]>;
  /** Every group of the v1 groups listing (body pagination, `after_cursor`). */
  groupsV1(options?: CallOptions): Promise<{ id: number; name: string }[]>;
}

/**
 * A small typed OneLogin client on `fetch` (no maintained Node SDK exists): bearer tokens from
 * client credentials (reused until they expire, refreshed once on a 401) or a ready token,
 * core's retry layer for 429 / 5xx / network failures (the 429 wait comes from
 * `X-RateLimit-Reset`, seconds remaining), zod-validated bodies, and one error type.
 */
export function createOneLoginClient(settings: OneLoginSettings | ResolvedOneLoginSettings): OneLoginClient {
  const s = 'credentials' in settings ? settings : resolveOneLoginSettings(settings);
  const tokens: TokenProvider = createTokenProvider(s);

  // v2 docs: "Authorization: bearer <access_token>" (v1 pages show `bearer:<token>`; both API
  // generations accept the space form, which the official SDKs and MCP server send). A body that
  // is not JSON comes back from fetchJson as a retryable MalformedResponseError.
  const send = (url: string, token: string, signal?: AbortSignal): Promise<FetchJsonResult<unknown>> =>
    fetchJson<unknown>({
      fetch: s.fetch,
      vendor: VENDOR,
      url,
      headers: { authorization: `bearer ${token}` },
      timeoutMs: s.requestTimeoutMs,
      abortSignal: signal,
    });

  // Only an HTTP error status is OneLogin's to classify; timeouts, network and malformed bodies stay as they are.
  const mapped = (error: unknown): unknown =>
    ApiCallError.isInstance(error) && error.kind === 'status' ? toOneLoginError(error) : error;

  const getRaw: OneLoginClient['getRaw'] = (path, query, resource, options = {}) => {
    const qs = new URLSearchParams(query).toString();
    const url = `${s.baseUrl}${path}${qs ? `?${qs}` : ''}`;
    return withRetry(
      async () => {
        const token = await tokens.get(options.abortSignal, options.onProgress);
        try {
          return await send(url, token, options.abortSignal);
        } catch (error) {
          // An expired or revoked token answers 401: get a new one once and repeat the call.
          // "Insufficient Permission" is also a 401, but a new token cannot fix the scope.
          if (
            ApiCallError.isInstance(error) &&
            error.status === 401 &&
            tokens.canRefresh &&
            !isInsufficientPermission(401, parseOneLoginErrorBody(error.responseBody))
          ) {
            tokens.invalidate(token);
            const fresh = await tokens.get(options.abortSignal, options.onProgress);
            try {
              return await send(url, fresh, options.abortSignal);
            } catch (again) {
              throw mapped(again);
            }
          }
          throw mapped(error);
        }
      },
      { vendor: VENDOR, resource, policy: s.retry, abortSignal: options.abortSignal, onProgress: options.onProgress },
    );
  };

  const client: OneLoginClient = {
    settings: s,
    getRaw,
    async get(path, query, schema, resource, options) {
      const res = await getRaw(path, query, resource, options);
      return validate(schema, res.body, resource);
    },
    list: (path, args, options = {}) => listV2(client, path, args, options),
    groupsV1: (options = {}) => listGroupsV1(client, options),
  };
  return client;
}
