import {
  ApiCallError,
  ClaudeIdpError,
  ConfigurationError,
  GuardRefusalError,
  IncompleteReadError,
  InputError,
  PermissionError,
  redactText,
} from '@claude-idp/core';

/** SPEC §6 exit codes. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreadable: 3,
  refused: 4,
  /** A `--notify` webhook could not be told (the run itself, and its state, are saved). */
  notifyFailed: 5,
} as const;

/** Input problems printed before "(and N more)". */
const MAX_ISSUES = 20;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * One clear line (plus what to do) for every error, and its exit code. Nothing here prints a
 * stack: typed errors carry their own message, already redacted.
 */
export function describeError(error: unknown): { code: number; lines: string[] } {
  if (error instanceof UsageError) return { code: EXIT.usage, lines: [error.message] };
  if (InputError.isInstance(error)) {
    // One problem: its one line. Several: each once, on its own line, under the file's name.
    if (error.issues.length <= 1) return { code: EXIT.usage, lines: [error.message.split('\n')[0]!] };
    const shown = error.issues.slice(0, MAX_ISSUES).map((i) => `  ${InputError.issueText(i)}`);
    const more = error.issues.length > MAX_ISSUES ? [`  (and ${error.issues.length - MAX_ISSUES} more)`] : [];
    return { code: EXIT.usage, lines: [`${error.source}: ${error.issues.length} problems:`, ...shown, ...more] };
  }
  if (ConfigurationError.isInstance(error)) return { code: EXIT.usage, lines: [error.message] };
  if (GuardRefusalError.isInstance(error)) {
    return { code: EXIT.refused, lines: ['apply refused:', ...error.guards.map((g) => `  ${g.code}: ${g.message}`)] };
  }
  if (PermissionError.isInstance(error)) {
    return {
      code: EXIT.unreadable,
      lines: [error.message, error.missing.length ? `  grant: ${error.missing.join(', ')}` : ''].filter(Boolean),
    };
  }
  if (IncompleteReadError.isInstance(error)) {
    const cause = ApiCallError.isInstance(error.cause) && error.cause.status ? ` (HTTP ${error.cause.status})` : '';
    return {
      code: EXIT.unreadable,
      lines: [`${error.message}${cause}`, '  nothing was written: a read is complete or it is an error'],
    };
  }
  if (ApiCallError.isInstance(error)) return { code: EXIT.unreadable, lines: [error.message] };
  if (ClaudeIdpError.isInstance(error)) return { code: EXIT.usage, lines: [error.message] };
  if (error instanceof Error && (error.name === 'AbortError' || /interrupted/.test(error.message))) {
    return { code: 130, lines: ['interrupted'] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 70, lines: [`internal error: ${redactText(message)}`] };
}
