import { checkBaseUrl, ConfigurationError, registerSecret, type FetchLike, type RetryPolicy } from '@claude-idp/core';
import { ANTHROPIC_VERSION, DEFAULT_BASE_URL, RATE_LIMITS } from './anthropic-api-facts';

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
  /**
   * Pacing of every request this client sends, per org: at most `requestsPerMinute` in any
   * minute and `invitesPerHour` invites in any hour. Default: just under the documented limits
   * (95 / 1,150). `windowMs` / `inviteWindowMs` shorten the windows (tests).
   */
  pace?: { requestsPerMinute?: number; invitesPerHour?: number; windowMs?: number; inviteWindowMs?: number };
}

export interface ResolvedConnection {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: FetchLike;
  timeoutMs: number | undefined;
  retry: Partial<RetryPolicy> | undefined;
  /** The key, for the SDK's `x-api-key` header only (registered as a secret; never printed). */
  key: string;
  pace: { requestsPerMinute: number; invitesPerHour: number; windowMs: number; inviteWindowMs: number };
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
      message:
        'ANTHROPIC_ADMIN_KEY is not set: put a Console admin key (sk-ant-admin01-…, Claude Console) or a Claude Enterprise key (sk-ant-api01-…, claude.ai > Organization settings > API) in the environment (never on the command line)',
    });
  }
  registerSecret(adminKey);
  // No refusal by prefix: a Console admin key (sk-ant-admin01-…) and a Claude Enterprise key
  // (sk-ant-api01-…, scoped) both work; which orgs the key reaches is asked from the API.
  const baseUrl = checkBaseUrl(settings.baseUrl ?? env.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL, 'ANTHROPIC_BASE_URL');
  return {
    baseUrl,
    headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION },
    fetch: settings.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: settings.timeoutMs,
    retry: settings.retry,
    key: adminKey,
    pace: {
      requestsPerMinute: settings.pace?.requestsPerMinute ?? RATE_LIMITS.requestsPerMinute - 5,
      invitesPerHour: settings.pace?.invitesPerHour ?? RATE_LIMITS.invitesPerHour - 50,
      windowMs: settings.pace?.windowMs ?? 60_000,
      inviteWindowMs: settings.pace?.inviteWindowMs ?? 3_600_000,
    },
  };
}

/** The org id from settings or `ANTHROPIC_ORG_ID`, if given. */
export function configuredOrgId(settings: AnthropicAdminSettings): string | undefined {
  const v = settings.orgId ?? (settings.env ?? process.env).ANTHROPIC_ORG_ID;
  return v?.trim() || undefined;
}
