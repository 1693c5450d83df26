import { admin, auth, type admin_directory_v1, type admin_reports_v1, type MethodOptions } from '@googleapis/admin';
import {
  MalformedResponseError,
  resolveRequestTimeoutMs,
  startRequestDeadline,
  withRetry,
  type ProgressEvent,
  type RetryPolicy,
} from '@claude-idp/core';
import { toGoogleError } from './google-errors';
import type { GoogleRateLimiter } from './google-rate-limiter';
import { GOOGLE_DIRECTORY_SCOPES, type GoogleAdapterSettings, type ResolvedGoogleSettings } from './google-settings';

export type Directory = admin_directory_v1.Admin;

/**
 * Google's own backoff advice for the Directory API: exponential from about a second, capped
 * (developers.google.com/admin-sdk/directory/v1/limits#backoff); the caller's policy overrides it.
 */
export const GOOGLE_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  initialDelayMs: 1_000,
  maxDelayMs: 32_000,
  budgetMs: 120_000,
};

/**
 * Google's auth client for the resolved credentials: a ready access token, or a service account
 * acting as the admin subject (domain-wide delegation) with exactly `scopes` (a JWT asking for a
 * scope not delegated gets no token at all).
 */
export function createGoogleAuth(
  resolved: ResolvedGoogleSettings,
  settings: GoogleAdapterSettings,
  scopes: readonly string[],
): InstanceType<typeof auth.OAuth2> | InstanceType<typeof auth.JWT> {
  // Quirk: gaxios on Node fetches with node-fetch unless `fetchImplementation` is given; an
  // injected `fetch` must reach both the Directory calls and the token endpoint's transporter.
  const fetchImplementation = settings.fetch as MethodOptions['fetchImplementation'] | undefined;
  // The token request gets the same per-request timeout (gtoken retries it on 5xx by itself).
  const transporterOptions = {
    timeout: resolveRequestTimeoutMs(settings),
    ...(fetchImplementation ? { fetchImplementation } : {}),
  };
  const c = resolved.credentials;
  if (c.kind === 'token') {
    const client = new auth.OAuth2({ transporterOptions });
    client.setCredentials({ access_token: c.accessToken });
    return client;
  }
  return new auth.JWT({
    email: c.clientEmail,
    key: c.privateKey,
    keyId: c.privateKeyId ?? undefined,
    scopes: [...scopes],
    subject: c.subject,
    transporterOptions,
  });
}

/** The generated Directory client, on Google's auth, pointed at `apiUrl` (its `rootUrl`). */
export function createDirectory(resolved: ResolvedGoogleSettings, settings: GoogleAdapterSettings): Directory {
  const fetchImplementation = settings.fetch as MethodOptions['fetchImplementation'] | undefined;
  return admin({
    version: 'directory_v1',
    auth: createGoogleAuth(resolved, settings, GOOGLE_DIRECTORY_SCOPES),
    // googleapis-common replaces the origin of every request URL with rootUrl (its path is not kept).
    rootUrl: `${resolved.apiUrl}/`,
    // gaxios' retry is off on purpose: it retries only 408/429/5xx (not Google's 403 rate-limit
    // reasons), ignores Retry-After and knows no budget or progress. withRetry below does all that.
    retry: false,
    ...(fetchImplementation ? { fetchImplementation } : {}),
  });
}

/** The generated Reports client (activities.watch, channels.stop), with only `scopes`. */
export function createReports(
  resolved: ResolvedGoogleSettings,
  settings: GoogleAdapterSettings,
  scopes: readonly string[],
): admin_reports_v1.Admin {
  const fetchImplementation = settings.fetch as MethodOptions['fetchImplementation'] | undefined;
  return admin({
    version: 'reports_v1',
    auth: createGoogleAuth(resolved, settings, scopes),
    rootUrl: `${resolved.apiUrl}/`,
    retry: false,
    ...(fetchImplementation ? { fetchImplementation } : {}),
  });
}

export interface GoogleCallContext {
  directory: Directory;
  limiter: GoogleRateLimiter;
  resolved: ResolvedGoogleSettings;
  settings: GoogleAdapterSettings;
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * One Directory API call with everything around it: the quota limiter, a per-request timeout
 * joined to the caller's abort signal, typed errors, and core's retry (Google's 403 rate-limit
 * reasons, 429, 5xx, network errors, timeouts, bodies that are not JSON).
 * Quirk: gaxios' own `timeout` option is built on `AbortSignal.timeout` inside `AbortSignal.any`,
 * which Node 20 may garbage-collect before it fires: a held connection then hangs the read for
 * good. The deadline here is core's `startRequestDeadline` (a plain timer), passed as `signal`.
 */
export async function googleCall<T extends object>(
  ctx: GoogleCallContext,
  resource: string,
  run: (d: Directory, o: MethodOptions) => Promise<{ data: T }>,
): Promise<T> {
  const { settings, resolved } = ctx;
  const sa = resolved.credentials.kind === 'service-account' ? resolved.credentials : null;
  const url = `${resolved.apiUrl}/admin/directory/v1/${resource}`;
  const timeoutMs = resolveRequestTimeoutMs(settings);
  return withRetry(
    () =>
      ctx.limiter.run(async () => {
        let data: unknown;
        const deadline = startRequestDeadline(timeoutMs, ctx.abortSignal);
        try {
          data = (await run(ctx.directory, { signal: deadline.signal, retry: false })).data;
        } catch (error) {
          if (ctx.abortSignal?.aborted) throw error;
          throw toGoogleError(error, {
            url,
            clientId: sa?.clientId ?? null,
            subject: sa?.subject ?? null,
            timeoutMs: deadline.timedOut ? timeoutMs : undefined,
          });
        } finally {
          deadline.done();
        }
        // Quirk: gaxios hands back the raw text when a JSON body does not parse; a truncated body
        // is worth another try, and past the budget withRetry makes it an IncompleteReadError.
        if (data === null || typeof data !== 'object' || Array.isArray(data)) {
          throw new MalformedResponseError({
            vendor: 'google',
            url,
            status: 200,
            message: `GET ${url}: the body is not a JSON object`,
          });
        }
        return data as T;
      }, ctx.abortSignal),
    {
      vendor: 'google',
      resource,
      policy: { ...GOOGLE_RETRY_POLICY, ...settings.retry },
      abortSignal: ctx.abortSignal,
      onProgress: ctx.onProgress,
    },
  );
}
