/**
 * `$filter` as Graph evaluates it on directory objects: the OData grammar (`eq ne ge le in`,
 * `startsWith` / `endsWith`, `and` / `or` / `not`, parentheses), checked against which property
 * supports which operator by default and which only with the advanced query parameters
 * (entra-fake-filter-support.ts). Answers follow the error examples of
 * learn.microsoft.com/graph/aad-advanced-queries.
 */
import { graphError, notModelled } from './entra-fake-odata';
import { FILTER_SUPPORT, type Op } from './entra-fake-filter-support';
import { GRAPH_TYPES, type GraphTypeName } from './entra-graph-properties';
import type { GraphObject } from './entra-fake-store';

/** The resource name Graph uses in filter errors ("of resource 'User'"). */
const RESOURCE: Record<GraphTypeName, string> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'ServicePrincipal',
  appRoleAssignment: 'AppRoleAssignment',
};
/** Graph's `in` operator and `or` chains take at most 15 values by default. */
export const IN_LIMIT = 15;

type Literal = string | number | boolean | null;
export type FilterNode =
  | { k: 'cmp'; op: 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt'; prop: string; value: Literal }
  | { k: 'in'; prop: string; values: Literal[] }
  | { k: 'fn'; fn: 'startsWith' | 'endsWith' | 'contains'; prop: string; value: Literal }
  | { k: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { k: 'not'; e: FilterNode }
  | { k: 'lambda'; text: string };

class SyntaxFault extends Error {}

/** Tokens: identifiers and paths (`a/b`), 'strings' ('' escapes a quote), numbers, ( ) , and `:` inside lambdas. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  // Literals: 'strings', numbers, and dates / date-times (2021-11-01, 2021-11-01T00:00:00Z).
  const re =
    /\s*(?:('(?:[^']|'')*')|([A-Za-z_$][\w$./]*)|(\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|-?\d+(?:\.\d+)?)|([(),:]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new SyntaxFault();
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    at = re.lastIndex;
  }
  return out;
}

/** Parses a `$filter` expression; null when it is not valid OData. */
export function parseFilter(text: string): FilterNode | null {
  let toks: string[];
  try {
    toks = tokenize(text);
  } catch {
    return null;
  }
  let i = 0;
  const peek = () => toks[i]?.toLowerCase();
  const take = (want?: string) => {
    const t = toks[i++];
    if (t === undefined || (want !== undefined && t.toLowerCase() !== want)) throw new SyntaxFault();
    return t;
  };
  const literal = (): Literal => {
    const t = take();
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    const l = t.toLowerCase();
    if (l === 'true' || l === 'false') return l === 'true';
    if (l === 'null') return null;
    if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t;
    if (/^-?\d/.test(t)) return Number(t);
    throw new SyntaxFault();
  };
  const prop = () => {
    const t = take();
    if (!/^[A-Za-z_$]/.test(t)) throw new SyntaxFault();
    return t;
  };
  const or = (): FilterNode => {
    let l = and();
    while (peek() === 'or') take(), (l = { k: 'or', l, r: and() });
    return l;
  };
  const and = (): FilterNode => {
    let l = unary();
    while (peek() === 'and') take(), (l = { k: 'and', l, r: unary() });
    return l;
  };
  const unary = (): FilterNode => {
    if (peek() === 'not') return (take(), { k: 'not', e: unary() });
    if (peek() === '(') {
      take('(');
      const e = or();
      take(')');
      return e;
    }
    const first = take();
    const fn = ({ startswith: 'startsWith', endswith: 'endsWith', contains: 'contains' } as const)[
      first.toLowerCase() as 'startswith'
    ];
    if (fn && peek() === '(') {
      take('(');
      const p = prop();
      take(',');
      const value = literal();
      take(')');
      return { k: 'fn', fn, prop: p, value };
    }
    if (!/^[A-Za-z_$]/.test(first)) throw new SyntaxFault();
    // A lambda (`otherMails/any(x:x eq 'a')`): read to its closing parenthesis.
    if (/\/(any|all)$/i.test(first) && peek() === '(') {
      let depth = 0;
      const start = i;
      do {
        const t = take();
        if (t === '(') depth++;
        if (t === ')') depth--;
      } while (depth > 0);
      return { k: 'lambda', text: `${first}${toks.slice(start, i).join('')}` };
    }
    const op = take().toLowerCase();
    if (op === 'in') {
      take('(');
      const values = [literal()];
      while (peek() === ',') take(), values.push(literal());
      take(')');
      return { k: 'in', prop: first, values };
    }
    if (!['eq', 'ne', 'ge', 'le', 'gt', 'lt'].includes(op)) throw new SyntaxFault();
    return { k: 'cmp', op: op as 'eq', prop: first, value: literal() };
  };
  try {
    const node = or();
    return i === toks.length ? node : null;
  } catch {
    return null;
  }
}

/** The canonical (metadata) spelling of a property name, which Graph matches case-insensitively; undefined when the type has no such property. */
export function canonicalProperty(type: GraphTypeName, name: string): string | undefined {
  const lower = name.toLowerCase();
  const t = GRAPH_TYPES[type];
  return [...t.structural, ...t.navigation].find((p) => p.toLowerCase() === lower);
}

const unsupported = (type: GraphTypeName, prop: string) =>
  graphError(
    400,
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${RESOURCE[type]}'.`,
  );
const needsAdvanced = (op: string) =>
  graphError(
    400,
    'Request_UnsupportedQuery',
    `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
export const unknownProperty = (type: string, prop: string) =>
  graphError(400, 'Request_BadRequest', `Could not find a property named '${prop}' on type 'microsoft.graph.${type}'.`);

/**
 * A `$filter` as a predicate over the stored objects of `type`, or Graph's 400 (bad syntax, no such
 * property, an operator the property does not support, an advanced-only one without the advanced
 * query parameters, more than 15 values), or a 501 for what the fake does not evaluate (lambdas,
 * properties it does not store).
 */
export function compileFilter(
  text: string,
  type: GraphTypeName,
  advanced: boolean,
  stored: ReadonlySet<string>,
): ((item: GraphObject) => boolean) | Response {
  const tree = parseFilter(text);
  if (!tree) return graphError(400, 'BadRequest', 'Invalid filter clause');
  let values = 0;
  const check = (prop: string, op: Op | 'ne' | 'not'): string | Response => {
    if (prop.includes('/'))
      return notModelled(`the $filter path '${prop}' (properties of complex or collection properties)`);
    const name = canonicalProperty(type, prop);
    if (!name) return unknownProperty(type, prop);
    const support = FILTER_SUPPORT[type][name];
    // "Properties that are not listed here do not support $filter at all."
    if (!support) return unsupported(type, name);
    if (support.collection) return notModelled(`$filter on the collection property '${name}' (lambda operators)`);
    const base = op === 'ne' || op === 'not' ? 'eq' : op;
    const byDefault = support.d.includes(base) && op !== 'ne' && op !== 'not' && op !== 'null';
    const anyway = support.d.includes(base) || support.a?.includes(base);
    if (!anyway) return unsupported(type, name);
    if (!byDefault && !advanced)
      return needsAdvanced(op === 'startsWith' || op === 'endsWith' ? op : op === 'null' ? 'eq' : op);
    if (!stored.has(name)) return notModelled(`$filter on the property '${name}' of microsoft.graph.${type}`);
    return name;
  };
  const build = (n: FilterNode): ((item: GraphObject) => boolean) | Response => {
    switch (n.k) {
      case 'lambda':
        return notModelled(`the $filter lambda '${n.text}'`);
      case 'and':
      case 'or': {
        const l = build(n.l);
        if (l instanceof Response) return l;
        const r = build(n.r);
        if (r instanceof Response) return r;
        return n.k === 'and' ? (x) => l(x) && r(x) : (x) => l(x) || r(x);
      }
      case 'not': {
        if (!advanced) return needsAdvanced('not');
        const e = build(n.e);
        return e instanceof Response ? e : (x) => !e(x);
      }
      case 'in': {
        const name = check(n.prop, 'in');
        if (name instanceof Response) return name;
        values += n.values.length;
        const wanted = new Set(n.values.map(norm));
        return (x) => wanted.has(norm(x[name]));
      }
      case 'fn': {
        if (n.fn === 'contains') return unsupported(type, n.prop);
        const name = check(n.prop, n.fn);
        if (name instanceof Response) return name;
        if (typeof n.value !== 'string') return graphError(400, 'BadRequest', 'Invalid filter clause');
        const v = n.value.toLowerCase();
        return n.fn === 'startsWith'
          ? (x) =>
              String(x[name] ?? '')
                .toLowerCase()
                .startsWith(v) && x[name] != null
          : (x) => x[name] != null && String(x[name]).toLowerCase().endsWith(v);
      }
      case 'cmp': {
        if (n.op === 'gt' || n.op === 'lt') return unsupported(type, n.prop);
        const op: Op | 'ne' = n.value === null ? 'null' : n.op;
        const name = check(n.prop, n.op === 'ne' ? 'ne' : op);
        if (name instanceof Response) return name;
        values++;
        const v = norm(n.value);
        if (n.op === 'eq') return (x) => norm(x[name]) === v;
        if (n.op === 'ne') return (x) => norm(x[name]) !== v;
        if (n.value === null) return graphError(400, 'BadRequest', 'Invalid filter clause');
        return n.op === 'ge'
          ? (x) => x[name] != null && compare(norm(x[name]), v) >= 0
          : (x) => x[name] != null && compare(norm(x[name]), v) <= 0;
      }
    }
  };
  const predicate = build(tree);
  if (predicate instanceof Response) return predicate;
  if (values > IN_LIMIT)
    return graphError(
      400,
      'Request_UnsupportedQuery',
      `Too many child clauses specified in search filter expression containing 'OR' operators: ${values}. Max allowed: ${IN_LIMIT}.`,
    );
  return predicate;
}

/** Directory string comparisons are case-insensitive in Graph; other values compare as they are. */
function norm(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v.toLowerCase() : (v as number | boolean);
}

export function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return String(a) < String(b) ? -1 : 1;
}
