import {
  checkBaseUrl,
  ConfigurationError,
  resolveRequestTimeoutMs,
  registerSecret,
  type FetchLike,
  type RetryPolicy,
  type ConnectionSettings,
} from '@claude-idp/core';

export interface OneLoginSettings extends ConnectionSettings {
  /**
   * The API host: your tenant `https://<subdomain>.onelogin.com`, or the regional
   * `https://api.us.onelogin.com` / `https://api.eu.onelogin.com`. Default `ONELOGIN_BASE_URL`.
   * https only (plain http is accepted for loopback test servers).
   */
  baseUrl?: string;
  /** API credential pair (Admin → Developers → API Credentials, scope "Read All"). Default `ONELOGIN_CLIENT_ID`. */
  clientId?: string;
  /** Default `ONELOGIN_CLIENT_SECRET`. Never logged; redacted from every error. */
  clientSecret?: string;
  /** A ready bearer token instead of the credential pair. Default `ONELOGIN_ACCESS_TOKEN`. */
  accessToken?: string;
  /** The Claude app's id or name when `readSnapshot` is given none. Default `ONELOGIN_APP_ID`. */
  appId?: string;
}

export type OneLoginCredentials =
  | { kind: 'client'; clientId: string; clientSecret: string }
  | { kind: 'token'; accessToken: string };

export interface ResolvedOneLoginSettings {
  baseUrl: string;
  credentials: OneLoginCredentials;
  appId: string | undefined;
  fetch: FetchLike;
  /** Per-request timeout in ms (`requestTimeoutMs`, or the deprecated `timeoutMs`). */
  requestTimeoutMs: number;
  retry: Partial<RetryPolicy> | undefined;
  concurrency: number;
}

const clean = (v: string | undefined) => (v === undefined ? undefined : v.trim() || undefined);

/**
 * Settings with the SPEC §6 environment defaults, resolved when a read starts. Secrets are
 * registered with core's redaction first, so no later error can print them. Missing settings
 * raise a `ConfigurationError` naming the variable, never its value.
 */
export function resolveOneLoginSettings(settings: OneLoginSettings): ResolvedOneLoginSettings {
  const env = settings.env ?? process.env;
  const clientId = clean(settings.clientId ?? env.ONELOGIN_CLIENT_ID);
  const clientSecret = clean(settings.clientSecret ?? env.ONELOGIN_CLIENT_SECRET);
  const accessToken = clean(settings.accessToken ?? env.ONELOGIN_ACCESS_TOKEN);
  registerSecret(clientSecret);
  registerSecret(accessToken);
  const baseUrl = checkBaseUrl(clean(settings.baseUrl ?? env.ONELOGIN_BASE_URL), 'ONELOGIN_BASE_URL');
  let credentials: OneLoginCredentials;
  if (clientId && clientSecret) credentials = { kind: 'client', clientId, clientSecret };
  else if (accessToken) credentials = { kind: 'token', accessToken };
  else if (clientId) {
    throw new ConfigurationError({
      setting: 'ONELOGIN_CLIENT_SECRET',
      message: 'ONELOGIN_CLIENT_SECRET is not set (ONELOGIN_CLIENT_ID is): set both, or ONELOGIN_ACCESS_TOKEN',
    });
  } else if (clientSecret) {
    throw new ConfigurationError({
      setting: 'ONELOGIN_CLIENT_ID',
      message: 'ONELOGIN_CLIENT_ID is not set (ONELOGIN_CLIENT_SECRET is): set both, or ONELOGIN_ACCESS_TOKEN',
    });
  } else {
    throw new ConfigurationError({
      setting: 'ONELOGIN_CLIENT_ID',
      message:
        'No OneLogin credentials: set ONELOGIN_CLIENT_ID and ONELOGIN_CLIENT_SECRET (an API credential pair with "Read All"), or ONELOGIN_ACCESS_TOKEN',
    });
  }
  const concurrency = settings.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigurationError({
      setting: 'concurrency',
      message: 'concurrency must be a whole number of at least 1',
    });
  }
  return {
    baseUrl,
    credentials,
    appId: clean(settings.appId ?? env.ONELOGIN_APP_ID),
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    requestTimeoutMs: resolveRequestTimeoutMs(settings),
    retry: settings.retry,
    concurrency,
  };
}

/**
 * The tenant label for a snapshot: the subdomain of `https://<subdomain>.onelogin.com`, else the
 * host (regional `api.us.onelogin.com` / `api.eu.onelogin.com` hosts name no tenant; loopback fakes).
 */
export function tenantLabel(baseUrl: string): string {
  const host = new URL(baseUrl).host;
  const m = /^([a-z0-9-]+)\.onelogin\.com$/i.exec(host);
  return m && m[1]!.toLowerCase() !== 'api' ? m[1]!.toLowerCase() : host;
}
