import type { Member } from '../schemas/members';
import { canonicalHash } from './canonical-json';
import { normalizeEmail } from './email';

/**
 * The member fingerprints' contract, written literally: the canonical hash of the sorted,
 * normalised rows. `members-fingerprint.ts` computes the same hashes row by row into the hash
 * (no 10 MB string at 100k members, each row's JSON made once); this plain version is the test
 * oracle it is checked against (members-fingerprint.test.ts).
 */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const emailOf = (m: Pick<Member, 'email'>) => normalizeEmail(m.email) ?? m.email.trim().toLowerCase();

/** `Plan.inputs.members`: every row, org id then email order (stable), emails normalised, roles and tiers lower-case. */
export function referenceMembersFingerprint(members: readonly Member[]): string {
  const rows = members.map((m) => ({
    email: emailOf(m),
    orgId: m.orgId ?? null,
    role: m.role.toLowerCase(),
    seatTier: m.seatTier?.toLowerCase() ?? null,
    status: m.status ?? 'active',
  }));
  const key = (r: (typeof rows)[number]) => `${r.orgId}\u0000${r.email}`;
  return canonicalHash(
    rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => byCodePoint(key(a.r), key(b.r)) || a.i - b.i)
      .map((x) => x.r),
  );
}

/** `Plan.inputs.membersByOrg[orgId]`: that org's rows (and rows without an org id) with the org id filled in and no seat tier (the Admin API shows none). */
export function referenceOrgMembersFingerprint(members: readonly Member[], orgId: string): string {
  const rows = members
    .filter((m) => m.orgId === undefined || m.orgId === orgId)
    .map((m) => ({
      email: emailOf(m),
      orgId,
      role: m.role.toLowerCase(),
      seatTier: null,
      status: m.status ?? 'active',
    }));
  return canonicalHash(
    rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => byCodePoint(a.r.email, b.r.email) || a.i - b.i)
      .map((x) => x.r),
  );
}
