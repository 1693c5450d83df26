import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '@claude-idp/core';
import { describeError } from './cli-exit';
import { checkOutPath, fixedClock, processIo, type Io } from './cli-io';
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
import { registerWatch } from './commands/watch';
import { registerConfigPull } from './claude/config-pull';
import { FORMATS } from './format';

export interface RunContext {
  io?: Io;
  abortSignal?: AbortSignal;
  /**
   * Long-running commands (`watch`) register a graceful stop here: while one is registered,
   * SIGTERM and the first Ctrl-C call it instead of aborting. Returns the unregistering function.
   */
  onStop?: (handler: () => void) => () => void;
}

/** What each command's action receives besides its options. */
export interface CommandContext {
  io: Io;
  abortSignal?: AbortSignal;
  /** The action's exit code (0 unless it sets one). */
  setExit(code: number): void;
  /** See RunContext.onStop. */
  onStop?: (handler: () => void) => () => void;
}

/** `--format`, checked against the formats the command prints (`--format xml` is a usage error). */
export const formatOption = (choices: readonly string[] = FORMATS) =>
  new Option('--format <format>', 'output format').choices(choices).default('text');

/** Commands that stamp a time (`generatedAt`, `capturedAt`, trail lines): they take `--now`. */
const STAMPING = new Set([
  'demo',
  'snapshot',
  'audit',
  'plan',
  'apply',
  'preflight enable-mappings',
  'preflight require-sso',
  'preflight merge',
  'preflight switch-idp',
]);

function addNowOption(cmd: Command): void {
  if (cmd.options.some((o) => o.long === '--now')) return;
  cmd.option(
    '--now <iso>',
    'the time to stamp on the output instead of the clock (also SOURCE_DATE_EPOCH): same inputs, byte-identical JSON',
  );
}

/**
 * Runs `claude-idp` with the given arguments and returns the exit code (SPEC §6): 0 success,
 * 1 findings at or above --fail-on (or plan --detailed-exitcode with changes), 2 bad input or
 * usage, 3 the IdP or target could not be read completely, 4 apply refused by a guard, 5 a
 * `--notify` target could not be told.
 */
export async function run(argv: string[], context: RunContext = {}): Promise<number> {
  const io = context.io ?? processIo();
  let exit = 0;
  const ctx: CommandContext = {
    io,
    abortSignal: context.abortSignal,
    setExit: (c) => (exit = c),
    onStop: context.onStop,
  };
  const program = new Command('claude-idp')
    .description(
      'Check and reconcile Claude SSO, JIT/SCIM provisioning and group mappings against your identity provider.',
    )
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
            5 a --notify webhook could not be told (the run is saved) · 130 interrupted (Ctrl-C)
Run without a command, claude-idp prints this help on stderr and exits 2 (a usage error).`,
  );
  for (const register of [
    registerDemo,
    registerSnapshot,
    registerAudit,
    registerPlan,
    registerApply,
    registerExplain,
    registerPreflight,
    registerRunbook,
    registerDiff,
    registerSchema,
    registerConfigPull,
    registerWatch,
  ]) {
    register(program, ctx);
  }
  for (const cmd of program.commands) {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
      .showHelpAfterError('(run with --help for usage and an example)');
    for (const sub of cmd.commands)
      sub
        .exitOverride()
        .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
        .showHelpAfterError('(run with --help for usage and an example)');
    for (const c of [cmd, ...cmd.commands]) if (STAMPING.has(commandPath(c))) addNowOption(c);
  }
  // --now / SOURCE_DATE_EPOCH fix the clock every stamping command reads through ctx.io.now.
  program.hook('preAction', (_top, action) => {
    const opts = action.opts();
    const clock = fixedClock(opts.now as string | undefined, io.env);
    if (clock) ctx.io = { ...ctx.io, now: clock };
    // A bad --out fails before a long live read, not after it.
    if (typeof opts.out === 'string') checkOutPath(opts.out);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; everything else is a usage error, including
      // no command at all (commander then prints the help on stderr: 'commander.help').
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.executeSubCommandAsync') return 0;
      return 2;
    }
    const { code, lines } = describeError(error);
    io.stderr(`claude-idp: ${lines.join('\n')}\n`);
    return code;
  }
}

function commandPath(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x?.parent; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}
