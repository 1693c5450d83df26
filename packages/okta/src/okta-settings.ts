import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ConfigurationError,
  registerSecret,
  resolveBaseUrl,
  resolveRequestTimeoutMs,
  type FetchLike,
  type RetryPolicy,
  type ConnectionSettings,
} from '@claude-idp/core';
import { OKTA_SCOPES } from './okta-api-facts';

export interface OktaAdapterSettings extends ConnectionSettings {
  /** @deprecated Use `baseUrl` (same meaning: the org URL, `https://acme.okta.com`). */
  orgUrl?: string;
  /**
   * Items per page to ask for (default: each endpoint's maximum, which costs the fewest requests).
   * Values above an endpoint's maximum are lowered to it.
   */
  pageSize?: number;
  /** SSWS API token (default `OKTA_API_TOKEN`). */
  apiToken?: string;
  /** OAuth service app client id (default `OKTA_CLIENT_ID`), with `privateKey` or `privateKeyFile`. */
  clientId?: string;
  /** PEM or JWK (JSON) private key of the service app (default `OKTA_PRIVATE_KEY`). */
  privateKey?: string;
  /** File holding the private key (default `OKTA_PRIVATE_KEY_FILE`). */
  privateKeyFile?: string;
  /** `kid` of the service app's key, needed when the app has several keys and the key is PEM (default `OKTA_KEY_ID`). */
  keyId?: string;
  /** The Claude app's id or label (default `OKTA_APP_ID`); `readSnapshot({ app })` overrides it. */
  appId?: string;
}

export type OktaCredentials =
  | { mode: 'SSWS'; token: string }
  | { mode: 'PrivateKey'; clientId: string; privateKey: string; keyId: string | undefined; scopes: string[] };

export interface ResolvedOktaSettings {
  orgUrl: string;
  credentials: OktaCredentials;
  app: string | undefined;
  fetch: FetchLike | undefined;
  requestTimeoutMs: number;
  retry: Partial<RetryPolicy> | undefined;
  concurrency: number;
  pageSize: number | undefined;
}

/**
 * Settings with the SPEC §6 variables filled in (lazily: called by readSnapshot). A missing value
 * is a ConfigurationError naming the variable, never showing a value; secrets are registered for
 * redaction before anything can fail with them in a message.
 */
export function resolveOktaSettings(s: OktaAdapterSettings): ResolvedOktaSettings {
  const env = s.env ?? process.env;
  const pick = (own: string | undefined, name: string) => (own ?? env[name])?.trim() || undefined;
  // `baseUrl` (https://acme.okta.com), or the deprecated `orgUrl`, else OKTA_ORG_URL.
  const orgUrl = resolveBaseUrl({
    baseUrl: s.baseUrl,
    alias: { name: 'orgUrl', value: s.orgUrl },
    env,
    envVar: 'OKTA_ORG_URL',
  }).url;
  if (s.pageSize !== undefined && !(Number.isInteger(s.pageSize) && s.pageSize >= 1)) {
    throw new ConfigurationError({ setting: 'pageSize', message: 'pageSize must be a whole number of at least 1' });
  }
  const token = pick(s.apiToken, 'OKTA_API_TOKEN');
  const clientId = pick(s.clientId, 'OKTA_CLIENT_ID');
  let credentials: OktaCredentials;
  if (token) {
    registerSecret(token);
    credentials = { mode: 'SSWS', token };
  } else if (clientId) {
    const privateKey = readKey(pick(s.privateKey, 'OKTA_PRIVATE_KEY'), pick(s.privateKeyFile, 'OKTA_PRIVATE_KEY_FILE'));
    registerSecret(privateKey);
    checkPrivateKey(privateKey, pick(s.privateKey, 'OKTA_PRIVATE_KEY') ? 'OKTA_PRIVATE_KEY' : 'OKTA_PRIVATE_KEY_FILE');
    credentials = {
      mode: 'PrivateKey',
      clientId,
      privateKey,
      keyId: pick(s.keyId, 'OKTA_KEY_ID'),
      scopes: [...OKTA_SCOPES],
    };
  } else {
    throw new ConfigurationError({
      setting: 'OKTA_API_TOKEN',
      message:
        'No Okta credentials: set OKTA_API_TOKEN (SSWS API token), or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE (OAuth service app)',
    });
  }
  return {
    orgUrl,
    credentials,
    app: pick(s.appId, 'OKTA_APP_ID'),
    fetch: s.fetch,
    requestTimeoutMs: resolveRequestTimeoutMs(s),
    retry: s.retry,
    concurrency: Math.max(1, s.concurrency ?? 4),
    pageSize: s.pageSize,
  };
}

/**
 * A key that is not a private key (truncated PEM, a public key, a typo) is a set-up error, named
 * once, now: left to the SDK it fails every request's token exchange and looks like a network fault.
 * The SDK takes PEM or a JWK as JSON; never echo the key.
 */
function checkPrivateKey(key: string, setting: string): void {
  try {
    const trimmed = key.trim();
    if (trimmed.startsWith('{'))
      createPrivateKey({ key: JSON.parse(trimmed) as import('node:crypto').JsonWebKey, format: 'jwk' });
    else createPrivateKey(trimmed);
  } catch {
    throw new ConfigurationError({
      setting,
      message: `${setting} is not a readable private key (PEM "-----BEGIN PRIVATE KEY-----" or a JWK as JSON) of the Okta service app`,
    });
  }
}

function readKey(inline: string | undefined, file: string | undefined): string {
  if (inline) return inline.replace(/\\n/g, '\n');
  if (!file) {
    throw new ConfigurationError({
      setting: 'OKTA_PRIVATE_KEY',
      message: 'OKTA_CLIENT_ID is set but neither OKTA_PRIVATE_KEY nor OKTA_PRIVATE_KEY_FILE is',
    });
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigurationError({
      setting: 'OKTA_PRIVATE_KEY_FILE',
      message: `OKTA_PRIVATE_KEY_FILE could not be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      cause,
    });
  }
}
