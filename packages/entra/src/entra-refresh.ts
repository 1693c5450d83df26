import {
  InputError,
  patchSnapshot,
  readAsWhole,
  type DirectorySnapshot,
  type RefreshResult,
  type RefreshSnapshotOptions,
  type SnapshotGroup,
  type SnapshotPatch,
} from '@claude-idp/core';
import { openGraphReader, readEntraSnapshot } from './entra-adapter';
import { findServicePrincipal, readAssignments, readProvisioning, readSso } from './entra-app';
import { checkReadable, readGroupMembers, readUsersById } from './entra-directory';
import { USER_SELECT, type GraphUser } from './entra-fields';
import { scimFromSynchronization } from './entra-provisioning';
import { graphGet, odata, type GraphReader } from './entra-requests';
import type { ResolvedEntraSettings } from './entra-settings';
import { byId, mappedFields, sortUnavailable, toSnapshotUser, unselectedFields } from './entra-snapshot';

/** More user and group targets than this and one full read is cheaper than the targeted ones. */
const MAX_TARGETS = 100;
const PREFIX = 'anthropic-';

/**
 * `watch`'s targeted re-read (IdpAdapterV1.refreshSnapshot): one user (`GET /users/{id}` with
 * the fields the full read selects), one group (its displayName, then its direct members with the
 * same paging, `$count` check and nesting as the full read; nested groups already in the snapshot
 * are not read again), the app (service principal, claims, provisioning and appRoleAssignedTo).
 * The result is `previous` patched (core `patchSnapshot`), in the full read's id order.
 * An `everything` target, more than 100 targets, or an app whose mappings now read other user
 * fields (every user's values would change) make it a full read.
 */
export async function refreshEntraSnapshot(
  settings: ResolvedEntraSettings,
  previous: DirectorySnapshot,
  options: RefreshSnapshotOptions,
): Promise<RefreshResult> {
  if (previous.idp !== 'entra')
    throw new InputError({
      source: 'refreshSnapshot',
      issues: [{ path: 'previous.idp', expected: 'a snapshot read from Microsoft Entra ID', received: previous.idp }],
    });
  const full = async (why: string): Promise<RefreshResult> => ({
    snapshot: await readEntraSnapshot(settings, { ...options, app: options.app ?? previous.app.id }),
    read: 'full',
    detail: `full read (${why})`,
  });
  const everything = options.targets.find((t) => t.kind === 'everything');
  if (everything) return full(everything.reason);
  const userIds = unique(options.targets.flatMap((t) => (t.kind === 'user' ? [t.id] : [])));
  const groupIds = unique(options.targets.flatMap((t) => (t.kind === 'group' ? [t.id] : [])));
  const app = options.targets.some((t) => t.kind === 'app');
  if (userIds.length + groupIds.length > MAX_TARGETS)
    return full(`${userIds.length + groupIds.length} users and groups changed`);

  const result = await readAsWhole({ vendor: 'entra', abortSignal: options.abortSignal }, async (abortSignal) => {
    const reader = openGraphReader(settings, options, abortSignal);
    return refreshWith(reader, previous, { userIds, groupIds, app });
  });
  if (result === 'fields-changed') return full('the app now maps other user fields');
  const snapshot = patchSnapshot(previous, result.patch, options.now?.() ?? new Date());
  snapshot.users = [...snapshot.users].sort(byId);
  snapshot.groups = [...snapshot.groups].sort(byId);
  return { snapshot, read: 'targeted', detail: result.detail.join(', ') || 'nothing to re-read' };
}

async function refreshWith(
  reader: GraphReader,
  previous: DirectorySnapshot,
  targets: { userIds: string[]; groupIds: string[]; app: boolean },
): Promise<{ patch: SnapshotPatch; detail: string[] } | 'fields-changed'> {
  const patch: SnapshotPatch = {};
  const detail: string[] = [];
  let assignedGroups = new Set(previous.assignments.groupIds);
  let assignedUsers = new Set(previous.assignments.userIds);
  let sso = previous.app.sso;
  let scim = previous.app.scim;
  const groupsToRead = new Set(targets.groupIds);
  const removedGroups = new Set<string>();

  if (targets.app) {
    const sp = await findServicePrincipal(reader, previous.app.id);
    const [assignments, ssoRead, provisioning] = await Promise.all([
      readAssignments(reader, sp),
      readSso(reader, sp),
      readProvisioning(reader, sp),
    ]);
    sso = ssoRead.sso;
    scim = scimFromSynchronization(provisioning.job, provisioning.schema, [...assignments.groups.keys()]);
    const fields = mappedFields(sso, scim);
    if (fields.join('\n') !== mappedFields(previous.app.sso, previous.app.scim).join('\n')) return 'fields-changed';
    assignedGroups = new Set(assignments.groups.keys());
    assignedUsers = assignments.userIds;
    patch.app = { id: sp.id, name: sp.displayName, sso, scim };
    patch.assignments = { userIds: [...assignedUsers].sort(), groupIds: [...assignedGroups].sort() };
    patch.unavailable = sortUnavailable([...ssoRead.unavailable, ...unselectedFields(fields)]);
    detail.push('app settings and assignments');
    const known = new Set(previous.groups.map((g) => g.id));
    // Newly assigned groups are read with their members; unassigned ones are re-checked.
    for (const id of assignedGroups) if (!known.has(id)) groupsToRead.add(id);
    for (const id of previous.assignments.groupIds) if (!assignedGroups.has(id)) groupsToRead.add(id);
  }
  const fields = mappedFields(sso, scim);
  const users = new Map<string, GraphUser>();
  const groups: SnapshotGroup[] = [];
  const previousGroups = new Map(previous.groups.map((g) => [g.id, g]));
  /** Nested under a group that stays in the snapshot (other than itself). */
  const nestedInKept = (id: string) =>
    previous.groups.some((g) => g.id !== id && !groupsToRead.has(g.id) && g.memberGroupIds.includes(id));

  await Promise.all(
    [...groupsToRead].map(async (id) => {
      const found = await graphGet(
        reader,
        `/groups/${encodeURIComponent(id)}${odata({ $select: ['id', 'displayName'] })}`,
        {
          resource: 'groups',
          grant: ['GroupMember.Read.All'],
          accept: [404],
        },
      );
      if (found.status === 404) {
        if (previousGroups.has(id)) removedGroups.add(id);
        detail.push(`group ${id} (gone)`);
        return;
      }
      const name = String((found.body as { displayName?: unknown }).displayName ?? '');
      // R-G4: a group is read when assigned to the app or named `anthropic-…` (startswith is
      // case-insensitive in Graph), and as a nested member of a group that is read.
      const relevant = assignedGroups.has(id) || name.toLowerCase().startsWith(PREFIX) || nestedInKept(id);
      if (!relevant) {
        if (previousGroups.has(id)) removedGroups.add(id);
        detail.push(`group ${id} (no longer read)`);
        return;
      }
      const known = new Set([...previousGroups.keys()].filter((g) => g !== id));
      const read = await readGroupMembers(reader, new Map([[id, name]]), known);
      for (const g of read.groups.values())
        groups.push({
          id: g.id,
          name: g.name,
          memberUserIds: unique(g.memberUserIds).sort(),
          memberGroupIds: unique(g.memberGroupIds).sort(),
        });
      for (const [uid, u] of read.users) users.set(uid, u);
      detail.push(`group ${id} members`);
    }),
  );

  // Reached after the patch: assigned, or a member of a group in the snapshot.
  const reachable = new Set(assignedUsers);
  for (const g of [...previous.groups.filter((g) => !removedGroups.has(g.id)), ...groups])
    for (const u of g.memberUserIds) reachable.add(u);
  const removedUsers: string[] = [];
  await Promise.all(
    targets.userIds
      .filter((id) => !users.has(id))
      .map(async (id) => {
        const answer = await graphGet(
          reader,
          `/users/${encodeURIComponent(id)}${odata({ $select: [...USER_SELECT] })}`,
          {
            resource: 'users',
            grant: ['User.Read.All'],
            accept: [404],
          },
        );
        const known = previous.users.some((u) => u.id === id);
        if (answer.status === 404) {
          if (known) removedUsers.push(id);
          detail.push(`user ${id} (gone)`);
          return;
        }
        // A user the snapshot does not hold and nothing reaches is not part of the read.
        if (!known && !reachable.has(id)) return;
        const user = answer.body as GraphUser;
        checkReadable(user, 'users');
        users.set(id, user);
        detail.push(`user ${id}`);
      }),
  );
  // Directly assigned people the snapshot does not hold yet (15 ids a request, as the full read).
  const holds = new Set([...previous.users.map((u) => u.id), ...users.keys()]);
  const newlyAssigned = [...assignedUsers].filter((id) => !holds.has(id)).sort();
  if (newlyAssigned.length) {
    for (const u of await readUsersById(reader, newlyAssigned)) users.set(u.id, u);
    detail.push(`${newlyAssigned.length} newly assigned user(s)`);
  }

  if (users.size) patch.users = [...users.values()].map((u) => toSnapshotUser(u, fields));
  if (groups.length) patch.groups = groups;
  if (removedUsers.length) patch.removedUserIds = removedUsers;
  if (removedGroups.size) patch.removedGroupIds = [...removedGroups];
  return { patch, detail };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
