import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson, InputError, PlanSchema, zodIssues, type Plan } from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import { parseLimit, readMembersFile } from '../cli-inputs';
import type { CommandContext } from '../cli-program';
import type { ApplyResult } from '@claude-idp/anthropic';
import { applyProgress } from '../claude/apply-progress';

export function loadPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError({ source: path, issues: [{ path: '', expected: 'a readable plan file (claude-idp plan --format json --out FILE)', received: (error as NodeJS.ErrnoException).code ?? 'unreadable' }] });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError({ source: path, issues: [{ path: '', expected: 'a JSON plan (claude-idp plan --format json)', received: (error as Error).message }] });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== 1) throw new InputError({ source: path, issues: [{ path: 'schemaVersion', expected: '1 (this claude-idp reads plan schema 1)', received: JSON.stringify(version) }] });
  const parsed = PlanSchema.safeParse(data);
  if (!parsed.success) throw new InputError({ source: path, issues: zodIssues(parsed.error, data) });
  return parsed.data;
}

export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('Carry out a saved plan against the Claude org (default: show what it would do; --yes to act)')
    .argument('<plan>', 'the plan JSON written by `claude-idp plan --format json --out FILE`')
    .requiredOption('--target <target>', 'anthropic-admin (the Anthropic Admin API; key in ANTHROPIC_ADMIN_KEY)')
    .option('--max-deprovision <n|n%>', 'refuse more removals than this per org (default 10%)')
    .option('--override-guard <code...>', 'proceed past these plan guards (never past an incomplete read)')
    .option('--trail <file>', 'append the audit trail (one JSON line per action) to this file')
    .option('--members <file>', 'the members file the plan was made from (plans covering several orgs)')
    .option('--actor <label>', 'who runs it, recorded on every audit-trail line', 'claude-idp')
    .option('--yes', 'act; without it, only show what would be done')
    .option('--format <format>', 'text | json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ claude-idp apply plan.json --target anthropic-admin                    # dry run: what would be done
  $ claude-idp apply plan.json --target anthropic-admin --yes --trail apply-trail.jsonl
Exit 4 when the plan is stale (the members changed since it was made) or a guard refuses it.`,
    )
    .action(async (file: string, opts: { target: string; maxDeprovision?: string; overrideGuard?: string[]; trail?: string; members?: string; actor: string; yes?: boolean; format: string }) => {
      if (opts.target !== 'anthropic-admin') throw new UsageError(`--target must be anthropic-admin (got "${opts.target}")`);
      const planDoc = loadPlanFile(resolve(ctx.io.cwd, file));
      const limit = parseLimit(opts.maxDeprovision);
      const { createAnthropicAdminClient } = await import('@claude-idp/anthropic');
      const client = createAnthropicAdminClient({ env: ctx.io.env });
      const result = await client.applyPlan(planDoc, {
        dryRun: !opts.yes,
        limits: limit === undefined ? undefined : { maxDeprovision: limit },
        overrideGuards: opts.overrideGuard,
        trailPath: opts.trail ? resolve(ctx.io.cwd, opts.trail) : undefined,
        members: opts.members ? readMembersFile(ctx.io, opts.members) : undefined,
        actor: opts.actor,
        abortSignal: ctx.abortSignal,
        onProgress: applyProgress(ctx.io, Boolean(program.opts().quiet)),
      });
      if (opts.format === 'json') emit(ctx.io, canonicalJson(result, 2));
      else emit(ctx.io, renderApplyText(result, !opts.yes));
      // Could not finish (failures past the retry budget, abort): the target was not fully written.
      if (result.stopped || result.failed.length > 0) ctx.setExit(3);
    });
}


function renderApplyText(r: ApplyResult, dryRun: boolean): string {
  const line = (a: { action: string; email: string; from?: string; to?: string }) => `${a.action} ${a.email}${a.from || a.to ? ` (${a.from ?? '-'} → ${a.to ?? '-'})` : ''}`;
  const out = [dryRun ? 'Dry run (pass --yes to act):' : 'Applied:'];
  for (const a of r.done) out.push(`  ${dryRun ? 'would ' : 'done   '}${line(a)}`);
  out.push(`Provisioning mode ${r.orgMode.mode} (${r.orgMode.source === 'claude' ? "Claude's enforced setting" : `the config's: ${r.orgMode.note ?? ''}`})`);
  for (const a of r.skipped) out.push(`  skip   ${line(a)}: ${a.code === 'HANDLED_BY_SCIM' || a.code === 'HANDLED_BY_JIT' ? a.reason : 'already so'}`);
  for (const m of r.manual) out.push(`  manual ${m.instructions} — ${m.screen}`);
  for (const f of r.failed) out.push(`  FAILED ${line(f)}${'error' in f && f.error ? `: ${String(f.error)}` : ''}`);
  for (const f of r.notAttempted) out.push(`  not attempted ${line(f)}`);
  if (r.resumed) out.push('Resumed: earlier runs of this plan (per the audit trail) were taken into account.');
  if (r.stopped) out.push(`Stopped before the end (${r.stopped.reason}): ${r.stopped.message}. Re-run with the same --trail to finish.`);
  out.push(`${r.done.length} ${dryRun ? 'to do' : 'done'}, ${r.skipped.length} already so, ${r.manual.length} manual step(s), ${r.failed.length} failed`);
  return out.join('\n');
}
