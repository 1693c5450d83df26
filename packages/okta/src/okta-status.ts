import type { UserStatus } from '@claude-idp/core';

/**
 * Okta user status (spec `UserStatus`, 8 values) → snapshot status.
 * PROVISIONED (activated, no credentials yet), RECOVERY (password reset in progress) and
 * PASSWORD_EXPIRED can all still sign in through SSO, so they count as active.
 */
export const OKTA_STATUS: Readonly<Record<string, UserStatus>> = {
  ACTIVE: 'active',
  PROVISIONED: 'active',
  RECOVERY: 'active',
  PASSWORD_EXPIRED: 'active',
  SUSPENDED: 'suspended',
  LOCKED_OUT: 'locked',
  DEPROVISIONED: 'deprovisioned',
  STAGED: 'staged',
};

/** Unknown future statuses are not guessed at: the read fails with the value named (see okta-users.ts). */
export function oktaStatus(status: string | null | undefined): UserStatus | undefined {
  return status ? OKTA_STATUS[status] : undefined;
}

/** The status the fake gives a generic user (the inverse, choosing Okta's main value). */
export const GENERIC_TO_OKTA_STATUS: Readonly<Record<UserStatus, string>> = {
  active: 'ACTIVE',
  suspended: 'SUSPENDED',
  locked: 'LOCKED_OUT',
  deprovisioned: 'DEPROVISIONED',
  staged: 'STAGED',
};
