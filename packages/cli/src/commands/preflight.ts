import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import {
  loadDomainMembers,
  loadSnapshot,
  preflight,
  VERSION,
  type DirectorySnapshot,
  type Finding,
  type Report,
} from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit, useColor } from '../cli-io';
import {
  allowEmptyMembersOption,
  readConfig,
  readMembersFile,
  readSnapshotWithProgress,
  resolveOrgId,
} from '../cli-inputs';
import { formatOption, type CommandContext } from '../cli-program';
import { render, type Format } from '../format';
import { claudeInputs } from '../claude/claude-live';

interface Common {
  snapshot?: string;
  idp?: string;
  app?: string;
  config?: string;
  format: Format;
  out?: string;
}

function asReport(
  snapshot: Pick<DirectorySnapshot, 'idp' | 'tenant' | 'capturedAt' | 'complete'> | undefined,
  findings: Finding[],
  now: Date,
): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'claude-idp', version: VERSION },
    generatedAt: now.toISOString(),
    snapshot: snapshot
      ? { idp: snapshot.idp, tenant: snapshot.tenant, capturedAt: snapshot.capturedAt, complete: snapshot.complete }
      : { idp: 'generic', tenant: '-', capturedAt: now.toISOString(), complete: true },
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
    },
  };
}

export function registerPreflight(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('preflight')
    .description('What happens if you make this change now: enable-mappings, require-sso, merge, switch-idp')
    .addHelpText(
      'after',
      `
Examples:
  $ claude-idp preflight enable-mappings --snapshot snapshot.json --org 468ca80f --members members.csv --actor me@acme.com
  $ claude-idp preflight require-sso --snapshot snapshot.json --domain-members domain-memberships.csv
Exit 1 when the change would break something (an error finding); claude-idp preflight <check> --help for each check.`,
    );
  const source = (c: Command) =>
    c
      .option('--snapshot <file>', 'a saved snapshot')
      .option('--idp <kind>', 'read live: okta | entra | google | onelogin')
      .option('--app <id-or-name>', 'the Claude app in the IdP (live reads)')
      .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
      .addOption(formatOption())
      .option('--out <file>', 'write to a file instead of stdout');
  const read = async (opts: Common) => {
    if (!opts.snapshot && !opts.idp) throw new UsageError('pass --snapshot FILE or --idp KIND');
    return readSnapshotWithProgress(ctx.io, opts, {
      abortSignal: ctx.abortSignal,
      quiet: Boolean(program.opts().quiet),
    });
  };
  const finish = (
    title: string,
    opts: Common,
    snapshot: DirectorySnapshot | undefined,
    result: { findings: Finding[] },
  ) => {
    const report = asReport(snapshot, result.findings, ctx.io.now());
    emit(
      ctx.io,
      render(opts.format, { title, report }, opts.format === 'json' ? result : report, useColor(ctx.io) && !opts.out),
      opts.out,
    );
    if (report.summary.errors > 0) ctx.setExit(1);
  };

  source(cmd.command('enable-mappings'))
    .description(
      'Before saving group mappings: who loses access or is downgraded, unseen groups, actor lockout (R-G5, R-G6)',
    )
    .requiredOption('--org <id>', 'the org whose mappings you are about to save (its id, or the first 8 characters)')
    .option(
      '--members <file>',
      "today's members (JSON or CSV); default with ANTHROPIC_ADMIN_KEY: read from Claude, with the groups Claude has from SCIM",
    )
    .addOption(allowEmptyMembersOption())
    .option('--actor <email>', 'you, the admin who will click Save')
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp preflight enable-mappings --snapshot snap.json --config claude-idp.config.yaml --org 468ca80f-... --members members.csv --actor me@acme.com',
    )
    .action(async (opts: Common & { org: string; members?: string; allowEmptyMembers?: boolean; actor?: string }) => {
      if (!opts.members && !ctx.io.env.ANTHROPIC_ADMIN_KEY)
        throw new UsageError(
          'pass --members FILE (JSON or CSV), or set ANTHROPIC_ADMIN_KEY to read the members from Claude',
        );
      const configured = readConfig(ctx.io, opts.config);
      const orgId = resolveOrgId(configured, opts.org);
      const claude = await claudeInputs(ctx.io, configured, {
        members: opts.members,
        allowEmptyMembers: opts.allowEmptyMembers,
        abortSignal: ctx.abortSignal,
        quiet: Boolean(program.opts().quiet),
      });
      const snapshot = await read(opts);
      const result = preflight.enableMappings({
        snapshot,
        config: claude.config,
        orgId,
        members: claude.members ?? [],
        actor: opts.actor,
      });
      finish('claude-idp preflight enable-mappings', opts, snapshot, {
        ...result,
        findings: [...result.findings, ...claude.findings.filter((f) => f.orgId === undefined || f.orgId === orgId)],
      });
    });

  source(cmd.command('require-sso'))
    .description(
      'Before turning on "Require SSO": who loses their existing accounts (R-S2, from the domain-membership export)',
    )
    .requiredOption('--domain-members <file>', 'the domain-membership export (CSV or JSON)')
    .addOption(new Option('--surface <surface>', 'only the orgs of this surface').choices(['claude', 'console']))
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp preflight require-sso --snapshot snap.json --config claude-idp.config.yaml --domain-members domain-memberships.csv',
    )
    .action(async (opts: Common & { domainMembers: string; surface?: 'claude' | 'console' }) => {
      const config = readConfig(ctx.io, opts.config);
      const domainMembers = loadDomainMembers(resolve(ctx.io.cwd, opts.domainMembers));
      const snapshot = await read(opts);
      finish(
        'claude-idp preflight require-sso',
        opts,
        snapshot,
        preflight.requireSso({ snapshot, config, domainMembers, surface: opts.surface }),
      );
    });

  cmd
    .command('merge')
    .description('Whether a merge may proceed, which members block it, and the approvals needed (R-M1..R-M5)')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .requiredOption('--initiator <org-id>', 'the Team/Enterprise org that sends the proposal')
    .requiredOption('--invited-org <id>', 'the org being invited')
    .addOption(
      new Option('--invited-surface <surface>', "the invited org's surface")
        .choices(['claude', 'console'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--invited-plan <plan>', "the invited org's plan")
        .choices(['team', 'enterprise', 'console'])
        .makeOptionMandatory(),
    )
    .requiredOption('--invited-members <file>', "the invited org's members (JSON or CSV)")
    .addOption(allowEmptyMembersOption())
    .option(
      '--initiator-email <email>',
      'who sends the proposal (one approval suffices if they are also Owner/Admin there)',
    )
    .option('--proposed-at <iso-date>', 'when the proposal was sent (checks the 14-day window)')
    .addOption(formatOption())
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp preflight merge --initiator 468ca80f-... --invited-org 9f2c1d7e-... --invited-surface console --invited-plan console --invited-members console-members.csv',
    )
    .action(
      (opts: {
        config?: string;
        initiator: string;
        invitedOrg: string;
        invitedSurface: 'claude' | 'console';
        invitedPlan: 'team' | 'enterprise' | 'console';
        invitedMembers: string;
        allowEmptyMembers?: boolean;
        initiatorEmail?: string;
        proposedAt?: string;
        format: Format;
        out?: string;
      }) => {
        const config = readConfig(ctx.io, opts.config);
        const initiatorOrgId = resolveOrgId(config, opts.initiator, '--initiator');
        const members = readMembersFile(ctx.io, opts.invitedMembers, {
          flag: '--invited-members',
          allowEmpty: opts.allowEmptyMembers,
        });
        if (opts.proposedAt && Number.isNaN(Date.parse(opts.proposedAt)))
          throw new UsageError(`--proposed-at must be an ISO date, got "${opts.proposedAt}"`);
        const result = preflight.merge({
          config,
          initiatorOrgId,
          invitedOrg: { id: opts.invitedOrg, surface: opts.invitedSurface, plan: opts.invitedPlan, members },
          initiatorEmail: opts.initiatorEmail,
          proposedAt: opts.proposedAt,
          now: ctx.io.now(),
        });
        finish('claude-idp preflight merge', opts, undefined, result);
      },
    );

  cmd
    .command('switch-idp')
    .description('Before switching IdP: everyone whose email in the new IdP does not match the old exactly (R-W3)')
    .requiredOption('--from <snapshot>', 'a snapshot of the current IdP')
    .requiredOption('--to <snapshot>', 'a snapshot of the new IdP')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .addOption(formatOption())
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp preflight switch-idp --from okta-snapshot.json --to entra-snapshot.json --config claude-idp.config.yaml',
    )
    .action((opts: { from: string; to: string; config?: string; format: Format; out?: string }) => {
      const config = readConfig(ctx.io, opts.config);
      const from = loadSnapshot(resolve(ctx.io.cwd, opts.from));
      const to = loadSnapshot(resolve(ctx.io.cwd, opts.to));
      finish('claude-idp preflight switch-idp', opts, to, preflight.switchIdp({ from, to, config }));
    });
}
