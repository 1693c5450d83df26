import type { Member } from '../schemas/members';
import { memberAddresses } from '../rules/member-addresses';
import { createEngineCache, type EngineCache } from '../rules/engine-cache';
import { innerMap } from '../rules/memo';
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
export function membersFingerprint(members: readonly Member[], cache: EngineCache = createEngineCache()): string {
  const rows = memberRows(members, cache);
  return hashRows(wholeOrder(members, rows), rows, (t) => rows.tails[t]!.whole);
}

/**
 * The hash of one org's members as an API read of that org can see them: the rows of `orgId`
 * (and rows without an org id, which belong to every org of a one-org config), with the org id
 * filled in and the seat tier left out (the Admin API does not show seat tiers). `plan` records
 * it per org in `Plan.inputs.membersByOrg`, so `apply`, which can read only the org its key
 * manages, can tell whether that org changed without the other orgs' members.
 */
export function orgMembersFingerprint(
  members: readonly Member[],
  orgId: string,
  cache: EngineCache = createEngineCache(),
): string {
  const rows = memberRows(members, cache);
  const picked: number[] = [];
  for (let i = 0; i < members.length; i++) {
    const given = rows.tails[rows.tailOf[i]!]!.orgId;
    if (given === undefined || given === orgId) picked.push(i);
  }
  // Every row has the same org id, so email order is key order.
  return hashRows(inKeyOrder(picked, rows.normalised), rows, orgTails(rows, orgId));
}

/**
 * `membersFingerprint(members)` and `orgMembersFingerprint(members, id)` for each of `orgIds`, as
 * `plan` records them, the same values computed together: when every row has an org id, each
 * org's rows are a stretch of the list's order (org, then email), so one walk feeds every hash.
 */
export function memberFingerprints(
  members: readonly Member[],
  orgIds: readonly string[],
  cache: EngineCache = createEngineCache(),
): { members: string; byOrg: Record<string, string> } {
  const rows = memberRows(members, cache);
  const byOrg: Record<string, string> = {};
  if (rows.tails.some((t) => t.orgId === undefined)) {
    for (const id of orgIds) byOrg[id] = orgMembersFingerprint(members, id, cache);
    return { members: membersFingerprint(members, cache), byOrg };
  }
  const { quoted, tailOf, tails } = rows;
  const order = wholeOrder(members, rows);
  const whole = new RowsHash(quoted);
  const wanted = new Set(orgIds);
  // The org whose stretch of rows is being walked, its hash (if wanted) and its row endings.
  let current: string | undefined;
  let part: RowsHash | null = null;
  let partTails = orgTails(rows, '');
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const tail = tailOf[i]!;
    const orgId = tails[tail]!.orgId!;
    if (orgId !== current) {
      if (part) byOrg[current!] = part.digest();
      current = orgId;
      part = wanted.has(orgId) ? new RowsHash(quoted) : null;
      partTails = orgTails(rows, orgId);
    }
    whole.add(i, tails[tail]!.whole);
    part?.add(i, partTails(tail));
  }
  if (part) byOrg[current!] = part.digest();
  // Orgs with no rows: the hash of an empty list.
  for (const id of orgIds) byOrg[id] ??= orgMembersFingerprint(EMPTY_MEMBERS, id);
  return { members: whole.digest(), byOrg };
}

const EMPTY_MEMBERS: readonly Member[] = Object.freeze([]);

/** A distinct combination of the fields after a row's email, as given, with its JSON made once. */
interface Tail {
  orgId: string | undefined;
  role: string;
  seatTier: string | null | undefined;
  status: Member['status'];
  /** `,"orgId":…,"role":…,"seatTier":…,"status":…}` of the whole-list row, as UTF-8. */
  whole: Uint8Array;
}

interface MemberRows {
  /** The addresses as given, to check the cache against. */
  raw: string[];
  /** Normalised (`normalizeEmail`), else trimmed and lower-cased. */
  normalised: string[];
  /** Each row's start, `,{"email":` and `normalised` as a JSON string, in UTF-8 (each goes into two of plan's hashes; the first row skips the comma). */
  quoted: Utf8Pieces;
  /** Per row, its entry in `tails`: 100k rows share a handful of (org, role, seat tier, status). */
  tailOf: Int32Array;
  tails: Tail[];
}

/**
 * Each row's address normalised and quoted, and its other fields interned, once per member list:
 * `plan` hashes the list and each org's part of it, and `apply` does again. Cached per list
 * object and used only while every row still has the values it was computed from (a list changed
 * in place is worked out again).
 */
function memberRows(members: readonly Member[], cache: EngineCache): MemberRows {
  const hit = cache.memberRows.get(members) as MemberRows | undefined;
  if (
    hit &&
    hit.raw.length === members.length &&
    members.every((m, i) => m.email === hit.raw[i] && sameTail(m, hit.tails[hit.tailOf[i]!]!))
  )
    return hit;
  const addresses = memberAddresses(members, cache);
  const raw = new Array<string>(members.length);
  const normalised = new Array<string>(members.length);
  const tailOf = new Int32Array(members.length);
  const tails: Tail[] = [];
  // Nested maps keyed by the values themselves: exact, no key encoding.
  const byOrg = new Map<
    string | undefined,
    Map<string, Map<string | null | undefined, Map<Member['status'], number>>>
  >();
  // Rows come grouped by org: the previous row's org is compared before the map is asked.
  let lastOrg: string | undefined;
  let lastByRole: Map<string, Map<string | null | undefined, Map<Member['status'], number>>> | undefined;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    raw[i] = m.email;
    normalised[i] = addresses[i] ?? m.email.trim().toLowerCase();
    const byRole = lastByRole !== undefined && m.orgId === lastOrg ? lastByRole : innerMap(byOrg, m.orgId);
    lastOrg = m.orgId;
    lastByRole = byRole;
    const byStatus = innerMap(innerMap(byRole, m.role), m.seatTier);
    let t = byStatus.get(m.status);
    if (t === undefined) {
      byStatus.set(m.status, (t = tails.length));
      tails.push({
        orgId: m.orgId,
        role: m.role,
        seatTier: m.seatTier,
        status: m.status,
        whole: rowTail(m.orgId ?? null, m.role, m.seatTier ?? null, m.status),
      });
    }
    tailOf[i] = t;
  }
  const made = {
    raw,
    normalised,
    quoted: new Utf8Pieces(normalised.map((e) => `,{"email":${jsonString(e)}`)),
    tailOf,
    tails,
  };
  cache.memberRows.set(members, made);
  return made;
}

function sameTail(m: Member, t: Tail): boolean {
  return m.orgId === t.orgId && m.role === t.role && m.seatTier === t.seatTier && m.status === t.status;
}

/** `,"orgId":…,"role":…,"seatTier":…,"status":…}`: keys in sorted order, as canonical JSON has them. */
function rowTail(orgId: string | null, role: string, seatTier: string | null, status: Member['status']): Uint8Array {
  const q = JSON.stringify;
  return Buffer.from(
    `,"orgId":${q(orgId)},"role":${q(role.toLowerCase())},"seatTier":${q(seatTier?.toLowerCase() ?? null)},"status":${q(status ?? 'active')}}`,
  );
}

/**
 * The rows in code-point order of `${orgId ?? null}\u0000${email}` (stable). Member lists usually
 * arrive in org, then email order: that is checked pairwise, without making the 100k keys, and
 * the rows are returned as they are. Comparing pairwise is comparing the keys when no org id holds
 * a NUL (then "org\0…" sorts before "org…" exactly as a shorter org id sorts first).
 */
function wholeOrder(members: readonly Member[], rows: MemberRows): number[] {
  const n = members.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const orgKey = (i: number) => String(rows.tails[rows.tailOf[i]!]!.orgId ?? null);
  let inOrder = true;
  for (let t = 0; t < rows.tails.length && inOrder; t++)
    inOrder = !String(rows.tails[t]!.orgId ?? null).includes('\u0000');
  for (let i = 1; i < n && inOrder; i++) {
    const a = orgKey(i - 1);
    const b = orgKey(i);
    inOrder = a < b || (a === b && !(rows.normalised[i - 1]! > rows.normalised[i]!));
  }
  if (inOrder) return order;
  const keys = members.map((_, i) => `${orgKey(i)}\u0000${rows.normalised[i]!}`);
  return inKeyOrder(order, keys);
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
 * hash instead of as one string of megabytes: each row is `{"email":…` then the JSON of its other
 * fields (`tailBytes` of its tail), all of it as bytes encoded once (see `ByteHash`).
 */
function hashRows(order: readonly number[], rows: MemberRows, tailBytes: (tail: number) => Uint8Array): string {
  const out = new RowsHash(rows.quoted);
  for (let k = 0; k < order.length; k++) out.add(order[k]!, tailBytes(rows.tailOf[order[k]!]!));
  return out.digest();
}

/** A JSON array of member rows written into a hash: `[`, the rows, `]`. */
class RowsHash {
  private readonly hash = new ByteHash();
  private count = 0;

  constructor(private readonly quoted: Utf8Pieces) {
    this.hash.add(OPEN);
  }

  /** Row i: `,{"email":"…"` from `quoted` (without the comma for the first row), then `tail`. */
  add(i: number, tail: Uint8Array): void {
    this.hash.add(this.quoted.bytes, this.quoted.start[i]! + (this.count++ === 0 ? 1 : 0), this.quoted.start[i + 1]!);
    this.hash.add(tail);
  }

  digest(): string {
    this.hash.add(CLOSE);
    return this.hash.digest();
  }
}

/** The row endings of one org's hash: the org id filled in, no seat tier; made once per tail. */
function orgTails(rows: MemberRows, orgId: string): (tail: number) => Uint8Array {
  const made = new Map<number, Uint8Array>();
  return (t) => {
    let bytes = made.get(t);
    if (bytes === undefined) made.set(t, (bytes = rowTail(orgId, rows.tails[t]!.role, null, rows.tails[t]!.status)));
    return bytes;
  };
}

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');
