import type { ProvisioningMode, Surface } from '../../schemas/config';
import type { UserStatus } from '../../schemas/snapshot';
import { DEFAULT_ROLE, PRIMARY_OWNER } from '../../model/roles';

/**
 * Who gets access to one Claude org, with which role and seat tier, and why. Start here.
 *
 * `decideAccess` is the whole policy for one person, one branch per rule, in the order the
 * vendor applies them; `allocateSeats` hands out the seats bought (R-V5, R-G2, R-A4). Everything
 * else in `rules/access/` only gathers the facts these two read (who is assigned, who is in which
 * mapped group) fast enough for 100k people, and `decideMemberChange` (member-change.ts) turns a
 * decision into the one change a plan makes for a current member. `audit`, `plan`, `explain` and
 * `preflight` all read these decisions, so they cannot disagree.
 *
 * Pure: no I/O, no clock, no state.
 */

/**
 * Why a person is or is not entitled, the first failing condition in this order:
 * `not-assigned` (not on the app, R-V3) → `inactive` (IdP status not active) → `no-mapped-group`
 * (mappings on and in no mapped group, R-G3) → `no-email` (no address to create or match an
 * account with) → `entitled`. `primary-owner`: the org's Primary Owner, kept whatever the IdP
 * says (R-A5).
 */
export type AccessReason = 'entitled' | 'primary-owner' | 'not-assigned' | 'inactive' | 'no-mapped-group' | 'no-email';

/**
 * What a non-active IdP status means (decision; the seeds only speak of "assigned" people):
 * none of them can log in or be provisioned, so none is entitled.
 * - `temporary`: `suspended`, `locked` — the person still exists and comes back when reactivated;
 *   SCIM IdPs usually deactivate (not delete) them.
 * - `pending`: `staged` — created in the IdP but never activated; cannot log in yet.
 * - `permanent`: `deprovisioned` — deactivated in the IdP; SCIM removes them.
 */
export type InactiveKind = 'temporary' | 'pending' | 'permanent';

export function inactiveKind(status: UserStatus): InactiveKind | null {
  switch (status) {
    case 'active':
      return null;
    case 'suspended':
    case 'locked':
      return 'temporary';
    case 'staged':
      return 'pending';
    case 'deprovisioned':
      return 'permanent';
  }
}

/** One mapped group a person is in: the role or seat tier it maps to (lower-case) and the IdP group id. */
export interface HeldMapping {
  readonly target: string;
  readonly groupId: string;
}

/** What the IdP and the Claude org say about one person: the inputs of {@link decideAccess}. */
export interface AccessFacts {
  /** On the app, directly or through an assigned group under the IdP's nesting (R-V3). */
  readonly assigned: boolean;
  /** The IdP status, read as {@link inactiveKind}; null when active. */
  readonly inactive: InactiveKind | null;
  /** The IdP sends an email address for them in the field this org's mode reads (R-S4, R-S5). */
  readonly hasEmail: boolean;
  /** The role-mapped groups they are in (under nesting), any order, duplicates allowed. */
  readonly roleGroups: readonly HeldMapping[];
  /** The seat-tier-mapped groups they are in (claude.ai only). */
  readonly seatTierGroups: readonly HeldMapping[];
  /** They are this org's Primary Owner (member role `primary_owner`, R-A5). */
  readonly primaryOwner: boolean;
}

/** The org-level inputs of {@link decideAccess}. */
export interface OrgRules {
  readonly surface: Surface;
  readonly mode: ProvisioningMode;
  /** Group mappings are enabled and the mode is JIT or SCIM (Manual has no group mappings). */
  readonly mappingsEnabled: boolean;
  /** The role catalogue's rank: 0 is the highest; unknown roles rank below every known one. */
  readonly roleRank: (role: string) => number;
  /** The org's seat tiers, highest first (R-A4, see `seatTierOrder`). */
  readonly seatTiers: readonly string[];
}

/** How a person gets their seat tier (claude.ai only; see {@link allocateSeats}). */
export type SeatTierSource = 'mapping' | 'fallback' | 'kept';

/** What {@link decideAccess} decides for one person (before seats are counted). */
export interface Decision {
  /** The IdP grants this person the org: they can log in (Manual / JIT) or would be provisioned (SCIM). */
  readonly entitled: boolean;
  readonly reason: AccessReason;
  /** The rule that decided it (R-V3, R-G3, R-S4, R-G1, R-A5). */
  readonly rule: string;
  /**
   * The role the IdP decides: the highest mapped role with mappings on (R-G1), `user` at creation
   * without them under JIT/SCIM (R-V3), the Primary Owner's own role (R-A5); null in Manual mode
   * or when not entitled.
   */
  readonly role: string | null;
  readonly roleSource: 'mapping' | 'default' | 'kept' | null;
  /** The mapped groups that gave the winning role, sorted by id. */
  readonly roleGroupIds: readonly string[];
  /**
   * The seat tier a seat-tier group maps them to (R-G2), or null when they wait for
   * {@link allocateSeats} (no tier group: the fallback) or get no seat (Console, not entitled).
   */
  readonly mappedSeatTier: string | null;
  readonly seatTierGroupIds: readonly string[];
  /** Whether they need a seat at all: entitled claude.ai people the org provisions or invites. */
  readonly needsSeat: boolean;
  /** All of this org's mapped groups they are in, sorted by id. */
  readonly mappedGroupIds: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The access policy for one person in one org. Each branch names its rule; the first that
 * applies decides.
 */
export function decideAccess(facts: AccessFacts, org: OrgRules): Decision {
  const inMappedGroup = facts.roleGroups.length > 0 || facts.seatTierGroups.length > 0;
  const mappedGroupIds = inMappedGroup ? sortedIds([...facts.roleGroups, ...facts.seatTierGroups]) : NONE;
  const refused = (reason: AccessReason, rule: string): Decision =>
    Object.freeze({
      entitled: false,
      reason,
      rule,
      role: null,
      roleSource: null,
      roleGroupIds: NONE,
      mappedSeatTier: null,
      seatTierGroupIds: NONE,
      needsSeat: false,
      mappedGroupIds,
    });

  // R-A5: the Primary Owner is exempt from SCIM reconciliation and cannot be assigned through group
  // mappings: they keep their access and role whatever the app assignment and the mapped groups
  // say. (They are not exempt from SSO enforcement: REQUIRE_SSO_LOCKOUT still applies to them.)
  if (facts.primaryOwner) {
    return Object.freeze({
      entitled: true,
      reason: 'primary-owner',
      rule: 'R-A5',
      role: PRIMARY_OWNER,
      roleSource: 'kept',
      roleGroupIds: NONE,
      mappedSeatTier: null,
      seatTierGroupIds: NONE,
      needsSeat: org.surface === 'claude',
      mappedGroupIds,
    });
  }
  // R-V3: only people assigned to the app (directly, or through an assigned group) get in.
  if (!facts.assigned) return refused('not-assigned', 'R-V3');
  // R-V3: a suspended, locked, staged or deactivated person cannot log in or be provisioned.
  if (facts.inactive !== null) return refused('inactive', 'R-V3');
  // R-G3: with mappings on, someone in no mapped group (role or seat tier) gets no access.
  // Owners / Admins included: the vendor's setup article says they "will be removed when SCIM
  // group mappings are enabled", its troubleshooting section that they are "downgraded to User".
  // This takes the first reading (removed: ACCESS_LOSS, a `deprovision`, the LAST_OWNER guard),
  // the one that needs the guard; an Owner in a mapped group without an Owner mapping gets the
  // second (R-G1 below: ROLE_DOWNGRADE, `changeRole`).
  if (org.mappingsEnabled && !inMappedGroup) return refused('no-mapped-group', 'R-G3');
  // R-S4: without an email the vendor has nothing to create or match an account with.
  if (!facts.hasEmail) return refused('no-email', 'R-S4');

  const needsSeat = org.surface === 'claude';
  // Manual: people are added, re-roled and removed by hand; the IdP decides no role (R-V3).
  if (org.mode === 'manual') {
    return Object.freeze({
      entitled: true,
      reason: 'entitled',
      rule: 'R-V3',
      role: null,
      roleSource: null,
      roleGroupIds: NONE,
      mappedSeatTier: null,
      seatTierGroupIds: NONE,
      needsSeat,
      mappedGroupIds,
    });
  }
  // R-G1: with mappings on, the highest-permissioned role among the mapped groups they are in;
  // R-V3: without them (or in a seat-tier group only), JIT/SCIM create people as `user`.
  const role = org.mappingsEnabled ? highestMapped(facts.roleGroups, org.roleRank) : null;
  // R-G2: with mappings on, the highest tier among their seat-tier groups; none: the fallback
  // tier `allocateSeats` picks (the highest one still free).
  const tierRank = (t: string) => rankIn(org.seatTiers, t);
  const tier = org.mappingsEnabled && needsSeat ? highestMapped(facts.seatTierGroups, tierRank) : null;
  return Object.freeze({
    entitled: true,
    reason: 'entitled',
    rule: role ? 'R-G1' : 'R-V3',
    role: role ? role.target : DEFAULT_ROLE,
    roleSource: role ? 'mapping' : 'default',
    roleGroupIds: role ? role.groupIds : NONE,
    mappedSeatTier: tier ? tier.target : null,
    seatTierGroupIds: tier ? tier.groupIds : NONE,
    needsSeat,
    mappedGroupIds,
  });
}

/**
 * R-G1 (and R-G2 for tiers): the highest-ranked target among the held mappings (ties between
 * unknown names: the first in code-point order), with every group that gives that same target.
 */
export function highestMapped(
  held: readonly HeldMapping[],
  rank: (target: string) => number,
): { target: string; groupIds: readonly string[] } | null {
  let top: HeldMapping | null = null;
  for (const h of held) {
    if (top === null) top = h;
    else {
      const a = rank(h.target);
      const b = rank(top.target);
      if (a < b || (a === b && h.target < top.target)) top = h;
    }
  }
  if (top === null) return null;
  const winner = top.target;
  return { target: winner, groupIds: sortedIds(held.filter((h) => h.target === winner)) };
}

function sortedIds(held: readonly HeldMapping[]): readonly string[] {
  return Object.freeze([...new Set(held.map((h) => h.groupId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

function rankIn(list: readonly string[], x: string): number {
  const i = list.indexOf(x);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
}

// ---------------------------------------------------------------------------------------------
// Seats

/** One person asking for a seat, in the order seats are handed out. */
export interface SeatRequest {
  /** The tier a seat-tier group maps them to (R-G2), or null: the fallback tier. */
  readonly mappedTier: string | null;
  /** A current member of the org: they are seated first (they hold their seat already). */
  readonly current: boolean;
}

/** Which tier a person without a seat-tier group lands on (R-G2, R-A4). */
export type FallbackTier = 'highest' | 'lowest';

export interface SeatRules {
  /** The org's tiers, highest first. */
  readonly tiers: readonly string[];
  /** Seats bought per tier; null: unlimited (the config gives no counts); a tier absent: 0 bought. */
  readonly bought: Readonly<Record<string, number>> | null;
  /**
   * R-G2: IdP provisioning (JIT, SCIM) gives the highest tier still free; R-A4: an API invite
   * (Manual mode, `apply`'s invites) takes the lowest tier that has a seat.
   */
  readonly fallback: FallbackTier;
}

export interface SeatUsage {
  readonly tier: string;
  /** Seats bought for this tier; null when the config gives no seat counts (unlimited). */
  readonly bought: number | null;
  /** Entitled people mapped to this tier by a seat-tier group. */
  readonly mapped: number;
  /** Entitled people who landed on this tier by the fallback. */
  readonly fallback: number;
  /** Entitled people who wanted this tier (mapped) but found no seat. */
  readonly shortfall: number;
}

export interface SeatAllocation {
  /** Per request (same index): the tier they get, or null when no seat is left for them (R-V5). */
  readonly tiers: readonly (string | null)[];
  /** One row per tier, in tier order. */
  readonly usage: readonly SeatUsage[];
  /** People without a seat-tier group who found no seat in any tier. */
  readonly unseated: number;
}

/**
 * R-V5: nobody is provisioned past the seats bought. People mapped to a tier are seated first, in
 * that tier or not at all; then the others take the fallback tier (R-G2: the highest free one for
 * IdP provisioning; R-A4: the lowest free one for an API invite). Within each group, current
 * members first (they hold their seats already), then the order of `requests`.
 */
export function allocateSeats(requests: readonly SeatRequest[], rules: SeatRules): SeatAllocation {
  const left = new Map<string, number>();
  const mapped = new Map<string, number>();
  const fallback = new Map<string, number>();
  const shortfall = new Map<string, number>();
  for (const t of rules.tiers) {
    left.set(t, rules.bought ? (rules.bought[t] ?? 0) : Number.POSITIVE_INFINITY);
    mapped.set(t, 0);
    fallback.set(t, 0);
    shortfall.set(t, 0);
  }
  const bump = (m: Map<string, number>, t: string) => m.set(t, (m.get(t) ?? 0) + 1);
  const tiers: (string | null)[] = new Array(requests.length).fill(null);
  const order = [...requests.keys()]
    .filter((i) => requests[i]!.current)
    .concat([...requests.keys()].filter((i) => !requests[i]!.current));
  for (const i of order) {
    const t = requests[i]!.mappedTier;
    if (t === null) continue;
    if ((left.get(t) ?? 0) > 0) {
      left.set(t, left.get(t)! - 1);
      bump(mapped, t);
      tiers[i] = t;
    } else bump(shortfall, t);
  }
  const fallbackOrder = rules.fallback === 'highest' ? rules.tiers : [...rules.tiers].reverse();
  let unseated = 0;
  for (const i of order) {
    if (requests[i]!.mappedTier !== null) continue;
    const t = fallbackOrder.find((tier) => (left.get(tier) ?? 0) > 0);
    if (t === undefined) {
      unseated++;
      continue;
    }
    left.set(t, left.get(t)! - 1);
    bump(fallback, t);
    tiers[i] = t;
  }
  const usage = rules.tiers.map((t) =>
    Object.freeze({
      tier: t,
      bought: rules.bought ? (rules.bought[t] ?? 0) : null,
      mapped: mapped.get(t)!,
      fallback: fallback.get(t)!,
      shortfall: shortfall.get(t)!,
    }),
  );
  return { tiers, usage, unseated };
}
