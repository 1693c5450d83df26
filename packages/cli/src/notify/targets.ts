import { isLoopbackHost } from '@claude-idp/core';
import { UsageError } from '../cli-exit';

export type NotifyKind = 'webhook' | 'slack' | 'teams';

export interface NotifyTarget {
  kind: NotifyKind;
  /** Where to POST (the `slack+` / `teams+` prefix removed). Holds secrets: never print it. */
  url: string;
  /** What may be printed: the kind and the host, never the path or query (Slack and Teams put the secret in the path). */
  label: string;
}

/** `https://host/path?query` → `https://host/…`: the only form a notification URL is ever printed in. */
export function redactNotifyUrl(url: string): string {
  try {
    const u = new URL(url);
    const more = u.pathname.length > 1 || u.search || u.hash ? '/…' : '';
    return `${u.protocol}//${u.host}${more}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * `--notify` values: `https://…` (generic JSON webhook), `slack+https://…` (Slack incoming
 * webhook), `teams+https://…` (Microsoft Teams Workflows / incoming webhook). HTTPS only, except
 * loopback (tests and local receivers). Errors never echo the URL's path or query.
 */
export function parseNotifyTarget(value: string): NotifyTarget {
  const m = /^(slack|teams)\+(.*)$/i.exec(value.trim());
  const kind: NotifyKind = m ? (m[1]!.toLowerCase() as NotifyKind) : 'webhook';
  const raw = m ? m[2]! : value.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--notify: not a URL (${kind === 'webhook' ? '' : `${kind}+`}${redactNotifyUrl(raw)}); expected https://…, slack+https://… or teams+https://…`,
    );
  }
  const label = `${kind === 'webhook' ? '' : `${kind}+`}${redactNotifyUrl(url.toString())}`;
  if (url.username || url.password)
    throw new UsageError(`--notify ${label}: the URL must not carry a user name or password`);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new UsageError(
      `--notify ${label}: must be https:// (plain http only for loopback addresses such as 127.0.0.1)`,
    );
  }
  return { kind, url: url.toString(), label };
}
