import type { Command } from 'commander';
import { canonicalJson, explain } from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import { allowEmptyMembersOption, readConfig, readSnapshotWithProgress } from '../cli-inputs';
import { claudeInputs } from '../claude/claude-live';
import { formatOption, type CommandContext } from '../cli-program';

export function registerExplain(program: Command, ctx: CommandContext): void {
  program
    .command('explain')
    .description(
      'For one person: how they reach the app, their mapped groups, role, seat tier and planned action, rule by rule',
    )
    .requiredOption('--email <email>', 'the person')
    .option('--snapshot <file>', 'a saved snapshot')
    .option('--idp <kind>', 'read live: okta | entra | google | onelogin')
    .option('--app <id-or-name>', 'the Claude app in the IdP (live reads)')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option('--members <file>', "today's members (JSON or CSV); default with ANTHROPIC_ADMIN_KEY: read from Claude")
    .addOption(allowEmptyMembersOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp explain --email jane.doe@acme.com --snapshot snapshot.json --config claude-idp.config.yaml',
    )
    .action(
      async (opts: {
        email: string;
        snapshot?: string;
        idp?: string;
        app?: string;
        config?: string;
        members?: string;
        allowEmptyMembers?: boolean;
        format: string;
      }) => {
        if (!opts.snapshot && !opts.idp) throw new UsageError('pass --snapshot FILE or --idp KIND');
        const { config, members } = await claudeInputs(ctx.io, readConfig(ctx.io, opts.config), {
          members: opts.members,
          allowEmptyMembers: opts.allowEmptyMembers,
          abortSignal: ctx.abortSignal,
          quiet: Boolean(program.opts().quiet),
        });
        const snapshot = await readSnapshotWithProgress(ctx.io, opts, {
          abortSignal: ctx.abortSignal,
          quiet: Boolean(program.opts().quiet),
        });
        const result = explain({ snapshot, config, email: opts.email, members });
        emit(ctx.io, opts.format === 'json' ? canonicalJson(result, 2) : result.lines.join('\n'));
      },
    );
}
