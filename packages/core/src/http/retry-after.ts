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

/**
 * How long the vendor asked us to wait, in ms, from whichever header it uses:
 * - `Retry-After`: seconds or an HTTP date (Graph, Anthropic, most APIs);
 * - `X-Rate-Limit-Reset`: epoch seconds when the window resets (Okta);
 * - `X-RateLimit-Reset`: seconds remaining (OneLogin).
 */
export function retryAfterMs(headers: HeaderBag, now: number = Date.now()): number | undefined {
  const ra = get(headers, 'retry-after');
  if (ra !== undefined && ra !== '') {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const oktaReset = get(headers, 'x-rate-limit-reset');
  if (oktaReset !== undefined && Number.isFinite(Number(oktaReset))) {
    return Math.max(0, Number(oktaReset) * 1000 - now);
  }
  const oneloginReset = get(headers, 'x-ratelimit-reset');
  if (oneloginReset !== undefined && Number.isFinite(Number(oneloginReset))) {
    return Math.max(0, Number(oneloginReset) * 1000);
  }
  return undefined;
}

export { get as getHeader };
