import type { Command } from 'commander';
import { resolve } from 'node:path';
import { canonicalJson, diff, diffLines, loadSnapshot } from '@claude-idp/core';
import { emit } from '../cli-io';
import { formatOption, type CommandContext } from '../cli-program';

export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description('Drift between two snapshots (keyed by IdP ids: a rename is a change, not a delete + add)')
    .argument('<old>', 'the earlier snapshot JSON')
    .argument('<new>', 'the later snapshot JSON')
    .addOption(formatOption(['text', 'json']))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--exit-code', 'exit 1 when there is any drift')
    .addHelpText(
      'after',
      '\nExamples:\n  $ claude-idp diff snapshots/2026-11-21.json snapshots/2026-11-22.json\n  $ claude-idp diff old.json new.json --format json --exit-code',
    )
    .action((oldPath: string, newPath: string, opts: { format: string; out?: string; exitCode?: boolean }) => {
      const result = diff(loadSnapshot(resolve(ctx.io.cwd, oldPath)), loadSnapshot(resolve(ctx.io.cwd, newPath)));
      // Text: one line per change (core's diffLines), "+ added", "- removed", "~ changed".
      emit(ctx.io, opts.format === 'json' ? canonicalJson(result, 2) : diffLines(result).join('\n'), opts.out);
      if (opts.exitCode && result.summary.total > 0) ctx.setExit(1);
    });
}
