import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError, resolveBaseUrl, registerSecret, type FetchLike, type RetryPolicy } from '@claude-idp/core';
import type { GoogleAppDeclaration, GoogleDeclarationFile } from './google-declaration';

export interface GoogleAdapterSettings {
  /** Path to a service account JSON key (default `GOOGLE_APPLICATION_CREDENTIALS`). */
  credentialsFile?: string;
  /** The admin the service account acts as through domain-wide delegation (default `GOOGLE_ADMIN_SUBJECT`). */
  subject?: string;
  /** A ready OAuth access token with the read-only directory scopes (default `GOOGLE_ACCESS_TOKEN`). */
  accessToken?: string;
  /** Customer id, or `my_customer` for the subject's own account (default `GOOGLE_CUSTOMER`, then `my_customer`). */
  customer?: string;
  /** The Admin SDK root URL, passed to the client as `rootUrl` (default `GOOGLE_API_URL`, then https://admin.googleapis.com). */
  baseUrl?: string;
  /** @deprecated Use `baseUrl` (same meaning). */
  apiUrl?: string;
  /**
   * What Google's API cannot show: the SAML app's settings and who may use it, as the admin
   * copied them from the Admin console. An object, or a path to a JSON/YAML file (or its text).
   * Default `GOOGLE_APP_DECLARATION`. Without it the snapshot says so instead of guessing.
   */
  declaration?: GoogleAppDeclaration | GoogleDeclarationFile | string;
  /** Environment to read defaults from (default `process.env`), read when a snapshot is read. */
  env?: Record<string, string | undefined>;
  /** A `fetch` for every call (Directory API and token endpoint); default gaxios' own (node-fetch, proxy-aware). */
  fetch?: FetchLike;
  /** Per-request timeout in ms, body included (default 20 000); a request past it is retried within the budget. */
  requestTimeoutMs?: number;
  /** @deprecated Use `requestTimeoutMs` (same meaning). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Queries per minute this read may spend (default 2,400: the Directory API's default per-user quota). */
  queriesPerMinute?: number;
}

export const DEFAULT_GOOGLE_API_URL = 'https://admin.googleapis.com';

/**
 * Read-only scopes the adapter asks for; the same list must be authorized for domain-wide
 * delegation (a JWT asking for any scope not authorized gets no token at all). `group.readonly`
 * covers members.list too (its reference lists it), so `group.member.readonly` is not needed.
 */
export const GOOGLE_DIRECTORY_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
] as const;

/**
 * The Reports API scope `watch` asks for, alone, to watch the admin activities (group changes):
 * `activities.watch` takes `admin.reports.audit.readonly` (its reference's Authorization scopes).
 */
export const GOOGLE_REPORTS_SCOPE = 'https://www.googleapis.com/auth/admin.reports.audit.readonly';

export type GoogleCredentials =
  | { kind: 'token'; accessToken: string }
  | {
      kind: 'service-account';
      clientEmail: string;
      clientId: string | null;
      privateKey: string;
      privateKeyId: string | null;
      subject: string;
    };

export interface ResolvedGoogleSettings {
  credentials: GoogleCredentials;
  customer: string;
  apiUrl: string;
  declaration: GoogleAdapterSettings['declaration'] | undefined;
}

/** Settings first, then the environment (SPEC §6), read at `readSnapshot` time, never at import. */
export function resolveGoogleSettings(settings: GoogleAdapterSettings): ResolvedGoogleSettings {
  const env = settings.env ?? process.env;
  const { url: apiUrl, setting } = resolveBaseUrl({
    baseUrl: settings.baseUrl,
    alias: { name: 'apiUrl', value: settings.apiUrl },
    env,
    envVar: 'GOOGLE_API_URL',
    fallback: DEFAULT_GOOGLE_API_URL,
  });
  // Quirk: googleapis-common keeps only the origin of rootUrl (the request path replaces its
  // path), so a proxy prefix would be dropped silently; refuse it instead.
  if (new URL(apiUrl).pathname !== '/' || new URL(apiUrl).search) {
    throw new ConfigurationError({
      setting,
      message: `${setting} must be an origin such as https://admin.googleapis.com (scheme, host and port only): the Google client drops any path`,
    });
  }
  const customer = settings.customer ?? (env.GOOGLE_CUSTOMER || 'my_customer');
  const declaration = settings.declaration ?? (env.GOOGLE_APP_DECLARATION || undefined);
  return { credentials: resolveCredentials(settings, env), customer, apiUrl, declaration };
}

function resolveCredentials(
  settings: GoogleAdapterSettings,
  env: Record<string, string | undefined>,
): GoogleCredentials {
  const token = settings.accessToken ?? (settings.credentialsFile ? undefined : env.GOOGLE_ACCESS_TOKEN);
  if (token) {
    registerSecret(token);
    return { kind: 'token', accessToken: token };
  }
  const file = settings.credentialsFile ?? env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!file) {
    throw new ConfigurationError({
      setting: 'GOOGLE_APPLICATION_CREDENTIALS',
      message:
        'Google credentials are not set: set GOOGLE_APPLICATION_CREDENTIALS (service account key) and GOOGLE_ADMIN_SUBJECT, or GOOGLE_ACCESS_TOKEN',
    });
  }
  const subject = settings.subject ?? env.GOOGLE_ADMIN_SUBJECT;
  if (!subject) {
    // Quirk: a service account without a subject gets a token, then a 403 "Not Authorized to
    // access this resource/api" on every Directory call; say what is missing up front instead.
    throw new ConfigurationError({
      setting: 'GOOGLE_ADMIN_SUBJECT',
      message:
        'GOOGLE_ADMIN_SUBJECT is not set: the service account must act as an admin user through domain-wide delegation',
    });
  }
  return {
    kind: 'service-account',
    subject,
    ...readServiceAccountKey(file, settings.credentialsFile ? 'credentialsFile' : 'GOOGLE_APPLICATION_CREDENTIALS'),
  };
}

function readServiceAccountKey(file: string, setting: string) {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Never echo the file's content: it holds a private key.
    throw new ConfigurationError({
      setting,
      message: `${setting}: cannot read a service account JSON key from the file it names (${code ?? 'not JSON'})`,
    });
  }
  const key = parsed.private_key;
  const email = parsed.client_email;
  if (
    typeof key !== 'string' ||
    typeof email !== 'string' ||
    (parsed.type !== undefined && parsed.type !== 'service_account')
  ) {
    throw new ConfigurationError({
      setting,
      message: `${setting}: the file is not a service account key (expected "type": "service_account" with client_email and private_key)`,
    });
  }
  registerSecret(key);
  try {
    // A broken key would otherwise fail every token request and look like a retryable fault.
    createPrivateKey(key);
  } catch {
    throw new ConfigurationError({
      setting,
      message: `${setting}: the service account key's private_key is not a readable PEM private key; download a new JSON key for ${email}`,
    });
  }
  return {
    clientEmail: email,
    clientId: typeof parsed.client_id === 'string' ? parsed.client_id : null,
    privateKey: key,
    privateKeyId: typeof parsed.private_key_id === 'string' ? parsed.private_key_id : null,
  };
}
