import {
  ApiCallError,
  mapWithConcurrency,
  patchSnapshot,
  type ChangeTarget,
  type DirectorySnapshot,
  type SnapshotGroup,
  type SnapshotPatch,
  type SnapshotUser,
} from '@claude-idp/core';
import type { GoogleCallContext } from './google-client';
import { GOOGLE_PAGE_SIZES } from './google-limits';
import {
  getGroup,
  getUser,
  listUsers,
  userGetParams,
  userListParams,
  type GGroup,
  type GMember,
  type GUser,
} from './google-lists';
import { hasOrgUnitAccess } from './google-org-units';
import { getNestedGroup, readMembersChecked, type DeclaredApp, type GoogleDirectoryRead } from './google-read';
import {
  byGroup,
  byUser,
  externalUser,
  googleAppPart,
  snapshotFields,
  snapshotGroup,
  snapshotUser,
} from './google-snapshot';

/** The prefix that makes a group relevant by itself (the full read's `email:anthropic-*` and `name:anthropic-*` queries). */
const PREFIX = 'anthropic-';

/**
 * What the adapter remembers of the groups it read, so a targeted re-read can work from a group
 * address (Reports activities name groups by address) and knows which groups are read for their
 * own sake (roots: `anthropic-` ones and declared ones) rather than for being nested in another.
 */
export class GoogleGroupIndex {
  private readonly byKey = new Map<string, string>();
  private readonly info = new Map<string, { root: boolean; wholeCustomer: boolean }>();
  /** False until a full read filled it. */
  ready = false;

  /** Records groups as read (their id, address and aliases) and whether each is a root. */
  record(groups: GGroup[], isRoot: (g: GGroup) => boolean, members?: Map<string, GMember[]>) {
    for (const g of groups) {
      if (!g.id) continue;
      for (const k of [g.id, g.email, ...(g.aliases ?? []), ...(g.nonEditableAliases ?? [])])
        if (k) this.byKey.set(k.toLowerCase(), g.id);
      const list = members?.get(g.id);
      this.info.set(g.id, {
        root: isRoot(g),
        wholeCustomer: list ? list.some((m) => m.type === 'CUSTOMER') : (this.info.get(g.id)?.wholeCustomer ?? false),
      });
    }
  }

  recordFull(read: GoogleDirectoryRead) {
    this.byKey.clear();
    this.info.clear();
    const declared = new Set(read.declaredGroupIds);
    this.record(read.groups, (g) => declared.has(g.id!) || namedRoot(g), read.members);
    this.ready = true;
  }

  idOf(key: string): string | undefined {
    return this.byKey.get(key.toLowerCase());
  }

  /** Unknown groups count as roots: never drop what the index cannot vouch for. */
  isRoot(id: string): boolean {
    return this.info.get(id)?.root ?? true;
  }

  /** True when the group had the whole customer as a member (a `CUSTOMER` member). */
  wholeCustomer(id: string): boolean {
    return this.info.get(id)?.wholeCustomer ?? false;
  }
}

const namedRoot = (g: GGroup) => [g.email, g.name].some((x) => (x ?? '').toLowerCase().startsWith(PREFIX));

export interface RefreshInput {
  previous: DirectorySnapshot;
  targets: readonly ChangeTarget[];
  declared: DeclaredApp | null;
  appRef: string | undefined;
  sourcePaths: string[];
  index: GoogleGroupIndex;
  concurrency: number;
  now: Date;
}

/** A targeted re-read, or the reason a full read is needed instead. */
export type RefreshOutcome = { snapshot: DirectorySnapshot; detail: string } | { full: string };

/**
 * Re-reads what the targets name, the way the full read reads it, and patches the previous
 * snapshot (core's `patchSnapshot`), then drops what the full read would no longer reach (groups
 * no root leads to, people no group or org unit reaches) and sorts as the full read does:
 * - a user: users.get with the full read's fields and projection; the org-unit access is re-derived;
 * - a group (by id or address): groups.get and its direct members (with the full read's paging
 *   and count check), nested groups new to the snapshot (to the bottom) and member users new to it;
 * - the app: the declaration again, and its assignments (the declared org units' users, the declared groups).
 * Falls back to a full read where a targeted one cannot match it (see `full` reasons).
 */
export async function refreshDirectory(ctx: GoogleCallContext, input: RefreshInput): Promise<RefreshOutcome> {
  const { previous, declared, index, now } = input;
  const app = declared?.app ?? null;
  const access = app?.access;
  const fields = snapshotFields(input.sourcePaths);
  const wantKeys = fields.map((f) => `user.${f}`).sort();
  if (previous.idp !== 'google') return { full: 'the previous snapshot is not a Google one' };
  if (previous.users.some((u) => Object.keys(u.fields).sort().join() !== wantKeys.join()))
    return { full: "the declaration's attribute paths changed" };
  if (!index.ready) return { full: 'no full read in this process yet (group addresses and roots are unknown)' };

  const userTargets = new Set<string>();
  const groupKeys = new Set<string>();
  let appTarget = false;
  for (const t of input.targets) {
    if (t.kind === 'user') userTargets.add(t.id);
    else if (t.kind === 'group') groupKeys.add(t.id.toLowerCase().includes('@') ? t.id.toLowerCase() : t.id);
    else if (t.kind === 'app') appTarget = true;
    else if (t.kind === 'everything') return { full: t.reason };
  }
  // A request per user, about two per group; a full read is the user pages, two group queries and a members list per group.
  const fullCost = Math.ceil(previous.users.length / GOOGLE_PAGE_SIZES.users) + 2 + previous.groups.length;
  const targetedCost = userTargets.size + 2 * groupKeys.size + (appTarget ? (access?.orgUnits.length ?? 0) + 1 : 0);
  if (targetedCost > fullCost) return { full: `${targetedCost} targeted requests would cost more than a full read` };

  const prevUsers = new Map(previous.users.map((u) => [u.id, u]));
  const prevGroups = new Map(previous.groups.map((g) => [g.id, g]));
  const freshUsers = new Map<string, SnapshotUser>();
  const freshGroups = new Map<string, SnapshotGroup>();
  const removedUsers = new Set<string>();
  const removedGroups = new Set<string>();
  let userIds = new Set(previous.assignments.userIds);
  let groupIds = [...previous.assignments.groupIds];
  const read: string[] = [];
  const getParams = userGetParams(input.sourcePaths);
  /** Users the listing or org-unit query already returned whole. */
  const listedUsers = new Map<string, GUser>();

  // The app: its settings come from the declaration; assignments as the full read derives them.
  let appPatch: Pick<SnapshotPatch, 'app' | 'unavailable'> = {};
  if (appTarget) {
    const part = googleAppPart(app, input.appRef);
    if (part.app.id !== previous.app.id) return { full: 'the declared app changed' };
    appPatch = { app: part.app, unavailable: part.unavailable };
    read.push('app (declaration)');
    if (access) {
      const ouUsers = (
        await mapWithConcurrency(access.orgUnits, input.concurrency, (ou) =>
          listUsers(ctx, userListParams(input.sourcePaths), `orgUnitPath='${ou.replace(/'/g, "\\'")}'`),
        )
      ).flat();
      userIds = new Set(ouUsers.filter((u) => hasOrgUnitAccess(u.orgUnitPath, access)).map((u) => u.id!));
      for (const u of ouUsers) if (userIds.has(u.id!)) listedUsers.set(u.id!, u);
      read.push(`org units ${access.orgUnits.join(', ')}`);
      // Declared groups by id, address or alias: known ones from the index, others got one by one (as the full read does).
      const ids: (string | null)[] = await mapWithConcurrency(access.groups, input.concurrency, async (key) => {
        const known = index.idOf(key.trim());
        if (known) return known;
        try {
          const g = await getGroup(ctx, key.trim());
          index.record([g], () => true);
          return g.id ?? null;
        } catch (error) {
          if (ApiCallError.isInstance(error) && error.status === 404) return null;
          throw error;
        }
      });
      // A declared group that does not exist: the full read names it in its error.
      if (ids.includes(null)) return { full: 'a declared group does not exist' };
      read.push(`declared groups`);
      groupIds = [...new Set(ids as string[])];
      for (const id of groupIds) if (!prevGroups.has(id)) groupKeys.add(id);
    } else {
      userIds = new Set();
      groupIds = [];
    }
  }
  const declaredIds = new Set(groupIds);

  // Groups, then nested groups new to the snapshot, breadth first.
  const memberInfo = new Map<string, GMember>();
  const newMemberIds = new Set<string>();
  let frontier: { key: string; group?: GGroup }[] = [...groupKeys].map((key) => ({ key }));
  const seen = new Set<string>();
  let fallback: string | null = null;
  while (frontier.length && !fallback) {
    const nested: { key: string; group?: GGroup }[] = [];
    await mapWithConcurrency(frontier, input.concurrency, async ({ key, group }) => {
      const knownId = key.includes('@') ? index.idOf(key) : key;
      let g = group;
      if (!g) {
        try {
          g = await getGroup(ctx, knownId ?? key);
        } catch (error) {
          if (!ApiCallError.isInstance(error) || error.status !== 404) throw error;
          if (knownId && declaredIds.has(knownId)) fallback = `the declared group ${key} is gone`;
          else if (knownId && prevGroups.has(knownId)) removedGroups.add(knownId);
          read.push(`group ${key} (gone)`);
          return;
        }
      }
      const id = g.id!;
      if (seen.has(id)) return;
      seen.add(id);
      index.record([g], (x) => declaredIds.has(x.id!) || namedRoot(x));
      const nestedIn = previous.groups.some((p) => p.id !== id && p.memberGroupIds.includes(id));
      if (!(namedRoot(g) || declaredIds.has(id) || nestedIn || group)) {
        if (prevGroups.has(id)) removedGroups.add(id);
        read.push(`group ${g.email ?? id} (not read: not relevant)`);
        return;
      }
      const members = await readMembersChecked(ctx, g);
      if (members.some((m) => m.type === 'CUSTOMER')) {
        fallback = `group ${g.email ?? id} has the whole customer as a member`;
        return;
      }
      index.record([g], (x) => declaredIds.has(x.id!) || namedRoot(x), new Map([[id, members]]));
      freshGroups.set(id, snapshotGroup(g, members, []));
      read.push(`group ${g.email ?? id} members`);
      for (const m of members) {
        if (m.type === 'USER' && m.id && !prevUsers.has(m.id)) {
          newMemberIds.add(m.id);
          memberInfo.set(m.id, m);
        }
        if (m.type === 'GROUP' && m.id && !prevGroups.has(m.id) && !seen.has(m.id))
          nested.push({ key: m.id, group: await getNestedGroup(ctx, m) });
      }
    });
    frontier = nested;
  }
  if (fallback) return { full: fallback };

  // Users: the targets, and members new to the snapshot.
  const wholeCustomerGroups = previous.groups.filter((g) => index.wholeCustomer(g.id) && !removedGroups.has(g.id));
  const toRead = [...new Set([...userTargets, ...newMemberIds])].filter((id) => !listedUsers.has(id));
  const got = await mapWithConcurrency(toRead, input.concurrency, async (id) => {
    try {
      return { id, user: await getUser(ctx, id, getParams) };
    } catch (error) {
      if (!ApiCallError.isInstance(error) || error.status !== 404) throw error;
      return { id, user: null };
    }
  });
  for (const u of listedUsers.values()) got.push({ id: u.id!, user: u });
  for (const { id, user } of got) {
    if (!user) {
      const m = memberInfo.get(id);
      // Not a user of this customer: an outside account in a group (as the full read shows it).
      if (m) freshUsers.set(id, externalUser(m, fields));
      else if (prevUsers.get(id)?.login != null) removedUsers.add(id);
      read.push(`user ${id}${m ? ' (outside account)' : ' (gone)'}`);
      continue;
    }
    if (!prevUsers.has(id) && wholeCustomerGroups.length)
      return { full: `a new user joins the groups with the whole customer as a member` };
    if (access) {
      if (hasOrgUnitAccess(user.orgUnitPath, access)) userIds.add(id);
      else userIds.delete(id);
    }
    freshUsers.set(id, snapshotUser(user, fields));
    read.push(`user ${user.primaryEmail ?? id}`);
  }

  const patched = patchSnapshot(
    previous,
    {
      users: [...freshUsers.values()],
      removedUserIds: [...removedUsers],
      groups: [...freshGroups.values()],
      removedGroupIds: [...removedGroups],
      assignments: { userIds: [...userIds].sort(), groupIds },
      ...appPatch,
    },
    now,
  );
  return { snapshot: prune(patched, index), detail: read.join(', ') || 'nothing to re-read' };
}

/**
 * What the full read would not have: groups no root (an `anthropic-` or declared group) leads to,
 * and people no kept group or assignment reaches. Sorted as the full read sorts.
 */
function prune(s: DirectorySnapshot, index: GoogleGroupIndex): DirectorySnapshot {
  const byId = new Map(s.groups.map((g) => [g.id, g]));
  const keep = new Set<string>();
  const queue = s.groups.filter((g) => index.isRoot(g.id) || s.assignments.groupIds.includes(g.id)).map((g) => g.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const n of byId.get(id)?.memberGroupIds ?? []) if (byId.has(n)) queue.push(n);
  }
  const groups = s.groups.filter((g) => keep.has(g.id));
  const reached = new Set([...s.assignments.userIds, ...groups.flatMap((g) => g.memberUserIds)]);
  const users = s.users.filter((u) => reached.has(u.id));
  return { ...s, users: users.sort(byUser), groups: groups.sort(byGroup) };
}
