import type { OrgConfig } from '../schemas/config';
import type { Member } from '../schemas/members';
import { createEmailNormalizer } from './email-normalizer';
import { createEngineCache, type EngineCache } from './engine-cache';

/**
 * Each member row's address as `normalizeEmail` gives it (null when it is not an address), worked
 * out once per member list: `audit` (member impact, seat order), `plan` (matching, seat order)
 * and the plan's input hashes all need them, for the same 100k rows.
 *
 * Cached per list object and used only while every row still has the address it was computed
 * from (a list changed in place is worked out again); the check costs one comparison per row.
 * Treat the result as read-only.
 */
export function memberAddresses(
  members: readonly Pick<Member, 'email'>[],
  cache: EngineCache = createEngineCache(),
): readonly (string | null)[] {
  const hit = cache.addresses.get(members);
  if (hit && sameEmails(members, hit.raw)) return hit.normalised;
  const norm = createEmailNormalizer();
  const raw = new Array<string>(members.length);
  const normalised = new Array<string | null>(members.length);
  for (let i = 0; i < members.length; i++) {
    const email = members[i]!.email;
    raw[i] = email;
    normalised[i] = norm(email);
  }
  cache.addresses.set(members, { raw, normalised });
  return normalised;
}

function sameEmails(members: readonly Pick<Member, 'email'>[], raw: readonly string[]): boolean {
  if (raw.length !== members.length) return false;
  for (let i = 0; i < members.length; i++) if (members[i]!.email !== raw[i]) return false;
  return true;
}

export interface MembersByOrg {
  /** Each org of the config (config order) with its rows, in list order: rows without `orgId` go to the only org, if there is one. */
  byOrg: Map<string, Member[]>;
  /** Rows that fit no org: an `orgId` the config does not have, or none while the config has several orgs. */
  unknown: Member[];
}

/**
 * The member list split by org. `audit` and `plan` over the same list and config get the same
 * arrays (cached per list and config object, used while the list holds the same rows), so what is
 * worked out per org's rows (addresses, who is a current member) is worked out once. The addresses
 * of the org arrays come from the whole list's. Treat the arrays as read-only.
 */
export function membersByOrg(
  config: Pick<OrgConfig, 'organizations'>,
  members: readonly Member[] | undefined,
  cache: EngineCache = createEngineCache(),
): MembersByOrg {
  const rows = members ?? EMPTY;
  let perConfig = cache.splits.get(rows);
  if (!perConfig) cache.splits.set(rows, (perConfig = new WeakMap()));
  const hit = perConfig.get(config);
  if (hit && hit.rows.length === rows.length && hit.rows.every((m, i) => m === rows[i] && m.orgId === hit.orgIds[i]))
    return hit.split;

  const addresses = memberAddresses(rows, cache);
  const byOrg = new Map<string, Member[]>(config.organizations.map((o) => [o.id, []]));
  const orgAddresses = new Map<string, (string | null)[]>(config.organizations.map((o) => [o.id, []]));
  const unknown: Member[] = [];
  const only = config.organizations.length === 1 ? config.organizations[0]!.id : null;
  // Rows come grouped by org, mostly: the previous row's org is checked before the map (a
  // comparison of the id instead of hashing a fresh copy of it per row).
  let lastId: string | null = null;
  let lastList: Member[] | undefined;
  let lastAddresses: (string | null)[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const m = rows[i]!;
    const id = m.orgId ?? only;
    if (id !== lastId) {
      lastId = id;
      lastList = id !== null ? byOrg.get(id) : undefined;
      lastAddresses = id !== null ? orgAddresses.get(id) : undefined;
    }
    if (lastList) {
      lastList.push(m);
      lastAddresses!.push(addresses[i]!);
    } else unknown.push(m);
  }
  for (const [id, list] of byOrg)
    cache.addresses.set(list, { raw: list.map((m) => m.email), normalised: orgAddresses.get(id)! });
  const split = { byOrg, unknown };
  perConfig.set(config, { rows: rows.slice(), orgIds: rows.map((m) => m.orgId), split });
  return split;
}

const EMPTY: readonly Member[] = Object.freeze([]);
