import {
  MalformedResponseError,
  PermissionError,
  startRequestDeadline,
  type ProgressEvent,
  type RetryPolicy,
} from '@claude-idp/core';
import type { Client, RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { OktaPacer } from './okta-rate-limit';
import type { ResolvedOktaSettings } from './okta-settings';
import { toTypedError } from './okta-errors';

type Sdk = typeof import('@okta/okta-sdk-nodejs');
interface SdkRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  [k: string]: unknown;
}

/** One GET's answer: the parsed JSON body and the response headers (Link, rate limits). */
export interface OktaResponse {
  body: unknown;
  headers: Headers;
}

export interface OktaTransport {
  readonly orgUrl: string;
  get(url: string): Promise<OktaResponse>;
}

/** The SDK is CommonJS and large: load it when a read starts, never at import (SPEC §7). */
async function loadSdk(): Promise<Sdk> {
  const mod = (await import('@okta/okta-sdk-nodejs')) as Sdk & { default?: Sdk };
  return mod.default?.Client ? mod.default : mod;
}

/** At most `n` requests in flight; waiting is abortable. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (signal?: AbortSignal): Promise<() => void> => {
    if (active >= n) {
      await new Promise<void>((resolve, reject) => {
        const go = () => (signal?.removeEventListener('abort', stop), resolve());
        const stop = () => (queue.splice(queue.indexOf(go) >>> 0, 1), reject(signal?.reason));
        queue.push(go);
        signal?.addEventListener('abort', stop, { once: true });
      });
    }
    active++;
    return () => {
      active--;
      queue.shift()?.();
    };
  };
}

/**
 * The official SDK's `Client`, set up for a complete, fresh, abortable read:
 * - `cacheMiddleware: null`: the SDK caches GET responses by `_links.self` by default, so a second
 *   read in the same process could return a stale app; an audit must see the org as it is now.
 * - a `RequestExecutor` of our own instead of the SDK's `DefaultRequestExecutor`. The default
 *   retries only 429s, at most 2 times, with a timer that cannot be cancelled and a delay computed
 *   from the `Date` header; it never retries 5xx or network errors. We pace by the rate-limit
 *   headers before sending (OktaPacer) and retry 429/5xx/network errors in core's `withRetry`,
 *   which is abortable and budgeted. So the SDK's own retry is off (plain RequestExecutor).
 * - the executor adds the per-request timeout (`requestTimeoutMs`, covering the body too: the body
 *   is read inside the deadline and handed to the SDK whole), the caller's AbortSignal and a
 *   concurrency cap, and can hand requests to an injected `fetch` (node-fetch, the SDK's
 *   transport, otherwise). The SDK's `DefaultRequestExecutor` would also compute a 429 wait from
 *   `X-Rate-Limit-Reset` minus the `Date` header, with no cap (a missing `Date` makes it decades);
 *   with it off, every wait goes through core's `retryAfterMs` (capped, budgeted).
 * - `orgUrl` without a trailing slash (checkBaseUrl strips it): the SDK's generated APIs build
 *   `//api/v1/...` from `https://x.okta.com/` and get 404s.
 * The SDK still does what it is best at: SSWS headers, the OAuth service-app flow (private-key JWT,
 * token caching, DPoP nonce, one retry on 401) and Okta's error bodies (OktaApiError).
 */
export async function createOktaTransport(
  s: ResolvedOktaSettings,
  ctx: { abortSignal?: AbortSignal; onProgress?: (e: ProgressEvent) => void; retry?: Partial<RetryPolicy> },
  pacer: OktaPacer,
): Promise<OktaTransport> {
  const sdk = await loadSdk();
  const slot = limiter(s.concurrency);
  const creds = s.credentials;
  class Executor extends (sdk.RequestExecutor as unknown as new () => RequestExecutor) {
    override async fetch(request: SdkRequest): Promise<never> {
      const release = await pacer.acquire(request.url, ctx.abortSignal, ctx.onProgress, ctx.retry?.budgetMs);
      const free = await slot(ctx.abortSignal).catch((e: unknown) => (release(), Promise.reject(e)));
      const deadline = startRequestDeadline(s.requestTimeoutMs, ctx.abortSignal);
      try {
        const res = s.fetch
          ? await s.fetch(request.url, {
              method: (request.method ?? 'get').toUpperCase(),
              headers: request.headers,
              body: request.body as BodyInit | undefined,
              signal: deadline.signal,
            })
          : ((await super.fetch({ ...request, signal: deadline.signal } as never)) as unknown as Response);
        pacer.observe(request.url, res.headers);
        if (new URL(request.url).pathname === '/oauth2/v1/token' && [400, 401, 403].includes(res.status))
          throw await tokenError(res, request.url, creds);
        // Read the body inside the deadline: a connection held after the headers times out too.
        const text = await res.text();
        const answer = new Response([101, 204, 205, 304].includes(res.status) ? null : text, {
          status: res.status,
          statusText: res.statusText,
          headers: plainHeaders(res.headers),
        });
        Object.defineProperty(answer, 'url', { value: request.url });
        return answer as never;
      } catch (error) {
        throw deadline.timedOut ? timeoutError(request.url, s.requestTimeoutMs, error) : error;
      } finally {
        deadline.done();
        free();
        release();
      }
    }
  }
  const client: Client = new sdk.Client({
    orgUrl: s.orgUrl,
    // Every field is passed, even empty, so nothing leaks in from ~/.okta/okta.yaml or OKTA_CLIENT_* variables.
    ...(creds.mode === 'SSWS'
      ? { authorizationMode: 'SSWS', token: creds.token, clientId: '', privateKey: '', keyId: '' }
      : {
          authorizationMode: 'PrivateKey',
          token: '',
          clientId: creds.clientId,
          scopes: creds.scopes,
          privateKey: creds.privateKey,
          keyId: creds.keyId ?? '',
        }),
    requestExecutor: new Executor(),
    cacheMiddleware: null,
  });
  // Identify the caller in Okta's System Log next to the SDK's own User-Agent.
  client.http.defaultHeaders['User-Agent'] =
    `claude-idp-okta ${String(client.http.defaultHeaders['User-Agent'] ?? '')}`.trim();
  return {
    orgUrl: s.orgUrl,
    async get(url) {
      let res: Response;
      try {
        res = (await client.http.http(url, {
          method: 'get',
          headers: { Accept: 'application/json' },
        } as never)) as unknown as Response;
      } catch (error) {
        throw toTypedError(error, url, ctx.abortSignal);
      }
      const text = await res.text();
      try {
        return { body: JSON.parse(text) as unknown, headers: res.headers };
      } catch (error) {
        // A body cut short or not JSON: worth another try (withRetry), then a typed failure.
        throw new MalformedResponseError({
          vendor: 'okta',
          url,
          status: res.status,
          message: `GET ${new URL(url).pathname} answered a body that is not JSON`,
          cause: error,
        });
      }
    },
  };
}

/** A Headers copy the global Response accepts (node-fetch's Headers joins repeated values the same way). */
function plainHeaders(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((v, k) => out.push([k, v]));
  return out;
}

function timeoutError(url: string, timeoutMs: number, cause: unknown): Error {
  return Object.assign(new Error(`GET ${new URL(url).pathname} timed out after ${timeoutMs} ms`, { cause }), {
    name: 'TimeoutError',
    timeoutMs,
  });
}

/** The token endpoint's OAuth error (`invalid_scope`, `invalid_client` ...) as a PermissionError naming what to fix. */
async function tokenError(
  res: Response,
  url: string,
  creds: ResolvedOktaSettings['credentials'],
): Promise<PermissionError> {
  let body: { error?: string; error_description?: string } = {};
  try {
    body = JSON.parse(await res.text()) as typeof body;
  } catch {
    // not JSON: the status alone is reported
  }
  const requested = creds.mode === 'PrivateKey' ? creds.scopes : [];
  const named = requested.filter((x) => body.error_description?.includes(x));
  const missing =
    body.error === 'invalid_scope'
      ? (named.length ? named : requested).map((x) => `${x} (grant it on the service app's Okta API Scopes tab)`)
      : [
          'a valid service app: check OKTA_CLIENT_ID, its registered public key (OKTA_KEY_ID) and that it uses private_key_jwt',
        ];
  return new PermissionError({
    vendor: 'okta',
    status: res.status,
    url,
    missing,
    message: `Okta's token endpoint refused the service app (${body.error ?? `HTTP ${res.status}`}${body.error_description ? `: ${body.error_description}` : ''}). Grant: ${missing.join('; ')}.`,
  });
}
