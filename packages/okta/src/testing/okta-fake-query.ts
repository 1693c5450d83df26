import { decodeCursor, type FakeKit, type PagingFaults } from '@claude-idp/core/testing';

export type Predicate = (item: Record<string, unknown>) => boolean;

type Op = 'eq' | 'ne' | 'sw' | 'co' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
const OPS = new Set<string>(['eq', 'ne', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);

/**
 * Which attribute / operator pairs an endpoint's `filter` or `search` accepts, as its reference
 * says, and whether string values compare case-sensitively. `notModelled` names the documented
 * ones the fake does not implement (answered 501, never 200 with unfiltered data).
 */
export interface ExpressionRules {
  allows(attr: string, op: Op): boolean;
  notModelled?(attr: string): boolean;
  caseSensitive: boolean;
}

const DATES = new Set(['gt', 'ge', 'lt', 'le']);
const only =
  (attrs: string[], ops: Op[], more: (attr: string, op: Op) => boolean = () => false) =>
  (attr: string, op: Op) =>
    (attrs.includes(attr) && ops.includes(op)) || more(attr, op);

/**
 * GET /api/v1/users `filter`: status, lastUpdated, id, profile.login, profile.email,
 * profile.firstName, profile.lastName with `eq` only, and gt/ge/lt/le on lastUpdated; names and
 * values case-sensitive (spec `listUsers`).
 */
export const USERS_FILTER: ExpressionRules = {
  allows: only(
    ['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName'],
    ['eq'],
    (a, op) => a === 'lastUpdated' && DATES.has(op),
  ),
  caseSensitive: true,
};

/**
 * GET /api/v1/users `search`: any profile attribute and id, status, created, activated,
 * statusChanged, lastUpdated, type.id; operators sw, eq, gt/ge/lt/le (Okta's "status lt … or
 * status gt …" instead of `ne`), pr, and `co` only on profile.firstName / lastName / email /
 * login; string values case-insensitive (spec `listUsers`). `ne` is refused.
 */
export const USERS_SEARCH: ExpressionRules = {
  allows: (attr, op) => {
    const known =
      attr.startsWith('profile.') ||
      ['id', 'status', 'created', 'activated', 'statusChanged', 'lastUpdated', 'type.id'].includes(attr);
    if (!known || op === 'ne' || op === 'ew') return false;
    return op !== 'co' || ['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login'].includes(attr);
  },
  notModelled: (attr) => attr === 'classification.type',
  caseSensitive: false,
};

/** GET /api/v1/groups `filter`: id and type with `eq`, lastUpdated / lastMembershipUpdated with eq, gt, ge, lt, le (spec `listGroups`). */
export const GROUPS_FILTER: ExpressionRules = {
  allows: only(
    ['id', 'type'],
    ['eq'],
    (a, op) => ['lastUpdated', 'lastMembershipUpdated'].includes(a) && (op === 'eq' || DATES.has(op)),
  ),
  caseSensitive: true,
};

/**
 * GET /api/v1/groups `search`: any profile attribute and id, created, lastMembershipUpdated,
 * lastUpdated, type, source.id; operators sw, eq, gt/ge/lt/le, pr, and `co` only on profile.name /
 * profile.description (spec `listGroups`).
 */
export const GROUPS_SEARCH: ExpressionRules = {
  allows: (attr, op) => {
    const known =
      attr.startsWith('profile.') ||
      ['id', 'created', 'lastMembershipUpdated', 'lastUpdated', 'type', 'source.id'].includes(attr);
    if (!known || op === 'ne' || op === 'ew') return false;
    return op !== 'co' || attr === 'profile.name' || attr === 'profile.description';
  },
  caseSensitive: false,
};

/**
 * GET /api/v1/apps `filter`: id, status, credentials.signing.kid, settings.slo.enabled, name with
 * `eq` (spec `listApplications`); `user.id` / `group.id` (apps assigned to a user or group) are
 * documented with `expand=user/{id}` but not modelled.
 */
export const APPS_FILTER: ExpressionRules = {
  allows: only(['id', 'status', 'credentials.signing.kid', 'settings.slo.enabled', 'name'], ['eq']),
  notModelled: (attr) => attr === 'user.id' || attr === 'group.id',
  caseSensitive: true,
};

export type Parsed = { match: Predicate } | { invalid: string } | { notModelled: string };

type Token = { kind: 'str'; value: string } | { kind: 'word'; value: string } | { kind: '(' | ')' };

function tokenize(expr: string): Token[] | null {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([^\s()"]+))/y;
  let at = 0;
  while (at < expr.length) {
    re.lastIndex = at;
    const m = re.exec(expr);
    if (!m) return /^\s*$/.test(expr.slice(at)) ? out : null;
    at = re.lastIndex;
    if (m[1]) out.push({ kind: '(' });
    else if (m[2]) out.push({ kind: ')' });
    else if (m[3] !== undefined) out.push({ kind: 'str', value: m[3].replace(/\\(.)/g, '$1') });
    else out.push({ kind: 'word', value: m[4]! });
  }
  return out;
}

const valueAt = (item: Record<string, unknown>, attr: string): unknown =>
  attr
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), item);

function compare(got: unknown, op: Op, want: string | boolean | number, caseSensitive: boolean): boolean {
  if (Array.isArray(got)) return got.some((g) => compare(g, op, want, caseSensitive));
  if (op === 'pr') return got !== undefined && got !== null && got !== '';
  if (typeof want !== 'string') return op === 'eq' && got === want;
  if (typeof got !== 'string') return false;
  const [g, w] = caseSensitive ? [got, want] : [got.toLowerCase(), want.toLowerCase()];
  switch (op) {
    case 'eq':
      return g === w;
    case 'sw':
      return g.startsWith(w);
    case 'co':
      return g.includes(w);
    case 'gt':
      return g > w;
    case 'ge':
      return g >= w;
    case 'lt':
      return g < w;
    case 'le':
      return g <= w;
    default:
      return false;
  }
}

/**
 * Parses an Okta `filter` / `search` expression (developer.okta.com/docs/api/#filter):
 * `<attr> <op> "<value>"` (values quoted; true/false/numbers bare), `<attr> pr`, joined by `and` /
 * `or` with parentheses, under an endpoint's `rules`. A syntax error or a pair the endpoint does
 * not support is `invalid` (Okta answers 400 E0000031); `not` is refused as Okta refuses it.
 */
export function parseExpression(expr: string, rules: ExpressionRules): Parsed {
  const tokens = tokenize(expr);
  if (!tokens?.length) return { invalid: 'syntax' };
  let i = 0;
  let problem: Parsed | null = null;
  const word = (w: string) => tokens[i]?.kind === 'word' && (tokens[i] as { value: string }).value.toLowerCase() === w;
  const orExpr = (): Predicate | null => {
    const parts = [andExpr()];
    while (word('or')) {
      i++;
      parts.push(andExpr());
    }
    if (parts.some((p) => !p)) return null;
    return (item) => parts.some((p) => p!(item));
  };
  const andExpr = (): Predicate | null => {
    const parts = [unary()];
    while (word('and')) {
      i++;
      parts.push(unary());
    }
    if (parts.some((p) => !p)) return null;
    return (item) => parts.every((p) => p!(item));
  };
  const unary = (): Predicate | null => {
    const t = tokens[i];
    if (!t) return null;
    if (t.kind === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i]?.kind !== ')') return null;
      i++;
      return inner;
    }
    if (t.kind !== 'word' || word('not')) return null;
    const attr = t.value;
    i++;
    const opTok = tokens[i];
    if (opTok?.kind !== 'word' || !OPS.has(opTok.value.toLowerCase())) return null;
    const op = opTok.value.toLowerCase() as Op;
    i++;
    let want: string | boolean | number = '';
    if (op !== 'pr') {
      const v = tokens[i];
      if (!v || (v.kind !== 'str' && v.kind !== 'word')) return null;
      if (v.kind === 'str') want = v.value;
      else if (v.value === 'true' || v.value === 'false') want = v.value === 'true';
      else if (/^-?\d+(\.\d+)?$/.test(v.value)) want = Number(v.value);
      else return null;
      i++;
    }
    if (rules.notModelled?.(attr)) problem ??= { notModelled: `${attr} in an expression` };
    else if (!rules.allows(attr, op)) problem ??= { invalid: `${attr} ${op}` };
    return (item) => compare(valueAt(item, attr), op, want, rules.caseSensitive);
  };
  const match = orExpr();
  if (problem) return problem;
  if (!match || i !== tokens.length) return { invalid: 'syntax' };
  return { match };
}

/** `sortBy` / `sortOrder` (search queries only): by any single property, ties by id. */
export function sortItems<T extends { id: string }>(items: readonly T[], sortBy: string, order: 'asc' | 'desc'): T[] {
  const key = (x: T) => {
    const v = valueAt(x as unknown as Record<string, unknown>, sortBy);
    return v === undefined || v === null ? '' : String(v).toLowerCase();
  };
  const sign = order === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -sign : sign;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
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
  if (after)
    offset = style === 'id' ? items.filter((x) => x.id <= after).length : Math.max(0, Number(after) - OPAQUE_BASE) || 0;
  const slice = kit.page(items, offset > 0 ? kit.cursor(offset) : null, limit, faults);
  const links = [`<${url.toString()}>; rel="self"`];
  if (slice.next !== null) {
    const at = decodeCursor(slice.next);
    const next = new URL(url);
    next.searchParams.set('after', style === 'id' ? (items[at - 1]?.id ?? '') : String(OPAQUE_BASE + at));
    for (const p of options.dropFromNext ?? []) next.searchParams.delete(p);
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { items: slice.items, link: links.join(', ') };
}
