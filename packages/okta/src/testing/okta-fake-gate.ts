import { randomUUID } from 'node:crypto';
import { HttpResponse } from 'msw';
import { RATE_LIMITS, rateBucket, scopeFor, type RateBucket } from '../okta-api-facts';
import type { IssuedToken } from './okta-fake-oauth';

/** Okta's error body (spec `ModelError`): errorCode, errorSummary, errorLink, errorId, errorCauses. */
export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 22)}`,
      errorCauses: causes.map((s) => ({ errorSummary: s })),
    },
    { status, headers },
  );
}

export interface GateOptions {
  apiToken?: string;
  rateLimits?: { limits?: Partial<Record<RateBucket, number>>; windowMs?: number };
}

/**
 * What Okta checks before a route answers, in its order: the credential (SSWS token, or a Bearer
 * token the fake's token endpoint issued: 401 E0000011), the per-minute bucket (429 E0000047),
 * then the OAuth scope the endpoint needs (403 E0000006 with `www-authenticate:
 * ... error="insufficient_scope", scope="okta.groups.read"`). Every answer carries
 * X-Rate-Limit-Limit/Remaining/Reset for the request's bucket, X-Okta-Request-Id and Date.
 */
export function createGate(options: GateOptions, base: string, tokens: Map<string, IssuedToken>) {
  const windowMs = options.rateLimits?.windowMs ?? 60_000;
  const counters = new Map<RateBucket, { start: number; used: number }>();
  const limitOf = (b: RateBucket) => options.rateLimits?.limits?.[b] ?? RATE_LIMITS[b];

  /** The bucket's window now (a new one when the last has ended), counting this request if `count`. */
  const windowOf = (pathname: string, count: boolean) => {
    const b = rateBucket(pathname);
    const now = Date.now();
    let c = counters.get(b);
    if (!c || now >= c.start + windowMs) counters.set(b, (c = { start: now, used: 0 }));
    if (count) c.used++;
    return { c, limit: limitOf(b), now };
  };
  const headersOf = ({ c, limit, now }: ReturnType<typeof windowOf>): Record<string, string> => ({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(Math.max(0, limit - c.used)),
    'x-rate-limit-reset': String(Math.ceil((c.start + windowMs) / 1000)),
    'x-okta-request-id': randomUUID(),
    date: new Date(now).toUTCString(),
  });

  const gate = (url: URL, request: Request): { headers: Record<string, string>; denied?: Response } => {
    const w = windowOf(url.pathname, true);
    const { c, limit, now } = w;
    const headers = headersOf(w);
    const [scheme, credential] = (request.headers.get('authorization') ?? '').split(/\s+/, 2);
    const token = scheme === 'Bearer' ? tokens.get(credential ?? '') : undefined;
    const ssws =
      scheme === 'SSWS' && Boolean(credential) && (options.apiToken === undefined || credential === options.apiToken);
    if (!ssws && !(token && token.expiresAt > now))
      return { headers, denied: oktaError(401, 'E0000011', 'Invalid token provided', [], headers) };
    if (c.used > limit)
      return {
        headers,
        denied: oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers),
      };
    // A `.manage` scope also grants what its `.read` scope does.
    const granted = (s: string) => token!.scopes.includes(s) || token!.scopes.includes(s.replace(/\.read$/, '.manage'));
    const needed = token ? scopeFor(url.pathname, request.method).filter((s) => !granted(s)) : [];
    if (needed.length) {
      const www = `Bearer authorization_uri="${base}/oauth2/v1/authorize", realm="${base}", scope="${needed.join(' ')}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${url.pathname}"`;
      return {
        headers,
        denied: oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [], {
          ...headers,
          'www-authenticate': www,
        }),
      };
    }
    return { headers };
  };
  /** The headers Okta sends with any answer on this path (the bucket's X-Rate-Limit-*, X-Okta-Request-Id, Date), not counting a request. */
  const headersFor = (pathname: string) => headersOf(windowOf(pathname, false));
  return Object.assign(gate, { headersFor });
}
