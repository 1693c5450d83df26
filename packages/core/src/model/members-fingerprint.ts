import type { Member } from '../schemas/members';
import { canonicalHash } from './canonical-json';
import { normalizeEmail } from './email';

/**
 * The hash of a member list as `plan` records it in `Plan.inputs.members` and `apply` recomputes
 * it from a fresh read: order-free, emails normalised, vendor ids ignored (an export and an API
 * read of the same org hash the same).
 */
export function membersFingerprint(members: readonly Member[]): string {
  const rows = members
    .map((m) => ({
      email: normalizeEmail(m.email) ?? m.email.trim().toLowerCase(),
      role: m.role.toLowerCase(),
      seatTier: m.seatTier?.toLowerCase() ?? null,
      orgId: m.orgId ?? null,
      status: m.status ?? 'active',
    }))
    .sort((a, b) => `${a.orgId}\u0000${a.email}`.localeCompare(`${b.orgId}\u0000${b.email}`));
  return canonicalHash(rows);
}
