import type { Member } from '../schemas/members';
import { createEmailNormalizer } from './email-normalizer';

/**
 * Each member row's address as `normalizeEmail` gives it (null when it is not an address), worked
 * out once per member list: `audit` (member impact, seat order), `plan` (matching, seat order)
 * and the plan's input hashes all need them, for the same 100k rows.
 *
 * Cached per list object and used only while every row still has the address it was computed
 * from (a list changed in place is worked out again); the check costs one comparison per row.
 * Treat the result as read-only.
 */
export function memberAddresses(members: readonly Pick<Member, 'email'>[]): readonly (string | null)[] {
  const hit = cache.get(members);
  if (hit && hit.raw.length === members.length) {
    let same = true;
    for (let i = 0; i < members.length && same; i++) same = members[i]!.email === hit.raw[i];
    if (same) return hit.normalised;
  }
  const norm = createEmailNormalizer();
  const raw = new Array<string>(members.length);
  const normalised = new Array<string | null>(members.length);
  for (let i = 0; i < members.length; i++) {
    const email = members[i]!.email;
    raw[i] = email;
    normalised[i] = norm(email);
  }
  cache.set(members, { raw, normalised });
  return normalised;
}

const cache = new WeakMap<readonly Pick<Member, 'email'>[], { raw: string[]; normalised: (string | null)[] }>();
