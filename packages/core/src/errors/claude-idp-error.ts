const marker = 'claude-idp.error';
const symbol = Symbol.for(marker);

/**
 * Base of every error this project throws on purpose. Branded with `Symbol.for` so that
 * `isInstance` works across two installed copies of the package, where `instanceof` fails.
 * Every subclass carries a stable `code` that programs (and the CLI's exit codes) key on.
 */
export class ClaudeIdpError extends Error {
  private readonly [symbol] = true;
  readonly code: string;

  constructor({ name, code, message, cause }: { name: string; code: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code;
  }

  static isInstance(error: unknown): error is ClaudeIdpError {
    return ClaudeIdpError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, name: string): boolean {
    const s = Symbol.for(name);
    return error != null && typeof error === 'object' && s in error && (error as Record<symbol, unknown>)[s] === true;
  }
}
