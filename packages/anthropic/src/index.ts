export {
  createAnthropicAdminClient,
  type AnthropicAdminClient,
  type ReadMembersOptions,
} from './anthropic-admin-client';
export { readClaudeSide, settingsFromRows, OrgUnreadableError } from './anthropic-claude-side';
export { modeGate } from './anthropic-decide';
export { NoFreeSeatError } from './anthropic-execute';
export { missingScopes, errorCodeOf } from './anthropic-sdk';
export type {
  ComplianceOrganization,
  OrgSettings,
  RbacGroup,
  Activity,
  ComplianceUser,
} from './anthropic-compliance-schemas';
export type { ProvisioningModeValue } from './anthropic-api-facts';
export type { AnthropicAdminSettings, AnthropicOrgKind } from './anthropic-settings';
export type { ApplyOptions, ApplyProgressEvent } from './anthropic-apply';
export type { AnthropicAdminEndpoints, CallOptions } from './anthropic-endpoints';
export type { OrgState } from './anthropic-read-members';
export { toMembers, detectOrgKind } from './anthropic-read-members';
export {
  formatApplySummary,
  type ApplySummary,
  type ApplyResult,
  type OrgModeSource,
  type ActionRecord,
  type ManualStep,
  type ActionResult,
  type ActionCode,
  type MemberState,
} from './anthropic-summary';
export { parseAuditTrail, type AuditLine, type AuditTrailOptions } from './anthropic-audit-trail';
export {
  parseMaxDeprovision,
  STALE_PLAN,
  MAX_DEPROVISION,
  type GuardOverrides,
  type DeprovisionLimit,
} from './anthropic-preflight';
export type {
  AnthropicUser,
  AnthropicInvite,
  AnthropicList,
  AnthropicOrganization,
  AnthropicDeleted,
  AnthropicErrorBody,
} from './anthropic-schemas';
export * as anthropicApiFacts from './anthropic-api-facts';
export { pollActivities, type ActivityPoll } from './anthropic-activity';
export {
  activityToWatchEvent,
  describeActor,
  ACTIVITY_MEANINGS,
  MAPPINGS_STALE,
  type ActivityMeaning,
  type ActivityToWatchEventOptions,
} from './anthropic-activity-events';
export {
  createActivityWatcher,
  type ActivityWatcher,
  type ActivityWatcherOptions,
  type ActivityWatcherPoll,
} from './anthropic-activity-watcher';
