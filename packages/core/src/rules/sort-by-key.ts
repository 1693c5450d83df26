/**
 * Sorts `items` (in place) by `keyOf(item)` in code-point order (UTF-16 code units, as `<` on
 * strings), items with equal keys by `tie` — the order `items.sort((a, b) => compareStrings(
 * keyOf(a), keyOf(b)) || tie(a, b))` gives, when `tie` orders every two items with equal keys.
 *
 * Multikey quicksort (Bentley & Sedgewick): items are split three ways on one character of their
 * keys at a time, so the shared beginnings of keys ("anna.smith…", "anna.smyth…") are not read
 * again for every comparison, as a comparison sort does. About twice as fast as `Array#sort` with
 * a comparator for 100k email addresses; the index sorts every snapshot's people with it.
 */
export function sortByKey<T>(items: T[], keyOf: (item: T) => string, tie: (a: T, b: T) => number): T[] {
  const keys = items.map(keyOf);
  const order = items.map((_, i) => i);
  const byKeyThenTie = (a: number, b: number) =>
    keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : tie(items[a]!, items[b]!);
  /** The code unit at `depth` of the key of `order[i]`, or -1 past its end (shorter keys first). */
  const unit = (i: number, depth: number) => {
    const k = keys[order[i]!]!;
    return depth < k.length ? k.charCodeAt(depth) : -1;
  };
  const swap = (i: number, j: number) => {
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  };
  /** Sorts order[lo, hi), whose keys agree on their first `depth` code units. */
  const sort = (lo: number, hi: number, depth: number, level: number): void => {
    while (hi - lo > 1) {
      // Small ranges, and (as a guard against bad pivots) deep recursion: a comparison sort.
      if (hi - lo < 16 || level > 48) {
        const part = order.slice(lo, hi).sort(byKeyThenTie);
        for (let k = 0; k < part.length; k++) order[lo + k] = part[k]!;
        return;
      }
      const pivot = unit((lo + hi) >>> 1, depth);
      let lt = lo;
      let gt = hi - 1;
      for (let i = lo; i <= gt; ) {
        const u = unit(i, depth);
        if (u < pivot) swap(lt++, i++);
        else if (u > pivot) swap(i, gt--);
        else i++;
      }
      // order[lo, lt) < pivot, order[lt, gt] = pivot, order(gt, hi) > pivot at this depth.
      sort(lo, lt, depth, level + 1);
      sort(gt + 1, hi, depth, level + 1);
      if (pivot < 0) {
        // These keys ended here: they are equal, and only `tie` orders them.
        const equal = order.slice(lt, gt + 1).sort((a, b) => tie(items[a]!, items[b]!));
        for (let k = 0; k < equal.length; k++) order[lt + k] = equal[k]!;
        return;
      }
      lo = lt;
      hi = gt + 1;
      depth++;
    }
  };
  sort(0, items.length, 0, 0);
  const sorted = order.map((i) => items[i]!);
  for (let i = 0; i < sorted.length; i++) items[i] = sorted[i]!;
  return items;
}
