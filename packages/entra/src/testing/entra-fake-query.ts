/**
 * The OData query options the fake models besides `$filter` (entra-fake-filter.ts): `$select`,
 * `$search`, `$orderby`, `$expand`, and the rule that an option a route does not model fails
 * loudly. Behaviour and error texts from learn.microsoft.com/graph/aad-advanced-queries,
 * /graph/search-query-parameter and /graph/query-parameters.
 */
import { graphError, notModelled } from './entra-fake-odata';
import { canonicalProperty, compare, unknownProperty } from './entra-fake-filter';
import { FILTER_SUPPORT } from './entra-fake-filter-support';
import type { GraphObject } from './entra-fake-store';
import { GRAPH_TYPES, type GraphTypeName } from './entra-graph-properties';

/** The request's query options (names as sent) and whether the advanced query parameters came with it. */
export interface GraphQuery {
  url: URL;
  params: Map<string, string>;
  /** `ConsistencyLevel: eventual` */
  eventual: boolean;
  /** `ConsistencyLevel: eventual` and `$count=true`: Graph's "advanced query parameters". */
  advanced: boolean;
}

export function readQuery(request: Request): GraphQuery {
  const url = new URL(request.url);
  const params = new Map<string, string>();
  // System query option names are case-insensitive in Graph (its docs write `$orderBy`); keep them lower-cased.
  for (const [k, v] of url.searchParams) {
    const key = k.startsWith('$') ? k.toLowerCase() : k;
    if (!params.has(key)) params.set(key, v);
  }
  const eventual = (request.headers.get('consistencylevel') ?? '').trim().toLowerCase() === 'eventual';
  return { url, params, eventual, advanced: eventual && params.get('$count') === 'true' };
}

/** A 501 naming the first query parameter the route does not model, or null. */
export function unmodelledParams(q: GraphQuery, allowed: readonly string[], where: string): Response | null {
  for (const k of q.params.keys()) {
    if (allowed.includes(k)) continue;
    // Directory objects page with $skiptoken only (answer quoted in msgraph-sdk-dotnet#348).
    if (k === '$skip') return graphError(400, 'Request_BadRequest', "'$skip' is not supported by the service.");
    return notModelled(`the query parameter '${k}' on GET ${where}`);
  }
  return null;
}

/** Properties the fake stores per type (a property Graph has but the fake does not store answers 501 when named). */
export type StoredProps = Partial<Record<GraphTypeName, ReadonlySet<string>>>;

/**
 * `$select` names, in their metadata spelling. `types` are what the collection may hold (a
 * directoryObject listing holds users and groups); a name none of them has is Graph's 400, a
 * real property the fake does not store a 501.
 */
export function resolveSelect(
  raw: string | undefined,
  types: readonly GraphTypeName[],
  stored: StoredProps,
  typeLabel: string,
): string[] | null | Response {
  if (raw === undefined) return null;
  const names = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (!names.length) return graphError(400, 'BadRequest', 'Invalid $select properties.');
  const out: string[] = [];
  for (const n of names) {
    const found = types.map((t) => [t, canonicalProperty(t, n)] as const).filter(([, c]) => c);
    if (!found.length) return unknownProperty(typeLabel, n);
    const [, name] = found[0]!;
    if (!found.some(([t, c]) => stored[t]?.has(c!))) {
      const nav = found.some(([t, c]) => (GRAPH_TYPES[t].navigation as readonly string[]).includes(c!));
      return notModelled(
        `${nav ? 'the relationship' : 'the property'} '${name}' of microsoft.graph.${typeLabel} in $select`,
      );
    }
    out.push(name!);
  }
  return out;
}

/** Properties whose `$search` is tokenized; every other searchable property matches by prefix ("startsWith" behaviour). */
const TOKENIZED = new Set(['displayName', 'description']);
/** Split "by spaces, different casing, and character types (numbers and special characters)". */
const tokens = (s: string) => (s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? []).map((t) => t.toLowerCase());

type SearchNode = { k: 'clause'; prop: string; text: string } | { k: 'and' | 'or'; l: SearchNode; r: SearchNode };

function parseSearch(text: string): SearchNode | null {
  const toks: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(AND|OR)\b|([()]))/y;
  let at = 0;
  while (at < text.length && !/^\s*$/.test(text.slice(at))) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return null;
    toks.push(m[1] !== undefined ? `"${m[1]}` : (m[2] ?? m[3])!);
    at = re.lastIndex;
  }
  let i = 0;
  /** `next ( OP next )*`, left-associative: OR over AND over a clause or a parenthesised group. */
  const chain = (op: 'AND' | 'OR', next: () => SearchNode | null) => (): SearchNode | null => {
    let l = next();
    while (l && toks[i] === op) {
      i++;
      const r = next();
      l = r ? { k: op === 'AND' ? 'and' : 'or', l, r } : null;
    }
    return l;
  };
  const or = (): SearchNode | null => chain('OR', chain('AND', atom))();
  const atom = (): SearchNode | null => {
    const t = toks[i++];
    if (t === '(') {
      const e = or();
      return toks[i++] === ')' ? e : null;
    }
    if (!t?.startsWith('"')) return null;
    const body = t.slice(1).replace(/\\(.)/g, '$1');
    const colon = body.indexOf(':');
    if (colon <= 0) return null;
    return { k: 'clause', prop: body.slice(0, colon), text: body.slice(colon + 1) };
  };
  const node = or();
  return node && i === toks.length ? node : null;
}

/** `$search` as a predicate: only with `ConsistencyLevel: eventual` (else Graph's 400), on properties `$filter` supports. */
export function compileSearch(
  q: GraphQuery,
  type: GraphTypeName,
  stored: StoredProps,
): ((item: GraphObject) => boolean) | null | Response {
  const raw = q.params.get('$search');
  if (raw === undefined) return null;
  if (!q.eventual)
    return graphError(
      400,
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  const tree = parseSearch(raw);
  if (!tree)
    return graphError(
      400,
      'BadRequest',
      `Syntax error: the $search value ${JSON.stringify(raw)} is not "property:text" clauses joined by AND or OR.`,
    );
  const build = (n: SearchNode): ((item: GraphObject) => boolean) | Response => {
    if (n.k !== 'clause') {
      const l = build(n.l);
      if (l instanceof Response) return l;
      const r = build(n.r);
      if (r instanceof Response) return r;
      return n.k === 'and' ? (x) => l(x) && r(x) : (x) => l(x) || r(x);
    }
    const name = canonicalProperty(type, n.prop);
    if (!name) return unknownProperty(type, n.prop);
    const support = FILTER_SUPPORT[type][name];
    if (!support || support.collection || !stored[type]?.has(name))
      return notModelled(`$search on the property '${name}' of microsoft.graph.${type}`);
    if (TOKENIZED.has(name)) {
      const wanted = tokens(n.text);
      return (x) => {
        const have = tokens(String(x[name] ?? ''));
        return wanted.every((w) => have.some((h) => h.startsWith(w)));
      };
    }
    const prefix = n.text.toLowerCase();
    return (x) => x[name] != null && String(x[name]).toLowerCase().startsWith(prefix);
  };
  return build(tree);
}

/** `$orderby` support by directory object (aad-advanced-queries, "Support for sorting"): d = by default, a = with the advanced query parameters. */
const ORDER_BY: Record<GraphTypeName, Record<string, 'd' | 'a'>> = {
  user: { displayName: 'd', userPrincipalName: 'd', createdDateTime: 'a', deletedDateTime: 'a' },
  group: { displayName: 'd', deletedDateTime: 'a' },
  servicePrincipal: { displayName: 'a', createdDateTime: 'a', deletedDateTime: 'a' },
  appRoleAssignment: {},
};
const sortingNotSupported = () =>
  graphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');

/**
 * `$orderby` on one property, `asc` (default) or `desc`. Together with `$filter` or `$search`,
 * or on a property sortable only in advanced queries, Graph wants the advanced query parameters
 * and answers "Sorting not supported for current query." without them.
 */
export function orderItems<T extends GraphObject>(
  q: GraphQuery,
  type: GraphTypeName,
  items: T[],
  narrowed: boolean,
  stored: StoredProps,
): T[] | Response {
  const raw = q.params.get('$orderby');
  if (raw === undefined) return items;
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length !== 1) return notModelled(`$orderby on more than one property ('${raw}')`);
  const m = /^([\w/]+)(?:\s+(asc|desc))?$/i.exec(parts[0]!);
  if (!m) return graphError(400, 'BadRequest', `Invalid $orderby expression '${raw}'.`);
  const name = canonicalProperty(type, m[1]!);
  if (!name) return unknownProperty(type, m[1]!);
  const support = ORDER_BY[type][name];
  if (!support || ((support === 'a' || narrowed) && !q.advanced)) return sortingNotSupported();
  if (!stored[type]?.has(name)) return notModelled(`$orderby on the property '${name}' of microsoft.graph.${type}`);
  const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
  const key = (x: T) => (typeof x[name] === 'string' ? (x[name] as string).toLowerCase() : x[name]);
  return [...items].sort((a, b) => dir * compare(key(a), key(b)));
}

/** `$expand=<relationship>` or `<relationship>($select=a,b)`: the one relationship a route expands, its nested `$select`, else a 501. */
export function parseExpand(
  q: GraphQuery,
  relationship: string | null,
  where: string,
): { select: string | undefined } | null | Response {
  const raw = q.params.get('$expand');
  if (raw === undefined) return null;
  const m = /^\s*(\w+)\s*(?:\((.*)\))?\s*$/.exec(raw);
  if (!m || !relationship || m[1]!.toLowerCase() !== relationship.toLowerCase())
    return notModelled(`$expand=${raw} on GET ${where}`);
  // "$expand is not currently supported with advanced queries" (aad-advanced-queries); Graph's answer is not documented.
  if (q.advanced || q.params.has('$search'))
    return notModelled(`$expand together with advanced query parameters on GET ${where}`);
  const inner = m[2]?.trim();
  if (!inner) return { select: undefined };
  const sel = /^\$select=([\w, ]+)$/i.exec(inner);
  return sel ? { select: sel[1] } : notModelled(`the nested options '${inner}' of $expand on GET ${where}`);
}

/** Graph returns at most 20 objects of an expanded directory relationship, with no next link (known limitation of $expand on directory objects). */
export const EXPAND_LIMIT = 20;
