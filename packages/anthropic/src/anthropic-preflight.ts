import { GuardRefusalError, InputError, membersFingerprint, normalizeEmail, PlanSchema, zodIssues, type Member, type Plan } from '@claude-idp/core';
import { priorChanges, type AuditLine } from './anthropic-audit-trail';

/** Apply-time guard codes, beside the plan's own (BREAKER, LAST_OWNER, INCOMPLETE, ...). */
export const STALE_PLAN = 'STALE_PLAN';
export const MAX_DEPROVISION = 'MAX_DEPROVISION';

export interface GuardOverrides {
  /** Guard codes the caller accepts: the plan's own, and `STALE_PLAN` / `MAX_DEPROVISION`. */
  overrideGuards?: readonly string[];
  /** Overrides every guard *the plan* lists. Never `STALE_PLAN` or `MAX_DEPROVISION`, and never lets an incomplete plan deprovision or downgrade. */
  force?: boolean;
}

export function parsePlan(input: unknown, source = '<plan>'): Plan {
  const parsed = PlanSchema.safeParse(input);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, input) });
  return parsed.data;
}

/** Refuses while the plan lists a guard the caller did not override; returns the overridden codes. */
export function checkPlanGuards(plan: Plan, o: GuardOverrides): string[] {
  const accepted = (code: string) => o.force === true || (o.overrideGuards ?? []).includes(code);
  const open = plan.guards.filter((g) => !accepted(g.code));
  if (open.length) {
    throw new GuardRefusalError({
      guards: open,
      message: `apply refused by the plan's guards: ${open.map((g) => `${g.code}: ${g.message}`).join('; ')}. Fix the cause, or override these codes explicitly if you accept the risk.`,
    });
  }
  return plan.guards.map((g) => g.code);
}

const emailKey = (email: string) => normalizeEmail(email) ?? email.trim().toLowerCase();

/**
 * Is the org still in the state the plan was made from? Compares core's `membersFingerprint` of
 * the fresh read with `plan.inputs.members`. When the plan was built from an export covering
 * several orgs, the caller passes those members: they must hash to the plan's input, and their
 * rows for this org must equal the fresh read. When that fails, an earlier partial run of this
 * same plan may explain the difference: the recorded changes are undone from the fresh state, in
 * reverse order, each only if the member is exactly as the change left them, and the result
 * compared again (an action whose result was never recorded is tried both ways).
 */
export function checkFreshness(args: { plan: Plan; fresh: readonly Member[]; orgId: string; members?: readonly Member[]; previous: readonly AuditLine[]; overrides: GuardOverrides }): { resumed: boolean; overridden: boolean } {
  const { plan, orgId } = args;
  const refuse = (message: string) => {
    if ((args.overrides.overrideGuards ?? []).includes(STALE_PLAN)) return { resumed: false, overridden: true };
    throw new GuardRefusalError({ guards: [{ code: STALE_PLAN, message }] });
  };
  if (!plan.inputs) return refuse('the plan records no input hashes, so its members cannot be checked against the org; re-run `plan`');
  let target = plan.inputs.members;
  let alsoWithoutOrgId = plan.orgs.length <= 1;
  if (args.members) {
    if (membersFingerprint([...args.members]) !== plan.inputs.members) return refuse('the members passed in are not the ones this plan was made from');
    // The API cannot show seat tiers, so they are left out on both sides of the comparison.
    target = membersFingerprint(args.members.filter((m) => m.orgId === undefined || m.orgId === orgId).map((m) => ({ ...m, orgId, seatTier: undefined })));
    alsoWithoutOrgId = false;
  }
  const matches = (ms: readonly Member[]) => membersFingerprint([...ms]) === target || (alsoWithoutOrgId && membersFingerprint(ms.map((m) => ({ ...m, orgId: undefined }))) === target);
  if (matches(args.fresh)) return { resumed: false, overridden: false };

  const changes = priorChanges(args.previous, plan.fingerprint, orgId);
  const uncertain = changes.filter((c) => !c.certain);
  if (changes.length && uncertain.length <= 6) {
    for (let mask = 0; mask < 1 << uncertain.length; mask++) {
      const applied = changes.filter((c) => c.certain || (mask >> uncertain.indexOf(c)) & 1).map((c) => c.line);
      const original = undo(args.fresh, applied, orgId);
      if (original && matches(original)) return { resumed: true, overridden: false };
    }
  }
  return refuse(
    changes.length
      ? 'the org changed since the plan was made, beyond what earlier runs of this plan (per the audit trail) did; re-run `plan`'
      : 'the org\'s members changed since the plan was made (or this is a re-run without the audit trail of the first run); re-run `plan`, or pass the same audit trail to resume',
  );
}

function undo(fresh: readonly Member[], applied: readonly AuditLine[], orgId: string): Member[] | null {
  const byEmail = new Map(fresh.map((m) => [emailKey(m.email), m] as const));
  for (const line of [...applied].reverse()) {
    if (!line.email) return null;
    const k = emailKey(line.email);
    const now = byEmail.get(k);
    const after = line.after ?? null;
    const same = after === null ? now === undefined : now !== undefined && now.role === after.role && (now.status ?? 'active') === after.status;
    if (!same) return null; // someone else changed this member since: not ours to explain
    if (line.before) byEmail.set(k, { email: line.email, role: line.before.role, status: line.before.status, orgId, id: line.before.id });
    else byEmail.delete(k);
  }
  return [...byEmail.values()];
}

export interface DeprovisionLimit {
  kind: 'count' | 'percent';
  value: number;
}

/** `--max-deprovision N|N%` (default 10%, SPEC §5). */
export function parseMaxDeprovision(value: number | string | undefined, source = 'limits.maxDeprovision'): DeprovisionLimit {
  if (value === undefined) return { kind: 'percent', value: 10 };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'count', value };
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value) : null;
  if (m && (m[2] === '%' ? Number(m[1]) <= 100 : Number.isInteger(Number(m[1])))) return { kind: m[2] === '%' ? 'percent' : 'count', value: Number(m[1]) };
  throw new InputError({ source, issues: [{ path: '', expected: 'a whole number of people (5) or a percentage of the org (10%)', received: JSON.stringify(value) }] });
}

/** Refuses when more people would be removed than the limit allows, counted against the fresh read. */
export function checkDeprovisionLimit(count: number, orgSize: number, limit: DeprovisionLimit, o: GuardOverrides): boolean {
  const allowed = limit.kind === 'count' ? limit.value : (orgSize * limit.value) / 100;
  if (count <= allowed) return false;
  if ((o.overrideGuards ?? []).includes(MAX_DEPROVISION)) return true;
  const what = limit.kind === 'count' ? `${limit.value}` : `${limit.value}% of ${orgSize}`;
  throw new GuardRefusalError({
    guards: [{ code: MAX_DEPROVISION, message: `the plan would remove ${count} of the org's ${orgSize} current members, more than the limit (${what}); raise the limit or override ${MAX_DEPROVISION} if this is intended` }],
  });
}
