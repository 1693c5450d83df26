import { didYouMean, GuardRefusalError, PLAN_GUARDS, type GuardBreach } from '@claude-idp/core';
import { UsageError } from './cli-exit';

/**
 * The guards `apply` names, one per concern, each with the flag that overrides it. The plan's
 * `BREAKER` (computed when the plan was made) and the apply-time removal limit (`MAX_DEPROVISION`
 * in @claude-idp/anthropic, re-checked against a fresh read) are one concern: too many removals.
 * The command shows both as `BREAKER`, decided by `--max-deprovision` when it is given.
 */
export const GUARD_FLAGS: Record<string, string> = {
  [PLAN_GUARDS.BREAKER]:
    '--max-deprovision N|N% (the limit, checked against the org as it is now) or --override-guard BREAKER',
  [PLAN_GUARDS.LAST_OWNER]: '--override-guard LAST_OWNER',
  [PLAN_GUARDS.INCOMPLETE]:
    '--override-guard INCOMPLETE (deprovisions and downgrades still never run from an incomplete read)',
  [PLAN_GUARDS.MEMBERS_WITHOUT_ORG]: '--override-guard MEMBERS_WITHOUT_ORG',
  STALE_PLAN: '--override-guard STALE_PLAN (better: run `plan` again)',
};

/** The apply-time code of the removal limit in @claude-idp/anthropic. */
const APPLY_LIMIT = 'MAX_DEPROVISION';

/** Every code `applyPlan` may refuse with, for a dry run that shows its actions whatever the guards say. */
export const EVERY_GUARD = [...Object.keys(GUARD_FLAGS), APPLY_LIMIT];

/**
 * `--override-guard` codes, checked: an unknown code is a usage error (a typo must not pass
 * silently), with the closest known one. `MAX_DEPROVISION` is accepted as `BREAKER`.
 */
export function parseOverrides(codes: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const raw of codes ?? []) {
    for (const part of raw.split(',')) {
      const code = part.trim().toUpperCase();
      if (!code) continue;
      if (code === APPLY_LIMIT) out.add(PLAN_GUARDS.BREAKER);
      else if (code in GUARD_FLAGS) out.add(code);
      else {
        const guess = didYouMean(code, Object.keys(GUARD_FLAGS));
        throw new UsageError(
          `--override-guard ${part.trim()} is not a guard code${guess ? `; did you mean ${guess}?` : ''} (codes: ${Object.keys(GUARD_FLAGS).join(', ')})`,
        );
      }
    }
  }
  return [...out];
}

/**
 * What to pass to `applyPlan` as `overrideGuards`: the user's codes, with `BREAKER` covering the
 * apply-time limit too, and the plan's own `BREAKER` superseded when `--max-deprovision` is given
 * (the limit is then decided again, by the flag, against the org as it is now).
 */
export function overridesFor(codes: readonly string[], maxDeprovisionGiven: boolean): string[] {
  const out = new Set(codes);
  if (out.has(PLAN_GUARDS.BREAKER)) out.add(APPLY_LIMIT);
  if (maxDeprovisionGiven) out.add(PLAN_GUARDS.BREAKER);
  return [...out];
}

/** A refusal in the command's terms: one code per concern, and the flag that overrides it. */
export function describeGuards(guards: readonly GuardBreach[]): GuardBreach[] {
  const out = new Map<string, GuardBreach>();
  for (const g of guards) {
    const code = g.code === APPLY_LIMIT ? PLAN_GUARDS.BREAKER : g.code;
    const message = g.message
      .replace(
        /;?\s*(check the IdP read and mappings, or )?raise limits\.maxDeprovision \/ override BREAKER if this is intended/,
        '',
      )
      .replace(/;?\s*raise the limit or override MAX_DEPROVISION if this is intended/, '');
    if (!out.has(code))
      out.set(code, {
        code,
        message: `${message}; to proceed anyway: ${GUARD_FLAGS[code] ?? `--override-guard ${code}`}`,
      });
  }
  return [...out.values()];
}

/** Runs `attempt` with more and more guards accepted, to list every guard that would stop it. */
export async function everyRefusal(
  attempt: (accepted: string[]) => Promise<unknown>,
  accepted: readonly string[],
): Promise<GuardBreach[]> {
  const found: GuardBreach[] = [];
  const ok = new Set(accepted);
  for (let i = 0; i < EVERY_GUARD.length + 1; i++) {
    try {
      await attempt([...ok]);
      return found;
    } catch (error) {
      if (!GuardRefusalError.isInstance(error) || error.guards.every((g) => ok.has(g.code))) throw error;
      for (const g of error.guards) {
        found.push(g);
        ok.add(g.code);
      }
    }
  }
  return found;
}
