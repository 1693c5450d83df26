import { describe, expect, it } from 'vitest';
import { USER_STATUS_CODES, userStatus, type OneLoginStatusCode } from './index';
import { statusCode } from './onelogin-status';

describe('OneLogin user status codes 0–8', () => {
  it('maps every documented code (there is no 6)', () => {
    const mapped = Object.fromEntries(
      Object.keys(USER_STATUS_CODES).map((k) => [k, userStatus(Number(k) as OneLoginStatusCode)]),
    );
    expect(mapped).toEqual({
      0: 'staged', // Unactivated
      1: 'active', // Active: the only status that can log in right now
      2: 'suspended',
      3: 'locked',
      4: 'active', // Password expired: the person resets it and is back in
      5: 'active', // Awaiting password reset
      7: 'staged', // Password pending: never set a password (invited)
      8: 'active', // Security questions required
    });
    expect(Object.keys(USER_STATUS_CODES)).not.toContain('6');
  });

  it('the fake serves each generic status as a code that reads back the same (deprovisioned: suspended)', () => {
    for (const s of ['active', 'suspended', 'locked', 'staged'] as const) expect(userStatus(statusCode(s))).toBe(s);
    expect(userStatus(statusCode('deprovisioned'))).toBe('suspended');
  });
});
