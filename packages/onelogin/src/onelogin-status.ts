import type { UserStatus } from '@claude-idp/core';
import type { OneLoginStatusCode } from './onelogin-api-facts';

/**
 * OneLogin user `status` (0–8, no 6) to the snapshot's status. Only 1 (Active) may sign in right
 * now; the password states (4, 5, 8) are people who can get back in by themselves, so they count
 * as active accounts; 0 (never activated) and 7 (no password set yet, e.g. invited) are staged.
 * OneLogin has no "deprovisioned" status: removing someone is suspending (2) or deleting them.
 */
const STATUS: Record<OneLoginStatusCode, UserStatus> = {
  0: 'staged',
  1: 'active',
  2: 'suspended',
  3: 'locked',
  4: 'active',
  5: 'active',
  7: 'staged',
  8: 'active',
};

export function userStatus(code: OneLoginStatusCode): UserStatus {
  return STATUS[code];
}

/** The code the fake serves for a generic status (the inverse on the codes above that round-trip). */
export function statusCode(status: UserStatus): OneLoginStatusCode {
  switch (status) {
    case 'active':
      return 1;
    case 'staged':
      return 0;
    case 'locked':
      return 3;
    case 'suspended':
    case 'deprovisioned':
      return 2;
  }
}
