import type { DirectorySnapshot, SnapshotGroup, SnapshotUser, UserStatus } from '../../schemas/snapshot';
import type { Organization, OrgConfig, ProvisioningMode, Surface } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import { createEmailNormalizer } from '../email-normalizer';
import { memberAddresses } from '../member-addresses';
import { createEngineCache, type EngineCache } from '../engine-cache';
import { sortByKey } from '../sort-by-key';
import { org8, parsePredefinedGroupName } from '../group-names';
import { PRIMARY_OWNER, roleCatalogue, seatPlanOf, UNASSIGNED_SEAT, type RoleCatalogue } from '../../model/roles';
import {
  allocateSeats,
  decideAccess,
  inactiveKind,
  type AccessFacts,
  type AccessReason,
  type Decision,
  type HeldMapping,
  type InactiveKind,
  type OrgRules,
  type SeatRequest,
  type SeatUsage,
} from './decide';

/**
 * Access resolution: for every person in the IdP snapshot, may they use one Claude org, with which
 * role and seat tier, and which groups decided it (R-V3, R-G1, R-G2, R-G3, R-V5).
 *
 * It is built for size: `buildDirectoryIndex` reads a snapshot once (users by id and by email,
 * groups by id and name, nesting resolved on demand and memoised, the assigned-user set), and
 * `resolveOrgAccess` answers for every person of one org in one pass over the users plus one pass
 * over the members of that org's mapped groups. Nothing scans all groups per user.
 *
 * Pure: no I/O, no clock, deterministic ordering (code-point order, never locale order).
 */

// ---------------------------------------------------------------------------------------------
// Nesting

/**
 * How group nesting counts for app access and for mapped-group membership.
 * - `direct`: only direct members of a group count (Microsoft Entra: group-based app assignment
 *   does not cascade to nested groups; Okta and OneLogin have no nested groups, so any
 *   `memberGroupIds` there are not followed).
 * - `transitive`: members of nested groups count too (Google Workspace, generic).
 */
export type NestingSemantics = 'direct' | 'transitive';

/** `snapshot.nesting` when the adapter set it, else the IdP's default (see {@link NestingSemantics}). */
export function nestingFor(snapshot: Pick<DirectorySnapshot, 'idp' | 'nesting'>): NestingSemantics {
  if (snapshot.nesting) return snapshot.nesting;
  switch (snapshot.idp) {
    case 'google':
    case 'generic':
      return 'transitive';
    default:
      return 'direct';
  }
}

/** Code-point comparison (never `localeCompare`: its order depends on the machine's ICU locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(compareStrings);
/** Sorts a small array in place and drops adjacent duplicates (cheaper than a Set for a handful). */
function sortDedupe(xs: string[]): string[] {
  if (xs.length < 2) return xs;
  xs.sort(compareStrings);
  let w = 1;
  for (let r = 1; r < xs.length; r++) if (xs[r] !== xs[w - 1]) xs[w++] = xs[r]!;
  xs.length = w;
  return xs;
}
const EMPTY: readonly string[] = Object.freeze([]);
/** [0, 1, …, n - 1] (a plain loop: `Array.from({ length: n }, …)` is several times slower at 100k). */
function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * A search of a sorted array of strings for the first index holding one >= a given string (the
 * length when none does). Lookups come in order more often than not (member lists are sorted by
 * email), so each starts from the previous answer and gallops away from it: a comparison or two
 * for the next string in order, a binary search's worth for any other.
 */
function fingerSearch(sorted: readonly string[]): (s: string) => number {
  const n = sorted.length;
  let finger = 0;
  return (s) => {
    let lo: number;
    let hi: number;
    if (finger < n && sorted[finger]! < s) {
      // The answer is after the finger: probe finger+1, +2, +4, ... until one is >= s.
      let below = finger;
      let step = 1;
      let probe = finger + 1;
      while (probe < n && sorted[probe]! < s) {
        below = probe;
        step *= 2;
        probe = finger + step;
      }
      lo = below + 1;
      hi = Math.min(probe, n);
    } else {
      // The answer is at or before the finger: probe finger-1, -2, -4, ... until one is < s.
      let atOrAbove = finger;
      let step = 1;
      let probe = finger - 1;
      while (probe >= 0 && sorted[probe]! >= s) {
        atOrAbove = probe;
        step *= 2;
        probe = finger - step;
      }
      lo = Math.max(probe, -1) + 1;
      hi = atOrAbove;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    finger = Math.max(0, Math.min(lo, n - 1));
    return lo;
  };
}
const EMPTY_POSITIONS: readonly number[] = Object.freeze([]);

// ---------------------------------------------------------------------------------------------
// Identity emails

/**
 * The canonical field a user's value is read from. A field the adapter reported (even as null) is
 * taken as is; a field it did not report falls back to the snapshot's own `email` / `login`.
 */
export function fieldValue(user: SnapshotUser, field: string | null | undefined): string | null {
  if (!field) return user.email;
  if (Object.hasOwn(user.fields, field)) return user.fields[field] ?? null;
  if (field === 'user.login') return user.login;
  return user.email;
}

/** The source field SAML takes the login email from: the `email` attribute, else the NameID source. */
export function samlEmailSource(snapshot: DirectorySnapshot): string | null {
  const sso = snapshot.app.sso;
  return sso?.emailAttribute?.source ?? sso?.nameIdSource ?? null;
}

/** The source field SCIM takes the email from: `emails[type eq "work"]`, else `userName`. */
export function scimEmailSource(snapshot: DirectorySnapshot): string | null {
  const scim = snapshot.app.scim;
  return scim?.emailSource ?? scim?.userNameSource ?? null;
}

// ---------------------------------------------------------------------------------------------
// The directory index

export interface DirectoryIndex {
  readonly snapshot: DirectorySnapshot;
  readonly nesting: NestingSemantics;
  /** Snapshot users in deterministic order (normalised SAML email, else user.email; then id). */
  readonly usersSorted: readonly SnapshotUser[];
  readonly usersById: ReadonlyMap<string, SnapshotUser>;
  readonly groupsById: ReadonlyMap<string, SnapshotGroup>;
  /** Normalised email the SAML assertion carries per user id (R-S4); null when the source is empty. */
  readonly samlEmail: ReadonlyMap<string, string | null>;
  /** Normalised email SCIM sends per user id (R-S5); null when the source is empty. */
  readonly scimEmail: ReadonlyMap<string, string | null>;
  /** Users assigned to the app, directly or through an assigned group under this IdP's nesting. */
  readonly assignedUserIds: ReadonlySet<string>;
  /** Users assigned to the app directly (not through a group). */
  readonly directlyAssignedUserIds: ReadonlySet<string>;
  /** For each user assigned through groups: the assigned groups that grant it, sorted by id. */
  readonly assignedViaGroups: ReadonlyMap<string, readonly string[]>;
  /**
   * `direct` nesting only: users who are members of a group nested (at any depth) inside an
   * assigned group but not assigned themselves, with the assigned groups concerned. Under Entra
   * these people do not get the app (Google's would).
   */
  readonly nestedNotAssigned: ReadonlyMap<string, readonly string[]>;
  /** Nested-group cycles, each as its sorted group ids; lists sorted. Resolution never loops on them. */
  readonly cycles: readonly (readonly string[])[];
  /** Member user ids of a group with this IdP's nesting applied (memoised; cycle-safe); only ids of snapshot users. */
  effectiveMembers(groupId: string): ReadonlySet<string>;
  /** IdP groups with this name: exact matches, else case-insensitive ones; sorted by id. */
  findGroups(name: string): readonly SnapshotGroup[];
  /** User ids known by this address (SAML email, SCIM email, user.email, login, aliases), sorted. */
  lookupEmail(email: string): readonly string[];
}

/**
 * The index by position, for the engine's walks over 100k people (not exported from the package:
 * its layout may change). A position is a person's index in `usersSorted`; the arrays are aligned
 * with it, so resolving an org walks memory in order instead of hashing 100k ids again. The
 * public Map/Set views of `DirectoryIndex` are built from these on first use. Read-only.
 */
export interface PeopleIndex {
  /** The cache the index was built in: what is worked out from it (access, member lookups) is kept there. */
  readonly cache: EngineCache;
  readonly users: readonly SnapshotUser[];
  /** Each person's id and status, in arrays read in order (rather than from 100k scattered user objects). */
  readonly ids: readonly string[];
  readonly statuses: readonly UserStatus[];
  /** The normalised email the SAML assertion carries (R-S4); null when the source is empty. */
  readonly samlEmails: readonly (string | null)[];
  /** The normalised email SCIM sends (R-S5); null when the source is empty. */
  readonly scimEmails: readonly (string | null)[];
  /** `inactiveKind` of each person's status, worked out once for every org. */
  readonly inactive: readonly (InactiveKind | null)[];
  /** The assigned groups that give each person the app, sorted by id (undefined: none). */
  readonly assignedGroupsOf: readonly (readonly string[] | undefined)[];
  /** `direct` nesting: the assigned groups each person reaches only through a nested group. */
  readonly nestedOnlyGroupsOf: readonly (readonly string[] | undefined)[];
  /**
   * Index order is (SAML email, else user.email, else last; then id): when nobody lacks a SAML
   * email but has a user.email, it is also (SAML email, else last; then id), the order an org's
   * results come in (SAML mode, or SCIM with the same source), and they need no sort.
   */
  readonly inSamlEmailOrder: boolean;
  /** The position of a user id, or undefined. */
  positionOf(userId: string): number | undefined;
  /** On the app, directly or through an assigned group under the IdP's nesting (R-V3). */
  isAssigned(position: number): boolean;
  /** Assigned to the app directly. */
  isAssignedDirectly(position: number): boolean;
  /** The positions of a group's members, nesting applied, deduplicated, memoised; do not modify. */
  membersOf(groupId: string): Int32Array;
  /** The positions of the people known by an address already normalised (SAML, SCIM, user.email, login, aliases), in index order. */
  usersKnownBy(address: string): readonly number[];
  /** `usersKnownBy` for a raw address (normalised first). */
  usersKnownByRaw(email: string): readonly number[];
  /** The positions whose SAML email (else user.email) is `address`: [start, end). */
  firstAddressRange(address: string): [number, number];
  /** Every (address, position) pair people are known by, sorted (what `usersKnownBy` searches). */
  addressList(): {
    addresses: readonly string[];
    positions: readonly number[];
    isSaml: Uint8Array;
    first: (s: string) => number;
  };
}

/** The position view of an index made by `buildDirectoryIndex`. */
export function peopleOf(index: DirectoryIndex): PeopleIndex {
  const people = internals.get(index);
  if (!people) throw new TypeError('the index must come from buildDirectoryIndex');
  return people;
}

const internals = new WeakMap<DirectoryIndex, PeopleIndex>();

/**
 * Indexes a snapshot once, in time linear in users + groups + memberships (R-V3 needs "assigned",
 * R-G1 needs "member of"). Nested groups are resolved lazily per group and memoised, so only the
 * groups that matter (assigned and mapped ones) are ever expanded.
 */
export function buildDirectoryIndex(
  snapshot: DirectorySnapshot,
  cache: EngineCache = createEngineCache(),
): DirectoryIndex {
  // One index per snapshot object in a cache, so `audit` and `plan` given the same cache share
  // the work. A snapshot is treated as unchanged once indexed (a changed one must be a new object).
  const cached = cache.indexes.get(snapshot);
  if (cached) return cached;
  const built = indexSnapshot(snapshot, cache);
  cache.indexes.set(snapshot, built);
  return built;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value as T;
  };
}

function indexSnapshot(snapshot: DirectorySnapshot, cache: EngineCache): DirectoryIndex {
  const nesting = nestingFor(snapshot);
  const groupsById = new Map<string, SnapshotGroup>();
  for (const g of snapshot.groups) if (!groupsById.has(g.id)) groupsById.set(g.id, g);

  const byName = new Map<string, SnapshotGroup[]>();
  const byLowerName = new Map<string, SnapshotGroup[]>();
  for (const g of groupsById.values()) {
    push(byName, g.name, g);
    push(byLowerName, g.name.trim().toLowerCase(), g);
  }
  for (const list of byName.values()) list.sort((a, b) => compareStrings(a.id, b.id));
  for (const list of byLowerName.values()) list.sort((a, b) => compareStrings(a.id, b.id));

  // Users: first occurrence of an id wins; each one's addresses normalised once, here. They are
  // read into parallel arrays in snapshot order ("slots"), then put in index order below.
  const samlSource = samlEmailSource(snapshot);
  const scimSource = scimEmailSource(snapshot);
  const sameSources = samlSource === scimSource;
  const norm = createEmailNormalizer();
  /**
   * User id -> slot (first occurrence). `positionOf` maps it on to the position once sorted.
   * Adapters list people in id order: while the ids come strictly ascending, each is new without
   * asking a map, and a slot is found by searching `readIds` (sorted) instead of hashing the id
   * (group member lists are in id order too, so each search starts where the last one ended).
   * At the first id out of order, the map is made from the slots so far and used from then on.
   */
  let slotById: Map<string, number> | null = null;
  const slotsById = () => new Map(readIds.map((id, slot) => [id, slot]));
  const read: SnapshotUser[] = [];
  const readIds: string[] = [];
  const readStatuses: UserStatus[] = [];
  const readSaml: (string | null)[] = [];
  const readScim: (string | null)[] = [];
  const readEmail: (string | null)[] = [];
  const sortKey: string[] = [];
  /** Logins that differ from user.email, and aliases, as given, with the slot of their person. */
  const extraAddresses: string[] = [];
  const extraSlots: number[] = [];
  // Loops over people are indexed: they run once per snapshot, mostly before the optimiser has
  // compiled them, where for-of allocates an iterator result per element.
  for (let i = 0; i < snapshot.users.length; i++) {
    const u = snapshot.users[i]!;
    if (!slotById && readIds.length > 0 && !(readIds[readIds.length - 1]! < u.id)) slotById = slotsById();
    if (slotById) {
      if (slotById.has(u.id)) continue;
      slotById.set(u.id, read.length);
    }
    // The sources usually hold the same text as user.email: normalise each distinct text once.
    const email = norm(u.email);
    const samlRaw = fieldValue(u, samlSource);
    const saml = samlRaw === u.email ? email : norm(samlRaw);
    let scim = saml;
    if (!sameSources) {
      const scimRaw = fieldValue(u, scimSource);
      scim = scimRaw === u.email ? email : norm(scimRaw);
    }
    // Logins and aliases (a few percent of people) are noted now, while the person is at hand,
    // for the address list, normalised when the list is made.
    if (u.login !== null && u.login !== u.email) extraAddresses.push(u.login), extraSlots.push(read.length);
    const aliases = u.aliases;
    if (aliases)
      for (let k = 0; k < aliases.length; k++) extraAddresses.push(aliases[k]!), extraSlots.push(read.length);
    read.push(u);
    readIds.push(u.id);
    readStatuses.push(u.status);
    readSaml.push(saml);
    readScim.push(scim);
    readEmail.push(email);
    sortKey.push(saml ?? email ?? '\uffff');
  }
  // Index order: by SAML email (else user.email), then id. `order[position]` is the slot.
  const n = read.length;
  const order = sortByKey(
    range(n),
    (slot) => sortKey[slot]!,
    (a, b) => compareStrings(readIds[a]!, readIds[b]!),
  );
  const users = new Array<SnapshotUser>(n);
  const ids = new Array<string>(n);
  const statuses = new Array<UserStatus>(n);
  const saml = new Array<string | null>(n);
  const scim = sameSources ? saml : new Array<string | null>(n);
  const emails = new Array<string | null>(n);
  const keys = new Array<string>(n);
  const positionOfSlot = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const slot = order[p]!;
    users[p] = read[slot]!;
    ids[p] = readIds[slot]!;
    statuses[p] = readStatuses[slot]!;
    saml[p] = readSaml[slot]!;
    if (!sameSources) scim[p] = readScim[slot]!;
    emails[p] = readEmail[slot]!;
    keys[p] = sortKey[slot]!;
    positionOfSlot[slot] = p;
  }
  const slotAtLeast = fingerSearch(readIds);
  /** Id -> slot by hashing: the map of the read, else one made on first need (lists out of order). */
  let slotMap = slotById;
  const byMap = (id: string): number | undefined => {
    slotMap ??= slotsById();
    const slot = slotMap.get(id);
    return slot === undefined ? undefined : positionOfSlot[slot];
  };
  /** Id -> position by searching the sorted ids (people listed in id order): fast for ids asked in order. */
  const bySearch = (id: string): number | undefined => {
    const slot = slotAtLeast(id);
    return slot < n && readIds[slot] === id ? positionOfSlot[slot] : undefined;
  };
  const positionOf = slotById ? byMap : bySearch;
  /**
   * The lookup for a whole list of ids: searching forward is cheapest for a list in id order (as
   * adapters write member lists) and worst for one in any other order, which hashes instead.
   */
  const lookupFor = (ids: readonly string[]): ((id: string) => number | undefined) => {
    if (slotById) return byMap;
    for (let k = 1; k < ids.length; k++) if (!(ids[k - 1]! < ids[k]!)) return byMap;
    return bySearch;
  };

  // Effective members as positions. A stamp array dedupes without a Set per group, and one
  // scratch buffer collects them (a group has at most n distinct members).
  const stamp = new Int32Array(n);
  const scratch = new Int32Array(n);
  let epoch = 0;
  const memo = new Map<string, Int32Array>();
  const memberPositions = (groupId: string): Int32Array => {
    const hit = memo.get(groupId);
    if (hit) return hit;
    const g = groupsById.get(groupId);
    let count = 0;
    if (g) {
      epoch++;
      const take = (ids: readonly string[]) => {
        const find = lookupFor(ids);
        for (let k = 0; k < ids.length; k++) {
          const p = find(ids[k]!);
          if (p !== undefined && stamp[p] !== epoch) {
            stamp[p] = epoch;
            scratch[count++] = p;
          }
        }
      };
      if (nesting === 'direct') take(g.memberUserIds);
      else {
        // Iterative DFS with a visited set: a cycle (A in B in A) ends the walk instead of looping.
        const visited = new Set<string>([groupId]);
        const stack = [g];
        while (stack.length) {
          const cur = stack.pop()!;
          take(cur.memberUserIds);
          for (const child of cur.memberGroupIds) {
            if (visited.has(child)) continue;
            visited.add(child);
            const cg = groupsById.get(child);
            if (cg) stack.push(cg);
          }
        }
      }
    }
    const arr = scratch.slice(0, count);
    memo.set(groupId, arr);
    return arr;
  };

  const assigned = new Uint8Array(n);
  for (const id of snapshot.assignments.userIds) {
    const p = positionOf(id);
    if (p !== undefined) assigned[p] = 1;
  }
  // Each person's assigned groups, in id order. People hold a handful of distinct combinations
  // (their department's group and the anthropic- ones, mostly), so the lists are interned: person
  // p's is `assignedLists[assignedListOf[p]]`, grown along memoised (list, group) -> list steps, and everyone
  // with the same groups shares one read-only array instead of 100k arrays being made.
  const assignedGroupsOf: (readonly string[] | undefined)[] = new Array(n);
  const assignedGroupIds = sortedUnique(snapshot.assignments.groupIds);
  const assignedListOf = new Int32Array(n);
  const assignedLists: string[][] = [[]];
  const nextAssignedList = new Map<number, number>();
  for (let g = 0; g < assignedGroupIds.length; g++) {
    const gid = assignedGroupIds[g]!;
    const members = memberPositions(gid);
    for (let k = 0; k < members.length; k++) {
      const p = members[k]!;
      assigned[p]! |= 2;
      const from = assignedListOf[p]!;
      const key = from * assignedGroupIds.length + g;
      let to = nextAssignedList.get(key);
      if (to === undefined) {
        to = assignedLists.length;
        assignedLists.push([...assignedLists[from]!, gid]);
        nextAssignedList.set(key, to);
      }
      assignedListOf[p] = to;
    }
  }
  for (let p = 0; p < n; p++) if (assignedListOf[p] !== 0) assignedGroupsOf[p] = assignedLists[assignedListOf[p]!];

  const nestedOnly: (string[] | undefined)[] = new Array(n);
  const nestedNotAssigned = new Map<string, string[]>();
  if (nesting === 'direct') {
    for (const gid of assignedGroupIds) {
      const root = groupsById.get(gid);
      if (!root || root.memberGroupIds.length === 0) continue;
      const visited = new Set<string>([gid]);
      const stack: string[] = [];
      for (const c of root.memberGroupIds) if (!visited.has(c)) visited.add(c), stack.push(c);
      epoch++;
      while (stack.length) {
        const cur = groupsById.get(stack.pop()!);
        if (!cur) continue;
        const find = lookupFor(cur.memberUserIds);
        for (const uid of cur.memberUserIds) {
          const p = find(uid);
          if (p === undefined || assigned[p] !== 0 || stamp[p] === epoch) continue;
          stamp[p] = epoch;
          const list = nestedOnly[p];
          if (list) list.push(gid);
          else nestedOnly[p] = [gid];
        }
        for (const child of cur.memberGroupIds) if (!visited.has(child)) visited.add(child), stack.push(child);
      }
    }
    for (let p = 0; p < n; p++) if (nestedOnly[p]) nestedNotAssigned.set(users[p]!.id, nestedOnly[p]!);
  }

  const cycles = findGroupCycles(snapshot.groups);

  // Addresses -> positions (`lookupEmail`): one list of every (address, position) pair a person is
  // known by, sorted by address then position, searched instead of hashed. Positions are sorted by
  // each person's first address (`keys`: the SAML email, else user.email) already; the others (a
  // SCIM email or user.email that differs, logins, aliases: a few percent) are sorted and merged in.
  const hasAddress = (p: number) => saml[p] !== null || emails[p] !== null; // else keys[p] is '\uffff'
  const firstKeyAtLeast = fingerSearch(keys);
  const addressList = lazy(() => {
    // The addresses other than a person's first (`keys[p]`): a SCIM email or user.email that
    // differs, logins, aliases (a few percent of people), sorted, then merged into `keys` order.
    const others: { address: string; p: number }[] = [];
    const add = (address: string | null, p: number) => {
      if (address && address !== keys[p]) others.push({ address, p });
    };
    for (let p = 0; p < n; p++) {
      if (scim[p] !== saml[p]) add(scim[p]!, p);
      if (emails[p] !== saml[p] && emails[p] !== scim[p]) add(emails[p]!, p);
    }
    for (let k = 0; k < extraAddresses.length; k++) add(norm(extraAddresses[k]!), positionOfSlot[extraSlots[k]!]!);
    sortByKey(
      others,
      (o) => o.address,
      (a, b) => a.p - b.p,
    );
    const addresses: string[] = [];
    const positions: number[] = [];
    /** Entries that are the person's SAML email (their first address, when they have one). */
    const samlEntries: number[] = [];
    // People's first addresses from `from` up to (not including) `to`, in order.
    const takeKeys = (from: number, to: number) => {
      for (let p = from; p < to; p++) {
        if (!hasAddress(p)) continue;
        if (saml[p] !== null) samlEntries.push(addresses.length);
        addresses.push(keys[p]!);
        positions.push(p);
      }
    };
    // Each other address goes before the first person whose first address sorts after it (or is
    // the same, with a later position): found by a search of `keys`, not a comparison per person.
    const keyAtLeast = fingerSearch(keys);
    let taken = 0;
    for (let o = 0; o < others.length; o++) {
      const x = others[o]!;
      let at = Math.max(keyAtLeast(x.address), taken);
      while (at < n && keys[at] === x.address && at < x.p) at++;
      takeKeys(taken, at);
      taken = at;
      // The same address twice for one person (a login that is also an alias): once.
      if (addresses[addresses.length - 1] !== x.address || positions[positions.length - 1] !== x.p) {
        addresses.push(x.address);
        positions.push(x.p);
      }
    }
    takeKeys(taken, n);
    const isSaml = new Uint8Array(addresses.length);
    for (let k = 0; k < samlEntries.length; k++) isSaml[samlEntries[k]!] = 1;
    return { addresses, positions, isSaml, first: fingerSearch(addresses) };
  });
  /** The positions whose first address is `address`: [start, end). */
  const firstAddressRange = (address: string): [number, number] => {
    const start = firstKeyAtLeast(address);
    let end = start;
    while (end < n && keys[end] === address) end++;
    return [start, end];
  };
  const positionsOfAddress = (address: string): readonly number[] => {
    const list = addressList();
    const found: number[] = [];
    for (let i = list.first(address); i < list.addresses.length && list.addresses[i] === address; i++)
      found.push(list.positions[i]!);
    return found;
  };
  const lookupPositions = (email: string): readonly number[] => {
    const addr = norm(email);
    return addr ? positionsOfAddress(addr) : EMPTY_POSITIONS;
  };
  const usersById = lazy(() => new Map(users.map((u) => [u.id, u])));
  const samlMap = lazy(() => new Map(users.map((u, i) => [u.id, saml[i]!])));
  const scimMap = lazy(() => (sameSources ? samlMap() : new Map(users.map((u, i) => [u.id, scim[i]!]))));
  const assignedSet = lazy(() => new Set(users.filter((_, i) => assigned[i] !== 0).map((u) => u.id)));
  const directSet = lazy(() => new Set(users.filter((_, i) => (assigned[i]! & 1) !== 0).map((u) => u.id)));
  const assignedGroupsMap = lazy(() => {
    const m = new Map<string, readonly string[]>();
    for (let i = 0; i < n; i++) if (assignedGroupsOf[i]) m.set(users[i]!.id, assignedGroupsOf[i]!);
    return m;
  });
  const effective = new Map<string, ReadonlySet<string>>();

  const index: DirectoryIndex = {
    snapshot,
    nesting,
    usersSorted: users,
    get usersById() {
      return usersById();
    },
    groupsById,
    get samlEmail() {
      return samlMap();
    },
    get scimEmail() {
      return scimMap();
    },
    get assignedUserIds() {
      return assignedSet();
    },
    get directlyAssignedUserIds() {
      return directSet();
    },
    get assignedViaGroups() {
      return assignedGroupsMap();
    },
    nestedNotAssigned,
    cycles,
    effectiveMembers(groupId) {
      let hit = effective.get(groupId);
      if (!hit) effective.set(groupId, (hit = new Set([...memberPositions(groupId)].map((p) => users[p]!.id))));
      return hit;
    },
    findGroups(name) {
      return byName.get(name) ?? byLowerName.get(name.trim().toLowerCase()) ?? [];
    },
    lookupEmail(email) {
      const ps = lookupPositions(email);
      return ps.length === 1 ? [users[ps[0]!]!.id] : ps.map((p) => users[p]!.id).sort(compareStrings);
    },
  };
  let inSamlEmailOrder = true;
  for (let p = 0; p < n && inSamlEmailOrder; p++) inSamlEmailOrder = saml[p] !== null || emails[p] === null;
  internals.set(index, {
    cache,
    users,
    ids,
    statuses,
    samlEmails: saml,
    scimEmails: scim,
    inactive: statuses.map(inactiveKind),
    assignedGroupsOf,
    nestedOnlyGroupsOf: nestedOnly,
    inSamlEmailOrder,
    positionOf,
    isAssigned: (p) => assigned[p] !== 0,
    isAssignedDirectly: (p) => (assigned[p]! & 1) !== 0,
    membersOf: memberPositions,
    usersKnownBy: positionsOfAddress,
    usersKnownByRaw: lookupPositions,
    firstAddressRange,
    addressList,
  });
  return index;
}

/**
 * Where the people known by each of a list of addresses are: those of `addresses[i]` are
 * `positions[start[i] .. end[i])` (what `positionsOfAddress(addresses[i])` returns, without making
 * an array per address); a null address has none. For a member list's addresses
 * (`memberAddresses`), looked up once for `audit` and `plan`: memoised per (index, addresses
 * array), and member lists in address order are looked up in one forward pass.
 */
export interface AddressRanges {
  positions: readonly number[];
  start: Int32Array;
  end: Int32Array;
  /**
   * Aligned with `positions`, for orgs that know people by their SAML email (SAML / JIT modes,
   * or SCIM sending the same source): 1 where the address is that person's email in the org
   * (`UserAccess.email`), 0 where it is another address of theirs. Null for SCIM with another
   * source: compare the emails then.
   */
  knownByExactly(mode: ProvisioningMode): Uint8Array | null;
}

export function addressRanges(index: DirectoryIndex, addresses: readonly (string | null)[]): AddressRanges {
  const people = peopleOf(index);
  let perList = people.cache.ranges.get(index);
  if (!perList) people.cache.ranges.set(index, (perList = new WeakMap()));
  const hit = perList.get(addresses);
  if (hit) return hit;
  const list = people.addressList();
  const start = new Int32Array(addresses.length);
  const end = new Int32Array(addresses.length);
  const known = list.addresses;
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i];
    if (!address) continue;
    const s = list.first(address);
    let e = s;
    while (e < known.length && known[e] === address) e++;
    start[i] = s;
    end[i] = e;
  }
  const made = {
    positions: list.positions,
    start,
    end,
    knownByExactly: (mode: ProvisioningMode) =>
      mode !== 'scim' || people.scimEmails === people.samlEmails ? list.isSaml : null,
  };
  perList.set(addresses, made);
  return made;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Nested-group cycles (NESTED_GROUP_CYCLE): strongly connected components of the "is a member of"
 * graph with more than one group, or a group containing itself. Tarjan's algorithm, iterative, so
 * linear in groups + nestings and never recursing deeply or looping.
 */
export function findGroupCycles(groups: readonly Pick<SnapshotGroup, 'id' | 'memberGroupIds'>[]): string[][] {
  const adj = new Map<string, readonly string[]>();
  for (const g of groups) if (!adj.has(g.id)) adj.set(g.id, g.memberGroupIds);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const ids = [...adj.keys()].sort(compareStrings);
  for (const start of ids) {
    if (index.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const children = (adj.get(frame.id) ?? []).filter((c) => adj.has(c));
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const comp: string[] = [];
        let x: string;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          comp.push(x);
        } while (x !== frame.id);
        const selfLoop = comp.length === 1 && (adj.get(frame.id) ?? []).includes(frame.id);
        if (comp.length > 1 || selfLoop) out.push(comp.sort(compareStrings));
      }
    }
  }
  return out.sort((a, b) => compareStrings(a[0]!, b[0]!));
}

// ---------------------------------------------------------------------------------------------
// Mapped groups

export interface MappedGroupRef {
  /** 'role' for role mappings (R-G1), 'seatTier' for seat-tier mappings (R-G2). */
  kind: 'role' | 'seatTier';
  /** The role or seat tier the group maps to (lower-case). */
  target: string;
  /** The group name as written in the config (or, for an implicit mapping, as the IdP has it). */
  name: string;
  /** IdP groups with that name (exact, else case-insensitive), sorted; empty when missing (MAPPED_GROUP_MISSING). */
  groupIds: readonly string[];
  /**
   * True for a pre-defined group (`anthropic-claudeai-<org8>-<role>`, R-G4) found in the IdP but
   * not listed in the config: seed 001 says users in the default groups "will be automatically
   * provisioned with those roles", so it counts as mapped to its role.
   */
  implicit?: boolean;
}

export interface MappedGroupOptions {
  /** Count pre-defined groups found in the IdP as mapped to their role (seed 001). Default true. */
  predefinedGroups?: boolean;
}

/**
 * The org's mapped groups resolved against the IdP by name, sorted (kind, target rank, name, implicit
 * last). Includes the pre-defined groups of this org present in the IdP (R-G4, see
 * {@link MappedGroupRef.implicit}). Empty when the org has no `groupMappings` block.
 */
export function resolveMappedGroups(
  index: DirectoryIndex,
  org: Organization,
  catalogue: RoleCatalogue = roleCatalogue(),
  options: MappedGroupOptions = {},
): MappedGroupRef[] {
  const gm = org.provisioning.groupMappings;
  if (!gm) return [];
  const out: MappedGroupRef[] = [];
  const explicit = new Set<string>();
  for (const [role, names] of Object.entries(gm.roles)) {
    for (const name of names) {
      const groupIds = index.findGroups(name).map((g) => g.id);
      for (const id of groupIds) explicit.add(id);
      out.push({ kind: 'role', target: role.toLowerCase(), name, groupIds });
    }
  }
  if (org.surface === 'claude') {
    for (const [tier, names] of Object.entries(gm.seatTiers ?? {})) {
      for (const name of names)
        out.push({
          kind: 'seatTier',
          target: tier.toLowerCase(),
          name,
          groupIds: index.findGroups(name).map((g) => g.id),
        });
    }
  }
  if (options.predefinedGroups !== false) {
    const mine = org8(org.id);
    const implicit = new Map<string, { target: string; name: string; ids: string[] }>();
    for (const g of index.groupsById.values()) {
      if (explicit.has(g.id)) continue;
      const p = parsePredefinedGroupName(g.name);
      // Only the default role groups; `anthropic-claudeai-<org8>-engineering` is a custom group (seed 001: custom groups need an explicit mapping).
      if (!p || p.org8 !== mine || p.surface !== org.surface || !catalogue.isKnown(org.surface, p.role)) continue;
      const key = `${p.role}\u0000${g.name}`;
      const cur = implicit.get(key);
      if (cur) cur.ids.push(g.id);
      else implicit.set(key, { target: p.role, name: g.name, ids: [g.id] });
    }
    for (const x of implicit.values())
      out.push({ kind: 'role', target: x.target, name: x.name, groupIds: x.ids.sort(compareStrings), implicit: true });
  }
  const tiers = seatTierOrder(org, catalogue);
  const tierRank = (t: string) => {
    const i = tiers.indexOf(t);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return out.sort(
    (a, b) =>
      compareStrings(a.kind, b.kind) ||
      (a.kind === 'role'
        ? catalogue.rank(org.surface, a.target) - catalogue.rank(org.surface, b.target)
        : tierRank(a.target) - tierRank(b.target)) ||
      compareStrings(a.target, b.target) ||
      Number(a.implicit ?? false) - Number(b.implicit ?? false) ||
      compareStrings(a.name, b.name),
  );
}

// ---------------------------------------------------------------------------------------------
// Per-user results: the facts of each person, their `decideAccess` decision and their seat

export interface UserAccess {
  readonly userId: string;
  /** The normalised email the vendor knows this person by in this org: SCIM's in SCIM mode, else SAML's. */
  readonly email: string | null;
  readonly status: UserStatus;
  readonly inactive: InactiveKind | null;
  /** On the app: directly or through an assigned group under the IdP's nesting (R-V3). */
  readonly assigned: boolean;
  readonly assignedDirectly: boolean;
  /** The assigned groups that give this person the app, sorted by id. */
  readonly assignedViaGroupIds: readonly string[];
  /** Entra-style `direct` nesting: assigned groups this person reaches only through a nested group (and so is not assigned by). */
  readonly nestedOnlyGroupIds: readonly string[];
  /** Member (under nesting) of at least one of this org's mapped groups, role or seat tier — whether mappings are on or not. */
  readonly inMappedGroup: boolean;
  /** All of this org's mapped groups the person is in, sorted by id. */
  readonly mappedGroupIds: readonly string[];
  /** What `decideAccess` decided for them (shared by everyone with the same facts). */
  readonly decision: Decision;
  /** `decision.entitled`: the IdP grants this person this org now. */
  readonly entitled: boolean;
  readonly reason: AccessReason;
  /** `decision.role`: the highest mapped role (R-G1), `user` (R-V3), `primary_owner` (R-A5), or null (Manual, not entitled). */
  readonly role: string | null;
  readonly roleSource: Decision['roleSource'];
  /** The mapped groups that gave the winning role, sorted by id (R-G1). */
  readonly roleGroupIds: readonly string[];
  /** claude.ai only: the seat tier (R-G2, R-A4): the mapped one, else the one `allocateSeats` gave. Console: null. */
  readonly seatTier: string | null;
  /** `mapping`: from a seat-tier group; `fallback`: the tier `allocateSeats` picked (R-G2 / R-A4). */
  readonly seatTierSource: 'mapping' | 'fallback' | null;
  readonly seatTierGroupIds: readonly string[];
  /** False when no seat is left for this person (R-V5: nobody is provisioned past the seats bought). */
  readonly withinSeats: boolean;
}

export interface OrgAccess {
  readonly orgId: string;
  readonly surface: Surface;
  readonly mode: ProvisioningMode;
  /** Mappings are in effect: enabled, and the mode is JIT or SCIM (Manual has no group mappings). */
  readonly mappingsEnabled: boolean;
  readonly mappedGroups: readonly MappedGroupRef[];
  /** One result per snapshot user, sorted by email (nulls last), then user id. */
  readonly users: readonly UserAccess[];
  /** The index position (`DirectoryIndex.positionOf`) of each of `users`. */
  readonly positions: readonly number[];
  readonly byUserId: ReadonlyMap<string, UserAccess>;
  /** Results by normalised email (the org's identity email); several when the IdP has duplicates. */
  readonly byEmail: ReadonlyMap<string, readonly UserAccess[]>;
  /** The result for the user at an index position (`DirectoryIndex.positionOf`). */
  atPosition(position: number): UserAccess | undefined;
  /** claude.ai only; one row per tier in tier order. Empty for Console. */
  readonly seats: readonly SeatUsage[];
  /** Entitled people the fallback could not seat (no tier has room). */
  readonly unseated: number;
}

export interface ResolveOptions extends MappedGroupOptions {
  /**
   * Current members of the org: they already hold their seats, so they are seated first (R-V5),
   * then everybody else in email order; a member with role `primary_owner` is the Primary Owner (R-A5).
   */
  currentMembers?: readonly Pick<Member, 'email' | 'orgId' | 'role'>[];
  catalogue?: RoleCatalogue;
}

/**
 * Resolves access for every person in the snapshot for one org: gathers each person's facts
 * (assigned, status, email, mapped groups held), asks `decideAccess` (rules/access/decide.ts: the
 * policy, R-A5, R-V3, R-G3, R-G1, R-G2) and seats them with `allocateSeats` (R-V5, R-G2, R-A4).
 * Linear: one pass over the users plus one pass over the effective members of this org's mapped
 * groups. People hold a handful of distinct sets of mapped groups, so `decideAccess` runs once per
 * distinct (set, other facts), not once per person.
 */
export function resolveOrgAccess(
  index: DirectoryIndex,
  config: Pick<OrgConfig, 'organizations' | 'roles' | 'seatTiers'>,
  org: Organization | string,
  options: ResolveOptions = {},
): OrgAccess {
  const o = typeof org === 'string' ? config.organizations.find((x) => x.id === org) : org;
  if (!o) throw new RangeError(`resolveOrgAccess: no organization with id ${JSON.stringify(org)} in the config`);
  const catalogue = options.catalogue ?? roleCatalogue(config);
  const mode = o.provisioning.mode;
  const gm = o.provisioning.groupMappings;
  const mappingsEnabled = mode !== 'manual' && gm?.enabled === true;

  const people = peopleOf(index);

  // Current members matter for seating (only when seats are counted: claude.ai with `seats` given;
  // with unlimited seats the order people are seated in changes nothing) and for the Primary
  // Owner (R-A5). They are marked by position: see `memberMarks`.
  const marks = memberMarks(index, people, o, mode, options.currentMembers ?? []);
  // Results are kept in the index's cache per (org object, role catalogue, options) and, within
  // that, per marking of current members: `audit` and `plan` given one cache resolve each org once.
  let perOrg = people.cache.access.get(index);
  if (!perOrg) people.cache.access.set(index, (perOrg = new WeakMap()));
  let perKey = perOrg.get(o);
  if (!perKey) perOrg.set(o, (perKey = new Map()));
  const key = memoKey(catalogue, options);
  let results = perKey.get(key);
  if (!results) perKey.set(key, (results = []));
  // The result depends on the current members only through these marks: they are the memo key.
  const hit = results.find((r) => sameBytes(r.marks, marks));
  if (hit) return hit.access;
  const access = resolveUncached(index, o, catalogue, mode, mappingsEnabled, marks, options);
  results.push({ marks, access });
  return access;
}

/** `memberMarks` bits: a current member of the org (seated first). */
const CURRENT = 1;
/** `memberMarks` bits: the org's Primary Owner (R-A5). */
const PRIMARY = 2;

/**
 * Per position: `CURRENT` when the person's email in this org is a current member's (only worked
 * out when seats are counted), `PRIMARY` when that member is the Primary Owner. Memoised per
 * (index, org, list object) while the list has the same addresses, org ids and roles: `audit`
 * and `plan` pass the same per-org array (see `membersByOrg`).
 */
function memberMarks(
  index: DirectoryIndex,
  people: PeopleIndex,
  o: Organization,
  mode: ProvisioningMode,
  members: readonly Pick<Member, 'email' | 'orgId' | 'role'>[],
): Uint8Array {
  const seatsCounted = o.surface === 'claude' && o.seats !== undefined;
  const addresses = memberAddresses(members, people.cache);
  let perOrg = people.cache.marks.get(index);
  if (!perOrg) people.cache.marks.set(index, (perOrg = new WeakMap()));
  let perList = perOrg.get(o);
  if (!perList) perOrg.set(o, (perList = new WeakMap()));
  const hit = perList.get(members);
  if (
    hit &&
    hit.addresses === addresses &&
    hit.mode === mode &&
    hit.seatsCounted === seatsCounted &&
    hit.orgIds.length === members.length &&
    hit.orgIds.every((id, i) => members[i]!.orgId === id && members[i]!.role === hit.roles[i])
  )
    return hit.marks;

  const marks = new Uint8Array(people.users.length);
  const emailOf = mode === 'scim' ? people.scimEmails : people.samlEmails;
  const mark = (address: string, bits: number) => {
    if (emailOf === people.samlEmails) {
      // The index is sorted by SAML email: the people with this one are a range of it.
      const [start, end] = people.firstAddressRange(address);
      for (let p = start; p < end; p++) if (emailOf[p] === address) marks[p]! |= bits;
    } else {
      const positions = people.usersKnownBy(address);
      for (let k = 0; k < positions.length; k++) if (emailOf[positions[k]!] === address) marks[positions[k]!]! |= bits;
    }
  };
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.orgId !== undefined && m.orgId !== o.id) continue;
    // (A role shorter than 'primary_owner' cannot be it: 100k rows of 'user' skip the lower-casing.)
    const primary =
      o.surface === 'claude' &&
      m.role !== undefined &&
      m.role.length >= PRIMARY_OWNER.length &&
      m.role.trim().toLowerCase() === PRIMARY_OWNER;
    if (!seatsCounted && !primary) continue;
    const address = addresses[i];
    if (address) mark(address, (seatsCounted ? CURRENT : 0) | (primary ? PRIMARY : 0));
  }
  perList.set(members, {
    addresses,
    mode,
    seatsCounted,
    orgIds: members.map((m) => m.orgId),
    roles: members.map((m) => m.role),
    marks,
  });
  return marks;
}

function memoKey(catalogue: RoleCatalogue, options: ResolveOptions): string {
  return [
    catalogue.roles('claude').join(','),
    catalogue.roles('console').join(','),
    ...SEAT_PLANS.map((p) => catalogue.seatTiers(p).join(',')),
    options.predefinedGroups === false ? 'np' : 'p',
  ].join('|');
}

const SEAT_PLANS = ['team', 'enterprise-usage', 'enterprise-legacy', 'enterprise-legacy-chat'] as const;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const INACTIVE_CODE: Record<InactiveKind, number> = { temporary: 1, pending: 2, permanent: 3 };

function resolveUncached(
  index: DirectoryIndex,
  o: Organization,
  catalogue: RoleCatalogue,
  mode: ProvisioningMode,
  mappingsEnabled: boolean,
  marks: Uint8Array,
  options: ResolveOptions,
): OrgAccess {
  const mappedGroups = resolveMappedGroups(index, o, catalogue, options);
  const tiers = seatTierOrder(o, catalogue);
  const rules: OrgRules = {
    surface: o.surface,
    mode,
    mappingsEnabled,
    roleRank: (r) => catalogue.rank(o.surface, r),
    seatTiers: tiers,
  };

  // The (group, role|tier) mappings of this org, each once.
  const mappings: { kind: MappedGroupRef['kind']; held: HeldMapping }[] = [];
  const seenMapping = new Set<string>();
  for (const ref of mappedGroups) {
    for (const groupId of ref.groupIds) {
      const key = `${ref.kind}\u0000${ref.target}\u0000${groupId}`;
      if (seenMapping.has(key)) continue;
      seenMapping.add(key);
      mappings.push({ kind: ref.kind, held: { target: ref.target, groupId } });
    }
  }
  const people = peopleOf(index);
  const n = people.users.length;

  // One pass over the members of the mapped groups. What a person holds is a set of mappings, and
  // 100k people hold only a handful of distinct sets (one role group and one tier group, mostly),
  // so sets are interned: `heldSetOf[p]` is the id of person p's set (0: none). Mappings are added
  // in increasing order, so each set grows along a path of (set, mapping) -> set, remembered in
  // `nextSet` (a few hundred entries: sets are few).
  const heldSetOf = new Int32Array(n);
  const heldSets: number[][] = [[]];
  const nextSet: number[] = [];
  for (let e = 0; e < mappings.length; e++) {
    const members = people.membersOf(mappings[e]!.held.groupId);
    for (let k = 0; k < members.length; k++) {
      const p = members[k]!;
      const from = heldSetOf[p]!;
      const at = from * mappings.length + e;
      let to = nextSet[at];
      if (to === undefined) {
        to = heldSets.length;
        heldSets.push([...heldSets[from]!, e]);
        nextSet[at] = to;
      }
      heldSetOf[p] = to;
    }
  }

  // `decideAccess` once per distinct facts: (held set, assigned, inactive kind, has an email,
  // Primary Owner). Everyone with the same facts shares one frozen decision.
  const decisions: (Decision | undefined)[] = [];
  const decisionFor = (
    set: number,
    assigned: boolean,
    inactive: InactiveKind | null,
    hasEmail: boolean,
    primaryOwner: boolean,
  ): Decision => {
    const key =
      set * 32 +
      (assigned ? 1 : 0) +
      (inactive ? INACTIVE_CODE[inactive] * 2 : 0) +
      (hasEmail ? 8 : 0) +
      (primaryOwner ? 16 : 0);
    let d = decisions[key];
    if (!d) {
      const held = heldSets[set]!.map((e) => mappings[e]!);
      const facts: AccessFacts = {
        assigned,
        inactive,
        hasEmail,
        roleGroups: held.filter((m) => m.kind === 'role').map((m) => m.held),
        seatTierGroups: held.filter((m) => m.kind === 'seatTier').map((m) => m.held),
        primaryOwner,
      };
      decisions[key] = d = decideAccess(facts, rules);
    }
    return d;
  };

  const emailOf = mode === 'scim' ? people.scimEmails : people.samlEmails;
  const decided: Decision[] = new Array(n);
  for (let p = 0; p < n; p++)
    decided[p] = decisionFor(
      heldSetOf[p]!,
      people.isAssigned(p),
      people.inactive[p]!,
      emailOf[p] != null,
      (marks[p]! & PRIMARY) !== 0,
    );

  // Results by email (nulls last), then id. Positions are in SAML-email order already: exactly
  // (see `inSamlEmailOrder`, no sort then), or nearly, which the sort finds in one pass; SCIM mode with
  // another source sorts by the SCIM email.
  const order = range(n);
  const inIndexOrder = emailOf === people.samlEmails && people.inSamlEmailOrder;
  if (!inIndexOrder)
    order.sort(
      (a, b) =>
        compareStrings(emailOf[a] ?? '\uffff', emailOf[b] ?? '\uffff') ||
        compareStrings(people.ids[a]!, people.ids[b]!),
    );

  // Seats (R-V5, R-G2, R-A4), claude.ai only, for the entitled people, in email order.
  const seatOf: (string | null)[] = new Array(n).fill(null);
  const seated = new Uint8Array(n).fill(1);
  let seats: readonly SeatUsage[] = EMPTY_USAGE;
  let unseated = 0;
  if (o.surface === 'claude') {
    const asking: number[] = [];
    const requests: SeatRequest[] = [];
    for (let k = 0; k < n; k++) {
      const p = order[k]!;
      const d = decided[p]!;
      if (!d.entitled || !d.needsSeat) continue;
      asking.push(p);
      requests.push({ mappedTier: d.mappedSeatTier, current: (marks[p]! & CURRENT) !== 0 });
    }
    const allocation = allocateSeats(requests, {
      tiers,
      bought: o.seats ?? null,
      fallback: mode === 'manual' ? 'lowest' : 'highest',
    });
    for (let k = 0; k < asking.length; k++) {
      const p = asking[k]!;
      const t = allocation.tiers[k]!;
      seatOf[p] = t ?? requests[k]!.mappedTier;
      if (t === null) seated[p] = 0;
    }
    seats = allocation.usage;
    unseated = allocation.unseated;
  }

  const byPosition: UserAccess[] = new Array(n);
  for (let p = 0; p < n; p++) {
    const d = decided[p]!;
    byPosition[p] = {
      userId: people.ids[p]!,
      email: emailOf[p] ?? null,
      status: people.statuses[p]!,
      inactive: people.inactive[p]!,
      assigned: people.isAssigned(p),
      assignedDirectly: people.isAssignedDirectly(p),
      assignedViaGroupIds: people.assignedGroupsOf[p] ?? EMPTY,
      nestedOnlyGroupIds: people.nestedOnlyGroupsOf[p] ?? EMPTY,
      inMappedGroup: heldSetOf[p] !== 0,
      mappedGroupIds: d.mappedGroupIds,
      decision: d,
      entitled: d.entitled,
      reason: d.reason,
      role: d.role,
      roleSource: d.roleSource,
      roleGroupIds: d.roleGroupIds,
      seatTier: seatOf[p]!,
      seatTierSource: !d.needsSeat ? null : d.mappedSeatTier !== null ? 'mapping' : 'fallback',
      seatTierGroupIds: d.seatTierGroupIds,
      withinSeats: seated[p] === 1,
    };
  }
  // In index order, the results by position are the results in order: one array serves both.
  const users = inIndexOrder ? byPosition : order.map((p) => byPosition[p]!);

  let byUserId: Map<string, UserAccess> | undefined;
  let byEmail: Map<string, UserAccess[]> | undefined;

  return {
    orgId: o.id,
    surface: o.surface,
    mode,
    mappingsEnabled,
    mappedGroups,
    users,
    positions: order,
    // Both maps are built on first use: most callers only walk `users`.
    get byUserId(): ReadonlyMap<string, UserAccess> {
      if (!byUserId) {
        byUserId = new Map();
        for (const x of users) byUserId.set(x.userId, x);
      }
      return byUserId;
    },
    get byEmail(): ReadonlyMap<string, readonly UserAccess[]> {
      if (!byEmail) {
        byEmail = new Map();
        for (const x of users) if (x.email) push(byEmail, x.email, x);
      }
      return byEmail;
    },
    atPosition: (p) => byPosition[p],
    seats,
    unseated,
  };
}

const EMPTY_USAGE: readonly SeatUsage[] = Object.freeze([]);

/**
 * A claude.ai org's seat tiers, highest first (R-A4): those of its seat plan (`seatPlanOf`, the
 * catalogue's, overridable with `OrgConfig.seatTiers`), then any other tier the org names in
 * `seats` or seat-tier mappings, alphabetically. The one ranking of tiers every rule uses.
 */
export function seatTierOrder(org: Organization, catalogue: RoleCatalogue = roleCatalogue()): string[] {
  const known = [...catalogue.seatTiers(seatPlanOf(org))];
  const extra = new Set<string>();
  for (const t of Object.keys(org.provisioning.groupMappings?.seatTiers ?? {})) extra.add(t.toLowerCase());
  for (const t of Object.keys(org.seats ?? {})) extra.add(t.toLowerCase());
  for (const t of known) extra.delete(t);
  extra.delete(UNASSIGNED_SEAT);
  return [...known, ...[...extra].sort(compareStrings)];
}

/**
 * Convenience for one person (R-G1/R-G3/R-V3): resolves the org and picks the person by IdP id or
 * by any address they are known by. Use `resolveOrgAccess` for many people.
 */
export function resolveUserAccess(
  index: DirectoryIndex,
  config: Pick<OrgConfig, 'organizations' | 'roles' | 'seatTiers'>,
  org: Organization | string,
  who: { userId?: string; email?: string },
): UserAccess | null {
  const access = resolveOrgAccess(index, config, org);
  if (who.userId) return access.byUserId.get(who.userId) ?? null;
  if (who.email) {
    const ids = index.lookupEmail(who.email);
    for (const id of ids) {
      const r = access.byUserId.get(id);
      if (r) return r;
    }
  }
  return null;
}
