/**
 * Google's partial-response `fields` parameter, as the fake applies it: comma-separated paths,
 * `a/b` for a sub-field, `a(b,c)` for sub-fields of every element of `a`
 * (e.g. `nextPageToken,users(id,primaryEmail,name/givenName)`). Fields not asked for are left out,
 * so an adapter that forgets one in its mask finds out in tests as it would against Google.
 */
export type FieldTree = Map<string, FieldTree | true>;

export function parseFields(spec: string): FieldTree {
  let i = 0;
  const s = spec.replace(/\s+/g, '');
  const list = (): FieldTree => {
    const tree: FieldTree = new Map();
    for (;;) {
      const start = i;
      while (i < s.length && !',()'.includes(s[i]!)) i++;
      const path = s.slice(start, i).split('/').filter(Boolean);
      if (!path.length) throw new Error(`Invalid field selection ${spec}`);
      let sub: FieldTree | true = true;
      if (s[i] === '(') {
        i++;
        sub = list();
        if (s[i] !== ')') throw new Error(`Invalid field selection ${spec}`);
        i++;
      }
      insert(tree, path, sub);
      if (s[i] !== ',') return tree;
      i++;
    }
  };
  const tree = list();
  if (i !== s.length) throw new Error(`Invalid field selection ${spec}`);
  return tree;
}

function insert(tree: FieldTree, path: string[], leaf: FieldTree | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (!rest.length) {
    const prev = tree.get(head);
    tree.set(head, prev instanceof Map && leaf instanceof Map ? merge(prev, leaf) : prev === true ? true : leaf);
    return;
  }
  let next = tree.get(head);
  if (next === true) return;
  if (!next) tree.set(head, (next = new Map()));
  insert(next, rest, leaf);
}

function merge(a: FieldTree, b: FieldTree): FieldTree {
  for (const [k, v] of b) insert(a, [k], v);
  return a;
}

export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sub === true ? v : applyFields(v, sub);
  }
  return out;
}
