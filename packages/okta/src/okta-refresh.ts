import {
  ApiCallError,
  mapWithConcurrency,
  patchSnapshot,
  type ChangeTarget,
  type DirectorySnapshot,
  type SnapshotPatch,
  type SnapshotUser,
} from '@claude-idp/core';
import {
  byId,
  groupAssigneeOutsideGroups,
  readAppSettings,
  readUsersByIds,
  snapshotFields,
  sortGroups,
  toSnapshotGroup,
} from './okta-adapter';
import { IDS_PER_FILTER, PAGE } from './okta-api-facts';
import { findApp } from './okta-app';
import {
  readAppGroupIds,
  readAppUsers,
  readMembers,
  type OktaAppUser,
  type OktaGroup,
  type OktaUser,
} from './okta-directory';
import type { OktaLister } from './okta-paging';
import { toSnapshotUser } from './okta-users';

/** A targeted re-read, or why a full read is needed instead. */
export type OktaRefresh = { snapshot: DirectorySnapshot; detail: string } | { full: string };

const SAFE_ID = /^[A-Za-z0-9]+$/;
const isAnthropic = (name: string) => name.toLowerCase().startsWith('anthropic-');
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/**
 * Re-reads only what the targets name (WATCH.md, `refreshSnapshot`), with the same listings,
 * paging, end checks and field translation as the full read, so the result equals a full read of
 * the same org:
 * - the app: `GET /api/v1/apps/{id}`, its provisioning, To-App mapping and Group Push (as the full
 *   read), its user and group assignments; groups newly assigned are read with their members,
 *   groups unassigned that are not `anthropic-` groups leave the snapshot, direct assignees no
 *   group covers are read by id;
 * - a group: one `filter=id eq …` listing with `expand=stats` for all group targets (its
 *   `usersCount` is the member listing's end check, as in the full read), then its members
 *   (`/api/v1/groups/{id}/users`); a group the listing does not return is asked for by
 *   `GET /api/v1/groups/{id}` (404: deleted). A group neither assigned nor `anthropic-` leaves the
 *   snapshot (or is not added);
 * - a user in the snapshot: `GET /api/v1/users/{id}` (404: deleted); a user the snapshot does not
 *   have and no group or assignment read reaches is skipped.
 * Users no group or direct assignment reaches any more leave the snapshot, as they would in a full
 * read. A full read is asked for when the targets cost more than one, when the app now maps other
 * user attributes (every user's fields change), or when the app's group assignees and the group
 * members disagree (a membership change not delivered yet).
 */
export async function refreshOkta(
  l: OktaLister,
  previous: DirectorySnapshot,
  targets: readonly ChangeTarget[],
  concurrency: number,
  now: Date,
): Promise<OktaRefresh> {
  if (previous.idp !== 'okta' || !previous.complete || !previous.app.id)
    return { full: 'the previous snapshot is not a complete Okta snapshot' };
  const everything = targets.find((t) => t.kind === 'everything');
  if (everything) return { full: everything.reason };
  const userTargets = [...new Set(targets.flatMap((t) => (t.kind === 'user' ? [t.id] : [])))];
  const groupTargets = [...new Set(targets.flatMap((t) => (t.kind === 'group' ? [t.id] : [])))];
  const wantsApp = targets.some((t) => t.kind === 'app');
  const odd = [...userTargets, ...groupTargets].find((id) => !SAFE_ID.test(id));
  if (odd !== undefined) return { full: `an event named an id Okta does not issue (${JSON.stringify(odd)})` };

  // What each costs in requests, against a full read's fixed calls + one member listing a group.
  const appCost = 5 + pages(previous.assignments.userIds.length, PAGE.appUsers.max);
  const fullCost = appCost + pages(previous.groups.length, PAGE.groups.max) + previous.groups.length;
  const targetedCost =
    (wantsApp ? appCost : 0) +
    userTargets.length +
    Math.ceil(groupTargets.length / IDS_PER_FILTER) +
    groupTargets.length;
  if (targetedCost >= fullCost)
    return { full: `${targets.length} changes cost more to re-read one by one than one full read` };

  const fields = snapshotFields(previous.app);
  const patch: SnapshotPatch = { users: [], groups: [], removedUserIds: [], removedGroupIds: [] };
  const detail: string[] = [];
  let assignments = previous.assignments;
  let appUsers: OktaAppUser[] | null = null;
  const previousGroups = new Map(previous.groups.map((g) => [g.id, g]));
  const groupIds = new Set(groupTargets);

  if (wantsApp) {
    const app = await findApp(l, previous.app.id);
    const [settings, users, assignedGroupIds] = await Promise.all([
      readAppSettings(l, app),
      readAppUsers(l, app.id),
      readAppGroupIds(l, app.id),
    ]);
    if (settings.fields.join(' ') !== fields.join(' '))
      return { full: 'the app now reads other user attributes (every user is read again)' };
    appUsers = users;
    assignments = {
      userIds: users
        .filter((u) => u.scope !== 'GROUP')
        .map((u) => u.id)
        .sort(),
      groupIds: [...assignedGroupIds].sort(),
    };
    patch.app = { id: app.id, name: app.label, sso: settings.sso, scim: settings.scim };
    patch.assignments = assignments;
    patch.unavailable = settings.unavailable;
    for (const id of assignedGroupIds) if (!previousGroups.has(id)) groupIds.add(id);
    for (const id of previous.assignments.groupIds) {
      const g = previousGroups.get(id);
      if (!assignedGroupIds.includes(id) && g && !isAnthropic(g.name) && !groupIds.has(id))
        patch.removedGroupIds!.push(id);
    }
    detail.push(`app (${assignments.userIds.length} users and ${assignments.groupIds.length} groups assigned)`);
  }

  // Groups: re-read, keep if still read by a full read (assigned or `anthropic-`), with members.
  const found = await readGroupsById(l, [...groupIds]);
  const kept: OktaGroup[] = [];
  for (const id of groupIds) {
    const g = found.get(id);
    if (g && (isAnthropic(g.profile?.name ?? '') || assignments.groupIds.includes(id))) kept.push(g);
    else {
      if (previousGroups.has(id)) patch.removedGroupIds!.push(id);
      detail.push(`group ${id} ${g ? 'no longer read' : 'deleted'}`);
    }
  }
  const members = await readMembers(l, kept, concurrency);
  const people = new Map<string, OktaUser>();
  kept.forEach((g, i) => {
    patch.groups!.push(toSnapshotGroup(g, members[i]!));
    for (const u of members[i]!) people.set(u.id, u);
    detail.push(`group ${g.profile?.name ?? g.id} (${members[i]!.length} members)`);
  });

  // Users: the targets the snapshot has (GET each), and direct assignees nothing else covered.
  const known = new Set(previous.users.map((u) => u.id));
  const reread = userTargets.filter((id) => known.has(id) && !people.has(id));
  const skipped = userTargets.filter((id) => !known.has(id) && !people.has(id));
  const fetched = await mapWithConcurrency(reread, concurrency, (id) => readUser(l, id));
  reread.forEach((id, i) => {
    const u = fetched[i];
    if (u) people.set(u.id, u);
    else patch.removedUserIds!.push(id);
    detail.push(`user ${id}${u ? '' : ' deleted'}`);
  });
  if (skipped.length) detail.push(`${skipped.length} user(s) not read by this snapshot skipped`);
  const uncovered = assignments.userIds.filter((id) => !people.has(id) && !known.has(id));
  if (uncovered.length) for (const u of await readUsersByIds(l, uncovered)) people.set(u.id, u);
  patch.users = [...people.values()].map((u) => toSnapshotUser(u, fields));

  const snapshot = canonical(patchSnapshot(previous, patch, now));
  if (appUsers) {
    const assigned = new Set(snapshot.assignments.groupIds);
    const orphan = groupAssigneeOutsideGroups(
      appUsers,
      snapshot.groups.flatMap((g) => (assigned.has(g.id) ? g.memberUserIds : [])),
    );
    if (orphan)
      return { full: `app user ${orphan} is assigned through a group the snapshot has no membership for yet` };
  }
  return { snapshot, detail: detail.join(', ') || 'nothing to re-read' };
}

/**
 * The snapshot as a full read builds it: only users a group or a direct assignment reaches, users
 * by id, groups by name then id.
 */
function canonical(s: DirectorySnapshot): DirectorySnapshot {
  const reached = new Set([...s.groups.flatMap((g) => g.memberUserIds), ...s.assignments.userIds]);
  const users: SnapshotUser[] = s.users.filter((u) => reached.has(u.id)).sort(byId);
  return { ...s, users, groups: sortGroups([...s.groups]) };
}

/** `GET /api/v1/users/{id}`; null when Okta answers 404 (the user was deleted). */
async function readUser(l: OktaLister, id: string): Promise<OktaUser | null> {
  try {
    return (await l.get(l.url(`/api/v1/users/${id}`), 'users/{id}')).body as OktaUser;
  } catch (e) {
    if (ApiCallError.isInstance(e) && e.status === 404) return null;
    throw e;
  }
}

/**
 * Groups by id with `expand=stats` (one `filter=id eq …` listing per 50 ids, as the full read reads
 * assigned groups); an id the listing does not return is asked for directly, and is absent from
 * the result only when Okta answers 404 (deleted).
 */
async function readGroupsById(l: OktaLister, ids: string[]): Promise<Map<string, OktaGroup>> {
  const found = new Map<string, OktaGroup>();
  const chunks = Array.from({ length: Math.ceil(ids.length / IDS_PER_FILTER) }, (_, i) =>
    ids.slice(i * IDS_PER_FILTER, (i + 1) * IDS_PER_FILTER),
  );
  await mapWithConcurrency(chunks, 2, async (chunk) => {
    const items = await l.list<OktaGroup>({
      path: '/api/v1/groups',
      query: { filter: chunk.map((id) => `id eq "${id}"`).join(' or '), expand: 'stats', limit: PAGE.groups.max },
      resource: 'groups',
      endCheck: 'none',
    });
    for (const g of items) found.set(g.id, g);
  });
  const missing = ids.filter((id) => !found.has(id));
  await mapWithConcurrency(missing, 2, async (id) => {
    try {
      found.set(id, (await l.get(l.url(`/api/v1/groups/${id}`), 'groups/{id}')).body as OktaGroup);
    } catch (e) {
      if (!(ApiCallError.isInstance(e) && e.status === 404)) throw e;
    }
  });
  return found;
}
