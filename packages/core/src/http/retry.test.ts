import { describe, expect, it } from 'vitest';
import { ApiCallError, MalformedResponseError } from '../errors/api-call-error';
import { IncompleteReadError } from '../errors/incomplete-read-error';
import { retryAfterMs, rateLimitWindow } from './retry-after';
import { withRetry } from './retry';

const now = Date.parse('2026-01-01T00:00:00Z');
const okta = (remaining: number) => ({
  'x-rate-limit-limit': '600',
  'x-rate-limit-remaining': String(remaining),
  'x-rate-limit-reset': String(now / 1000 + 60),
});
const onelogin = (remaining: number) => ({
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': '120',
});

describe('retryAfterMs: a reset header is a wait only on a throttle', () => {
  it('ignores Okta and OneLogin reset headers on a plain answer with requests left', () => {
    expect(retryAfterMs(okta(598), { now })).toBeUndefined();
    expect(retryAfterMs(onelogin(4998), { now })).toBeUndefined();
  });
  it('waits for the reset on a throttle, or when no request is left', () => {
    expect(retryAfterMs(okta(598), { now, throttled: true })).toBe(60_000);
    expect(retryAfterMs(okta(0), { now })).toBe(60_000);
    expect(retryAfterMs(onelogin(598), { now, throttled: true })).toBe(120_000);
    expect(retryAfterMs(onelogin(0), { now })).toBe(120_000);
  });
  it('takes Retry-After on any answer', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, { now })).toBe(3000);
  });
  it("measures an epoch reset against the server's Date, and ignores an absurd Date", () => {
    const skewed = { ...okta(0), date: new Date(now - 30_000).toUTCString() };
    expect(rateLimitWindow(skewed, now)?.resetInMs).toBe(90_000);
    // A Date of 1970 (or none: an msw fake) would make the wait decades long; the local clock is used.
    expect(rateLimitWindow({ ...okta(0), date: new Date(0).toUTCString() }, now)?.resetInMs).toBe(60_000);
  });
});

describe('withRetry', () => {
  const fail = (error: ApiCallError) => async () => {
    throw error;
  };
  const server500 = () =>
    new ApiCallError({
      vendor: 'v',
      url: 'https://v.example/x',
      status: 500,
      message: '500',
      responseHeaders: okta(598),
      retryAfterMs: retryAfterMs(okta(598), { now }),
    });

  it('backs off from initialDelayMs on a 5xx that carries rate-limit headers, and gives up within the budget', async () => {
    const waits: number[] = [];
    const started = Date.now();
    const error = await withRetry(fail(server500()), {
      vendor: 'v',
      resource: 'x',
      policy: { initialDelayMs: 10, maxDelayMs: 30_000, budgetMs: 300, maxRetries: 10 },
      random: () => 1,
      onProgress: (e) => e.type === 'retry' && waits.push(e.delayMs!),
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(waits.slice(0, 3)).toEqual([10, 20, 40]);
    expect(IncompleteReadError.isInstance(error) && error.reason).toBe('retry-budget');
    expect((error as Error).message).toMatch(/last HTTP 500/);
  });

  it('fails at once, naming the throttle, when the vendor asks for a wait past the budget', async () => {
    const throttle = new ApiCallError({
      vendor: 'v',
      url: 'https://v.example/x',
      status: 429,
      message: '429',
      retryAfterMs: 60_000,
    });
    let calls = 0;
    const started = Date.now();
    const error = await withRetry(
      async () => {
        calls++;
        throw throttle;
      },
      { vendor: 'v', resource: 'x', policy: { budgetMs: 5_000 } },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(1);
    expect((error as Error).message).toMatch(/rate limit \(HTTP 429\) asks to wait 60\.1 s, past the retry budget/);
  });

  it('counts the time spent in attempts against the budget, and names a timeout', async () => {
    const timeout = new ApiCallError({
      vendor: 'v',
      url: 'https://v.example/x',
      kind: 'timeout',
      timeoutMs: 100,
      message: 'timed out',
    });
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 100));
        throw timeout;
      },
      { vendor: 'v', resource: 'x', policy: { initialDelayMs: 1, budgetMs: 350, maxRetries: 100 } },
    ).catch((e: unknown) => e);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(4);
    expect(IncompleteReadError.isInstance(error) && error.reason).toBe('timeout');
    expect((error as Error).message).toMatch(/timed out after 100 ms after \d attempt/);
  });

  it('retries a malformed body and reports it as malformed past the budget', async () => {
    const error = await withRetry(
      fail(new MalformedResponseError({ vendor: 'v', url: 'https://v.example/x', status: 200, message: 'not JSON' })),
      {
        vendor: 'v',
        resource: 'x',
        policy: { initialDelayMs: 1, maxRetries: 2 },
      },
    ).catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error) && error.reason).toBe('malformed-response');
  });
});
