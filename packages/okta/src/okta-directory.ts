import { IncompleteReadError, mapWithConcurrency } from '@claude-idp/core';
import { IDS_PER_FILTER, PAGE } from './okta-api-facts';
import { isBadRequest, type OktaLister } from './okta-paging';

/** Okta `User` (spec `user-example`), the parts read. */
export interface OktaUser {
  id: string;
  status?: string;
  profile?: Record<string, unknown>;
}

/** Okta `Group` with `expand=stats` (spec `Group._embedded.stats`). */
export interface OktaGroup {
  id: string;
  type?: string;
  profile?: { name?: string };
  _embedded?: { stats?: { usersCount?: number } };
}

/** Okta `AppUser` (spec `AppUserListEx`): `scope` USER = assigned directly, GROUP = through a group. */
export interface OktaAppUser {
  id: string;
  scope?: 'USER' | 'GROUP' | string;
  status?: string;
}

/**
 * Who is assigned: `GET /api/v1/apps/{id}/users` (limit 500) and `/groups` (limit 200), both in
 * the shared `/api/v1/apps/*` rate-limit bucket.
 * Quirk: no `expand=user` on the app-user listing; Okta drops it from the `next` link, so pages
 * 2+ come back without `_embedded.user` (okta-sdk-nodejs#439). Profiles come from the group
 * member listings and one batched `/users` filter instead.
 */
export function readAppUsers(l: OktaLister, appId: string): Promise<OktaAppUser[]> {
  return l.list<OktaAppUser>({
    path: `/api/v1/apps/${appId}/users`,
    query: { limit: PAGE.appUsers.max },
    resource: 'apps/users',
    endCheck: 'after-last-id',
  });
}

/**
 * App-group cursors are opaque (`after=16275000448691` in Okta's spec), so this listing cannot be
 * end-checked with `after=<last id>`; the adapter cross-checks it against the app users instead.
 */
export async function readAppGroupIds(l: OktaLister, appId: string): Promise<string[]> {
  const groups = await l.list<{ id: string }>({
    path: `/api/v1/apps/${appId}/groups`,
    query: { limit: PAGE.appGroups.max },
    resource: 'apps/groups',
    endCheck: 'none',
  });
  return groups.map((g) => g.id);
}

/** Every group named `anthropic-…` (Okta `search` operators and values are case-insensitive), with member counts. */
export function readAnthropicGroups(l: OktaLister): Promise<OktaGroup[]> {
  return l.list<OktaGroup>({
    path: '/api/v1/groups',
    query: { search: 'profile.name sw "anthropic-"', expand: 'stats', limit: PAGE.groups.max },
    resource: 'groups',
    endCheck: 'after-last-id',
  });
}

/**
 * Members with full profiles (`GET /api/v1/groups/{id}/users`, limit 1000), checked against the
 * group's `usersCount`. A listing still short of the count after the end check may mean the group
 * changed since its count was read: the count is read once more (one request) before the read fails.
 */
export function readMembers(l: OktaLister, groups: OktaGroup[], concurrency: number): Promise<OktaUser[][]> {
  return mapWithConcurrency(groups, concurrency, async (g) => {
    const list = (count: number | undefined) =>
      l.list<OktaUser>({
        path: `/api/v1/groups/${g.id}/users`,
        query: { limit: PAGE.groupUsers.max },
        resource: `groups/${g.id}/users`,
        endCheck: typeof count === 'number' ? { expected: count } : 'after-last-id',
      });
    try {
      return await list(g._embedded?.stats?.usersCount);
    } catch (e) {
      if (!(IncompleteReadError.isInstance(e) && e.reason === 'count-mismatch')) throw e;
      const [fresh] = await readByIds<OktaGroup>(l, {
        path: '/api/v1/groups',
        ids: [g.id],
        resource: 'groups',
        limit: PAGE.groups.max,
        query: { expand: 'stats' },
      });
      const count = fresh?._embedded?.stats?.usersCount;
      if (count === g._embedded?.stats?.usersCount) throw e;
      return list(count);
    }
  });
}

const SAFE_ID = /^[A-Za-z0-9]+$/;

/**
 * Objects by known id through one `filter=id eq "a" or id eq "b" …` listing per batch (never one
 * request per object). Okta answers 400 to a filter it will not take; the batch is then halved.
 * The ids are known, so completeness is checked directly: missing ids are asked for again once,
 * and still-missing ones fail the read.
 */
export async function readByIds<T extends { id: string }>(
  l: OktaLister,
  args: { path: string; ids: string[]; resource: string; limit: number; query?: Record<string, string> },
): Promise<T[]> {
  for (const id of args.ids) {
    if (!SAFE_ID.test(id))
      throw new IncompleteReadError({
        vendor: 'okta',
        resource: args.resource,
        reason: 'malformed-response',
        message: `okta: unexpected id ${JSON.stringify(id)}`,
      });
  }
  const found = new Map<string, T>();
  const batch = async (ids: string[]): Promise<void> => {
    try {
      const filter = ids.map((id) => `id eq "${id}"`).join(' or ');
      const items = await l.list<T>({
        path: args.path,
        query: { ...args.query, filter, limit: args.limit },
        resource: args.resource,
        endCheck: 'none',
      });
      for (const x of items) found.set(x.id, x);
    } catch (e) {
      if (!isBadRequest(e) || ids.length === 1) throw e;
      const half = Math.ceil(ids.length / 2);
      await batch(ids.slice(0, half));
      await batch(ids.slice(half));
    }
  };
  const chunks = (ids: string[]) =>
    Array.from({ length: Math.ceil(ids.length / IDS_PER_FILTER) }, (_, i) =>
      ids.slice(i * IDS_PER_FILTER, (i + 1) * IDS_PER_FILTER),
    );
  for (let round = 0; round < 2; round++) {
    const missing = args.ids.filter((id) => !found.has(id));
    if (!missing.length) break;
    await mapWithConcurrency(chunks(missing), 2, batch);
  }
  const missing = args.ids.filter((id) => !found.has(id));
  if (missing.length) {
    throw new IncompleteReadError({
      vendor: 'okta',
      resource: args.resource,
      reason: 'count-mismatch',
      message: `okta: ${args.resource} did not return ${missing.length} object(s) the app refers to (${missing.slice(0, 5).join(', ')})`,
    });
  }
  return args.ids.map((id) => found.get(id)!);
}
