import { createHash } from 'node:crypto';
import type { Member } from '../schemas/members';
import { normalizeDomain } from './email';

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
  const domains = new Map<string, string | null>();
  const norm = (raw: string): string | null => {
    const trimmed = raw.normalize('NFC').trim();
    const at = trimmed.lastIndexOf('@');
    if (at <= 0 || at === trimmed.length - 1) return null;
    const local = trimmed.slice(0, at).toLowerCase();
    if (/\s/.test(local)) return null;
    const rawDomain = trimmed.slice(at + 1);
    let domain = domains.get(rawDomain);
    if (domain === undefined) domains.set(rawDomain, (domain = normalizeDomain(rawDomain)));
    return domain ? `${local}@${domain}` : null;
  };
  // [sort key, row] pairs: the key (org id, then email) is computed once, not per comparison.
  const pairs: [string, { email: string; orgId: string | null; role: string; seatTier: string | null; status: string }][] = members.map((m) => {
    const row = {
      email: norm(m.email) ?? m.email.trim().toLowerCase(),
      orgId: m.orgId ?? null,
      role: m.role.toLowerCase(),
      seatTier: m.seatTier?.toLowerCase() ?? null,
      status: m.status ?? 'active',
    };
    return [`${row.orgId}\u0000${row.email}`, row];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const rows = pairs.map((p) => p[1]);
  return `sha256:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
}

/**
 * The hash of one org's members as an API read of that org can see them: the rows of `orgId`
 * (and rows without an org id, which belong to every org of a one-org config), with the org id
 * filled in and the seat tier left out (the Admin API does not show seat tiers). `plan` records
 * it per org in `Plan.inputs.membersByOrg`, so `apply`, which can read only the org its key
 * manages, can tell whether that org changed without the other orgs' members.
 */
export function orgMembersFingerprint(members: readonly Member[], orgId: string): string {
  return membersFingerprint(members.filter((m) => m.orgId === undefined || m.orgId === orgId).map((m) => ({ ...m, orgId, seatTier: undefined })));
}
