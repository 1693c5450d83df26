type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function get(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Epoch seconds are at least this large (2001); a smaller reset value is seconds remaining. */
const EPOCH_SECONDS = 1_000_000_000;

const num = (v: string | undefined): number | undefined =>
  v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);

/**
 * The rate-limit window the headers describe, or undefined without one. Okta sends
 * `X-Rate-Limit-Limit/-Remaining/-Reset` (reset in epoch seconds), OneLogin
 * `X-RateLimit-Limit/-Remaining/-Reset` (reset in seconds remaining); both on every response,
 * not only on a 429. An epoch reset is measured against the response's own `Date` when it has a
 * sane one (the server's clock, not ours), else against the local clock.
 */
export function rateLimitWindow(
  headers: HeaderBag,
  now: number = Date.now(),
): { remaining: number | undefined; resetInMs: number } | undefined {
  for (const prefix of ['x-rate-limit-', 'x-ratelimit-']) {
    const reset = num(get(headers, `${prefix}reset`));
    if (reset === undefined) continue;
    const remaining = num(get(headers, `${prefix}remaining`));
    if (reset < EPOCH_SECONDS) return { remaining, resetInMs: Math.max(0, reset * 1000) };
    const serverNow = Date.parse(get(headers, 'date') ?? '');
    // A missing or far-off Date (an msw fake, a broken proxy) would make the wait absurd: use ours.
    const base = Number.isFinite(serverNow) && Math.abs(serverNow - now) < 24 * 3600_000 ? serverNow : now;
    return { remaining, resetInMs: Math.max(0, reset * 1000 - base) };
  }
  return undefined;
}

/**
 * How long the vendor asked us to wait, in ms:
 * - `Retry-After` (seconds or an HTTP date: Graph, Anthropic, most APIs), on any answer that has it;
 * - a rate-limit reset header (`X-Rate-Limit-Reset` Okta, `X-RateLimit-Reset` OneLogin) only on a
 *   throttle: `throttled` (a 429, Google's 403 rate-limit reasons) or a remaining count of 0. Okta
 *   and OneLogin send these headers on every answer, so on a plain 5xx they describe the window,
 *   not a request to wait: a 500 with a reset a minute away is retried after a short backoff.
 */
export function retryAfterMs(
  headers: HeaderBag,
  options: { throttled?: boolean; now?: number } | number = {},
): number | undefined {
  const { throttled = false, now = Date.now() } = typeof options === 'number' ? { now: options } : options;
  const ra = get(headers, 'retry-after');
  if (ra !== undefined && ra.trim() !== '') {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const window = rateLimitWindow(headers, now);
  if (window && (throttled || window.remaining === 0)) return window.resetInMs;
  return undefined;
}

/** True when the headers say the rate-limit window has no requests left. */
export function rateLimitSpent(headers: HeaderBag): boolean {
  return rateLimitWindow(headers)?.remaining === 0;
}

export { get as getHeader };
