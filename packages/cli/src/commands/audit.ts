import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { audit, createEngineCache, loadDomainMembers, type Finding, type Report } from '@claude-idp/core';
import { accessSummaries } from '../cli-access';
import { UsageError } from '../cli-exit';
import { emit, useColor } from '../cli-io';
import { readConfig, readMembersFile, readSnapshotWithProgress } from '../cli-inputs';
import { formatOption, type CommandContext } from '../cli-program';
import { render, type Format } from '../format';

const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** Exit 1 when a finding is at or above `failOn`. */
export function failsAt(report: Report, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const rank: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };
  const limit = rank[failOn];
  return report.findings.some((f) => rank[f.severity] <= limit);
}

export function registerAudit(program: Command, ctx: CommandContext): void {
  program
    .command('audit')
    .description('Apply the Claude SSO/JIT/SCIM/mapping rules to the IdP and list what breaks, with fixes')
    .option('--snapshot <file>', 'a saved snapshot (offline, CI)')
    .option('--idp <kind>', 'read live: okta | entra | google | onelogin (credentials from the environment)')
    .option('--app <id-or-name>', 'the Claude app in the IdP (live reads)')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option('--members <file>', "today's members (JSON or CSV): stale members, access loss, downgrades")
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
  $ claude-idp audit --snapshot snapshot.json --format markdown >> "$GITHUB_STEP_SUMMARY"`,
    )
    .action(async (opts: { snapshot?: string; idp?: string; app?: string; config?: string; members?: string; domainMembers?: string; actor?: string; format: Format; out?: string; failOn: FailOn }) => {
      if (!opts.snapshot && !opts.idp) throw new UsageError('pass --snapshot FILE or --idp KIND');
      const config = readConfig(ctx.io, opts.config);
      const members = opts.members ? readMembersFile(ctx.io, opts.members) : undefined;
      const domainMembers = opts.domainMembers ? loadDomainMembers(resolve(ctx.io.cwd, opts.domainMembers)) : undefined;
      const snapshot = await readSnapshotWithProgress(ctx.io, opts, { abortSignal: ctx.abortSignal, quiet: Boolean(program.opts().quiet) });
      const cache = createEngineCache(); // the index audit builds serves the access summary too
      const report = audit({ snapshot, config, members, domainMembers, actor: opts.actor, now: ctx.io.now(), cache });
      const bundle = { title: 'claude-idp audit', report, access: accessSummaries(snapshot, config, members, cache) };
      emit(ctx.io, render(opts.format, bundle, report, useColor(ctx.io) && !opts.out), opts.out);
      if (failsAt(report, opts.failOn)) ctx.setExit(1);
    });
}
