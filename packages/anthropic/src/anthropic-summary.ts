import type { PlanActionKind, PlanWhen } from '@claude-idp/core';
import type { ProvisioningModeValue } from './anthropic-api-facts';
import type { AnthropicOrgKind } from './anthropic-settings';
import type { AuditLine } from './anthropic-audit-trail';

export type ActionResult = 'done' | 'skipped' | 'manual' | 'failed' | 'refused' | 'not-attempted';

/** Stable codes for why an action ended as it did (programs key on these, people read `reason`). */
export type ActionCode =
  | 'APPLIED'
  | 'WOULD_APPLY' // dry run
  | 'ALREADY_TRUE'
  | 'HANDLED_BY_IDP' // when ≠ manual: JIT/SCIM does it at next login / sync
  | 'HANDLED_BY_SCIM' // the org's enforced mode is SCIM: the API refuses this write; the IdP-side fix is in `reason`
  | 'HANDLED_BY_JIT' // the org's enforced mode is JIT: invites (and role changes when advanced) are refused
  | 'NO_FREE_SEAT' // an invite found no free seat (400 without error_code): buy seats
  | 'NO_OP'
  | 'ADMIN_ROLE' // grant or remove a role the API cannot touch
  | 'ROLE_NOT_SETTABLE' // a role this org kind does not accept through the API
  | 'SEAT_TIER' // no API for seat tiers
  | 'OTHER_ORG' // an org this key does not manage (another org, or claude.ai without API support)
  | 'INCOMPLETE_PLAN' // deprovision / downgrade from a plan built on an incomplete read
  | 'NOT_FOUND'
  | 'API_ERROR'
  | 'STOPPED'; // not attempted after the run stopped

/** A member's state as the trail records it before and after an action. */
export interface MemberState {
  role: string;
  status: 'active' | 'invited';
  id?: string;
}

export interface ActionRecord {
  orgId: string;
  email: string;
  userId?: string;
  action: PlanActionKind;
  from?: string;
  to?: string;
  when: PlanWhen;
  result: ActionResult;
  code: ActionCode;
  reason: string;
  /** API calls made, e.g. `POST /v1/organizations/invites`. */
  calls: string[];
  before?: MemberState | null;
  after?: MemberState | null;
  /** Redacted error text for `failed`. */
  error?: string;
}

/** What the API cannot do, for a person to do by hand. */
export interface ManualStep extends ActionRecord {
  result: 'manual';
  /** The exact screen to use. */
  screen: string;
  /** One imperative line, e.g. "Change ana@acme.com from developer to admin". */
  instructions: string;
}

/** The enforced mode and its source: Claude's Compliance settings, or the config / plan when those could not be read. */
export interface OrgModeSource {
  mode: ProvisioningModeValue;
  source: 'claude' | 'config';
  /** Why the config's mode was used (settings not enabled, scope missing, no row). */
  note?: string;
}

export interface ApplySummary {
  planFingerprint: string;
  orgId: string;
  orgKind: AnthropicOrgKind;
  /** The provisioning mode writes were gated on, and where it came from. */
  orgMode: OrgModeSource;
  runId: string;
  dryRun: boolean;
  /** True when the fresh read matched the plan only after putting back what earlier runs of this plan did. */
  resumed: boolean;
  /** Guard codes the caller overrode in this run. */
  overridden: string[];
  startedAt: string;
  finishedAt: string;
  done: ActionRecord[];
  skipped: ActionRecord[];
  manual: ManualStep[];
  failed: ActionRecord[];
  refused: ActionRecord[];
  notAttempted: ActionRecord[];
  /** Set when the run stopped before the end (abort, or an error that would fail every call). */
  stopped?: { reason: 'aborted' | 'fatal-error'; message: string };
  /** True when every applicable action is done or already true (manual steps may remain). */
  complete: boolean;
  /** The audit-trail lines of this run (also written to the sink, unless dry run). */
  trail: AuditLine[];
}

/** What `applyPlan` returns (the name the CLI and scripts use). */
export type ApplyResult = ApplySummary;

/** A plain-text rendering for people (the CLI prints it). */
export function formatApplySummary(s: ApplySummary): string {
  const head = `${s.dryRun ? 'Dry run for' : 'Applied'} plan ${s.planFingerprint.slice(0, 19)} to org ${s.orgId} (${s.orgKind})${s.resumed ? ', resuming an earlier run' : ''}`;
  const counts = `done ${s.done.length}, already true ${s.skipped.filter((r) => r.code === 'ALREADY_TRUE').length}, manual ${s.manual.length}, failed ${s.failed.length}, refused ${s.refused.length}, not attempted ${s.notAttempted.length}`;
  const lines = [
    head,
    `Provisioning mode ${s.orgMode.mode} (from ${s.orgMode.source === 'claude' ? "Claude's enforced settings" : `the config: ${s.orgMode.note ?? 'settings not read'}`})`,
    counts,
  ];
  const idp = s.skipped.filter((r) => r.code === 'HANDLED_BY_SCIM' || r.code === 'HANDLED_BY_JIT');
  if (idp.length) lines.push('Handled by the IdP (not sent):');
  for (const r of idp) lines.push(`  - ${describe(r)}: ${r.reason}`);
  if (s.stopped)
    lines.push(
      `Stopped (${s.stopped.reason}): ${s.stopped.message}. Re-run the same plan with the same audit trail to finish.`,
    );
  for (const r of s.failed) lines.push(`  FAILED  ${describe(r)}: ${r.error ?? r.reason}`);
  for (const r of s.refused) lines.push(`  REFUSED ${describe(r)}: ${r.reason}`);
  if (s.manual.length) lines.push('Manual steps:');
  for (const m of s.manual) lines.push(`  - ${m.instructions} — ${m.screen} (${m.reason})`);
  return lines.join('\n');
}

export function describe(r: Pick<ActionRecord, 'action' | 'email' | 'from' | 'to'>): string {
  const arrow = r.from || r.to ? ` ${r.from ?? '∅'} → ${r.to ?? '∅'}` : '';
  return `${r.action} ${r.email}${arrow}`;
}
