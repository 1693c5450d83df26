import { createHash } from 'node:crypto';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A deterministic Okta-shaped id (`00u` users, `00g` groups, `0oa` apps, `prm` mappings, `oty` user types): prefix + 17 base62 chars. */
export function oktaId(prefix: string, genericId: string): string {
  const h = createHash('sha256').update(`${prefix}:${genericId}`).digest();
  let s = prefix;
  for (let i = 0; s.length < 20; i++) s += B62[h[i]! % 62];
  return s;
}
