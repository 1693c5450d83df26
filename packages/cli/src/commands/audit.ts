import type { Command } from 'commander';
import { finishRun, withRunStateOptions, type RunStateOptions } from '../state/run-state';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { audit, createEngineCache, loadDomainMembers, type Report } from '@claude-idp/core';
import { accessSummaries } from '../cli-access';
import { UsageError } from '../cli-exit';
import { emit, useColor } from '../cli-io';
import { allowEmptyMembersOption, readConfig, readSnapshotWithProgress } from '../cli-inputs';
import { claudeInputs, sourcesText, withClaudeReport } from '../claude/claude-live';
import { formatOption, type CommandContext } from '../cli-program';
import { FAIL_ON, failsUnder, render, type FailOn, type Format, type OutputBundle } from '../format';

/** Exit 1 when a finding is at or above `failOn` (the JUnit output fails the same findings). */
export function failsAt(report: Report, failOn: FailOn): boolean {
  return report.findings.some((f) => failsUnder(f, failOn));
}

export function registerAudit(program: Command, ctx: CommandContext): void {
  withRunStateOptions(program.command('audit'), ctx, { failOnNew: true })
    .description('Apply the Claude SSO/JIT/SCIM/mapping rules to the IdP and list what breaks, with fixes')
    .option('--snapshot <file>', 'a saved snapshot (offline, CI)')
    .option('--idp <kind>', 'read live: okta | entra | google | onelogin (credentials from the environment)')
    .option('--app <id-or-name>', 'the Claude app in the IdP (live reads)')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option(
      '--members <file>',
      "today's members (JSON or CSV): stale members, access loss, downgrades; default with ANTHROPIC_ADMIN_KEY: read from Claude",
    )
    .addOption(allowEmptyMembersOption())
    .option('--domain-members <file>', 'the domain-membership export (CSV or JSON): who Require SSO locks out')
    .option('--actor <email>', 'the admin about to save the settings (checks they keep Owner/Admin)')
    .addOption(formatOption())
    .option('--out <file>', 'write to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 at or above this severity').choices(FAIL_ON).default('error'))
    .addHelpText(
      'after',
      `
Examples:
  $ claude-idp audit --snapshot snapshot.json --config claude-idp.config.yaml --members members.csv
  $ claude-idp audit --idp entra --config claude-idp.config.yaml --format junit --out audit.xml --fail-on warning
  $ claude-idp audit --snapshot snapshot.json --format markdown >> "$GITHUB_STEP_SUMMARY"
  $ claude-idp audit --idp okta --state /var/lib/claude-idp --fail-on-new error --notify slack+https://hooks.slack.com/services/… --out audit.txt`,
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
          domainMembers?: string;
          actor?: string;
          format: Format;
          out?: string;
          failOn: FailOn;
        } & RunStateOptions,
        cmd: Command,
      ) => {
        if (!opts.snapshot && !opts.idp) throw new UsageError('pass --snapshot FILE or --idp KIND');
        const claude = await claudeInputs(ctx.io, readConfig(ctx.io, opts.config), {
          members: opts.members,
          allowEmptyMembers: opts.allowEmptyMembers,
          abortSignal: ctx.abortSignal,
          quiet: Boolean(program.opts().quiet),
        });
        const { config, members } = claude;
        const domainMembers = opts.domainMembers
          ? loadDomainMembers(resolve(ctx.io.cwd, opts.domainMembers))
          : undefined;
        const snapshot = await readSnapshotWithProgress(ctx.io, opts, {
          abortSignal: ctx.abortSignal,
          quiet: Boolean(program.opts().quiet),
        });
        const cache = createEngineCache(); // the index audit builds serves the access summary and the access table too
        const report = withClaudeReport(
          audit({ snapshot, config, members, domainMembers, actor: opts.actor, now: ctx.io.now(), cache }),
          claude,
        );
        const bundle = {
          title: 'claude-idp audit',
          report,
          access: accessSummaries(snapshot, config, members, cache),
          failOn: opts.failOn,
        };
        const print = (b: OutputBundle) =>
          emit(
            ctx.io,
            render(opts.format, b, report, useColor(ctx.io) && !opts.out) +
              (opts.format === 'text' ? sourcesText(claude.sources) : ''),
            opts.out,
          );
        await finishRun(ctx, {
          command: 'audit',
          cmd,
          opts,
          snapshot,
          config,
          members,
          report,
          bundle,
          print,
          exit: failsAt(report, opts.failOn) ? 1 : 0,
          cache,
        });
      },
    );
}
