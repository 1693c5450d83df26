/**
 * Numeric OneLogin ids derived from the generic tenant's opaque ids: the same generic id gives
 * the same number in every fake and across `update()`, in the ranges OneLogin's own samples show
 * (users 8 digits like 36216766, apps 7 like 1061937, roles and groups 6 like 199848 / 417333).
 */
const RANGES = {
  user: [10_000_000, 99_999_999],
  app: [1_000_000, 9_999_999],
  role: [100_000, 499_999],
  group: [500_000, 999_999],
} as const;

export type IdKind = keyof typeof RANGES;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function numericId(kind: IdKind, id: string): number {
  const [lo, hi] = RANGES[kind];
  return lo + (fnv1a(`${kind}:${id}`) % (hi - lo + 1));
}

/** Numeric ids for a list of generic ids, refusing the (unlikely) collision instead of merging two records. */
export function numericIds(kind: IdKind, ids: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const seen = new Map<number, string>();
  for (const id of ids) {
    const n = numericId(kind, id);
    const other = seen.get(n);
    if (other !== undefined && other !== id)
      throw new Error(`onelogin fake: ${kind} ids "${other}" and "${id}" map to the same number ${n}; rename one`);
    seen.set(n, id);
    out.set(id, n);
  }
  return out;
}
