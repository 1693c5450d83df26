import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClaudeIdpError } from '../errors/claude-idp-error';
import { PermissionError } from '../errors/permission-error';
import type { ProgressEvent } from '../adapter/idp-adapter-v1';
import type { DirectorySnapshot } from '../schemas/snapshot';
import type { Fault, FaultRule, IdpFake } from '../testing/fake-kit';
import { conformanceTenant } from '../testing/generic-tenant';
import type { AdapterTestOptions, ConformanceArgs } from './run-adapter-conformance';

export type FaultOutcome = 'equal' | 'error' | 'equal-or-error' | 'permission-error';

export interface FaultCase {
  name: string;
  rules: FaultRule[];
  expect: FaultOutcome;
  /** Adapter options for this case, over the matrix's fast ones (e.g. the default backoff). */
  options?: AdapterTestOptions;
  /** The read must end (snapshot or error) within this many ms. */
  maxMs?: number;
  /** The failing request must have been retried (a `retry` progress event) before any error. */
  retried?: boolean;
  /** The error's message must match. */
  message?: RegExp;
}

/**
 * The rate-limit headers Okta and OneLogin send on every answer, a 5xx included, for a window with
 * requests left that resets in an hour: Okta's `X-Rate-Limit-*` (reset in epoch seconds) and
 * OneLogin's `X-RateLimit-*` (reset in seconds remaining), with the `Date` the server sends.
 * They describe the window; they do not ask for a wait.
 */
export function liveWindowHeaders(now: number = Date.now()): Record<string, string> {
  return {
    date: new Date(now).toUTCString(),
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '598',
    'x-rate-limit-reset': String(Math.ceil(now / 1000) + 3600),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4998',
    'x-ratelimit-reset': '3600',
  };
}

/** The default retry policy's backoff (first wait ~0.5 s), with a small budget: what a user gets, made quick. */
const REAL_BACKOFF: AdapterTestOptions = {
  retry: { initialDelayMs: 500, maxDelayMs: 30_000, budgetMs: 4_000, maxRetries: 6 },
};

/**
 * The fault matrix (SPEC §7, §5): each case injects faults into a paged read of the conformance
 * tenant and requires either a snapshot equal to the fault-free one or a typed error — never a
 * smaller tenant. (A plan is only ever built from a returned snapshot, so "equal or no snapshot"
 * is what keeps an incomplete read from reaching a deprovision.)
 */
export function defaultFaultCases(): FaultCase[] {
  const mid = (fault: Fault, times = 1, after = 2): FaultRule => ({ fault, after, times });
  return [
    {
      name: '429 storm with the vendor rate-limit headers, then success',
      rules: [mid({ type: 'throttle' }, 4)],
      expect: 'equal',
    },
    { name: 'transient 503 then success', rules: [mid({ type: 'status', status: 503 }, 2)], expect: 'equal' },
    {
      name: 'transient 500 on the first request',
      rules: [mid({ type: 'status', status: 500 }, 1, 0)],
      expect: 'equal',
    },
    { name: 'persistent 500', rules: [mid({ type: 'status', status: 500 }, Infinity)], expect: 'error' },
    { name: 'network error once, then success', rules: [mid({ type: 'network' }, 1)], expect: 'equal' },
    { name: 'request timeout once, then success', rules: [mid({ type: 'hang' }, 1)], expect: 'equal' },
    { name: 'next-page link missing mid-list', rules: [{ fault: { type: 'dropNext' } }], expect: 'equal-or-error' },
    {
      name: 'empty 200 page where items were expected',
      rules: [{ fault: { type: 'emptyPage' } }],
      expect: 'equal-or-error',
    },
    { name: 'malformed JSON body', rules: [mid({ type: 'malformed' }, 1)], expect: 'equal-or-error' },
    { name: 'persistent malformed JSON', rules: [mid({ type: 'malformed' }, Infinity)], expect: 'error' },
    {
      name: '401 mid-read (credential revoked)',
      rules: [mid({ type: 'status', status: 401 }, Infinity)],
      expect: 'error',
    },
    {
      name: '403 mid-read (permission removed)',
      rules: [mid({ type: 'status', status: 403 }, Infinity)],
      expect: 'error',
    },
    { name: 'a cursor that repeats', rules: [{ fault: { type: 'repeatCursor' } }], expect: 'error' },
    {
      name: '500 then 502 carrying the rate-limit headers of a live window, then success: backs off, does not wait for the reset',
      rules: [
        mid({ type: 'status', status: 500, headers: liveWindowHeaders() }, 1),
        mid({ type: 'status', status: 502, headers: liveWindowHeaders() }, 1, 3),
      ],
      expect: 'equal',
      options: REAL_BACKOFF,
      maxMs: 8_000,
    },
    {
      name: 'persistent 503 carrying the rate-limit headers of a live window: retried, then a typed error within the budget',
      rules: [mid({ type: 'status', status: 503, headers: liveWindowHeaders() }, Infinity)],
      expect: 'error',
      options: REAL_BACKOFF,
      retried: true,
      maxMs: 4_000 + 6_000,
    },
    {
      name: 'request timeout on every try: retried, then "timed out after" within the budget',
      rules: [mid({ type: 'hang' }, Infinity)],
      expect: 'error',
      retried: true,
      message: /timed out after 1000 ms/,
      maxMs: 3_000 + 1_000 + 4_000,
    },
  ];
}

export function runFaultMatrix<F extends IdpFake>(
  args: Pick<ConformanceArgs<F>, 'name' | 'createFake' | 'createAdapter' | 'appId' | 'tenant'> & {
    /** Vendor-specific cases (e.g. Google's 403 rateLimitExceeded, Okta's 403 with a missing scope). */
    extraCases?: FaultCase[];
    /** Opt a default case out, with the reason as a comment at the call site. */
    skip?: string[];
    pageSizeCap?: number;
  },
): void {
  const server = setupServer();
  const cases = [...defaultFaultCases().filter((c) => !args.skip?.includes(c.name)), ...(args.extraCases ?? [])];
  // 1 s per request: long enough that a loaded machine never fakes a timeout, short enough for the hang cases.
  const fast: AdapterTestOptions = {
    requestTimeoutMs: 1_000,
    retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 3_000, maxRetries: 5 },
    pageSize: args.pageSizeCap ?? 2,
  };

  describe(`${args.name}: fault matrix`, () => {
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterEach(() => server.resetHandlers());
    afterAll(() => server.close());

    for (const c of cases) {
      it(c.name, async () => {
        const fake = args.createFake((args.tenant ?? conformanceTenant)(), { pageSizeCap: args.pageSizeCap ?? 2 });
        server.resetHandlers(...fake.handlers);
        const adapter = args.createAdapter(fake, {
          ...fast,
          ...c.options,
          retry: { ...fast.retry, ...c.options?.retry },
        });
        const baseline = await adapter.readSnapshot({ app: args.appId(fake) });
        fake.kit.reset();
        for (const r of c.rules) fake.kit.inject(r);
        let result: DirectorySnapshot | undefined;
        let error: unknown;
        const progress: ProgressEvent[] = [];
        const started = Date.now();
        try {
          result = await adapter.readSnapshot({ app: args.appId(fake), onProgress: (e) => progress.push(e) });
        } catch (e) {
          error = e;
        }
        const took = Date.now() - started;
        if (c.maxMs !== undefined) expect(took, `the read took ${took} ms`).toBeLessThan(c.maxMs);
        if (c.retried)
          expect(
            progress.some((e) => e.type === 'retry'),
            'the failing request was never retried',
          ).toBe(true);
        if (c.message) expect(String((error as Error | undefined)?.message)).toMatch(c.message);
        if (result) {
          // Never a smaller (or otherwise different) tenant.
          expect(c.expect === 'equal' || c.expect === 'equal-or-error').toBe(true);
          expect({ ...result, capturedAt: '' }).toEqual({ ...baseline, capturedAt: '' });
        } else {
          expect(c.expect).not.toBe('equal');
          expect(ClaudeIdpError.isInstance(error), `expected a typed error, got ${String(error)}`).toBe(true);
          if (c.expect === 'permission-error') expect(PermissionError.isInstance(error)).toBe(true);
        }
        // Cases that exhaust a retry budget take seconds; a loaded CI machine may take several times that.
      }, 60_000);
    }
  });
}
