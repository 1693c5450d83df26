import { describe, expect, it } from 'vitest';
import { ApiCallError, PermissionError } from '@claude-idp/core';
import { toGoogleError } from './google-errors';
import { GoogleRateLimiter } from './google-rate-limiter';
import forbidden from './__fixtures__/google-error-forbidden.json';
import rateLimit from './__fixtures__/google-error-user-rate-limit.json';
import notFound from './__fixtures__/google-error-not-found.json';
import unauthorizedClient from './__fixtures__/google-token-unauthorized-client.json';

const ctx = {
  url: 'https://admin.googleapis.com/admin/directory/v1/users',
  clientId: '1048576',
  subject: 'admin@acme.example',
};
const gaxios = (status: number, data: unknown, url = ctx.url, headers: Record<string, string> = {}) => ({
  message: 'x',
  config: { url, method: 'GET' },
  response: { status, data, headers: new Headers(headers) },
});

describe('Google errors as typed errors', () => {
  it.each(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded'])(
    '403 %s is retryable (gaxios would not retry it)',
    (reason) => {
      const body = { error: { ...rateLimit.error, errors: [{ ...rateLimit.error.errors[0]!, reason }] } };
      const e = toGoogleError(gaxios(403, body), ctx);
      expect(ApiCallError.isInstance(e) && e.isRetryable).toBe(true);
      expect(e.message).toContain(reason);
    },
  );

  it('a Retry-After on a rate limit is kept as the wait', () => {
    const e = toGoogleError(gaxios(403, rateLimit, ctx.url, { 'retry-after': '7' }), ctx) as ApiCallError;
    expect(e.retryAfterMs).toBe(7_000);
  });

  it('403 forbidden is a PermissionError naming the scopes and the delegation step for the client id', () => {
    const e = toGoogleError(gaxios(403, forbidden), ctx);
    expect(PermissionError.isInstance(e)).toBe(true);
    expect((e as PermissionError).missing).toEqual([
      'https://www.googleapis.com/auth/admin.directory.user.readonly',
      'https://www.googleapis.com/auth/admin.directory.group.readonly',
    ]);
    expect(e.message).toMatch(
      /Not Authorized to access this resource\/api.*client ID 1048576.*admin@acme.example must be an admin/,
    );
  });

  it("the token endpoint's unauthorized_client is a PermissionError about domain-wide delegation", () => {
    const e = toGoogleError(gaxios(401, unauthorizedClient, 'https://oauth2.googleapis.com/token'), ctx);
    expect(PermissionError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/domain-wide delegation is not set up: authorize client ID 1048576/);
  });

  it('404 is not retryable; 500 and network failures are', () => {
    expect((toGoogleError(gaxios(404, notFound), ctx) as ApiCallError).isRetryable).toBe(false);
    expect((toGoogleError(gaxios(500, 'oops'), ctx) as ApiCallError).isRetryable).toBe(true);
    const net = toGoogleError(
      { message: 'socket hang up', code: 'ECONNRESET', config: { url: ctx.url } },
      ctx,
    ) as ApiCallError;
    expect(net.isRetryable && net.status).toBe(undefined);
    expect(net.message).toContain('socket hang up');
  });
});

describe('the quota limiter', () => {
  it('keeps at most `concurrency` calls in flight', async () => {
    const limiter = new GoogleRateLimiter(60_000, 2);
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('spends at most queriesPerMinute/60 a second after a one-second burst', async () => {
    const limiter = new GoogleRateLimiter(600, 20); // 10/s, burst 10
    const t0 = Date.now();
    const started: number[] = [];
    await Promise.all(Array.from({ length: 13 }, () => limiter.run(async () => void started.push(Date.now() - t0))));
    expect(started[9]!).toBeLessThan(90); // the burst goes at once
    expect(started[12]!).toBeGreaterThanOrEqual(280); // then one every 100 ms
  });

  it('an abort while waiting rejects', async () => {
    const limiter = new GoogleRateLimiter(1, 1); // one a minute
    await limiter.run(async () => undefined);
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'ran', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
