import { ClaudeIdpError } from './claude-idp-error';

const marker = 'claude-idp.error.configuration';
const symbol = Symbol.for(marker);

/**
 * The adapter or client cannot be set up: a missing environment variable, a non-HTTPS base URL,
 * an unreadable key file. Names the variable or setting, never its value.
 */
export class ConfigurationError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly setting: string;

  constructor(args: { setting: string; message: string; cause?: unknown }) {
    super({ name: 'ConfigurationError', code: 'CONFIGURATION_INVALID', message: args.message, cause: args.cause });
    this.setting = args.setting;
  }

  static override isInstance(error: unknown): error is ConfigurationError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
