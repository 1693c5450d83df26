import {
  ApiCallError,
  IncompleteReadError,
  MalformedResponseError,
  paginate,
  withRetry,
  type ProgressEvent,
  type RetryPolicy,
} from '@claude-idp/core';
import type { OktaResponse, OktaTransport } from './okta-transport';

export interface ReadContext {
  abortSignal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  retry?: Partial<RetryPolicy>;
  /** Asks for at most this many items a page (the `pageSize` setting); default each endpoint's maximum. */
  pageSize?: number;
}

/** `Link: <…?after=00u…&limit=200>; rel="next"` (Okta sends `self` and `next` as two Link headers; fetch joins them). */
export function nextLink(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1]!;
  }
  return null;
}

export interface ListArgs {
  path: string;
  query?: Record<string, string | number | undefined>;
  resource: string;
  /**
   * How to tell a dropped Link header from the end of the listing (a full last page looks the same):
   * - `after-last-id`: Okta fills every page up to the `limit` asked for but the last, so a last
   *   page shorter than the limit is the end. Only after a full last page is the end unproven:
   *   then ask once more with `after=<last id>` (Okta's user, group and app-user cursors are the
   *   last item's id in practice, though documented as opaque). Every item that comes back
   *   matches the listing's own query, so new ones are kept and the walk continues from there
   *   (the link was lost); nothing new ends it. Costs one request only when the listing's size is
   *   a multiple of the page size, or a link was lost.
   * - a number: Okta's own count of the items (group `_embedded.stats.usersCount`); the extra
   *   request is made only when fewer came back, and a listing still short of it fails the read.
   * - `none`: listings checked another way by the caller (known ids, cross-checks).
   */
  endCheck: 'after-last-id' | 'none' | { expected: number };
}

/** GETs and paged listings with core's retry around every single request (one page = one retry unit). */
export class OktaLister {
  constructor(
    private readonly t: OktaTransport,
    private readonly ctx: ReadContext,
  ) {}

  get(url: string, resource: string, shape: 'any' | 'array' = 'any'): Promise<OktaResponse> {
    return withRetry(
      async () => {
        const res = await this.t.get(url);
        if (shape === 'array' && !Array.isArray(res.body)) {
          throw new MalformedResponseError({
            vendor: 'okta',
            url,
            message: `okta: ${resource} answered something other than a JSON array`,
          });
        }
        return res;
      },
      {
        vendor: 'okta',
        resource,
        policy: this.ctx.retry,
        abortSignal: this.ctx.abortSignal,
        onProgress: this.ctx.onProgress,
      },
    );
  }

  url(path: string, query: ListArgs['query'] = {}): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined)
        q.set(k, String(k === 'limit' && this.ctx.pageSize ? Math.min(Number(v), this.ctx.pageSize) : v));
    const qs = q.toString();
    return `${this.t.orgUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async list<T extends { id?: string }>(args: ListArgs): Promise<T[]> {
    const first = this.url(args.path, args.query);
    const limit = Number(new URL(first).searchParams.get('limit') ?? NaN);
    let walked = await this.walk<T>(first, args.resource);
    const items = dedupe(walked.items);
    const expected = typeof args.endCheck === 'object' ? args.endCheck.expected : undefined;
    // A last page shorter than the limit asked for is the end: Okta fills every page but the last.
    const unproven = () => !(Number.isInteger(limit) && walked.lastPage < limit);
    const check = () =>
      items.length > 0 &&
      ((args.endCheck === 'after-last-id' && unproven()) || (expected !== undefined && items.length < expected));
    while (check()) {
      const last = items[items.length - 1]!.id;
      if (!last) break;
      const after = new URL(first);
      after.searchParams.set('after', last);
      const seen = new Set(items.map((x) => x.id));
      try {
        walked = await this.walk<T>(after.toString(), args.resource);
      } catch (e) {
        // Okta's cursors are documented as opaque. Should an org refuse an id as `after` (400), the
        // end check cannot be made; the listing stands as read (a count check, if any, still applies).
        if (isBadRequest(e)) break;
        throw e;
      }
      const fresh = dedupe(walked.items.filter((x) => !seen.has(x.id)));
      if (!fresh.length) break;
      items.push(...fresh);
    }
    if (expected !== undefined && items.length < expected) {
      throw new IncompleteReadError({
        vendor: 'okta',
        resource: args.resource,
        reason: 'count-mismatch',
        message: `okta: ${args.resource} listed ${items.length} of the ${expected} Okta counts; refusing a partial listing`,
      });
    }
    return items;
  }

  /** Follows the Link headers from `start` to the end; the items and the size of the last page. */
  private async walk<T>(start: string, resource: string): Promise<{ items: T[]; lastPage: number }> {
    const origin = new URL(this.t.orgUrl).origin;
    const items: T[] = [];
    let lastPage = 0;
    for await (const page of paginate<T, string>({
      vendor: 'okta',
      resource,
      abortSignal: this.ctx.abortSignal,
      onProgress: this.ctx.onProgress,
      fetchPage: async (cursor) => {
        const url = cursor ?? start;
        const res = await this.get(url, resource, 'array');
        const next = nextLink(res.headers.get('link'));
        // The SDK sends the credential to whatever URL it is given: never follow a link off the org.
        if (next && new URL(next, start).origin !== origin) {
          throw new IncompleteReadError({
            vendor: 'okta',
            resource,
            reason: 'other',
            message: `okta: ${resource} returned a next link to another host; refusing to follow it`,
          });
        }
        return { items: res.body as T[], next: next ? new URL(next, start).toString() : null };
      },
    })) {
      items.push(...page);
      lastPage = page.length;
    }
    return { items, lastPage };
  }
}

function dedupe<T extends { id?: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => (x.id === undefined ? true : seen.has(x.id) ? false : (seen.add(x.id), true)));
}

/** True for the 400 Okta answers a filter it will not take (too long / too many clauses). */
export function isBadRequest(e: unknown): boolean {
  return ApiCallError.isInstance(e) && e.status === 400;
}
