import { checkBaseUrl, ConfigurationError, registerSecret, type FetchLike, type RetryPolicy } from '@claude-idp/core';
import { ADMIN_KEY_PREFIX, ANTHROPIC_VERSION, DEFAULT_BASE_URL } from './anthropic-api-facts';

export type AnthropicOrgKind = 'console' | 'enterprise';

export interface AnthropicAdminSettings {
  /** The Admin API key. Default: `ANTHROPIC_ADMIN_KEY`. Never logged, always redacted. */
  adminKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else https://api.anthropic.com. https only (loopback may be http). */
  baseUrl?: string;
  /** Where defaults are read from (tests pass their own). Default: `process.env`, read at first use. */
  env?: Record<string, string | undefined>;
  /** Injected fetch. Default: the global `fetch`, looked up at call time (so msw can patch it). */
  fetch?: FetchLike;
  /** Per-request timeout, ms. Default 30 000. */
  timeoutMs?: number;
  /** Retry budget for 429 / 5xx / network errors (SPEC §7). */
  retry?: Partial<RetryPolicy>;
  /**
   * The org this key belongs to (an admin key belongs to exactly one org). Default:
   * `ANTHROPIC_ORG_ID`, else asked from `GET /v1/organizations/me`.
   */
  orgId?: string;
  /** Console or Claude Enterprise org. Default: detected from the roles in the users listing. */
  orgKind?: AnthropicOrgKind;
}

export interface ResolvedConnection {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: FetchLike;
  timeoutMs: number | undefined;
  retry: Partial<RetryPolicy> | undefined;
}

/**
 * Reads the settings, falling back to the environment (SPEC §6), at first use rather than at
 * import or construction. The key is registered with core's redaction before anything else can
 * see it, so no error message or trail line can carry it.
 */
export function resolveConnection(settings: AnthropicAdminSettings): ResolvedConnection {
  const env = settings.env ?? process.env;
  const adminKey = (settings.adminKey ?? env.ANTHROPIC_ADMIN_KEY)?.trim();
  if (!adminKey) {
    throw new ConfigurationError({
      setting: 'ANTHROPIC_ADMIN_KEY',
      message: 'ANTHROPIC_ADMIN_KEY is not set: create an Admin API key (sk-ant-admin…) in the Claude Console and put it in the environment (never on the command line)',
    });
  }
  registerSecret(adminKey);
  if (!adminKey.startsWith(ADMIN_KEY_PREFIX)) {
    // A standard API key (sk-ant-api…) cannot call the Admin API; say so before the 401.
    throw new ConfigurationError({ setting: 'ANTHROPIC_ADMIN_KEY', message: `ANTHROPIC_ADMIN_KEY is not an Admin API key (it must start with ${ADMIN_KEY_PREFIX})` });
  }
  const baseUrl = checkBaseUrl(settings.baseUrl ?? env.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL, 'ANTHROPIC_BASE_URL');
  return {
    baseUrl,
    headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION },
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: settings.timeoutMs,
    retry: settings.retry,
  };
}

/** The org id from settings or `ANTHROPIC_ORG_ID`, if given. */
export function configuredOrgId(settings: AnthropicAdminSettings): string | undefined {
  const v = settings.orgId ?? (settings.env ?? process.env).ANTHROPIC_ORG_ID;
  return v?.trim() || undefined;
}
