/**
 * Secret redaction, applied inside errors before anything is stored on them, so that any error
 * this project raises can be printed or logged as it is.
 */
const HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'x-okta-token',
]);

const PATTERNS: RegExp[] = [
  /\b(SSWS|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\bsk-ant-[A-Za-z0-9_-]{6,}/g,
  /("?(?:access_token|refresh_token|client_secret|id_token|assertion|api_key|apiKey|private_key|password|token)"?\s*[:=]\s*"?)[^"&\s,}]{4,}/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

const registered = new Set<string>();

/** Registers a secret value (a token, key or password read from the environment) so every later redaction hides it. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) registered.add(value);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  for (const re of PATTERNS) {
    out = out.replace(re, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix)
        ? `${prefix}[REDACTED]`
        : match.replace(/\S+$/, '[REDACTED]'),
    );
  }
  return out;
}

export function redactHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    out[k] = HEADER_NAMES.has(k.toLowerCase()) ? '[REDACTED]' : redactText(v);
  }
  return out;
}

/** Removes credentials from a URL (userinfo and token-like query parameters). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    for (const key of [...u.searchParams.keys()]) {
      if (/token|secret|key|password|assertion|signature/i.test(key)) u.searchParams.set(key, 'REDACTED');
    }
    return redactText(u.toString());
  } catch {
    return redactText(url);
  }
}
