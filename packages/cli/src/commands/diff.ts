import type { Command } from 'commander';
import { resolve } from 'node:path';
import { canonicalJson, diff, loadSnapshot } from '@claude-idp/core';
import { emit } from '../cli-io';
import type { CommandContext } from '../cli-program';

export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description('Drift between two snapshots (keyed by IdP ids: a rename is a change, not a delete + add)')
    .argument('<old>', 'the earlier snapshot JSON')
    .argument('<new>', 'the later snapshot JSON')
    .option('--format <format>', 'text | json', 'text')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--exit-code', 'exit 1 when there is any drift')
    .addHelpText('after', '\nExample:\n  $ claude-idp diff snapshots/2026-11-21.json snapshots/2026-11-22.json --format json')
    .action((oldPath: string, newPath: string, opts: { format: string; out?: string; exitCode?: boolean }) => {
      const result = diff(loadSnapshot(resolve(ctx.io.cwd, oldPath)), loadSnapshot(resolve(ctx.io.cwd, newPath)));
      emit(ctx.io, opts.format === 'json' ? canonicalJson(result, 2) : renderDiffText(result), opts.out);
      if (opts.exitCode && hasDrift(result)) ctx.setExit(1);
    });
}

type DiffResult = ReturnType<typeof diff>;

function hasDrift(d: DiffResult): boolean {
  return Object.values((d as { summary?: Record<string, number> }).summary ?? {}).some((n) => n > 0);
}

function renderDiffText(d: DiffResult): string {
  const lines = (d as { lines?: string[] }).lines;
  if (Array.isArray(lines)) return lines.join('\n') || 'No drift.';
  return canonicalJson(d, 2);
}
