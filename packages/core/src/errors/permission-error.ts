import { ClaudeIdpError } from './claude-idp-error';
import { redactText, redactUrl } from './redact';

const marker = 'claude-idp.error.permission';
const symbol = Symbol.for(marker);

/** The credential works but may not read something: names the scope, permission or admin role to grant. */
export class PermissionError extends ClaudeIdpError {
  private readonly [symbol] = true;
  readonly vendor: string;
  readonly status: number | undefined;
  readonly url: string | undefined;
  /** What to grant, e.g. `okta.groups.read`, `GroupMember.Read.All`, `admin.directory.group.readonly`. */
  readonly missing: string[];

  constructor(args: {
    vendor: string;
    missing: string[];
    status?: number;
    url?: string;
    message?: string;
    cause?: unknown;
  }) {
    const grant = args.missing.length ? ` Grant: ${args.missing.join(', ')}.` : '';
    super({
      name: 'PermissionError',
      code: 'PERMISSION_DENIED',
      message: redactText(
        args.message ?? `${args.vendor} refused the request${args.status ? ` (HTTP ${args.status})` : ''}.${grant}`,
      ),
      cause: args.cause,
    });
    this.vendor = args.vendor;
    this.status = args.status;
    this.url = args.url === undefined ? undefined : redactUrl(args.url);
    this.missing = args.missing;
  }

  static override isInstance(error: unknown): error is PermissionError {
    return ClaudeIdpError.hasMarker(error, marker);
  }
}
