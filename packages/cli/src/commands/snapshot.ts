import type { Command } from 'commander';
import { canonicalJson } from '@claude-idp/core';
import { emit } from '../cli-io';
import { parseIdp, readSnapshotWithProgress } from '../cli-inputs';
import type { CommandContext } from '../cli-program';

export function registerSnapshot(program: Command, ctx: CommandContext): void {
  program
    .command('snapshot')
    .description('Read the IdP (credentials from the environment) and write a DirectorySnapshot')
    .requiredOption('--idp <kind>', 'okta | entra | google | onelogin')
    .option(
      '--app <id-or-name>',
      'the Claude app: its id or name (default: OKTA_APP_ID / ENTRA_APP_ID / ONELOGIN_APP_ID; Google: the app declared in GOOGLE_APP_DECLARATION)',
    )
    .option('--out <file>', 'write the snapshot to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ export OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=...   # never on the command line\n  $ claude-idp snapshot --idp okta --app Claude --out snapshot.json',
    )
    .action(async (opts: { idp: string; app?: string; out?: string }) => {
      parseIdp(opts.idp);
      const snapshot = await readSnapshotWithProgress(ctx.io, opts, {
        abortSignal: ctx.abortSignal,
        quiet: Boolean(program.opts().quiet),
      });
      emit(ctx.io, canonicalJson(snapshot, 2), opts.out);
    });
}
