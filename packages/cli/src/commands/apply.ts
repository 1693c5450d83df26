import type { Command } from 'commander';
import { resolve } from 'node:path';
import {
  canonicalJson,
  GuardRefusalError,
  InputError,
  PlanSchema,
  readSource,
  zodIssues,
  type GuardBreach,
  type Plan,
} from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { describeGuards, everyRefusal, EVERY_GUARD, GUARD_FLAGS, overridesFor, parseOverrides } from '../cli-guards';
import { emit } from '../cli-io';
import { allowEmptyMembersOption, parseLimit, readMembersFile } from '../cli-inputs';
import { formatOption, type CommandContext } from '../cli-program';
import type { ApplyResult } from '@claude-idp/anthropic';
import { applyProgress } from '../claude/apply-progress';

export function loadPlanFile(path: string): Plan {
  const { text, source } = readSource(path, 'plan', { text: false });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError({
      source,
      issues: [
        { path: '', expected: 'a JSON plan (claude-idp plan --format json)', received: (error as Error).message },
      ],
    });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== 1)
    throw new InputError({
      source,
      issues: [
        {
          path: 'schemaVersion',
          expected: '1 (this claude-idp reads plan schema 1)',
          received: JSON.stringify(version),
        },
      ],
    });
  const parsed = PlanSchema.safeParse(data);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, data) });
  return parsed.data;
}

type ApplyOpts = {
  target: string;
  maxDeprovision?: string;
  overrideGuard?: string[];
  trail?: string;
  members?: string;
  allowEmptyMembers?: boolean;
  actor: string;
  yes?: boolean;
  format: string;
};

export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('Carry out a saved plan against the Claude org (default: show what it would do; --yes to act)')
    .argument('<plan>', 'the plan JSON written by `claude-idp plan --format json --out FILE`')
    .requiredOption('--target <target>', 'anthropic-admin (the Anthropic Admin API; key in ANTHROPIC_ADMIN_KEY)')
    .option(
      '--max-deprovision <n|n%>',
      'the removal breaker: refuse more removals than this per org, counted against the org as it is now (default 10%)',
    )
    .option(
      '--override-guard <code...>',
      `proceed past these guards: ${Object.keys(GUARD_FLAGS).join(', ')} (never past an incomplete read)`,
    )
    .option('--trail <file>', 'append the audit trail (one JSON line per action) to this file')
    .option('--members <file>', 'the members file the plan was made from (plans covering several orgs)')
    .addOption(allowEmptyMembersOption())
    .option('--actor <label>', 'who runs it, recorded on every audit-trail line', 'claude-idp')
    .option('--yes', 'act; without it, only show what would be done')
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ claude-idp apply plan.json --target anthropic-admin                    # dry run: what would be done
  $ claude-idp apply plan.json --target anthropic-admin --yes --trail apply-trail.jsonl
A dry run lists every action, then the guards that would stop --yes. Exit 4 when a guard refuses
(a dry run too, when one would): the plan is stale (the members changed since it was made), or it
removes more people than --max-deprovision allows (BREAKER), or it leaves an org without an Owner.`,
    )
    .action(async (file: string, opts: ApplyOpts) => {
      if (opts.target !== 'anthropic-admin')
        throw new UsageError(`--target must be anthropic-admin (got "${opts.target}")`);
      const planDoc = loadPlanFile(resolve(ctx.io.cwd, file));
      const limit = parseLimit(opts.maxDeprovision);
      const accepted = overridesFor(parseOverrides(opts.overrideGuard), limit !== undefined);
      const { createAnthropicAdminClient } = await import('@claude-idp/anthropic');
      const client = createAnthropicAdminClient({ env: ctx.io.env });
      const members = opts.members
        ? readMembersFile(ctx.io, opts.members, { allowEmpty: opts.allowEmptyMembers })
        : undefined;
      const run = (dryRun: boolean, overrideGuards: string[]) =>
        client.applyPlan(planDoc, {
          dryRun,
          limits: limit === undefined ? undefined : { maxDeprovision: limit },
          overrideGuards,
          trailPath: opts.trail ? resolve(ctx.io.cwd, opts.trail) : undefined,
          members,
          actor: opts.actor,
          abortSignal: ctx.abortSignal,
          now: ctx.io.now,
          // Dry runs are silent; a real run reports each action and every wait on stderr.
          onProgress: dryRun ? undefined : applyProgress(ctx.io, Boolean(program.opts().quiet)),
        });
      let result: ApplyResult;
      let blocked: GuardBreach[] = [];
      if (opts.yes) {
        try {
          result = await run(false, accepted);
        } catch (error) {
          if (!GuardRefusalError.isInstance(error)) throw error;
          throw new GuardRefusalError({ guards: describeGuards(error.guards) });
        }
      } else {
        // A dry run shows what it would do whatever the guards say, then which guards stop --yes.
        result = await run(true, EVERY_GUARD);
        blocked = describeGuards(await everyRefusal((ok) => run(true, ok), accepted));
      }
      if (opts.format === 'json')
        emit(ctx.io, canonicalJson(blocked.length ? { ...result, wouldRefuse: blocked } : result, 2));
      else emit(ctx.io, renderApplyText(result, !opts.yes, blocked));
      if (blocked.length) ctx.setExit(4);
      // Could not finish (failures past the retry budget, abort): the target was not fully written.
      else if (result.stopped || result.failed.length > 0) ctx.setExit(3);
    });
}

type Rec = ApplyResult['skipped'][number];

const SCIM_DOES: Record<string, string> = {
  provision: 'add them on assignment',
  changeRole: 'push the role change',
  changeSeatTier: 'push the seat tier change',
  deprovision: 'remove them',
};
const JIT_DOES: Record<string, string> = {
  provision: 'add them',
  changeRole: 'set the new role',
  changeSeatTier: 'set the new seat tier',
  deprovision: 'remove them',
};

/** Why apply leaves an action alone, in terms of what will happen and who does it (never just "already so"). */
export function skipText(a: Rec): string {
  if (a.code === 'HANDLED_BY_IDP') {
    const scim = SCIM_DOES[a.action] ?? 'make the change';
    if (a.when === 'immediate') return `the IdP does this: SCIM will ${scim}; apply sends nothing`;
    if (a.when === 'nextSyncCycle')
      return `the IdP does this: SCIM will ${scim} at its next sync cycle; apply sends nothing`;
    if (a.when === 'nextLogin')
      return `the IdP does this: their next login will ${JIT_DOES[a.action] ?? 'make the change'} under JIT; apply sends nothing`;
    return a.reason;
  }
  if (a.code === 'ALREADY_TRUE') return `nothing to do: ${a.reason}`;
  return a.reason;
}

function renderApplyText(r: ApplyResult, dryRun: boolean, blocked: GuardBreach[]): string {
  const line = (a: { action: string; email: string; from?: string; to?: string }) =>
    `${a.action} ${a.email}${a.from || a.to ? ` (${a.from ?? '-'} → ${a.to ?? '-'})` : ''}`;
  const out = [dryRun ? 'Dry run (pass --yes to act):' : 'Applied:'];
  for (const a of r.done) out.push(`  ${dryRun ? 'would ' : 'done   '}${line(a)}`);
  out.push(
    `Provisioning mode ${r.orgMode.mode} (${r.orgMode.source === 'claude' ? "Claude's enforced setting" : `the config's: ${r.orgMode.note ?? ''}`})`,
  );
  for (const a of r.skipped) if (a.code !== 'NO_OP') out.push(`  skip   ${line(a)}: ${skipText(a)}`);
  for (const m of r.manual) out.push(`  manual ${m.instructions} — ${m.screen}`);
  for (const a of r.refused) out.push(`  REFUSED ${line(a)}: ${a.reason}`);
  for (const f of r.failed) out.push(`  FAILED ${line(f)}${'error' in f && f.error ? `: ${String(f.error)}` : ''}`);
  for (const f of r.notAttempted) out.push(`  not attempted ${line(f)}`);
  if (r.resumed) out.push('Resumed: earlier runs of this plan (per the audit trail) were taken into account.');
  if (r.stopped)
    out.push(
      `Stopped before the end (${r.stopped.reason}): ${r.stopped.message}. Re-run with the same --trail to finish.`,
    );
  const byIdp = r.skipped.filter((a) => a.code === 'HANDLED_BY_IDP').length;
  const already = r.skipped.filter((a) => a.code !== 'HANDLED_BY_IDP' && a.code !== 'NO_OP').length;
  out.push(
    `${r.done.length} ${dryRun ? 'to do' : 'done'}, ${byIdp} left to the IdP (SCIM / JIT), ${already} already so, ${r.manual.length} manual step(s), ${r.failed.length} failed`,
  );
  if (blocked.length) {
    out.push('', '--yes would be refused:');
    for (const g of blocked) out.push(`  ${g.code}: ${g.message}`);
  }
  return out.join('\n');
}
