import type { Member } from '../schemas/members';
import { createEmailNormalizer } from '../rules/email-normalizer';
import { ByteHash, jsonString, Utf8Pieces } from './chunked-hash';

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
  const { normalised } = memberEmails(members);
  // The sort key as one string, so the order is exactly that of `${orgId}\0${email}`.
  const keys = members.map((m, i) => `${m.orgId ?? null}\u0000${normalised[i]!}`);
  const order = inKeyOrder(
    members.map((_, i) => i),
    keys,
  );
  return hashRows(members, order, (m) => m.orgId ?? null, true);
}

/**
 * The hash of one org's members as an API read of that org can see them: the rows of `orgId`
 * (and rows without an org id, which belong to every org of a one-org config), with the org id
 * filled in and the seat tier left out (the Admin API does not show seat tiers). `plan` records
 * it per org in `Plan.inputs.membersByOrg`, so `apply`, which can read only the org its key
 * manages, can tell whether that org changed without the other orgs' members.
 */
export function orgMembersFingerprint(members: readonly Member[], orgId: string): string {
  const { normalised } = memberEmails(members);
  const picked: number[] = [];
  for (let i = 0; i < members.length; i++) if (members[i]!.orgId === undefined || members[i]!.orgId === orgId) picked.push(i);
  // Every row has the same org id, so email order is key order.
  return hashRows(members, inKeyOrder(picked, normalised), () => orgId, false);
}

interface MemberEmails {
  /** The addresses as given, to check the cache against. */
  raw: string[];
  /** Normalised (`normalizeEmail`), else trimmed and lower-cased. */
  normalised: string[];
  /** `normalised` as JSON strings, in UTF-8 (each address goes into two of plan's hashes). */
  quoted: Utf8Pieces;
}

/**
 * Each member's address normalised and quoted once per member list: `plan` hashes the list and
 * each org's part of it, and `apply` does again. Cached per list object and used only while every
 * row still has the address it was computed from (a list changed in place is recomputed).
 */
const emailCache = new WeakMap<readonly Member[], MemberEmails>();

function memberEmails(members: readonly Member[]): MemberEmails {
  const hit = emailCache.get(members);
  if (hit && hit.raw.length === members.length && members.every((m, i) => m.email === hit.raw[i])) return hit;
  const norm = createEmailNormalizer();
  const raw = members.map((m) => m.email);
  const normalised = raw.map((e) => norm(e) ?? e.trim().toLowerCase());
  const made = { raw, normalised, quoted: new Utf8Pieces(normalised.map(jsonString)) };
  emailCache.set(members, made);
  return made;
}

/**
 * `rows` (member indices, ascending) stably sorted by `keys[row]`, code-point order. Member lists
 * usually arrive in that order already: then they are returned as they are, after one check.
 */
function inKeyOrder(rows: number[], keys: readonly string[]): number[] {
  for (let k = 1; k < rows.length; k++) {
    if (keys[rows[k - 1]!]! > keys[rows[k]!]!) {
      return rows.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
    }
  }
  return rows;
}

/**
 * `sha256:` of `JSON.stringify(rows)` for the member rows in `order`, written row by row into the
 * hash instead of as one string of megabytes. Each row is `{"email":…` then the JSON of the other
 * fields, which 100k rows share a handful of combinations of: that part is made once per
 * combination. All of it goes in as bytes encoded once (see `ByteHash`).
 */
function hashRows(members: readonly Member[], order: readonly number[], orgIdOf: (m: Member) => string | null, withSeatTier: boolean): string {
  const { quoted } = memberEmails(members);
  const tails = new RowTails();
  const hash = new ByteHash();
  hash.add(OPEN);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const m = members[i]!;
    hash.add(k > 0 ? NEXT_ROW : FIRST_ROW);
    hash.add(quoted.bytes, quoted.start[i]!, quoted.start[i + 1]!);
    hash.add(tails.get(orgIdOf(m), m.role, withSeatTier ? (m.seatTier ?? null) : null, m.status ?? 'active'));
  }
  hash.add(CLOSE);
  return hash.digest();
}

const OPEN = Buffer.from('[');
const FIRST_ROW = Buffer.from('{"email":');
const NEXT_ROW = Buffer.from(',{"email":');
const CLOSE = Buffer.from(']');

/**
 * The JSON of a row after its email — `,"orgId":…,"role":…,"seatTier":…,"status":…}`, keys in
 * sorted order as canonical JSON has them — made (as UTF-8) once per distinct (org id, role, seat
 * tier, status) as given. Nested maps keyed by the values themselves: exact, no key encoding.
 */
class RowTails {
  private readonly byOrg = new Map<string | null, Map<string, Map<string | null, Map<string, Uint8Array>>>>();

  get(orgId: string | null, role: string, seatTier: string | null, status: string): Uint8Array {
    let byRole = this.byOrg.get(orgId);
    if (!byRole) this.byOrg.set(orgId, (byRole = new Map()));
    let byTier = byRole.get(role);
    if (!byTier) byRole.set(role, (byTier = new Map()));
    let byStatus = byTier.get(seatTier);
    if (!byStatus) byTier.set(seatTier, (byStatus = new Map()));
    let tail = byStatus.get(status);
    if (tail === undefined) {
      const q = JSON.stringify;
      byStatus.set(status, (tail = Buffer.from(`,"orgId":${q(orgId)},"role":${q(role.toLowerCase())},"seatTier":${q(seatTier?.toLowerCase() ?? null)},"status":${q(status)}}`)));
    }
    return tail;
  }
}
