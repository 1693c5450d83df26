import type { DirectorySnapshot } from '../../schemas/snapshot';
import type { Organization, OrgConfig } from '../../schemas/config';
import { normalizeEmail } from '../../model/email';
import { roleCatalogue, type RoleCatalogue } from '../../model/roles';
import { createEmailNormalizer } from '../../rules/email-normalizer';
import {
  buildDirectoryIndex,
  resolveOrgAccess,
  type DirectoryIndex,
  type OrgAccess,
  type UserAccess,
} from '../../rules/access';
import { peopleOf, type PeopleIndex } from '../../rules/access/resolve';
import { createEngineCache, type EngineCache } from '../../rules/engine-cache';
import { idpWhere, type IdpPlace } from './where';

/** What the checks share: the index, the catalogue, where things are in the IdP's console. */
export interface CheckContext {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  index: DirectoryIndex;
  /** The index by position (internal): what the checks walk over 100k people. */
  people: PeopleIndex;
  catalogue: RoleCatalogue;
  /** "Okta Admin console → Applications → Claude → Assignments" for a place in the IdP. */
  where(place: IdpPlace): string;
  /** A one-line label for a snapshot user: "ana@acme.com (00u1)". */
  label(userId: string): string;
  /** `normalizeEmail` with the domain step memoised (many addresses, few domains). */
  norm(raw: string | null | undefined): string | null;
}

export function checkContext(
  snapshot: DirectorySnapshot,
  config: OrgConfig,
  cache: EngineCache = createEngineCache(),
): CheckContext {
  const index = buildDirectoryIndex(snapshot, cache);
  const people = peopleOf(index);
  const norm = createEmailNormalizer();
  return {
    norm,
    snapshot,
    config,
    index,
    people,
    catalogue: roleCatalogue(config),
    where: (place) => idpWhere(snapshot.idp, snapshot.app.name, place),
    label(userId) {
      const p = people.positionOf(userId);
      const u = p === undefined ? undefined : index.usersSorted[p];
      const email = (p === undefined ? null : people.samlEmails[p]) ?? norm(u?.email) ?? u?.login ?? null;
      return email ? `${email} (${userId})` : userId;
    },
  };
}

export function orgLabel(org: Pick<Organization, 'id' | 'name'>): string {
  return org.name ? `${org.name} (${org.id})` : org.id;
}

/**
 * Splits member rows by org: rows with an `orgId` go to that org; rows without one belong to the
 * only org when the config has one, else they are unassignable (reported as MEMBER_ORG_UNKNOWN).
 */
export { membersByOrg } from '../../rules/member-addresses';

export interface MemberMatch {
  access: UserAccess | null;
  /** True when the IdP sends exactly this member's address; false when found only by login / alias / the other source. */
  exact: boolean;
}

/**
 * Finds the IdP person behind a member row: the one the org knows by exactly this address first
 * (`exact`), else one the IdP knows by it as a login / alias / other source (not exact: a
 * duplicate-account risk). Candidates in index order, so the choice is deterministic.
 */
export function matchMember(
  index: DirectoryIndex,
  access: OrgAccess,
  email: string,
  norm: (raw: string) => string | null = normalizeEmail,
): MemberMatch {
  const n = norm(email);
  if (!n) return { access: null, exact: false };
  return matchAmong(access, n, peopleOf(index).usersKnownByRaw(n));
}

/**
 * `matchMember`'s choice among the people at `positions[from .. to)`: those the index knows by the
 * address `n`. `exact[k]`, when given, says whether the person at `positions[k]` is known to the
 * org by exactly `n` (see `AddressRanges.exactFor`), instead of comparing their email with it.
 */
export function matchAmong(
  access: OrgAccess,
  n: string,
  positions: readonly number[],
  from = 0,
  to = positions.length,
  exact: Uint8Array | null = null,
): MemberMatch {
  let fallback: UserAccess | null = null;
  let exactHit: UserAccess | null = null;
  for (let k = from; k < to; k++) {
    const r = access.atPosition(positions[k]!);
    if (!r) continue;
    if (exact ? exact[k] === 1 : r.email === n) {
      if (r.entitled) return { access: r, exact: true };
      exactHit ??= r;
    } else fallback ??= r;
  }
  if (exactHit) return { access: exactHit, exact: true };
  return { access: fallback, exact: false };
}

export { resolveOrgAccess };
