import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every depth, `undefined` members dropped, so equal data
 * gives byte-identical text (reports and plans diff cleanly; fingerprints are stable).
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortDeep(value), null, indent);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}

/** `sha256:<hex>` of the canonical JSON of a value. */
export function canonicalHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}
