import type { TokenCredential } from '@azure/identity';
import {
  checkBaseUrl,
  ConfigurationError,
  registerSecret,
  resolveBaseUrl,
  resolveRequestTimeoutMs,
  type FetchLike,
  type RetryPolicy,
  type ConnectionSettings,
} from '@claude-idp/core';

/** Settings of `createEntraAdapter`; every one falls back to its SPEC §6 variable, read at `readSnapshot` time. */
export interface EntraAdapterSettings extends ConnectionSettings {
  /** Directory (tenant) id or domain. Default `ENTRA_TENANT_ID`. */
  tenantId?: string;
  /** Application (client) id of the reading app registration. Default `ENTRA_CLIENT_ID`. */
  clientId?: string;
  /** Client secret. Default `ENTRA_CLIENT_SECRET`. */
  clientSecret?: string;
  /** PEM file holding the certificate and its private key. Default `ENTRA_CLIENT_CERTIFICATE_FILE`. */
  certificateFile?: string;
  /** A ready bearer token for Microsoft Graph. Default `ENTRA_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Any `@azure/identity` credential (managed identity, workload identity, Azure CLI...); wins over the rest. */
  credential?: TokenCredential;
  /** @deprecated Use `baseUrl` (same meaning: the Graph root without the version, e.g. `https://graph.microsoft.us`). */
  graphUrl?: string;
  /** Token authority for national clouds, e.g. `https://login.microsoftonline.us`. Default `ENTRA_AUTHORITY_HOST`. */
  authorityHost?: string;
  /** The Claude enterprise app: service principal object id, appId or display name. Default `ENTRA_APP_ID`. */
  appId?: string;
}

export type EntraAuth =
  | { kind: 'token'; token: string }
  | { kind: 'credential'; credential: TokenCredential }
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string; authorityHost?: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string; authorityHost?: string }
  | { kind: 'workload'; tenantId?: string; clientId?: string; tokenFilePath: string; authorityHost?: string }
  | { kind: 'managed'; clientId?: string };

export interface ResolvedEntraSettings {
  graphUrl: string;
  tenantId: string | undefined;
  auth: EntraAuth;
  app: string | undefined;
  timeoutMs: number;
  concurrency: number;
  retry: Partial<RetryPolicy> | undefined;
  fetch: FetchLike;
}

const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';

/** Reads settings and their environment defaults (SPEC §6). Missing ones name the variable, never a value. */
export function resolveEntraSettings(settings: EntraAdapterSettings): ResolvedEntraSettings {
  const env = settings.env ?? process.env;
  const pick = (value: string | undefined, name: string) => (value ?? env[name])?.trim() || undefined;
  // `baseUrl` (the Graph root without the version), or the deprecated `graphUrl`, else ENTRA_GRAPH_URL.
  const graphUrl = resolveBaseUrl({
    baseUrl: settings.baseUrl,
    alias: { name: 'graphUrl', value: settings.graphUrl },
    env,
    envVar: 'ENTRA_GRAPH_URL',
    fallback: DEFAULT_GRAPH_URL,
  }).url;
  const authorityHost = pick(settings.authorityHost, 'ENTRA_AUTHORITY_HOST');
  if (authorityHost) checkBaseUrl(authorityHost, 'ENTRA_AUTHORITY_HOST');
  const tenantId = pick(settings.tenantId, 'ENTRA_TENANT_ID');
  const clientId = pick(settings.clientId, 'ENTRA_CLIENT_ID');
  const token = pick(settings.accessToken, 'ENTRA_ACCESS_TOKEN');
  const secret = pick(settings.clientSecret, 'ENTRA_CLIENT_SECRET');
  const certificatePath = pick(settings.certificateFile, 'ENTRA_CLIENT_CERTIFICATE_FILE');
  registerSecret(token);
  registerSecret(secret);
  const needTenantAndClient = (what: string) => {
    if (!tenantId)
      throw new ConfigurationError({
        setting: 'ENTRA_TENANT_ID',
        message: `ENTRA_TENANT_ID is not set (needed with ${what})`,
      });
    if (!clientId)
      throw new ConfigurationError({
        setting: 'ENTRA_CLIENT_ID',
        message: `ENTRA_CLIENT_ID is not set (needed with ${what})`,
      });
    return { tenantId, clientId };
  };
  let auth: EntraAuth;
  if (settings.credential) auth = { kind: 'credential', credential: settings.credential };
  else if (token) auth = { kind: 'token', token };
  else if (secret)
    auth = { kind: 'secret', ...needTenantAndClient('ENTRA_CLIENT_SECRET'), clientSecret: secret, authorityHost };
  else if (certificatePath)
    auth = {
      kind: 'certificate',
      ...needTenantAndClient('ENTRA_CLIENT_CERTIFICATE_FILE'),
      certificatePath,
      authorityHost,
    };
  // Workload identity (AKS, GitHub OIDC via azure/login): the platform mounts a federated token file.
  else if (env.AZURE_FEDERATED_TOKEN_FILE)
    auth = {
      kind: 'workload',
      tenantId: tenantId ?? env.AZURE_TENANT_ID,
      clientId: clientId ?? env.AZURE_CLIENT_ID,
      tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
      authorityHost,
    };
  // Managed identity: App Service / Functions / Arc set IDENTITY_ENDPOINT, older hosts MSI_ENDPOINT.
  else if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) auth = { kind: 'managed', clientId };
  else {
    throw new ConfigurationError({
      setting: 'ENTRA_CLIENT_SECRET',
      message:
        'No Entra credential: set ENTRA_ACCESS_TOKEN, or ENTRA_TENANT_ID + ENTRA_CLIENT_ID with ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_FILE (or run where workload / managed identity is available)',
    });
  }
  // Sign-in through @azure/identity (MSAL) refuses an authority that is not https, at the first
  // token request; said here instead, as the setting it is (a loopback http authority, allowed for
  // URLs in general, has no use with these credentials).
  if (
    authorityHost?.startsWith('http:') &&
    (auth.kind === 'secret' || auth.kind === 'certificate' || auth.kind === 'workload')
  ) {
    throw new ConfigurationError({
      setting: 'ENTRA_AUTHORITY_HOST',
      message: `ENTRA_AUTHORITY_HOST must be an https URL: Microsoft sign-in with a client secret, certificate or workload identity only talks to an https authority (for a local fake, use ENTRA_ACCESS_TOKEN)`,
    });
  }
  const concurrency = settings.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigurationError({ setting: 'concurrency', message: 'concurrency must be a positive integer' });
  return {
    graphUrl,
    tenantId,
    auth,
    app: pick(settings.appId, 'ENTRA_APP_ID'),
    timeoutMs: resolveRequestTimeoutMs(settings),
    concurrency,
    retry: settings.retry,
    // Looked up per call, not captured now: msw and other interceptors patch globalThis.fetch later.
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}
