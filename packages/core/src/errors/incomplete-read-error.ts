import { ClaudeIdpError } from './claude-idp-error';
import { redactText } from './redact';

const marker = 'claude-idp.error.incomplete-read';
const symbol = Symbol.for(marker);

/**
 * A read that could not be finished: a page failed past the retry budget, a cursor repeated,
 * a listing came back shorter than the vendor's own count. No partial snapshot is ever returned
 * in its place (SPEC §5).
 */
export class IncompleteReadError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly vendor: string;
  /** The resource whose read broke, e.g. `groups/00g1/users`. */
  readonly resource: string;
  readonly reason:
    | 'retry-budget'
    | 'repeated-cursor'
    | 'count-mismatch'
    | 'malformed-response'
    | 'aborted'
    | 'timeout'
    | 'other';

  constructor(args: {
    vendor: string;
    resource: string;
    reason: IncompleteReadError['reason'];
    message: string;
    cause?: unknown;
  }) {
    super({
      name: 'IncompleteReadError',
      code: 'READ_INCOMPLETE',
      message: redactText(args.message),
      cause: args.cause,
    });
    this.vendor = args.vendor;
    this.resource = args.resource;
    this.reason = args.reason;
  }

  static override isInstance(error: unknown): error is IncompleteReadError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
