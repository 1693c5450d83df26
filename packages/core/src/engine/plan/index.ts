// plan, explain, runbook.switchIdp, diff: what changes, when, and why (SPEC §4 Plan).
export {
  plan,
  planCore,
  totalsOf,
  isRoleDowngrade,
  PLAN_GUARDS,
  UNMANAGED_ROLES,
  INCOMPLETE_RULE,
  type PlanArgs,
  type PlanCore,
  type PlannedOrg,
} from './plan';
export { timingFor, scimCycleMinutes, ENTRA_SCIM_INTERVAL_MINUTES, type Timing } from './timing';
export {
  parseDeprovisionLimit,
  allowedDeprovisions,
  DEFAULT_MAX_DEPROVISION,
  type PlanLimits,
  type DeprovisionLimit,
} from './limits';
export { snapshotFingerprint, configFingerprint, planInputs, planFingerprint, type PlanInputs } from './fingerprint';
export {
  explain,
  describeAction,
  type ExplainArgs,
  type Explanation,
  type ExplainedOrg,
  type ExplainedMappedGroup,
  type ExplainStep,
  type ExplainGroupRef,
} from './explain';
export {
  diff,
  diffLines,
  type SnapshotDiff,
  type DiffUserRef,
  type DiffGroupRef,
  type DiffFieldChange,
  type DiffUserChange,
  type DiffGroupChange,
} from './diff';
export {
  runbook,
  switchIdpRunbook,
  type SwitchIdpArgs,
  type SwitchIdpRunbook,
  type RunbookStep,
  type RunbookTarget,
  type SwitchIdpStepId,
} from './runbook';
