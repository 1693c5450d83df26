import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClaudeIdpError } from '../errors/claude-idp-error';
import { PermissionError } from '../errors/permission-error';
import type { DirectorySnapshot } from '../schemas/snapshot';
import type { Fault, FaultRule, IdpFake } from '../testing/fake-kit';
import { conformanceTenant } from '../testing/generic-tenant';
import type { ConformanceArgs } from './run-adapter-conformance';

export type FaultOutcome = 'equal' | 'error' | 'equal-or-error' | 'permission-error';

export interface FaultCase {
  name: string;
  rules: FaultRule[];
  expect: FaultOutcome;
}

/**
 * The fault matrix (SPEC §7, §5): each case injects faults into a paged read of the conformance
 * tenant and requires either a snapshot equal to the fault-free one or a typed error — never a
 * smaller tenant. (A plan is only ever built from a returned snapshot, so "equal or no snapshot"
 * is what keeps an incomplete read from reaching a deprovision.)
 */
export function defaultFaultCases(): FaultCase[] {
  const mid = (fault: Fault, times = 1, after = 2): FaultRule => ({ fault, after, times });
  return [
    { name: '429 storm with the vendor rate-limit headers, then success', rules: [mid({ type: 'throttle' }, 4)], expect: 'equal' },
    { name: 'transient 503 then success', rules: [mid({ type: 'status', status: 503 }, 2)], expect: 'equal' },
    { name: 'transient 500 on the first request', rules: [mid({ type: 'status', status: 500 }, 1, 0)], expect: 'equal' },
    { name: 'persistent 500', rules: [mid({ type: 'status', status: 500 }, Infinity)], expect: 'error' },
    { name: 'network error once, then success', rules: [mid({ type: 'network' }, 1)], expect: 'equal' },
    { name: 'request timeout once, then success', rules: [mid({ type: 'hang' }, 1)], expect: 'equal' },
    { name: 'request timeout on every try', rules: [mid({ type: 'hang' }, Infinity)], expect: 'error' },
    { name: 'next-page link missing mid-list', rules: [{ fault: { type: 'dropNext' } }], expect: 'equal-or-error' },
    { name: 'empty 200 page where items were expected', rules: [{ fault: { type: 'emptyPage' } }], expect: 'equal-or-error' },
    { name: 'malformed JSON body', rules: [mid({ type: 'malformed' }, 1)], expect: 'equal-or-error' },
    { name: 'persistent malformed JSON', rules: [mid({ type: 'malformed' }, Infinity)], expect: 'error' },
    { name: '401 mid-read (credential revoked)', rules: [mid({ type: 'status', status: 401 }, Infinity)], expect: 'error' },
    { name: '403 mid-read (permission removed)', rules: [mid({ type: 'status', status: 403 }, Infinity)], expect: 'error' },
    { name: 'a cursor that repeats', rules: [{ fault: { type: 'repeatCursor' } }], expect: 'error' },
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
  const fast = { timeoutMs: 1_000, retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 3_000, maxRetries: 5 } };

  describe(`${args.name}: fault matrix`, () => {
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterEach(() => server.resetHandlers());
    afterAll(() => server.close());

    for (const c of cases) {
      it(c.name, async () => {
        const fake = args.createFake((args.tenant ?? conformanceTenant)(), { pageSizeCap: args.pageSizeCap ?? 2 });
        server.resetHandlers(...fake.handlers);
        const adapter = args.createAdapter(fake, fast);
        const baseline = await adapter.readSnapshot({ app: args.appId(fake) });
        fake.kit.reset();
        for (const r of c.rules) fake.kit.inject(r);
        let result: DirectorySnapshot | undefined;
        let error: unknown;
        try {
          result = await adapter.readSnapshot({ app: args.appId(fake) });
        } catch (e) {
          error = e;
        }
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
