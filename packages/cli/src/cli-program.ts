import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '@claude-idp/core';
import { describeError } from './cli-exit';
import { processIo, type Io } from './cli-io';
import { registerAudit } from './commands/audit';
import { registerApply } from './commands/apply';
import { registerDemo } from './commands/demo';
import { registerDiff } from './commands/diff';
import { registerExplain } from './commands/explain';
import { registerPlan } from './commands/plan';
import { registerPreflight } from './commands/preflight';
import { registerRunbook } from './commands/runbook';
import { registerSchema } from './commands/schema';
import { registerSnapshot } from './commands/snapshot';
import { FORMATS } from './format';

export interface RunContext {
  io?: Io;
  abortSignal?: AbortSignal;
}

/** What each command's action receives besides its options. */
export interface CommandContext {
  io: Io;
  abortSignal?: AbortSignal;
  /** The action's exit code (0 unless it sets one). */
  setExit(code: number): void;
}

export const formatOption = () => new Option('--format <format>', 'output format').choices(FORMATS).default('text');

/**
 * Runs `claude-idp` with the given arguments and returns the exit code (SPEC §6): 0 success,
 * 1 findings at or above --fail-on (or plan --detailed-exitcode with changes), 2 bad input or
 * usage, 3 the IdP or target could not be read completely, 4 apply refused by a guard, 5 a
 * `--notify` target could not be told.
 */
export async function run(argv: string[], context: RunContext = {}): Promise<number> {
  const io = context.io ?? processIo();
  let exit = 0;
  const ctx: CommandContext = { io, abortSignal: context.abortSignal, setExit: (c) => (exit = c) };
  const program = new Command('claude-idp')
    .description('Check and reconcile Claude SSO, JIT/SCIM provisioning and group mappings against your identity provider.')
    .version(VERSION, '-V, --version')
    .option('-q, --quiet', 'no progress output on stderr')
    .showHelpAfterError('(run with --help for usage and an example)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Examples:
  $ claude-idp demo                                   # the whole pipeline on an embedded fake tenant
  $ claude-idp audit --snapshot snap.json --config claude-idp.config.yaml --fail-on warning
  $ OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=... claude-idp snapshot --idp okta --app Claude --out snap.json

Exit codes: 0 ok · 1 findings at/above --fail-on (or plan changes with --detailed-exitcode) · 2 bad input or usage
            3 the IdP or target could not be read completely · 4 apply refused by a guard
            5 a --notify webhook could not be told (the run is saved)`,
  );
  for (const register of [registerDemo, registerSnapshot, registerAudit, registerPlan, registerApply, registerExplain, registerPreflight, registerRunbook, registerDiff, registerSchema]) {
    register(program, ctx);
  }
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }).showHelpAfterError('(run with --help for usage and an example)');
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; everything else is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (error.code === 'commander.executeSubCommandAsync') return 0;
      return 2;
    }
    const { code, lines } = describeError(error);
    io.stderr(`claude-idp: ${lines.join('\n')}\n`);
    return code;
  }
}
