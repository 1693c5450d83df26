import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { canonicalJson, IDP_KINDS, loadSnapshot, runbook, type IdpKind } from '@claude-idp/core';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import { readConfig } from '../cli-inputs';
import { formatOption, type CommandContext } from '../cli-program';

function idpKind(value: string | undefined, flag: string): IdpKind | undefined {
  if (value === undefined) return undefined;
  if (!(IDP_KINDS as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${IDP_KINDS.join(', ')} (got "${value}")`);
  return value as IdpKind;
}

export function registerRunbook(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('runbook')
    .description('Ordered, checked steps for a risky change')
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp runbook switch-idp --config claude-idp.config.yaml --to entra --format markdown --out switch-idp.md',
    );
  cmd
    .command('switch-idp')
    .description(
      'The switch-IdP procedure (R-W1, R-W2, R-W3) for every connected org, with waits, checks and what each step does to signed-in users',
    )
    .option(
      '--config <file>',
      'the org config (default: ./claude-idp.config.yaml|json); its parent.idp is the IdP you leave',
    )
    .option('--from <kind>', 'the IdP you leave (default: parent.idp in the config)')
    .addOption(
      new Option('--to <kind>', 'the IdP you move to')
        .choices(['okta', 'entra', 'google', 'onelogin'])
        .makeOptionMandatory(),
    )
    .option(
      '--snapshot <file>',
      'a snapshot of the current IdP: the runbook names the email sources the new IdP must match',
    )
    .addOption(formatOption(['text', 'json', 'markdown']))
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ claude-idp runbook switch-idp --config claude-idp.config.yaml --to entra --snapshot okta-snapshot.json --format markdown --out switch.md',
    )
    .action((opts: { config?: string; from?: string; to: string; snapshot?: string; format: string; out?: string }) => {
      const config = readConfig(ctx.io, opts.config);
      const snapshot = opts.snapshot ? loadSnapshot(resolve(ctx.io.cwd, opts.snapshot)) : undefined;
      const book = runbook.switchIdp({
        config,
        from: idpKind(opts.from, '--from') ?? config.parent.idp,
        to: idpKind(opts.to, '--to')!,
        snapshot,
      });
      if (opts.format === 'json') return emit(ctx.io, canonicalJson(book, 2), opts.out);
      if (opts.format === 'text') return emit(ctx.io, book.lines.join('\n'), opts.out);
      const md: string[] = [
        `## Switch the IdP: ${book.from} → ${book.to}`,
        '',
        `**Who:** ${book.who.text} (R-W1)`,
        '',
        '**Before you begin:**',
        ...book.before.map((b) => `- ${b}`),
        '',
      ];
      for (const n of book.notes) md.push(`> ${n}`, '');
      for (const s of book.steps) {
        md.push(`### ${s.n}. ${s.title}${s.status === 'skipped' ? ` — skipped: ${s.skippedBecause ?? ''}` : ''}`, '');
        for (const a of s.actions) md.push(`- ${a}`);
        if (s.waitMinutes) md.push(`- Wait about ${s.waitMinutes} minutes.`);
        md.push(`- **Check:** ${s.check}`, `- **Signed-in people:** ${s.effectOnUsers}`, '');
      }
      emit(ctx.io, md.join('\n'), opts.out);
    });
}
