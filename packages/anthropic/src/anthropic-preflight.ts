import {
  GuardRefusalError,
  InputError,
  membersFingerprint,
  normalizeEmail,
  PlanSchema,
  zodIssues,
  type Member,
  type Plan,
  orgMembersFingerprint,
} from '@claude-idp/core';
import { touchedMembers, type AuditLine } from './anthropic-audit-trail';
import type { MemberState } from './anthropic-summary';

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

/**
 * Refuses while the plan lists a guard the caller did not override; returns the overridden codes.
 * Only the guards about the org this key manages count, with the plan-wide ones (no `orgId`):
 * another org's breaker or last-Owner guard is not this apply's to weigh.
 */
export function checkPlanGuards(plan: Plan, o: GuardOverrides, orgId?: string): string[] {
  const accepted = (code: string) => o.force === true || (o.overrideGuards ?? []).includes(code);
  const relevant = plan.guards.filter((g) => orgId === undefined || g.orgId === undefined || g.orgId === orgId);
  const open = relevant.filter((g) => !accepted(g.code));
  if (open.length) {
    throw new GuardRefusalError({
      guards: open,
      message: `apply refused by the plan's guards: ${open.map((g) => `${g.code}: ${g.message}`).join('; ')}. Fix the cause, or override these codes explicitly if you accept the risk.`,
    });
  }
  return relevant.map((g) => g.code);
}

const emailKey = (email: string) => normalizeEmail(email) ?? email.trim().toLowerCase();

/**
 * Is the org still in the state the plan was made from? Compares core's `membersFingerprint` of
 * the fresh read with `plan.inputs.members`. When the plan was built from an export covering
 * several orgs, the caller passes those members: they must hash to the plan's input, and their
 * rows for this org must equal the fresh read. When that fails, earlier runs of this same plan
 * may explain the difference: every member they touched is put back as the plan found them (if
 * they are now in a state those runs could have left them in) and the result compared again.
 */
export function checkFreshness(args: {
  plan: Plan;
  fresh: readonly Member[];
  orgId: string;
  members?: readonly Member[];
  previous: readonly AuditLine[];
  overrides: GuardOverrides;
}): { resumed: boolean; overridden: boolean } {
  const { plan, orgId } = args;
  const refuse = (message: string) => {
    if ((args.overrides.overrideGuards ?? []).includes(STALE_PLAN)) return { resumed: false, overridden: true };
    throw new GuardRefusalError({ guards: [{ code: STALE_PLAN, message }] });
  };
  if (!plan.inputs)
    return refuse('the plan records no input hashes, so its members cannot be checked against the org; re-run `plan`');
  let target = plan.inputs.members;
  let alsoWithoutOrgId = plan.orgs.length <= 1;
  // Plans record each org's own hash (as an API read of it shows it: no seat tiers), so the one org
  // this key manages is checked on its own; passing the plan's members file is then not needed.
  const orgHash = plan.inputs.membersByOrg?.[orgId];
  let hashOf = (ms: readonly Member[]) => membersFingerprint([...ms]);
  if (orgHash && !args.members) {
    target = orgHash;
    alsoWithoutOrgId = false;
    hashOf = (ms) => orgMembersFingerprint(ms, orgId);
  }
  if (args.members) {
    if (membersFingerprint([...args.members]) !== plan.inputs.members)
      return refuse('the members passed in are not the ones this plan was made from');
    // The API cannot show seat tiers, so they are left out on both sides of the comparison.
    target = membersFingerprint(
      args.members
        .filter((m) => m.orgId === undefined || m.orgId === orgId)
        .map((m) => ({ ...m, orgId, seatTier: undefined })),
    );
    alsoWithoutOrgId = false;
  }
  const matches = (ms: readonly Member[]) =>
    hashOf(ms) === target ||
    (alsoWithoutOrgId && membersFingerprint(ms.map((m) => ({ ...m, orgId: undefined }))) === target);
  if (matches(args.fresh)) return { resumed: false, overridden: false };

  const touched = touchedMembers(args.previous, plan.fingerprint, orgId, emailKey);
  if (touched.size) {
    const original = restore(args.fresh, touched, orgId);
    if (original && matches(original)) return { resumed: true, overridden: false };
  }
  return refuse(
    touched.size
      ? 'the org changed since the plan was made, beyond what earlier runs of this plan (per the audit trail) did; re-run `plan`'
      : "the org's members changed since the plan was made (or this is a re-run without the audit trail of the first run); re-run `plan`, or pass the same audit trail to resume",
  );
}

/**
 * The org as the plan found it: the fresh read with every member an earlier run touched put back
 * as they were. Null when a touched member is now in a state none of those runs could have left
 * them in: someone else changed them since, and that is not ours to explain.
 */
function restore(
  fresh: readonly Member[],
  touched: ReadonlyMap<string, { email: string; original: MemberState | null; plausible: Array<MemberState | null> }>,
  orgId: string,
): Member[] | null {
  const byEmail = new Map(fresh.map((m) => [emailKey(m.email), m] as const));
  for (const [k, t] of touched) {
    const now = byEmail.get(k);
    const same = (s: MemberState | null) =>
      s === null
        ? now === undefined
        : now !== undefined && now.role === s.role && (now.status ?? 'active') === s.status;
    if (!t.plausible.some(same)) return null;
    if (t.original) byEmail.set(k, { email: t.email, role: t.original.role, status: t.original.status, orgId });
    else byEmail.delete(k);
  }
  return [...byEmail.values()];
}

export interface DeprovisionLimit {
  kind: 'count' | 'percent';
  value: number;
}

/** `--max-deprovision N|N%` (default 10%, SPEC §5). */
export function parseMaxDeprovision(
  value: number | string | undefined,
  source = 'limits.maxDeprovision',
): DeprovisionLimit {
  if (value === undefined) return { kind: 'percent', value: 10 };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'count', value };
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value) : null;
  if (m && (m[2] === '%' ? Number(m[1]) <= 100 : Number.isInteger(Number(m[1]))))
    return { kind: m[2] === '%' ? 'percent' : 'count', value: Number(m[1]) };
  throw new InputError({
    source,
    issues: [
      {
        path: '',
        expected: 'a whole number of people (5) or a percentage of the org (10%)',
        received: JSON.stringify(value),
      },
    ],
  });
}

/** Refuses when more people would be removed than the limit allows, counted against the fresh read. */
export function checkDeprovisionLimit(
  count: number,
  orgSize: number,
  limit: DeprovisionLimit,
  o: GuardOverrides,
): boolean {
  const allowed = limit.kind === 'count' ? limit.value : (orgSize * limit.value) / 100;
  if (count <= allowed) return false;
  if ((o.overrideGuards ?? []).includes(MAX_DEPROVISION)) return true;
  const what = limit.kind === 'count' ? `${limit.value}` : `${limit.value}% of ${orgSize}`;
  throw new GuardRefusalError({
    guards: [
      {
        code: MAX_DEPROVISION,
        message: `the plan would remove ${count} of the org's ${orgSize} current members, more than the limit (${what}); raise the limit or override ${MAX_DEPROVISION} if this is intended`,
      },
    ],
  });
}
