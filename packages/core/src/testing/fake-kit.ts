import type { RequestHandler } from 'msw';
import { HttpResponse } from 'msw';

export interface RecordedRequest {
  method: string;
  url: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/**
 * Faults a fake can inject. `throttle` answers the vendor's own rate-limit response (Okta 429 with
 * X-Rate-Limit-Reset, Graph 429 Retry-After, Google 403 rateLimitExceeded, OneLogin 429 ...).
 * Paging faults (`dropNext`, `emptyPage`, `repeatCursor`) act on a listing mid-way, where they
 * can hurt: the first page that has a next page / carries a cursor.
 */
export type Fault =
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { type: 'throttle' }
  | { type: 'network' }
  /**
   * No answer until the client gives up (aborts the request), or `ms` pass (default 10 s: far past
   * the 1 s per-request timeout the fault matrix sets), then a network error. The bound is there
   * because the abort does not always reach the fake: under GC pressure, Node 20's fetch can lose
   * the link between the caller's signal and the Request copy msw hands the handler (nodejs/node#55428,
   * nodejs/undici#4984), and an unbounded hang would then outlast the test.
   */
  | { type: 'hang'; ms?: number }
  | { type: 'malformed' }
  | { type: 'dropNext' }
  | { type: 'emptyPage' }
  | { type: 'repeatCursor' };

export interface FaultRule {
  fault: Fault;
  /** Which requests it applies to: a substring / RegExp of the URL, or a predicate. Default: any. */
  match?: string | RegExp | ((request: RecordedRequest) => boolean);
  /** Let this many matching requests through first. */
  after?: number;
  /** How many times it fires; default 1, `Infinity` for a persistent fault. */
  times?: number;
}

interface ActiveRule extends FaultRule {
  seen: number;
  fired: number;
}

const PAGING = new Set(['dropNext', 'emptyPage', 'repeatCursor']);

/** What msw passes a resolver (the parts fakes use). */
export interface ResolverArgs {
  request: Request;
  params: Record<string, string | readonly string[] | undefined>;
  cookies: Record<string, string>;
  requestId: string;
}

export interface PageSlice<T> {
  items: T[];
  /** Cursor for the next page, or null at the end. */
  next: string | null;
}

/** A vendor's own error answer: its headers and JSON body. */
export interface VendorErrorAnswer {
  headers: Record<string, string>;
  body: unknown;
}

export interface FakeKitOptions {
  /** Vendor's own throttle answer. */
  throttle: () => { status: number; headers: Record<string, string>; body: unknown };
  /**
   * The vendor's own error answer for `status` on `request` (body and headers exactly as the
   * vendor sends them): used by injected `status` faults that carry no body, and by
   * `kit.notModelled`, whose `message` names what the fake does not implement.
   */
  error?: (status: number, request: RecordedRequest, message?: string) => VendorErrorAnswer;
  /** Caps every page below the vendor maximum, so small tenants page (used by fault tests). */
  pageSizeCap?: number;
}

/**
 * The shared machinery of every vendor fake: records each request, injects faults, slices pages
 * with opaque cursors. Vendor fakes wrap each msw resolver with `kit.handle(...)` and page with
 * `kit.page(...)`, and render the result in their vendor's shape (Link header, @odata.nextLink,
 * nextPageToken, After-Cursor).
 */
export class FakeKit {
  readonly requests: RecordedRequest[] = [];
  private rules: ActiveRule[] = [];
  private cursorSeq = 0;
  pageSizeCap: number | undefined;

  constructor(private readonly options: FakeKitOptions) {
    this.pageSizeCap = options.pageSizeCap;
  }

  inject(rule: FaultRule): this {
    this.rules.push({ ...rule, seen: 0, fired: 0 });
    return this;
  }

  clearFaults(): void {
    this.rules = [];
  }

  reset(): void {
    this.clearFaults();
    this.requests.length = 0;
  }

  /** Requests whose path matches, for assertions (`fake.kit.count(/\/users$/)`). */
  count(match?: string | RegExp): number {
    return this.requests.filter((r) => matches(match, r)).length;
  }

  /**
   * The vendor's error answer for `status` (its `error` hook), with `message` naming the cause;
   * `override` replaces its body and adds headers. Without a hook: `{"error": message}`.
   */
  vendorError(
    status: number,
    request: Request | RecordedRequest,
    message?: string,
    override?: { headers?: Record<string, string>; body?: unknown },
  ): Response {
    const record = request instanceof Request ? recordOf(request) : request;
    const answer = this.options.error?.(status, record, message) ?? {
      headers: {},
      body: { error: message ?? `injected ${status}` },
    };
    const body = override?.body === undefined ? answer.body : override.body;
    return withDate(HttpResponse.json(body as never, { status, headers: { ...answer.headers, ...override?.headers } }));
  }

  /**
   * The loud answer to anything a fake does not implement (a path, a query parameter, a filter
   * property, an operator): 501 in the vendor's error shape, its message naming what is not
   * modelled, so a test never passes on data the fake did not actually filter.
   */
  notModelled(request: Request | RecordedRequest, what: string): Response {
    return this.vendorError(501, request, `Not modelled by this fake: ${what}`);
  }

  /**
   * Wraps an msw resolver: records the request and answers any matching non-paging fault. Every
   * answer carries a `Date` header, as every vendor's does (clients compute rate-limit waits from
   * it: the Okta SDK waits `X-Rate-Limit-Reset` minus `Date`).
   */
  handle(
    resolver: (args: ResolverArgs & { faults: PagingFaults }) => Response | Promise<Response>,
  ): (args: ResolverArgs) => Promise<Response> {
    return async (args: ResolverArgs) => withDate(await this.answer(args, resolver));
  }

  private async answer(
    args: ResolverArgs,
    resolver: (args: ResolverArgs & { faults: PagingFaults }) => Response | Promise<Response>,
  ): Promise<Response> {
    const record = recordOf(args.request);
    this.requests.push(record);
    const fault = this.take(record, (f) => !PAGING.has(f.type));
    switch (fault?.type) {
      case undefined:
        return resolver({ ...args, faults: new PagingFaults(this, record) });
      case 'status':
        // The vendor's headers and body for the status; a fault's own body / headers win.
        return this.vendorError(fault.status, record, undefined, fault);
      case 'throttle': {
        // The vendor's throttle body and headers, over the headers every answer of the vendor carries.
        const t = this.options.throttle();
        return this.vendorError(t.status, record, undefined, { body: t.body, headers: t.headers });
      }
      case 'network':
        return HttpResponse.error();
      case 'hang':
        return new Promise<Response>((resolve, reject) => {
          const signal = args.request.signal;
          const fail = () => reject(signal.reason ?? new Error('aborted'));
          if (signal.aborted) fail();
          else signal.addEventListener('abort', fail, { once: true });
          setTimeout(() => resolve(HttpResponse.error()), fault.ms ?? 10_000).unref?.();
        });
      case 'malformed':
        return new HttpResponse('{"truncated": [', { status: 200, headers: { 'content-type': 'application/json' } });
      default:
        return resolver({ ...args, faults: new PagingFaults(this, record) });
    }
  }

  /**
   * One page of `items` starting at the position the cursor encodes, at most `limit` long (and
   * at most `pageSizeCap`). Cursors are opaque strings that change on every page, even when the
   * position does not.
   */
  page<T>(items: readonly T[], cursor: string | null | undefined, limit: number, faults?: PagingFaults): PageSlice<T> {
    const offset = cursor ? decodeCursor(cursor) : 0;
    const size = Math.max(1, Math.min(limit, this.pageSizeCap ?? limit));
    const end = Math.min(items.length, offset + size);
    let slice = items.slice(offset, end);
    let next: string | null = end < items.length ? this.cursor(end) : null;
    const fault = faults?.take((f) => {
      if (f.type === 'dropNext') return next !== null;
      if (f.type === 'emptyPage') return slice.length > 0 && Boolean(cursor);
      if (f.type === 'repeatCursor') return Boolean(cursor) && next !== null;
      return false;
    });
    if (fault?.type === 'dropNext') next = null;
    if (fault?.type === 'emptyPage') {
      slice = [];
      next = this.cursor(offset);
    }
    if (fault?.type === 'repeatCursor') next = cursor ?? null;
    return { items: slice, next };
  }

  cursor(offset: number): string {
    this.cursorSeq++;
    return Buffer.from(`${offset}:${this.cursorSeq}`).toString('base64url');
  }

  /** @internal */
  take(record: RecordedRequest, kind: (f: Fault) => boolean): Fault | undefined {
    for (const rule of this.rules) {
      if (!kind(rule.fault) || !matches(rule.match, record)) continue;
      if (rule.fired >= (rule.times ?? 1)) continue;
      rule.seen++;
      if (rule.seen <= (rule.after ?? 0)) continue;
      rule.fired++;
      return rule.fault;
    }
    return undefined;
  }
}

/** The paging faults pending for one request; `kit.page` consumes the first that applies. */
export class PagingFaults {
  constructor(
    private readonly kit: FakeKit,
    private readonly record: RecordedRequest,
  ) {}
  take(applies: (f: Fault) => boolean): Fault | undefined {
    return this.kit.take(this.record, (f) => PAGING.has(f.type) && applies(f));
  }
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = Number(text.split(':')[0]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

function recordOf(request: Request): RecordedRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    url: request.url,
    pathname: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: Object.fromEntries(request.headers.entries()),
  };
}

/** Sets an RFC 9110 `Date` header (the current second) unless the answer has one; a network error has no headers. */
function withDate(response: Response): Response {
  if (response.type === 'error' || response.headers.has('date')) return response;
  try {
    response.headers.set('date', new Date().toUTCString());
  } catch {
    // Immutable headers (a Response built elsewhere): left as they are.
  }
  return response;
}

function matches(match: FaultRule['match'], r: RecordedRequest): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return r.url.includes(match);
  if (match instanceof RegExp) return match.test(r.url);
  return match(r);
}

/** What every vendor fake exposes (SPEC §7): msw handlers over an in-memory tenant. */
export interface IdpFake {
  /** msw handlers; pass to `setupServer(...fake.handlers)` or `startLoopbackServer`. */
  readonly handlers: RequestHandler[];
  readonly kit: FakeKit;
  /** The base URL the handlers answer (vendor host by default, or the one given). */
  readonly baseUrl: string;
  /** Environment variables that point this package's adapter at the fake (no secrets of value). */
  readonly env: Record<string, string>;
  /** The generic tenant being served; change it with `update`. */
  readonly tenant: import('./generic-tenant').GenericTenant;
  /** Mutates the tenant between reads (the vendor-shaped store is rebuilt) and delivers the vendor's change events. */
  update(mutate: (tenant: import('./generic-tenant').GenericTenant) => void): void;
  /** The vendor's change-event delivery to subscribers (`claude-idp watch`, or a user's own watcher). */
  readonly events?: import('./tenant-changes').FakeEvents;
}
