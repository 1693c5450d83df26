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
export {
  buildDirectoryIndex,
  compareStrings,
  fieldValue,
  findGroupCycles,
  nestingFor,
  resolveMappedGroups,
  resolveOrgAccess,
  resolveUserAccess,
  samlEmailSource,
  scimEmailSource,
  seatTierOrder,
  type DirectoryIndex,
  type MappedGroupOptions,
  type MappedGroupRef,
  type NestingSemantics,
  type OrgAccess,
  type ResolveOptions,
  type UserAccess,
} from './resolve';
export {
  decideMemberChange,
  lossRule,
  type LossCause,
  type MemberChange,
  type MemberChangeRules,
  type MemberFacts,
  type MemberMatchFacts,
  type RoleChange,
  type SeatTierChange,
} from './member-change';
// Not exported from the package: the index's position arrays (`PeopleIndex`, `peopleOf`,
// `addressRanges`), which the engine reads from './resolve' directly, and the plain reference
// (reference.ts), the property tests' oracle.
