import type { DirectorySnapshot, SnapshotGroup, SnapshotUser } from '../schemas';

/**
 * What a targeted re-read found: the records re-read, whole. `patchSnapshot` puts them in place of
 * the previous ones; anything not named keeps its previous value.
 */
export interface SnapshotPatch {
  /** Users re-read (replace by id, or added). */
  users?: SnapshotUser[];
  /** Users the IdP no longer has (deleted); removed from the users and from every group. */
  removedUserIds?: string[];
  /** Groups re-read with their direct members (replace by id, or added). */
  groups?: SnapshotGroup[];
  /** Groups the IdP no longer has, or that are no longer read (not assigned, not `anthropic-`). */
  removedGroupIds?: string[];
  /** The app re-read: settings and assignments. */
  app?: DirectorySnapshot['app'];
  assignments?: DirectorySnapshot['assignments'];
  /** Replaces the snapshot's `unavailable` list when the app was re-read. */
  unavailable?: DirectorySnapshot['unavailable'];
}

/**
 * The previous snapshot with a targeted re-read applied: a new object (the previous one is not
 * changed), `capturedAt` the re-read's time, users and groups in the previous order with new ones
 * at the end. A user the previous snapshot reached (assigned, or a member of a group read) whom
 * nothing reaches after the patch is dropped, as a full read would no longer return them.
 */
export function patchSnapshot(previous: DirectorySnapshot, patch: SnapshotPatch, capturedAt: Date): DirectorySnapshot {
  const removedUsers = new Set(patch.removedUserIds ?? []);
  const removedGroups = new Set(patch.removedGroupIds ?? []);
  const users = replaceById(previous.users, patch.users ?? [], removedUsers);
  const groups = replaceById(previous.groups, patch.groups ?? [], removedGroups).map((g) =>
    removedUsers.size === 0 && removedGroups.size === 0
      ? g
      : {
          ...g,
          memberUserIds: g.memberUserIds.filter((id) => !removedUsers.has(id)),
          memberGroupIds: g.memberGroupIds.filter((id) => !removedGroups.has(id)),
        },
  );
  const assignments = patch.assignments ?? previous.assignments;
  const next: DirectorySnapshot = {
    ...previous,
    capturedAt: capturedAt.toISOString(),
    complete: true,
    app: patch.app ?? previous.app,
    users,
    groups,
    assignments: {
      userIds: assignments.userIds.filter((id) => !removedUsers.has(id)),
      groupIds: assignments.groupIds.filter((id) => !removedGroups.has(id)),
    },
  };
  const before = reached(previous);
  const after = reached(next);
  next.users = next.users.filter((u) => after.has(u.id) || !before.has(u.id));
  if (patch.unavailable !== undefined) {
    if (patch.unavailable.length) next.unavailable = patch.unavailable;
    else delete next.unavailable;
  }
  return next;
}

function replaceById<T extends { id: string }>(previous: readonly T[], fresh: readonly T[], removed: Set<string>): T[] {
  const byId = new Map(fresh.map((x) => [x.id, x]));
  const out: T[] = [];
  for (const x of previous) {
    if (removed.has(x.id)) continue;
    const f = byId.get(x.id);
    out.push(f ?? x);
    byId.delete(x.id);
  }
  for (const x of byId.values()) if (!removed.has(x.id)) out.push(x);
  return out;
}

/** The users a snapshot's assignments and groups reach. */
function reached(s: DirectorySnapshot): Set<string> {
  const ids = new Set(s.assignments.userIds);
  for (const g of s.groups) for (const id of g.memberUserIds) ids.add(id);
  return ids;
}
