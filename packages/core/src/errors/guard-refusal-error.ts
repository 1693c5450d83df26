import { ClaudeIdpError } from './claude-idp-error';

const marker = 'claude-idp.error.guard-refusal';
const symbol = Symbol.for(marker);

export interface GuardBreach {
  code: string;
  message: string;
}

/** `apply` refused: a plan guard (breaker, last owner, incomplete read) or a stale fingerprint. */
export class GuardRefusalError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly guards: GuardBreach[];

  constructor(args: { guards: GuardBreach[]; message?: string }) {
    super({
      name: 'GuardRefusalError',
      code: 'GUARD_REFUSED',
      message: args.message ?? `Refused: ${args.guards.map((g) => `${g.code}: ${g.message}`).join('; ')}`,
    });
    this.guards = args.guards;
  }

  static override isInstance(error: unknown): error is GuardRefusalError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
