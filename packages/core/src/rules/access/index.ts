// Access to a Claude org (R-A5, R-V3, R-G1, R-G2, R-G3, R-V5, R-A4). The policy is decide.ts;
// resolve.ts gathers the facts it reads for a whole snapshot; member-change.ts turns a decision
// into the change a plan makes for a current member.
export {
  decideAccess,
  allocateSeats,
  highestMapped,
  inactiveKind,
  type AccessFacts,
  type AccessReason,
  type Decision,
  type FallbackTier,
  type HeldMapping,
  type InactiveKind,
  type OrgRules,
  type SeatAllocation,
  type SeatRequest,
  type SeatRules,
  type SeatTierSource,
  type SeatUsage,
} from './decide';
export * from './resolve';
