import { PRIMARY_OWNER } from '../../model/roles';
import type { AccessReason } from './decide';
import type { UserAccess } from './resolve';

/**
 * What happens to one current member of a Claude org, given what `decideAccess` decided for the
 * IdP person behind them. `plan` turns it into actions and `audit` / `preflight` into findings
 * (ACCESS_LOSS, STALE_MEMBER, ROLE_DOWNGRADE), so whoever the audit says loses access the plan
 * removes, and the other way round.
 */

/** A current member row, canonical: trimmed, lower-cased role and seat tier. */
export interface MemberFacts {
  readonly role: string;
  /** undefined: no seat tier on record. */
  readonly seatTier: string | undefined;
}

/** The IdP person matched to the member (null: nobody), or the IdP person already matched to another member. */
export interface MemberMatchFacts {
  readonly access: UserAccess | null;
  /** Set when the only IdP person with this address is already matched to another member of the org. */
  readonly duplicateOf?: string | undefined;
}

export interface MemberChangeRules {
  readonly surface: 'claude' | 'console';
  /** The snapshot is complete: removals and downgrades may be planned (SPEC §5). */
  readonly complete: boolean;
  /** A change to a lower role (an unknown role on either side counts as lower: the safe side). */
  isRoleDowngrade(from: string, to: string): boolean;
  /** Rank of a seat tier, 0 the highest (`seatTierOrder`). */
  tierRank(tier: string): number;
}

/** Why a member loses access: the person's access reason, nobody in the IdP, or a second account of a matched person. */
export type LossCause = Exclude<AccessReason, 'entitled' | 'primary-owner'> | 'not-in-idp' | 'duplicate-account';

export interface RoleChange {
  readonly from: string;
  readonly to: string;
  /** The mapped groups that give `to`. */
  readonly groupIds: readonly string[];
  /** A downgrade from an incomplete snapshot: not made (SPEC §5). */
  readonly blocked: boolean;
}

export interface SeatTierChange {
  readonly from: string;
  readonly to: string;
  readonly groupIds: readonly string[];
  /** A move to a lower tier from an incomplete snapshot: not made (SPEC §5). */
  readonly blocked: boolean;
  /** No seat of the mapped tier is left: the member keeps the seat they hold until seats are bought (R-V5). */
  readonly waitsForSeat: boolean;
}

export type MemberChange =
  /** R-A5: the Primary Owner is never removed or re-roled by provisioning. */
  | { readonly kind: 'keepPrimaryOwner'; readonly rule: 'R-A5' }
  /** The member loses access (SCIM removes them; JIT blocks their login and they stay listed). */
  | { readonly kind: 'remove'; readonly rule: string; readonly cause: LossCause; readonly blocked: boolean }
  /** Role (R-G1) and / or seat tier (R-G2) change; at least one is set. */
  | { readonly kind: 'update'; readonly role: RoleChange | null; readonly seatTier: SeatTierChange | null }
  /** Nothing changes: `mapped` when the role comes from the mappings (R-G1), else roles change by hand (R-V3). */
  | { readonly kind: 'keep'; readonly rule: 'R-G1' | 'R-V3'; readonly mapped: boolean };

/** The rule that refuses access for a cause (R-V3 not assigned / inactive / not in the IdP, R-G3, R-S4, R-S5). */
export function lossRule(cause: LossCause): string {
  switch (cause) {
    case 'no-mapped-group':
      return 'R-G3';
    case 'no-email':
      return 'R-S4';
    case 'duplicate-account':
      return 'R-S5';
    default:
      return 'R-V3';
  }
}

/**
 * The one change for a current member. Roles (R-G1) and seat tiers (R-G2) only change when
 * mappings give them; a member whose tier comes from the fallback keeps the tier they hold.
 * R-V5 limits provisioning: a member already holds a seat, so no member is removed for want of
 * one — a move to a full tier waits for seats instead.
 */
export function decideMemberChange(
  member: MemberFacts,
  match: MemberMatchFacts,
  rules: MemberChangeRules,
): MemberChange {
  const ua = match.access;
  // R-A5: the Primary Owner keeps access and role whatever the IdP and the mappings say.
  if (member.role === PRIMARY_OWNER) return { kind: 'keepPrimaryOwner', rule: 'R-A5' };
  // R-V3 / R-G3 / R-S4 / R-S5: no entitled IdP person behind the member: they lose access.
  if (!ua?.entitled) {
    const cause: LossCause = ua ? (ua.reason as LossCause) : match.duplicateOf ? 'duplicate-account' : 'not-in-idp';
    return { kind: 'remove', rule: lossRule(cause), cause, blocked: !rules.complete };
  }
  // R-G1: the highest mapped role, when mappings give one.
  let role: RoleChange | null = null;
  if (ua.roleSource === 'mapping' && ua.role && ua.role !== member.role) {
    role = {
      from: member.role,
      to: ua.role,
      groupIds: ua.roleGroupIds,
      blocked: !rules.complete && rules.isRoleDowngrade(member.role, ua.role),
    };
  }
  // R-G2: only a tier from a seat-tier group moves a member (one with no tier on record keeps it);
  // R-V5: with no seat of that tier left, they keep the seat they hold.
  let seatTier: SeatTierChange | null = null;
  const current = member.seatTier;
  if (
    rules.surface === 'claude' &&
    ua.seatTierSource === 'mapping' &&
    ua.seatTier &&
    current &&
    current !== ua.seatTier
  ) {
    seatTier = {
      from: current,
      to: ua.seatTier,
      groupIds: ua.seatTierGroupIds,
      blocked: !rules.complete && rules.tierRank(ua.seatTier) > rules.tierRank(current),
      waitsForSeat: !ua.withinSeats,
    };
  }
  if (role || seatTier) return { kind: 'update', role, seatTier };
  return ua.roleSource === 'mapping'
    ? { kind: 'keep', rule: 'R-G1', mapped: true }
    : { kind: 'keep', rule: 'R-V3', mapped: false };
}
