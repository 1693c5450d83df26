import { decodeCursor, type FakeKit, type PagingFaults } from '@claude-idp/core/testing';
import { HttpResponse } from 'msw';
import { v1ErrorBody, v2ErrorBody } from './onelogin-fake-errors';

/** OneLogin's v2 error body. */
export function v2Error(status: number, name: string, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json(v2ErrorBody(status, message, name), { status, headers });
}

/** OneLogin's v1 error envelope. */
export function v1Error(status: number, type: string, message: string): Response {
  return HttpResponse.json(v1ErrorBody(status, type, message), { status });
}

/**
 * The wire cursor: opaque base64 (a real one decodes to e.g. `limit=1000&page=3`,
 * api-docs/2/getting-started/using-query-parameters) of the page size, the sort and the position.
 * Sent raw in `After-Cursor` / `Before-Cursor` (and the next one again in `Cursor`), as OneLogin
 * sends it: a client puts it in the query string URL-encoded, and one that does not (a `+` read
 * back as a space) gets OneLogin's 400 "Invalid pagination cursor".
 */
export function encodeWireCursor(limit: number, sort: string | null, kitCursor: string): string {
  const payload = new URLSearchParams({ limit: String(limit), ...(sort ? { sort } : {}), cursor: kitCursor });
  return Buffer.from(payload.toString(), 'utf8').toString('base64');
}

export function decodeWireCursor(value: string): { limit: number; sort: string | null; cursor: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const params = new URLSearchParams(Buffer.from(value, 'base64').toString('utf8'));
  const limit = Number(params.get('limit'));
  const cursor = params.get('cursor');
  return Number.isInteger(limit) && limit > 0 && cursor ? { limit, sort: params.get('sort'), cursor } : null;
}

/** Whether `c` is a cursor the fake's kit issued (a position), not a made-up value. */
function isKitCursor(c: string): boolean {
  return /^\d+:\d+$/.test(Buffer.from(c, 'base64url').toString('utf8'));
}

/** OneLogin's answer to a cursor it did not issue (captured from the v2 API): a 400 in the `{status, error, description}` shape. */
export function invalidCursor(headers?: Record<string, string>): Response {
  return HttpResponse.json(
    { status: 400, error: 'BadRequestError', description: 'Invalid pagination cursor' },
    { status: 400, headers },
  );
}

/**
 * `sort=+field` / `sort=-field` (api-docs/2/getting-started/using-query-parameters: "+ to sort in
 * ascending order or - to sort in descending order"): the items in that order, ties kept in
 * OneLogin's id order; null when the field is not one the items carry.
 */
export function sortBy(items: readonly Record<string, unknown>[], sort: string): Record<string, unknown>[] | null {
  const m = /^([+ -]?)([a-z_]+)$/.exec(sort);
  if (!m || (items.length > 0 && !(m[2]! in items[0]!))) return null;
  const [, sign, field] = m;
  const dir = sign === '-' ? -1 : 1;
  const key = (x: Record<string, unknown>) =>
    x[field!] === null || x[field!] === undefined
      ? ''
      : typeof x[field!] === 'number'
        ? (x[field!] as number)
        : String(x[field!]).toLowerCase();
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka === kb ? 0 : ka < kb ? -dir : dir;
  });
}

/**
 * One page of a v2 listing: a bare JSON array, with Total-Count / Total-Pages / Current-Page /
 * Page-Items / After-Cursor / Before-Cursor / Cursor headers (onelogin-python-sdk RolesApi response
 * headers). Enforces what the real API enforces: a cursor comes alone (no limit/page/sort), there
 * are no `after_cursor` / `before_cursor` parameters on v2 (400), a cursor that is not one is a
 * 400 "Invalid pagination cursor", and `limit` is at most the endpoint's maximum. `sort`
 * (`+field` / `-field`) orders the listing when `sortable`; elsewhere it is not modelled (501).
 */
export function v2Page(
  kit: FakeKit,
  request: Request,
  faults: PagingFaults,
  listed: readonly Record<string, unknown>[],
  max: number,
  extraHeaders: Record<string, string>,
  sortable = false,
): Response {
  const q = new URL(request.url).searchParams;
  if (q.has('after_cursor') || q.has('before_cursor')) {
    return v2Error(
      400,
      'BadRequestError',
      'after_cursor and before_cursor are not parameters of this API; send the After-Cursor value as cursor',
    );
  }
  let limit: number;
  let sort: string | null = q.get('sort');
  let kitCursor: string | null = null;
  const wire = q.get('cursor');
  if (wire !== null) {
    if (q.has('limit') || q.has('page') || q.has('sort'))
      return v2Error(400, 'BadRequestError', 'Requests can only have cursor xor pagination arguments');
    const decoded = decodeWireCursor(wire);
    if (!decoded || !isKitCursor(decoded.cursor)) return invalidCursor();
    ({ limit, sort, cursor: kitCursor } = decoded);
  } else {
    limit = q.has('limit') ? Number(q.get('limit')) : Math.min(50, max);
    if (!Number.isInteger(limit) || limit < 1 || limit > max)
      return v2Error(400, 'BadRequestError', `limit must be between 1 and ${max}`);
    const page = Number(q.get('page') ?? '1');
    if (page > 1) kitCursor = kit.cursor((page - 1) * limit);
  }
  let items = listed;
  if (sort !== null) {
    if (!sortable) return kit.notModelled(request, `sort on ${new URL(request.url).pathname}`);
    const sorted = sortBy(listed, sort);
    if (!sorted) return v2Error(400, 'BadRequestError', `Invalid sort parameter: ${sort}`);
    items = sorted;
  }
  const size = Math.max(1, Math.min(limit, kit.pageSizeCap ?? limit));
  const offset = kitCursor ? decodeCursor(kitCursor) : 0;
  const slice = kit.page(items, kitCursor, limit, faults);
  const headers: Record<string, string> = {
    ...extraHeaders,
    'Total-Count': String(items.length),
    'Total-Pages': String(Math.max(1, Math.ceil(items.length / size))),
    'Current-Page': String(Math.floor(offset / size) + 1),
    'Page-Items': String(slice.items.length),
  };
  if (slice.next) headers['After-Cursor'] = headers.Cursor = encodeWireCursor(limit, sort, slice.next);
  if (offset > 0) headers['Before-Cursor'] = encodeWireCursor(limit, sort, kit.cursor(Math.max(0, offset - size)));
  return HttpResponse.json(slice.items as never, { headers });
}

/** One page of the v1 groups listing: the `{status, pagination, data}` envelope, 50 a page, `after_cursor` in. */
export function v1Page(
  kit: FakeKit,
  request: Request,
  faults: PagingFaults,
  baseUrl: string,
  items: readonly unknown[],
  extraHeaders: Record<string, string>,
): Response {
  const url = new URL(request.url);
  const after = url.searchParams.get('after_cursor');
  if (after !== null && !isKitCursor(after)) return v1Error(400, 'bad request', 'Invalid pagination cursor');
  const slice = kit.page(items, after, 50, faults);
  const link = (c: string) => `${baseUrl}${url.pathname}?after_cursor=${encodeURIComponent(c)}`;
  const offset = after ? decodeCursor(after) : 0;
  const before = offset > 0 ? kit.cursor(Math.max(0, offset - Math.min(50, kit.pageSizeCap ?? 50))) : null;
  return HttpResponse.json(
    {
      status: { error: false, code: 200, type: 'success', message: 'Success' },
      pagination: {
        before_cursor: before,
        after_cursor: slice.next,
        previous_link: before ? link(before) : null,
        next_link: slice.next ? link(slice.next) : null,
      },
      data: slice.items,
    } as never,
    { headers: extraHeaders },
  );
}
