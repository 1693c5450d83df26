import {
  IncompleteReadError,
  mapWithConcurrency,
  patchSnapshot,
  type DirectorySnapshot,
  type RefreshResult,
  type RefreshSnapshotOptions,
  type SnapshotGroup,
  type SnapshotPatch,
} from '@claude-idp/core';
import { PAGE_LIMITS, VENDOR } from './onelogin-api-facts';
import { readAppSettings } from './onelogin-app-settings';
import type { CallOptions, OneLoginClient } from './onelogin-client';
import { OneLoginApiError } from './onelogin-errors';
import { mappedAttributes, readOneLoginSnapshot, roleGroupId } from './onelogin-read-snapshot';
import { AppSchema, AppUserSchema, RoleSchema, RoleUserSchema, type OneLoginRole } from './onelogin-schemas';
import { listUsersById, missingUsersError, toSnapshotUser, userFields } from './onelogin-users';

const PREFIX = 'anthropic-';
const ROLE = /^role:(\d+)$/;
const V1_GROUP = /^group:(\d+)$/;

/**
 * A targeted re-read (IdpAdapterV1.refreshSnapshot): only what the targets name, patched onto the
 * previous snapshot with core's `patchSnapshot`, complete or a typed error like a full read.
 * - app: GET /api/2/apps/{id}, the roles that carry it (GET /api/2/roles?app_id=…&fields=…,users)
 *   and its users (GET /api/2/apps/{id}/users): settings, role and hand assignments;
 * - a role (`role:<id>`): GET /api/2/roles/{id} (name, apps, members; its /users listing when the
 *   answer has no `users`). A role no longer assigned and not named `anthropic-*` leaves the
 *   snapshot; a 404 is a deleted role. When the role's apps say its assignment to the Claude app
 *   changed, the app is re-read too;
 * - people: GET /api/2/users?user_ids=…&fields=… in one request per 100; one the previous snapshot
 *   did not hold is skipped (nothing reached them); one OneLogin no longer has is removed. New
 *   members of re-read roles are read the same way;
 * - a full read instead when a target needs one (`everything`; a v1 group `group:<id>`, whose
 *   members only the full user listing shows; app mappings that now read other user attributes),
 *   or when the targets would cost more requests than a full read.
 */
export async function refreshOneLoginSnapshot(
  client: OneLoginClient,
  previous: DirectorySnapshot,
  options: RefreshSnapshotOptions,
): Promise<RefreshResult> {
  const call: CallOptions = { abortSignal: options.abortSignal, onProgress: options.onProgress };
  const appId = Number(previous.app.id);
  const full = async (why: string): Promise<RefreshResult> => ({
    snapshot: await readOneLoginSnapshot(client, { ...options, app: options.app ?? previous.app.id }),
    read: 'full',
    detail: `full read: ${why}`,
  });
  if (previous.idp !== 'onelogin' || !Number.isInteger(appId))
    return full('the previous snapshot is not a OneLogin one');

  let readApp = false;
  const roleIds: number[] = [];
  const userIds: number[] = [];
  for (const t of options.targets) {
    if (t.kind === 'everything') return full(t.reason);
    if (t.kind === 'app') readApp = true;
    else if (t.kind === 'user' && /^\d+$/.test(t.id)) userIds.push(Number(t.id));
    else if (t.kind === 'group') {
      const role = ROLE.exec(t.id);
      if (role) roleIds.push(Number(role[1]));
      else if (V1_GROUP.test(t.id))
        return full(`${t.id} is a v1 group, whose members only the full user listing shows`);
      else return full(`${t.id} is not a OneLogin role or group id`);
    }
  }
  const pages = (n: number, size: number) => Math.ceil(n / size);
  const hasV1Groups = previous.groups.some((g) => V1_GROUP.test(g.id));
  // A full read: app, roles, app users, v1 groups, the users (and every user when v1 groups are read).
  const fullCost = 4 + pages(previous.users.length, PAGE_LIMITS.users) * (hasV1Groups ? 2 : 1);
  const targetedCost = (readApp ? 3 : 0) + roleIds.length + pages(userIds.length, PAGE_LIMITS.users);
  if (targetedCost > fullCost)
    return full(`${options.targets.length} targets cost about ${targetedCost} requests, a full read about ${fullCost}`);

  let attributes = mappedAttributes(previous.app);
  const patch: SnapshotPatch = {};
  const groups = new Map<string, SnapshotGroup>();
  const removedGroups = new Set<string>();
  const detail: string[] = [];
  const knownUsers = new Set(previous.users.map((u) => u.id));
  const previousGroups = new Map(previous.groups.map((g) => [g.id, g]));
  const assignedBefore = new Set(previous.assignments.groupIds);

  // Roles first: one whose assignment to the app changed brings the app into the read.
  for (const role of await mapWithConcurrency(roleIds, client.settings.concurrency, (id) =>
    getRole(client, id, call),
  )) {
    if ('deleted' in role) {
      removedGroups.add(roleGroupId(role.deleted));
      continue;
    }
    const gid = roleGroupId(role.id);
    const assignedNow = role.apps != null ? role.apps.includes(appId) : assignedBefore.has(gid);
    if (assignedNow !== assignedBefore.has(gid)) readApp = true;
    if (assignedNow || role.name.toLowerCase().startsWith(PREFIX)) groups.set(gid, toGroup(role));
    else if (previousGroups.has(gid)) removedGroups.add(gid);
  }
  if (roleIds.length) detail.push(`role${roleIds.length > 1 ? 's' : ''} ${roleIds.join(', ')}`);

  if (readApp) {
    const app = await client.get(`/api/2/apps/${appId}`, {}, AppSchema, `apps/${appId}`, call);
    const settings = readAppSettings(app);
    const now = mappedAttributes(settings);
    if (now.size !== attributes.size || [...now].some((a) => !attributes.has(a)))
      return full("the app's mappings now read other user attributes");
    attributes = now;
    const [carrying, appUsers] = (await mapWithConcurrency<() => Promise<unknown>, unknown>(
      [
        () =>
          client.list(
            '/api/2/roles',
            {
              filters: { app_id: String(appId), fields: 'id,name,apps,users' },
              limit: PAGE_LIMITS.roles,
              schema: RoleSchema,
              resource: `roles?app_id=${appId}`,
            },
            call,
          ),
        () =>
          client.list(
            `/api/2/apps/${appId}/users`,
            { limit: PAGE_LIMITS.appUsers, schema: AppUserSchema, resource: `apps/${appId}/users` },
            call,
          ),
      ],
      client.settings.concurrency,
      (read) => read(),
    )) as [OneLoginRole[], { id: number }[]];
    // Roles the app names that do not list it (the full read joins both sides the same way).
    const named = (app.role_ids ?? []).filter((id) => !carrying.some((r) => r.id === id));
    const extra = await mapWithConcurrency(named, client.settings.concurrency, (id) => getRole(client, id, call));
    const gone = extra.filter((r): r is { deleted: number } => 'deleted' in r);
    if (gone.length) {
      throw new IncompleteReadError({
        vendor: VENDOR,
        resource: 'roles',
        reason: 'count-mismatch',
        message: `OneLogin: the app names role(s) ${gone.map((r) => r.deleted).join(', ')} that do not exist`,
      });
    }
    const assigned = [...carrying, ...(extra as OneLoginRole[])];
    const assignedIds = new Set(assigned.map((r) => roleGroupId(r.id)));
    const withMembers = await mapWithConcurrency(assigned, client.settings.concurrency, (r) =>
      withUsers(client, r, call),
    );
    for (const r of withMembers) groups.set(roleGroupId(r.id), toGroup(r));
    const viaRoles = new Set(withMembers.flatMap((r) => r.users ?? []));
    // Roles no longer assigned stay only when named `anthropic-*`, as in a full read.
    for (const gid of new Set([...assignedBefore, ...groups.keys()])) {
      if (assignedIds.has(gid)) continue;
      const name = groups.get(gid)?.name ?? previousGroups.get(gid)?.name ?? '';
      if (name.toLowerCase().startsWith(PREFIX)) continue;
      groups.delete(gid);
      removedGroups.add(gid);
    }
    patch.app = { id: String(app.id), name: app.name, sso: settings.sso, scim: settings.scim };
    patch.unavailable = settings.unavailable;
    patch.assignments = {
      userIds: appUsers
        .map((u) => u.id)
        .filter((id) => !viaRoles.has(id))
        .map(String),
      groupIds: assigned.map((r) => roleGroupId(r.id)),
    };
    detail.unshift('app settings and assignments');
  }
  // A role the app read found assigned stays, whatever its own re-read concluded.
  for (const gid of groups.keys()) removedGroups.delete(gid);
  // Someone given the app by hand who joins an assigned role has it through the role now (the
  // app's users minus the roles' members are the hand assignments, as in a full read).
  if (!patch.assignments) {
    const viaRoles = new Set(
      [...groups].filter(([gid]) => assignedBefore.has(gid)).flatMap(([, g]) => g.memberUserIds),
    );
    const direct = previous.assignments.userIds.filter((id) => !viaRoles.has(id));
    if (direct.length !== previous.assignments.userIds.length)
      patch.assignments = { ...previous.assignments, userIds: direct };
  }

  // People: the targets the previous snapshot held, and everyone newly reached.
  const targeted = userIds.filter((id) => knownUsers.has(String(id)));
  const reachedNow = [
    ...(patch.assignments?.userIds ?? []),
    ...[...groups.values()].flatMap((g) => g.memberUserIds),
  ].filter((id) => !knownUsers.has(id));
  const wanted = [...new Set([...targeted, ...reachedNow.map(Number)])];
  const fields = userFields(attributes, hasV1Groups ? ['group_id'] : []);
  const found = await listUsersById(client, wanted, fields, call);
  const missingNew = reachedNow.filter((id) => !found.has(Number(id)));
  if (missingNew.length) throw missingUsersError(missingNew);
  patch.users = [...found.values()].map((u) => toSnapshotUser(u, attributes));
  patch.removedUserIds = targeted.filter((id) => !found.has(id)).map(String);
  if (targeted.length) detail.push(`${targeted.length} user(s)`);

  // v1 groups show membership only on the user (`group_id`): move re-read people between them.
  if (hasV1Groups) {
    for (const id of targeted) {
      const u = found.get(id);
      if (!u) continue;
      for (const g of previous.groups) {
        const m = V1_GROUP.exec(g.id);
        if (!m) continue;
        const current = groups.get(g.id) ?? g;
        const member = current.memberUserIds.includes(String(id));
        const belongs = u.group_id === Number(m[1]);
        if (member === belongs) continue;
        groups.set(g.id, {
          ...current,
          memberUserIds: belongs
            ? [...current.memberUserIds, String(id)]
            : current.memberUserIds.filter((x) => x !== String(id)),
        });
      }
    }
  }
  patch.groups = [...groups.values()];
  patch.removedGroupIds = [...removedGroups];

  const snapshot = patchSnapshot(previous, patch, options.now?.() ?? new Date());
  // The full read lists people by id; keep that order so two reads of one tenant compare equal.
  snapshot.users.sort((a, b) => Number(a.id) - Number(b.id));
  return { snapshot, read: 'targeted', detail: detail.join(', ') || 'nothing to re-read' };
}

function toGroup(role: OneLoginRole): SnapshotGroup {
  return {
    id: roleGroupId(role.id),
    name: role.name,
    memberUserIds: (role.users ?? []).map(String),
    memberGroupIds: [],
  };
}

/** GET /api/2/roles/{id} with its members; `{deleted}` on a 404. */
async function getRole(
  client: OneLoginClient,
  id: number,
  call: CallOptions,
): Promise<OneLoginRole | { deleted: number }> {
  try {
    const role = await client.get(`/api/2/roles/${id}`, {}, RoleSchema, `roles/${id}`, call);
    return await withUsers(client, role, call);
  } catch (error) {
    if (OneLoginApiError.isInstance(error) && error.status === 404) return { deleted: id };
    throw error;
  }
}

/** A role with `users`: as given, or from GET /api/2/roles/{id}/users when the answer had none. */
async function withUsers(client: OneLoginClient, role: OneLoginRole, call: CallOptions): Promise<OneLoginRole> {
  if (role.users != null) return role;
  const users = await client.list(
    `/api/2/roles/${role.id}/users`,
    { limit: PAGE_LIMITS.roleUsers, schema: RoleUserSchema, resource: `roles/${role.id}/users` },
    call,
  );
  return { ...role, users: users.filter((u) => u.assigned !== false).map((u) => u.id) };
}
