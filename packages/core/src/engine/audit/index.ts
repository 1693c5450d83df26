// audit, preflight and the finding catalogue (SPEC §4).
export { audit, auditDetailed, type AuditInput, type AuditResult } from './audit';
export {
  preflight,
  type PreflightBase,
  type EnableMappingsInput,
  type EnableMappingsResult,
  type RequireSsoInput,
  type RequireSsoResult,
  type MergePreflightInput,
  type MergePreflightResult,
  type SwitchIdpInput,
  type SwitchIdpResult,
  type SwitchPair,
} from './preflight';
export { FINDING_CODES, type FindingCode, type FindingCodeInfo } from './catalogue';
export { compareFindings, sortFindings, summarize } from './findings';
export { loadDomainMembers, parseDomainMembers, DomainMemberSchema, type DomainMember } from './domain-members';
export type { Loser, Downgrade, MemberImpact } from './checks-org';
export type { SsoLockedOut } from './checks-require-sso';
export { idpWhere, vendorIdentity, vendorMembers } from './where';
export { checkClaudeSide, withClaudeSide, configProvisioningMode, modeFromClaude } from './claude-side';
