import type { Command } from 'commander';
import { finishRun, withRunStateOptions, type RunStateOptions } from '../state/run-state';
import { createEngineCache, plan, type Member, type OrgConfig } from '@claude-idp/core';
import { claudeInputs } from '../claude/claude-live';
import { accessSummaries } from '../cli-access';
import { UsageError } from '../cli-exit';
import { emit, useColor, type Io } from '../cli-io';
import {
  allowEmptyMembersOption,
  parseLimit,
  readConfig,
  readSnapshotWithProgress,
  type MembersFileOptions,
} from '../cli-inputs';
import { formatOption, type CommandContext } from '../cli-program';
import { render, type Format, type OutputBundle } from '../format';

/**
 * Members from `--members FILE`, else the Claude side read live (ANTHROPIC_ADMIN_KEY) for every
 * org in the config, with Claude's enforced modes in the config; an org the key cannot read is an
 * error naming it (exit 3), never an empty member list.
 */
export async function obtainClaudeInputs(
  io: Io,
  config: OrgConfig,
  path: string | undefined,
  abortSignal?: AbortSignal,
  options: MembersFileOptions = {},
): Promise<{ config: OrgConfig; members: Member[] }> {
  if (!path && !io.env.ANTHROPIC_ADMIN_KEY)
    throw new UsageError(
      'pass --members FILE (JSON or CSV), or set ANTHROPIC_ADMIN_KEY to read the members from the Anthropic Admin API',
    );
  const claude = await claudeInputs(io, config, {
    members: path,
    allowEmptyMembers: options.allowEmpty,
    abortSignal,
    rawRoles: true,
  });
  return { config: claude.config, members: claude.members ?? [] };
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  withRunStateOptions(program.command('plan'), ctx)
    .description('Who gets provisioned, re-roled, re-tiered or removed, and when, under each org’s mode')
    .option('--snapshot <file>', 'a saved snapshot')
    .option('--idp <kind>', 'read live: okta | entra | google | onelogin')
    .option('--app <id-or-name>', 'the Claude app in the IdP (live reads)')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option('--members <file>', "today's members (JSON or CSV); default: read from the Anthropic Admin API")
    .addOption(allowEmptyMembersOption())
    .option('--max-deprovision <n|n%>', 'breaker: refuse more removals than this per org (default 10%)')
    .addOption(formatOption())
    .option('--out <file>', 'write to a file instead of stdout (json: the file `apply` takes)')
    .option(
      '--detailed-exitcode',
      'exit 1 when the plan has changes, 0 when it has none (exit 1 always when it has guards)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ claude-idp plan --snapshot snapshot.json --config claude-idp.config.yaml --members members.csv --format json --out plan.json
  $ claude-idp plan --idp okta --members members.json --detailed-exitcode || echo "changes pending"
  $ claude-idp plan --idp entra --state ./state --notify https://hooks.example.com/claude-idp --format json --out plan.json
Exit 1 when the plan has guards (BREAKER, LAST_OWNER, ...: apply would refuse it without an override).`,
    )
    .action(
      async (
        opts: {
          snapshot?: string;
          idp?: string;
          app?: string;
          config?: string;
          members?: string;
          allowEmptyMembers?: boolean;
          maxDeprovision?: string;
          format: Format;
          out?: string;
          detailedExitcode?: boolean;
        } & RunStateOptions,
        cmd: Command,
      ) => {
        if (!opts.snapshot && !opts.idp) throw new UsageError('pass --snapshot FILE or --idp KIND');
        const configured = readConfig(ctx.io, opts.config);
        const limit = parseLimit(opts.maxDeprovision);
        // Local files are checked first; the Claude side is read over the network after the snapshot.
        const fromFile = opts.members
          ? await obtainClaudeInputs(ctx.io, configured, opts.members, undefined, {
              allowEmpty: opts.allowEmptyMembers,
            })
          : undefined;
        const snapshot = await readSnapshotWithProgress(ctx.io, opts, {
          abortSignal: ctx.abortSignal,
          quiet: Boolean(program.opts().quiet),
        });
        const { config, members } =
          fromFile ?? (await obtainClaudeInputs(ctx.io, configured, undefined, ctx.abortSignal));
        const cache = createEngineCache(); // the index plan builds serves the access summary and the access table too
        const result = plan({
          snapshot,
          config,
          members,
          now: ctx.io.now(),
          limits: limit === undefined ? undefined : { maxDeprovision: limit },
          cache,
        });
        const bundle = {
          title: 'claude-idp plan',
          plan: result,
          access: accessSummaries(snapshot, config, members, cache),
        };
        const print = (b: OutputBundle) =>
          emit(ctx.io, render(opts.format, b, result, useColor(ctx.io) && !opts.out), opts.out);
        const changed = opts.detailedExitcode && result.orgs.some((o) => o.actions.some((a) => a.action !== 'none'));
        // A guard means apply would refuse this plan: the job fails here too (and JUnit fails the guard).
        await finishRun(ctx, {
          command: 'plan',
          cmd,
          opts,
          snapshot,
          config,
          members,
          plan: result,
          bundle,
          print,
          exit: result.guards.length > 0 || changed ? 1 : 0,
          cache,
        });
      },
    );
}
