import { decodeCursor, type FakeKit, type PagingFaults } from '@claude-idp/core/testing';
import { HttpResponse } from 'msw';

/** OneLogin's v2 error body. */
export function v2Error(status: number, name: string, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ message, statusCode: status, name }, { status, headers });
}

/** OneLogin's v1 error envelope. */
export function v1Error(status: number, type: string, message: string): Response {
  return HttpResponse.json({ status: { error: true, code: status, type, message } }, { status });
}

/**
 * The wire cursor: opaque base64 that encodes the page size (a real one decodes to e.g.
 * `limit=1000&page=3`, api-docs/2/getting-started/using-query-parameters), URL-encoded in the
 * header as OneLogin does (a trailing `%3D`). The payload is padded so that base64 always ends in
 * `=`: a client that forgets to URL-decode the header then sends `%3D` and gets the real API's 422.
 */
export function encodeWireCursor(limit: number, kitCursor: string): string {
  let payload = `limit=${limit}&cursor=${kitCursor}`;
  if (payload.length % 3 === 0) payload += '&';
  return encodeURIComponent(Buffer.from(payload, 'utf8').toString('base64'));
}

export function decodeWireCursor(value: string): { limit: number; cursor: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const params = new URLSearchParams(Buffer.from(value, 'base64').toString('utf8'));
  const limit = Number(params.get('limit'));
  const cursor = params.get('cursor');
  return Number.isInteger(limit) && limit > 0 && cursor ? { limit, cursor } : null;
}

/**
 * One page of a v2 listing: a bare JSON array, with Total-Count / Total-Pages / Current-Page /
 * Page-Items / After-Cursor / Before-Cursor headers (onelogin-python-sdk RolesApi response headers).
 * Enforces what the real API enforces: a cursor comes alone (no limit/page/sort), there are no
 * `after_cursor` / `before_cursor` parameters on v2 (400), a cursor that is not one is a 422, and
 * `limit` is at most the endpoint's maximum.
 */
export function v2Page(kit: FakeKit, request: Request, faults: PagingFaults, items: readonly unknown[], max: number, extraHeaders: Record<string, string>): Response {
  const q = new URL(request.url).searchParams;
  if (q.has('after_cursor') || q.has('before_cursor')) {
    return v2Error(400, 'BadRequestError', 'after_cursor and before_cursor are not parameters of this API; send the After-Cursor value as cursor');
  }
  let limit: number;
  let kitCursor: string | null = null;
  const wire = q.get('cursor');
  if (wire !== null) {
    if (q.has('limit') || q.has('page') || q.has('sort')) return v2Error(400, 'BadRequestError', 'Requests can only have cursor xor pagination arguments');
    const decoded = decodeWireCursor(wire);
    if (!decoded) return v2Error(422, 'UnprocessableEntityError', 'cursor is invalid');
    ({ limit, cursor: kitCursor } = decoded);
  } else {
    limit = q.has('limit') ? Number(q.get('limit')) : Math.min(50, max);
    if (!Number.isInteger(limit) || limit < 1 || limit > max) return v2Error(400, 'BadRequestError', `limit must be between 1 and ${max}`);
    const page = Number(q.get('page') ?? '1');
    if (page > 1) kitCursor = kit.cursor((page - 1) * limit);
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
  if (slice.next) headers['After-Cursor'] = encodeWireCursor(limit, slice.next);
  if (offset > 0) headers['Before-Cursor'] = encodeWireCursor(limit, kit.cursor(Math.max(0, offset - size)));
  return HttpResponse.json(slice.items as never, { headers });
}

/** One page of the v1 groups listing: the `{status, pagination, data}` envelope, 50 a page, `after_cursor` in. */
export function v1Page(kit: FakeKit, request: Request, faults: PagingFaults, baseUrl: string, items: readonly unknown[], extraHeaders: Record<string, string>): Response {
  const url = new URL(request.url);
  const after = url.searchParams.get('after_cursor');
  const slice = kit.page(items, after, 50, faults);
  const link = (c: string) => `${baseUrl}${url.pathname}?after_cursor=${encodeURIComponent(c)}`;
  const offset = after ? decodeCursor(after) : 0;
  const before = offset > 0 ? kit.cursor(Math.max(0, offset - Math.min(50, kit.pageSizeCap ?? 50))) : null;
  return HttpResponse.json(
    {
      status: { error: false, code: 200, type: 'success', message: 'Success' },
      pagination: { before_cursor: before, after_cursor: slice.next, previous_link: before ? link(before) : null, next_link: slice.next ? link(slice.next) : null },
      data: slice.items,
    } as never,
    { headers: extraHeaders },
  );
}
