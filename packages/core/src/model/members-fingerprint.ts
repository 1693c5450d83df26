import type { Member } from '../schemas/members';
import { createEmailNormalizer } from '../rules/email-normalizer';
import { ChunkedHash } from './chunked-hash';

/**
 * The hash of a member list as `plan` records it in `Plan.inputs.members` and `apply` recomputes
 * it from a fresh read: order-free, emails normalised, vendor ids ignored (an export and an API
 * read of the same org hash the same).
 *
 * Equal to `canonicalHash(rows)` of the rows below (their keys are created in sorted order, so
 * the canonical JSON is plain `JSON.stringify`), with rows in code-point order of org id then
 * email: never `localeCompare`, whose order depends on the machine's ICU data (two machines would
 * disagree on the hash). Emails are normalised as `normalizeEmail` does, with the IDN step
 * memoised per domain: this runs on every plan and apply, at 100k members.
 */
export function membersFingerprint(members: readonly Member[]): string {
  return hashRows(members, (m) => m.orgId ?? null, true);
}

/**
 * The hash of one org's members as an API read of that org can see them: the rows of `orgId`
 * (and rows without an org id, which belong to every org of a one-org config), with the org id
 * filled in and the seat tier left out (the Admin API does not show seat tiers). `plan` records
 * it per org in `Plan.inputs.membersByOrg`, so `apply`, which can read only the org its key
 * manages, can tell whether that org changed without the other orgs' members.
 */
export function orgMembersFingerprint(members: readonly Member[], orgId: string): string {
  return hashRows(
    members.filter((m) => m.orgId === undefined || m.orgId === orgId),
    () => orgId,
    false,
  );
}

/**
 * `sha256:` of `JSON.stringify(rows)`, the rows sorted by org id then email (a stable sort: rows
 * with the same key keep their input order), written row by row into the hash instead of as one
 * string of megabytes. Member lists usually arrive in that order already; they are not sorted again.
 */
function hashRows(members: readonly Member[], orgIdOf: (m: Member) => string | null, withSeatTier: boolean): string {
  const norm = createEmailNormalizer();
  const n = members.length;
  const emails = new Array<string>(n);
  const keys = new Array<string>(n);
  let inOrder = true;
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    const email = norm(m.email) ?? m.email.trim().toLowerCase();
    emails[i] = email;
    keys[i] = `${orgIdOf(m)}\u0000${email}`;
    if (i > 0 && keys[i - 1]! > keys[i]!) inOrder = false;
  }
  let order: number[] | null = null;
  if (!inOrder) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  }
  const hash = new ChunkedHash();
  hash.add('[');
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const m = members[i]!;
    if (k > 0) hash.add(',');
    // Keys in sorted order, as canonical JSON has them.
    hash.add(
      JSON.stringify({
        email: emails[i],
        orgId: orgIdOf(m),
        role: m.role.toLowerCase(),
        seatTier: withSeatTier ? (m.seatTier?.toLowerCase() ?? null) : null,
        status: m.status ?? 'active',
      }),
    );
  }
  hash.add(']');
  return hash.digest();
}
