import type { ProgressEvent } from '@claude-idp/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rateBucket } from './okta-api-facts';
import { OktaPacer } from './okta-rate-limit';

const T = 1_700_000_000_000;
const APP_USERS = 'https://acme.okta.com/api/v1/apps/0oa1/users';
const headers = (remaining: number, resetInS: number, extra: Record<string, string> = {}) => ({
  'x-rate-limit-limit': '100',
  'x-rate-limit-remaining': String(remaining),
  'x-rate-limit-reset': String(T / 1000 + resetInS),
  ...extra,
});
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
};

describe('okta rate limits', () => {
  beforeEach(() => vi.useFakeTimers({ now: T }));
  afterEach(() => vi.useRealTimers());

  it('the whole /api/v1/apps/* family is one bucket; /api/v1/apps/{id} is its own', () => {
    expect(
      [
        '/api/v1/apps',
        '/api/v1/apps/0oa1/users',
        '/api/v1/apps/0oa1/groups',
        '/api/v1/apps/0oa1/features',
        '/api/v1/apps/0oa1/group-push/mappings',
      ].map(rateBucket),
    ).toEqual(['apps', 'apps', 'apps', 'apps', 'apps']);
    expect(rateBucket('/api/v1/apps/0oa1')).toBe('app');
    expect(rateBucket('/api/v1/groups/00g1/users')).toBe('groups');
  });

  it('a spent bucket whose reset is past the retry budget fails at once, naming the bucket; a bogus Date is ignored', async () => {
    const pacer = new OktaPacer();
    (await pacer.acquire(APP_USERS))();
    // A Date of 1970 would otherwise read as 55 years of clock skew.
    pacer.observe(APP_USERS, headers(0, 30, { date: new Date(0).toUTCString() }));
    const events: ProgressEvent[] = [];
    const next = pacer.acquire(APP_USERS, undefined, (e) => events.push(e));
    expect(await settled(next)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ type: 'throttle', delayMs: 30_000 })]);
    await vi.advanceTimersByTimeAsync(30_000);
    (await next)();
    pacer.observe(APP_USERS, headers(0, 50)); // 30 s of the fake clock have passed: 20 s to go
    await expect(pacer.acquire(APP_USERS, undefined, undefined, 10_000)).rejects.toThrow(
      /rate limit of the apps bucket is spent .* resets in 20 s, past the retry budget of 10 s/,
    );
  });

  it('waits for X-Rate-Limit-Reset when the bucket has nothing left, and says so', async () => {
    const pacer = new OktaPacer();
    const events: ProgressEvent[] = [];
    (await pacer.acquire(APP_USERS))();
    pacer.observe(APP_USERS, headers(0, 30));
    const next = pacer.acquire('https://acme.okta.com/api/v1/apps/0oa1/groups', undefined, (e) => events.push(e));
    expect(await settled(next)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ type: 'throttle', resource: 'apps', delayMs: 30_000 })]);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(next)).toBe(true);
    // Another bucket was never held up.
    expect(await settled(pacer.acquire('https://acme.okta.com/api/v1/groups'))).toBe(true);
  });

  it('counts requests in flight against Remaining', async () => {
    const pacer = new OktaPacer();
    (await pacer.acquire(APP_USERS))();
    pacer.observe(APP_USERS, headers(2, 60));
    await pacer.acquire(APP_USERS);
    await pacer.acquire(APP_USERS);
    expect(await settled(pacer.acquire(APP_USERS))).toBe(false);
  });

  it('a bucket never seen sends one probe and learns its headers before sending more', async () => {
    const pacer = new OktaPacer();
    const release = await pacer.acquire(APP_USERS);
    const second = pacer.acquire(APP_USERS);
    expect(await settled(second)).toBe(false);
    pacer.observe(APP_USERS, headers(50, 60));
    release();
    expect(await settled(second)).toBe(true);
  });

  it('without rate-limit headers nothing is paced after the probe', async () => {
    const pacer = new OktaPacer();
    (await pacer.acquire(APP_USERS))();
    const all = Promise.all([pacer.acquire(APP_USERS), pacer.acquire(APP_USERS), pacer.acquire(APP_USERS)]);
    expect(await settled(all)).toBe(true);
  });

  it('corrects Reset by the Date header when the clocks differ by more than a second', async () => {
    const pacer = new OktaPacer();
    (await pacer.acquire(APP_USERS))();
    // Okta's clock reads 10 s earlier than ours; its reset is 5 s after its own now: 5 s from now, not 5 s ago.
    pacer.observe(APP_USERS, headers(0, -5, { date: new Date(T - 10_000).toUTCString() }));
    const next = pacer.acquire(APP_USERS);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(await settled(next)).toBe(true);
  });

  it('an abort while waiting rejects at once', async () => {
    const pacer = new OktaPacer();
    (await pacer.acquire(APP_USERS))();
    pacer.observe(APP_USERS, headers(0, 60));
    const controller = new AbortController();
    const next = pacer.acquire(APP_USERS, controller.signal);
    controller.abort(new Error('stop'));
    await expect(next).rejects.toThrow('stop');
  });
});
