import { createHash } from 'node:crypto';

/** A GUID derived from a generic id (name-based, UUIDv5-shaped), so every run serves the same ids. */
export function entraGuid(scope: string, id: string): string {
  const h = createHash('sha1').update(`${scope}\u0000${id}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
