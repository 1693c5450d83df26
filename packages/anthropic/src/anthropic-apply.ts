import { randomUUID } from 'node:crypto';
import { normalizeEmail, type Member, type Plan, type PlanAction, type ProgressEvent } from '@claude-idp/core';
import {
  createTrailWriter,
  readPreviousTrail,
  touchedMembers,
  type AuditLine,
  type AuditTrailOptions,
  type TouchedMember,
} from './anthropic-audit-trail';
import { decide, type Decision } from './anthropic-decide';
import type { AnthropicAdminEndpoints } from './anthropic-endpoints';
import { BILLING_SCREEN } from './anthropic-api-facts';
import { describeOp, errorText, isFatal, NoFreeSeatError, runOps, type WritePolicy } from './anthropic-execute';
import {
  checkDeprovisionLimit,
  checkFreshness,
  checkPlanGuards,
  MAX_DEPROVISION,
  parseMaxDeprovision,
  parsePlan,
  STALE_PLAN,
  type GuardOverrides,
} from './anthropic-preflight';
import type { OrgState } from './anthropic-read-members';
import type { ActionRecord, ApplySummary, ManualStep, MemberState, OrgModeSource } from './anthropic-summary';

export type ApplyProgressEvent =
  | ProgressEvent
  | {
      type: 'action';
      index: number;
      total: number;
      email: string;
      action: PlanAction['action'];
      result: ActionRecord['result'];
    };

export interface ApplyOptions extends GuardOverrides {
  /** The members the plan was made from, when it covers more orgs than this key manages. */
  members?: Member[];
  limits?: { maxDeprovision?: number | string };
  dryRun?: boolean;
  abortSignal?: AbortSignal;
  onProgress?: (event: ApplyProgressEvent) => void;
  /** JSONL audit trail: a file (appended) and/or a stream; earlier runs' lines are read from it to resume. */
  trail?: AuditTrailOptions;
  /** Shorthand for `trail: { path }` (the CLI's `--trail FILE`). */
  trailPath?: string;
  /** Who runs it, recorded on every trail line ("ci:nightly-reconcile"). Default `claude-idp`. */
  actor?: string;
  /** Clock for trail timestamps and invite expiry (tests pass a fixed one). */
  now?: () => Date;
}

/** What `applyPlan` needs from the client (injected, so the orchestration is testable alone). */
export interface ApplyDeps {
  endpoints: AnthropicAdminEndpoints;
  /** The key's org; throws when the plan does not cover it. */
  resolveOrgId: (plan: Plan, o: { abortSignal?: AbortSignal }) => Promise<string>;
  readState: (orgId: string, o: ApplyOptions) => Promise<OrgState>;
  /** The org's enforced provisioning mode, read before any write (Compliance settings, else the plan's config). */
  readMode: (orgId: string, planOrg: Plan['orgs'][number] | undefined, o: ApplyOptions) => Promise<OrgModeSource>;
  /** Retry settings for writes. */
  writePolicy?: WritePolicy;
}

/** Provisions first, removals last: a run that stops half-way has added before it took away. */
const ORDER: Record<PlanAction['action'], number> = {
  provision: 0,
  changeRole: 1,
  changeSeatTier: 2,
  deprovision: 3,
  none: 4,
};

/**
 * Applies a plan to the org the key manages (see the package README for the full contract):
 * guards → fresh read → freshness (or resume) → deprovision limit → one action at a time, each
 * recorded in the trail before and after its API calls. Throws before any change (guards, stale,
 * bad input); once changes start it returns a summary, with `stopped` set if it could not finish.
 */
export async function applyPlan(
  deps: ApplyDeps,
  planInput: unknown,
  options: ApplyOptions = {},
): Promise<ApplySummary> {
  const plan = parsePlan(planInput);
  const trailOptions: AuditTrailOptions | undefined = options.trailPath
    ? { ...options.trail, path: options.trailPath }
    : options.trail;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const limit = parseMaxDeprovision(options.limits?.maxDeprovision);
  // Plan-wide guards (an incomplete read) refuse before any request; org guards once the key's org is known.
  checkPlanGuards({ ...plan, guards: plan.guards.filter((g) => g.orgId === undefined) }, options);
  const orgId = await deps.resolveOrgId(plan, options);
  const overridden = checkPlanGuards(plan, options, orgId);
  const state = await deps.readState(orgId, options);
  const orgMode = await deps.readMode(
    orgId,
    plan.orgs.find((o) => o.orgId.toLowerCase() === orgId.toLowerCase()),
    options,
  );
  const previous = readPreviousTrail(trailOptions);
  const fresh = checkFreshness({
    plan,
    fresh: state.members,
    orgId,
    members: options.members,
    previous,
    overrides: options,
  });
  const touched = fresh.resumed
    ? touchedMembers(previous, plan.fingerprint, orgId, key)
    : new Map<string, TouchedMember>();
  if (fresh.overridden) overridden.push(STALE_PLAN);

  const current = new Map(
    state.members.map((m) => [key(m.email), { role: m.role, status: m.status ?? 'active', id: m.id ?? '' }] as const),
  );
  const actions = plan.orgs
    .flatMap((o) =>
      o.actions.map((a) => ({ a, orgId: o.orgId, managed: o.orgId.toLowerCase() === orgId.toLowerCase() })),
    )
    .filter((x) => x.a.action !== 'none')
    .sort((x, y) => ORDER[x.a.action] - ORDER[y.a.action]);
  const decideNow = (x: (typeof actions)[number]) =>
    decide(x.a, {
      managed: x.managed,
      kind: state.kind,
      planComplete: plan.complete,
      current: x.managed ? (current.get(key(x.a.email)) ?? null) : null,
      original: touched.get(key(x.a.email))?.original,
      mode: x.managed ? orgMode.mode : undefined,
    });
  const removals = actions.filter((x) => x.a.action === 'deprovision' && decideNow(x).kind === 'execute').length;
  if (checkDeprovisionLimit(removals, state.members.length, limit, options)) overridden.push(MAX_DEPROVISION);

  const dryRun = options.dryRun === true;
  const runId = randomUUID();
  const trail = createTrailWriter(trailOptions, !dryRun);
  const base = {
    v: 1 as const,
    runId,
    plan: plan.fingerprint,
    orgId,
    by: options.actor ?? 'claude-idp',
    ...(dryRun ? { dryRun: true } : {}),
  };
  const summary: ApplySummary = {
    planFingerprint: plan.fingerprint,
    orgId,
    orgKind: state.kind,
    orgMode,
    runId,
    dryRun,
    resumed: fresh.resumed,
    overridden,
    startedAt: now(),
    finishedAt: '',
    done: [],
    skipped: [],
    manual: [],
    failed: [],
    refused: [],
    notAttempted: [],
    complete: false,
    trail: trail.lines,
  };
  trail.write({ ...base, type: 'run-start', at: summary.startedAt, resumed: fresh.resumed, overridden });

  const record = (
    x: (typeof actions)[number],
    seq: number,
    r: Omit<ActionRecord, 'orgId' | 'email' | 'action' | 'when' | 'from' | 'to' | 'userId'>,
    extra?: Partial<ManualStep>,
  ) => {
    const rec = {
      orgId: x.orgId,
      email: x.a.email,
      userId: x.a.userId,
      action: x.a.action,
      from: x.a.from,
      to: x.a.to,
      when: x.a.when,
      ...r,
      ...extra,
    } as ActionRecord;
    const list = {
      done: summary.done,
      skipped: summary.skipped,
      manual: summary.manual,
      failed: summary.failed,
      refused: summary.refused,
      'not-attempted': summary.notAttempted,
    }[rec.result];
    list.push(rec as ManualStep);
    const { orgId: _o, when: _w, ...line } = rec;
    trail.write({ ...base, ...line, orgId: x.orgId, type: 'action', at: now(), seq });
    options.onProgress?.({
      type: 'action',
      index: seq,
      total: actions.length,
      email: rec.email,
      action: rec.action,
      result: rec.result,
    });
  };

  for (const [i, x] of actions.entries()) {
    const seq = i + 1;
    if (summary.stopped) {
      record(x, seq, {
        result: 'not-attempted',
        code: 'STOPPED',
        reason: `not attempted: the run stopped (${summary.stopped.reason})`,
        calls: [],
      });
      continue;
    }
    const d: Decision = decideNow(x);
    if (d.kind !== 'execute') {
      const result = ({ skip: 'skipped', refuse: 'refused', fail: 'failed', manual: 'manual' } as const)[d.kind];
      record(
        x,
        seq,
        { result, code: d.code, reason: d.reason, calls: [], before: d.before },
        d.kind === 'manual' ? { screen: d.screen, instructions: d.instructions } : undefined,
      );
      continue;
    }
    const calls = d.ops.map(describeOp);
    if (dryRun) {
      record(x, seq, {
        result: 'done',
        code: 'WOULD_APPLY',
        reason: 'dry run: would call the API',
        calls,
        before: d.before,
        after: d.after,
      });
      continue;
    }
    trail.write({
      ...base,
      type: 'action-start',
      at: now(),
      seq,
      action: x.a.action,
      email: x.a.email,
      from: x.a.from,
      to: x.a.to,
      calls,
      before: d.before,
      after: d.after,
    });
    // The trail line is written outside the try: a sink that fails must stop the run, not turn
    // a change the API made into a "failed" record.
    let outcome: { after: MemberState | null } | { error: unknown };
    try {
      const { newId } = await runOps(
        deps.endpoints,
        d.ops,
        { abortSignal: options.abortSignal, onProgress: options.onProgress as never },
        deps.writePolicy,
      );
      outcome = { after: d.after && { ...d.after, id: newId ?? d.after.id } };
    } catch (error) {
      outcome = { error };
    }
    if ('after' in outcome) {
      const after = outcome.after;
      if (after) current.set(key(x.a.email), { role: after.role, status: after.status, id: after.id ?? '' });
      else current.delete(key(x.a.email));
      record(x, seq, {
        result: 'done',
        code: 'APPLIED',
        reason: 'applied through the Admin API',
        calls,
        before: d.before,
        after,
      });
    } else {
      const text = errorText(outcome.error);
      const noSeat = outcome.error instanceof NoFreeSeatError;
      record(x, seq, {
        result: 'failed',
        code: noSeat ? 'NO_FREE_SEAT' : 'API_ERROR',
        reason: noSeat ? `no free seat: buy seats in ${BILLING_SCREEN}` : 'the Admin API refused or did not answer',
        calls,
        before: d.before,
        error: text,
      });
      if (isFatal(outcome.error, options.abortSignal))
        summary.stopped = { reason: options.abortSignal?.aborted ? 'aborted' : 'fatal-error', message: text };
    }
  }
  summary.finishedAt = now();
  summary.complete = !summary.stopped && summary.failed.length === 0 && summary.refused.length === 0;
  const counts = {
    done: summary.done.length,
    skipped: summary.skipped.length,
    manual: summary.manual.length,
    failed: summary.failed.length,
    refused: summary.refused.length,
    'not-attempted': summary.notAttempted.length,
  };
  trail.write({
    ...base,
    type: 'run-end',
    at: summary.finishedAt,
    counts,
    ...(summary.stopped ? { stopped: summary.stopped } : {}),
  } as AuditLine);
  return summary;
}

function key(email: string): string {
  return normalizeEmail(email) ?? email.trim().toLowerCase();
}
