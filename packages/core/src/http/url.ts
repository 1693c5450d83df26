import { ConfigurationError } from '../errors/configuration-error';

/** Loopback hosts: the only ones allowed over plain http (tests and fakes). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Validates a vendor base URL: `https://`, or `http://` only on loopback (SPEC §6). Returns it
 * without a trailing slash (Okta's SDK, for one, builds `//api/v1` from `https://x.okta.com/`).
 */
export function checkBaseUrl(value: string | undefined, setting: string): string {
  if (!value) throw new ConfigurationError({ setting, message: `${setting} is not set` });
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigurationError({ setting, message: `${setting} is not a URL` });
  }
  if (url.username || url.password) {
    throw new ConfigurationError({
      setting,
      message: `${setting} must not carry credentials; use the credential variables`,
    });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return url.toString().replace(/\/+$/, '');
  }
  throw new ConfigurationError({
    setting,
    message: `${setting} must use https:// (plain http is allowed only for loopback addresses such as 127.0.0.1 or localhost)`,
  });
}
