/**
 * `fn` of a string, made once per distinct input, for a handful of values repeated over 100k rows
 * (roles, seat tiers). The previous input is compared first: rows mostly repeat the one before,
 * and a comparison is cheaper than hashing a fresh copy of the text (inputs parsed from JSON or
 * built in code are separate strings per row).
 */
export function memoText(fn: (text: string) => string): (text: string) => string {
  const made = new Map<string, string>();
  let lastText: string | undefined;
  let lastValue = '';
  return (text) => {
    if (text === lastText) return lastValue;
    let value = made.get(text);
    if (value === undefined) made.set(text, (value = fn(text)));
    lastText = text;
    lastValue = value;
    return value;
  };
}

/** The map under `key` in a map of maps, made empty on first use (for memos keyed by several values). */
export function innerMap<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Map()));
  return inner;
}
