import type { Command } from 'commander';
import { resolve } from 'node:path';
import { canonicalJson, loadSnapshot, runbook } from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import { readConfig } from '../cli-inputs';
import type { CommandContext } from '../cli-program';

export function registerRunbook(program: Command, ctx: CommandContext): void {
  const cmd = program.command('runbook').description('Ordered, checked steps for a risky change');
  cmd
    .command('switch-idp')
    .description('The switch-IdP procedure (R-W2) for every connected org, with waits, checks and what each step does to signed-in users')
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option('--from <snapshot>', 'a snapshot of the current IdP')
    .option('--to <snapshot>', 'a snapshot of the new IdP')
    .option('--format <format>', 'text | json | markdown', 'text')
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExample:\n  $ claude-idp runbook switch-idp --config claude-idp.config.yaml --from okta.json --to entra.json --format markdown --out switch.md')
    .action((opts: { config?: string; from?: string; to?: string; format: string; out?: string }) => {
      if (!['text', 'json', 'markdown'].includes(opts.format)) throw new UsageError('--format must be text, json or markdown');
      const config = readConfig(ctx.io, opts.config);
      const from = opts.from ? loadSnapshot(resolve(ctx.io.cwd, opts.from)) : undefined;
      const to = opts.to ? loadSnapshot(resolve(ctx.io.cwd, opts.to)) : undefined;
      const book = runbook.switchIdp({ config, from, to });
      if (opts.format === 'json') return emit(ctx.io, canonicalJson(book, 2), opts.out);
      const md = opts.format === 'markdown';
      const lines: string[] = [md ? `## ${book.title}` : book.title, ''];
      for (const [i, step] of book.steps.entries()) {
        lines.push(`${md ? `${i + 1}.` : `${String(i + 1).padStart(2)}.`} ${md ? `**${step.title}**` : step.title}${step.skipped ? ` (skipped: ${step.skipped})` : ''}`);
        for (const d of step.details ?? []) lines.push(`${md ? '   -' : '     -'} ${d}`);
      }
      emit(ctx.io, lines.join('\n'), opts.out);
    });
}
