import {
  ApiCallError,
  fetchJson,
  IncompleteReadError,
  registerSecret,
  withRetry,
  type ProgressEvent,
} from '@claude-idp/core';
import { TOKEN_PATH, VENDOR } from './onelogin-api-facts';
import { OneLoginApiError, parseOneLoginErrorBody } from './onelogin-errors';
import { TokenSchema } from './onelogin-schemas';
import type { ResolvedOneLoginSettings } from './onelogin-settings';

export interface TokenProvider {
  /** A bearer token: the cached one while it lives, else a new one (one request for all callers). */
  get(signal?: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<string>;
  /** Drops `token` if it is still the cached one (it was refused); the next `get` fetches anew. */
  invalidate(token: string): void;
  /** Whether a refused token can be replaced (client credentials), or not (a ready token). */
  readonly canRefresh: boolean;
}

/** Renew this long before OneLogin's stated expiry, so a token never dies mid-request. */
const EXPIRY_SKEW_MS = 60_000;

/**
 * OAuth2 client credentials against `POST /auth/oauth2/v2/token`, or a ready token. The token is
 * reused until it expires (OneLogin returns the same token for the same credentials until then,
 * `expires_in` 36 000 s); a 401 on a resource call invalidates it once (see the client).
 */
export function createTokenProvider(s: ResolvedOneLoginSettings, now: () => number = Date.now): TokenProvider {
  const creds = s.credentials;
  if (creds.kind === 'token') {
    return { get: async () => creds.accessToken, invalidate: () => undefined, canRefresh: false };
  }
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (signal?: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<string> =>
    withRetry(
      async () => {
        try {
          const res = await fetchJson<unknown>({
            fetch: s.fetch,
            vendor: VENDOR,
            url: `${s.baseUrl}${TOKEN_PATH}`,
            method: 'POST',
            // The header form from api-docs/2/oauth20-tokens/generate-tokens-2 ("client_id:<id>,
            // client_secret:<secret>") with a JSON body; Basic and form posts are also accepted there.
            headers: { authorization: `client_id:${creds.clientId}, client_secret:${creds.clientSecret}` },
            body: { grant_type: 'client_credentials' },
            timeoutMs: s.requestTimeoutMs,
            abortSignal: signal,
          });
          const parsed = TokenSchema.safeParse(res.body);
          if (!parsed.success) {
            throw new IncompleteReadError({
              vendor: VENDOR,
              resource: 'token',
              reason: 'malformed-response',
              message: `OneLogin ${TOKEN_PATH} answered without an access_token`,
            });
          }
          registerSecret(parsed.data.access_token);
          const lifetimeMs = (parsed.data.expires_in ?? 36_000) * 1000;
          cached = {
            token: parsed.data.access_token,
            expiresAt: now() + Math.max(lifetimeMs - EXPIRY_SKEW_MS, lifetimeMs / 2),
          };
          return parsed.data.access_token;
        } catch (error) {
          if (
            ApiCallError.isInstance(error) &&
            !OneLoginApiError.isInstance(error) &&
            error.status !== undefined &&
            !error.isRetryable
          ) {
            // 400/401 here: the credential pair itself was refused (wrong, deleted or revoked).
            throw new OneLoginApiError(
              error,
              parseOneLoginErrorBody(error.responseBody),
              `OneLogin refused the API credentials at ${TOKEN_PATH} (HTTP ${error.status}): check ONELOGIN_CLIENT_ID / ONELOGIN_CLIENT_SECRET and that the credential's owner still exists`,
            );
          }
          throw error;
        }
      },
      { vendor: VENDOR, resource: 'token', policy: s.retry, abortSignal: signal, onProgress },
    );

  return {
    canRefresh: true,
    async get(signal, onProgress) {
      if (cached && now() < cached.expiresAt) return cached.token;
      pending ??= fetchToken(signal, onProgress).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
