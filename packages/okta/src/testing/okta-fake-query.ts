import { decodeCursor, type FakeKit, type PagingFaults } from '@claude-idp/core/testing';

/**
 * Okta's `filter` / `search` expressions, the subset the fake understands: clauses
 * `<attr> eq "<v>"` and `<attr> sw "<v>"` joined by `or` (and `and`), values compared
 * case-insensitively as Okta's search does. Anything else is rejected the way Okta rejects it
 * (400 E0000031), so an adapter cannot rely on syntax the real API would refuse.
 */
export type Predicate = (item: Record<string, unknown>) => boolean;

const CLAUSE = /^\(?\s*([A-Za-z_.]+)\s+(eq|sw)\s+"((?:[^"\\]|\\.)*)"\s*\)?$/i;

export function parseExpression(expr: string): Predicate | null {
  const ors = expr.split(/\s+or\s+/i).map((part) => part.split(/\s+and\s+/i));
  const parsed = ors.map((ands) =>
    ands.map((c) => {
      const m = CLAUSE.exec(c.trim());
      if (!m) return null;
      const [, attr, op, raw] = m;
      const want = raw!.replace(/\\(.)/g, '$1').toLowerCase();
      return (item: Record<string, unknown>) => {
        const got = attr!.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), item);
        if (typeof got !== 'string') return false;
        return op!.toLowerCase() === 'eq' ? got.toLowerCase() === want : got.toLowerCase().startsWith(want);
      };
    }),
  );
  if (parsed.some((ands) => ands.some((c) => c === null))) return null;
  return (item) => parsed.some((ands) => ands.every((c) => c!(item)));
}

export interface PageLimits {
  max: number;
  min: number;
  default: number;
}

/** Cursor styles Okta uses: the last item's id (users, groups, app users, apps) or an opaque number (app groups). */
export type CursorStyle = 'id' | 'opaque';
const OPAQUE_BASE = 16275000448690;

/**
 * One Okta page: `limit` clamped to the endpoint's range, `after` decoded per cursor style
 * (`id`: items whose id sorts after it, as Okta pages by id), and the `Link` header Okta sends:
 * `rel="self"` and, when more remain, `rel="next"` with the new `after` (query otherwise kept, less
 * any parameters Okta drops from next links, e.g. `expand` on app users).
 */
export function oktaPage<T extends { id: string }>(
  kit: FakeKit,
  items: readonly T[],
  url: URL,
  limits: PageLimits,
  faults: PagingFaults,
  options: { cursor?: CursorStyle; dropFromNext?: string[] } = {},
): { items: T[]; link: string } | { error: 'limit' } {
  const raw = url.searchParams.get('limit');
  const asked = raw === null ? limits.default : Number(raw);
  if (!Number.isInteger(asked) || asked < 1) return { error: 'limit' };
  const limit = Math.min(limits.max, Math.max(limits.min, asked));
  const after = url.searchParams.get('after');
  const style = options.cursor ?? 'id';
  let offset = 0;
  if (after) offset = style === 'id' ? items.filter((x) => x.id <= after).length : Math.max(0, Number(after) - OPAQUE_BASE) || 0;
  const slice = kit.page(items, offset > 0 ? kit.cursor(offset) : null, limit, faults);
  const links = [`<${url.toString()}>; rel="self"`];
  if (slice.next !== null) {
    const at = decodeCursor(slice.next);
    const next = new URL(url);
    next.searchParams.set('after', style === 'id' ? items[at - 1]?.id ?? '' : String(OPAQUE_BASE + at));
    for (const p of options.dropFromNext ?? []) next.searchParams.delete(p);
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { items: slice.items, link: links.join(', ') };
}
