import { HttpResponse } from 'msw';
import type { FakeKit, PagingFaults } from '@claude-idp/core/testing';
import type { GraphObject } from './entra-fake-store';

/** Graph's error envelope, as every Graph error answers. */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  const date = new Date().toISOString().slice(0, 19);
  return HttpResponse.json({ error: { code, message, innerError: { date, 'request-id': '4f3b0a52-6e1c-4a5e-9a3f-0c1d2e3f4a5b', 'client-request-id': '4f3b0a52-6e1c-4a5e-9a3f-0c1d2e3f4a5b' } } }, { status, headers });
}

/** Graph's throttling answer: 429 with Retry-After (seconds) and the throttle scope headers. */
export function graphThrottle(): { status: number; headers: Record<string, string>; body: unknown } {
  return {
    status: 429,
    headers: { 'Retry-After': '1', 'x-ms-throttle-information': 'ResourceUnitLimitExceeded', 'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/fake/fake' },
    body: { error: { code: 'TooManyRequests', message: 'Too many requests.', innerError: { date: new Date().toISOString().slice(0, 19) } } },
  };
}

export type Clause = { kind: 'startswith'; prop: string; value: string } | { kind: 'eq'; prop: string; value: string } | { kind: 'in'; prop: string; values: string[] };

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const CLAUSE = new RegExp(String.raw`\s*(?:startswith\(\s*(\w+)\s*,\s*${LITERAL}\s*\)|(\w+)\s+eq\s+${LITERAL}|(\w+)\s+in\s+\(((?:\s*'(?:[^']|'')*'\s*,?)+)\))\s*`, 'iy');
const unquote = (s: string) => s.replace(/''/g, "'");

/** Parses the `$filter` forms Graph supports and the adapter uses: `startswith(p,'x')`, `p eq 'x'`, `p in ('a','b')`, joined by `or`. */
export function parseFilter(filter: string): Clause[] | null {
  const clauses: Clause[] = [];
  let at = 0;
  for (;;) {
    CLAUSE.lastIndex = at;
    const m = CLAUSE.exec(filter);
    if (!m) return null;
    if (m[1]) clauses.push({ kind: 'startswith', prop: m[1], value: unquote(m[2]!) });
    else if (m[3]) clauses.push({ kind: 'eq', prop: m[3], value: unquote(m[4]!) });
    else clauses.push({ kind: 'in', prop: m[5]!, values: [...m[6]!.matchAll(/'((?:[^']|'')*)'/g)].map((x) => unquote(x[1]!)) });
    at = CLAUSE.lastIndex;
    if (at >= filter.length) return clauses;
    const or = /or\s+/iy;
    or.lastIndex = at;
    if (!or.exec(filter)) return null;
    at = or.lastIndex;
  }
}

/**
 * A clause as a predicate over store objects. Directory string comparisons are case-insensitive in
 * Graph. The literals are lower-cased once here and an `in` list becomes a Set, because a filter
 * is tested against every object of the collection (50,000 users x 15 ids per `id in (...)`
 * request was the fake's second-largest CPU cost when re-lowercased per object).
 */
export function clauseMatcher(c: Clause): (item: GraphObject) => boolean {
  const value = (item: GraphObject) => String(item[c.prop] ?? '').toLowerCase();
  if (c.kind === 'startswith') {
    const prefix = c.value.toLowerCase();
    return (item) => value(item).startsWith(prefix);
  }
  if (c.kind === 'eq') {
    const wanted = c.value.toLowerCase();
    return (item) => value(item) === wanted;
  }
  const wanted = new Set(c.values.map((x) => x.toLowerCase()));
  return (item) => wanted.has(value(item));
}

/** `$select`: only the named properties (plus `@odata.type` on directoryObject collections: the item's own, or `odataType`). */
export function project(item: GraphObject, select: string[] | null, odataType?: string): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  const type = odataType ?? item['@odata.type'];
  if (type) out['@odata.type'] = type;
  for (const p of select) if (p in item) out[p] = item[p];
  return out;
}

export function selectOf(url: URL): string[] | null {
  const s = url.searchParams.get('$select');
  return s ? s.split(',').map((x) => x.trim()).filter(Boolean) : null;
}

/**
 * A page of a Graph collection: at most `$top` (default 100, 1..999) items, `@odata.nextLink` the
 * request URL with a fresh `$skiptoken`, and `@odata.count` on the first page when `$count=true`
 * came with `ConsistencyLevel: eventual` (without the header Graph ignores `$count`).
 */
export function listPage<T = Record<string, unknown>>(args: {
  request: Request;
  kit: FakeKit;
  faults?: PagingFaults;
  items: readonly T[];
  /**
   * Turns a stored item into its answer form (`$select`, `@odata.type`). Applied to the page's
   * slice only: rendering the whole collection for every page made reading a 39,000-member group
   * in 40 pages quadratic (40 x 39,000 copies).
   */
  render?: (item: T) => Record<string, unknown>;
  context: string;
}): Response {
  const url = new URL(args.request.url);
  const topText = url.searchParams.get('$top');
  const top = topText === null ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 999) return graphError(400, 'Request_BadRequest', `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`);
  const cursor = url.searchParams.get('$skiptoken');
  const page = args.kit.page(args.items, cursor, top, args.faults);
  const counted = url.searchParams.get('$count') === 'true' && (args.request.headers.get('consistencylevel') ?? '').toLowerCase() === 'eventual';
  let nextLink: string | undefined;
  if (page.next) {
    // Graph keeps the request's query as sent (literal `$select=...`) and adds its own `$skiptoken`.
    const kept = url.search.slice(1).split('&').filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
    nextLink = `${url.origin}${url.pathname}?${[...kept, `$skiptoken=${page.next}`].join('&')}`;
  }
  return HttpResponse.json({
    '@odata.context': args.context,
    ...(counted && !cursor ? { '@odata.count': args.items.length } : {}),
    ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    value: args.render ? page.items.map(args.render) : page.items,
  } as never);
}
