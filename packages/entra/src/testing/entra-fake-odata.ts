import { HttpResponse } from 'msw';
import type { FakeKit, PagingFaults } from '@claude-idp/core/testing';
import type { GraphObject } from './entra-fake-store';

/** Graph's error envelope, as every Graph error answers. */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  const date = new Date().toISOString().slice(0, 19);
  return HttpResponse.json(
    {
      error: {
        code,
        message,
        innerError: {
          date,
          'request-id': '4f3b0a52-6e1c-4a5e-9a3f-0c1d2e3f4a5b',
          'client-request-id': '4f3b0a52-6e1c-4a5e-9a3f-0c1d2e3f4a5b',
        },
      },
    },
    { status, headers },
  );
}

/** Graph's throttling answer: 429 with Retry-After (seconds) and the throttle scope headers. */
export function graphThrottle(): { status: number; headers: Record<string, string>; body: unknown } {
  return {
    status: 429,
    headers: {
      'Retry-After': '1',
      'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/fake/fake',
    },
    body: {
      error: {
        code: 'TooManyRequests',
        message: 'Too many requests.',
        innerError: { date: new Date().toISOString().slice(0, 19) },
      },
    },
  };
}

/**
 * The fake's answer to anything it does not model (a query option, property, path, method or
 * header value): a loud 501 in Graph's error envelope naming it, never a 200 that ignores it.
 */
export function notModelled(what: string): Response {
  // The code and wording of FakeKit.notModelled through the fake's error hook (entra-fake-errors.ts).
  return graphError(501, 'notSupported', `Not modelled by this fake (@claude-idp/entra/testing): ${what}`);
}

/** A system query option's value; Graph reads their names case-insensitively (`$orderBy`, `$Top`). */
export function odataParam(url: URL, name: string): string | null {
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === name) return v;
  return null;
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
  const topText = odataParam(url, '$top');
  const top = topText === null ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 999)
    return graphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`,
    );
  const cursor = odataParam(url, '$skiptoken');
  // A token the fake did not issue (the kit's cursors read `offset:sequence`) would otherwise restart
  // at the first page; Graph refuses it (body as captured in microsoft-graph-docs-contrib#5103).
  if (cursor !== null && !/^\d+:\d+$/.test(Buffer.from(cursor, 'base64url').toString('utf8')))
    return graphError(400, '', 'Invalid Skip Token');
  const page = args.kit.page(args.items, cursor, top, args.faults);
  const counted =
    odataParam(url, '$count') === 'true' &&
    (args.request.headers.get('consistencylevel') ?? '').toLowerCase() === 'eventual';
  let nextLink: string | undefined;
  if (page.next) {
    // Graph keeps the request's query as sent (literal `$select=...`) and adds its own `$skiptoken`.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
    nextLink = `${url.origin}${url.pathname}?${[...kept, `$skiptoken=${page.next}`].join('&')}`;
  }
  return HttpResponse.json({
    '@odata.context': args.context,
    ...(counted && !cursor ? { '@odata.count': args.items.length } : {}),
    ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    value: args.render ? page.items.map(args.render) : page.items,
  } as never);
}
