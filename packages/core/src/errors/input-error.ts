import { ClaudeIdpError } from './claude-idp-error';

const marker = 'claude-idp.error.input';
const symbol = Symbol.for(marker);

export interface InputIssue {
  /** Dotted / indexed path inside the document, e.g. `organizations[0].provisioning.mode`. */
  path: string;
  /** What was expected there, in words. */
  expected: string;
  /** What was found (already shortened; never a secret). */
  received?: string;
  /** The whole problem in words, when "expected … got …" does not read well (an unknown key). */
  message?: string;
}

/**
 * Bad input: a config, members export, snapshot, plan or flag that does not match its contract.
 * Names the source (file or flag), every path inside it that is wrong, and what was expected.
 */
export class InputError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly source: string;
  readonly issues: InputIssue[];

  constructor({
    source,
    issues,
    message,
    cause,
  }: { source: string; issues: InputIssue[]; message?: string; cause?: unknown }) {
    super({
      name: 'InputError',
      code: 'INPUT_INVALID',
      message: message ?? InputError.describe(source, issues),
      cause,
    });
    this.source = source;
    this.issues = issues;
  }

  static describe(source: string, issues: InputIssue[]): string {
    const shown = issues.slice(0, 5).map((i) => InputError.issueText(i));
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    return `${source}: ${shown.join('; ')}${more}`;
  }

  /** One issue as one line: `path: expected X, got Y`, or `path: <message>`. */
  static issueText(i: InputIssue): string {
    const where = i.path || '(root)';
    if (i.message) return `${where}: ${i.message}`;
    return `${where}: expected ${i.expected}${i.received === undefined ? '' : `, got ${i.received}`}`;
  }

  static override isInstance(error: unknown): error is InputError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
