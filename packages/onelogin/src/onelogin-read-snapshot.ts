import {
  IncompleteReadError,
  mapWithConcurrency,
  type DirectorySnapshot,
  type ReadSnapshotOptions,
  type SnapshotGroup,
} from '@claude-idp/core';
import { PAGE_LIMITS, VENDOR } from './onelogin-api-facts';
import { readAppSettings, sourceAttribute, type AppSettings } from './onelogin-app-settings';
import type { CallOptions, OneLoginClient } from './onelogin-client';
import { findApp } from './onelogin-find-app';
import { AppUserSchema, RoleSchema, RoleUserSchema, type OneLoginRole, type OneLoginUser } from './onelogin-schemas';
import { tenantLabel } from './onelogin-settings';
import { fetchAllUsers, fetchUsersById, toSnapshotUser, userFields } from './onelogin-users';

const PREFIX = 'anthropic-';
/** Snapshot ids of the two kinds of group: role and v1 group ids are separate number spaces. */
export const roleGroupId = (id: number) => `role:${id}`;
export const v1GroupId = (id: number) => `group:${id}`;

/** The user attributes the app's mappings read besides `email` and `username` (fetched with `fields`). */
export function mappedAttributes(settings: Pick<AppSettings, 'sso' | 'scim'>): Set<string> {
  return new Set(
    [settings.sso?.nameIdSource, settings.sso?.emailAttribute?.source, settings.scim?.userNameSource]
      .map((s) => sourceAttribute(s ?? null))
      .filter((a): a is string => a !== null && a !== 'email' && a !== 'username'),
  );
}

/**
 * One read of the Claude app (SPEC §7), in OneLogin's terms:
 * - app access is through roles: the roles that carry the app (the app's `role_ids`, and every
 *   role whose `apps` holds it) are its group assignments; every role named `anthropic-*` is read
 *   too; each role's users are its members (roles do not nest), as the roles listing gives them
 *   with `fields=users`;
 * - an app can also be given to a person by hand (KB0010641, "Assigning Apps to Users"), which
 *   no role shows: those are the app's users (GET /api/2/apps/{id}/users) outside its roles. A
 *   hand assignment on top of a role one cannot exist ("If an app is already assigned to user
 *   via a role it cannot also be assigned manually"), so nothing is lost there;
 * - v1 groups (one per user, no member listing: only a user's `group_id` shows it) are read when
 *   one is named `anthropic-*`, with a full user listing to find their members;
 * - users are fetched in bulk by id. Independent reads run concurrently.
 */
export async function readOneLoginSnapshot(
  client: OneLoginClient,
  options: ReadSnapshotOptions,
): Promise<DirectorySnapshot> {
  const call: CallOptions = { abortSignal: options.abortSignal, onProgress: options.onProgress };
  const app = await findApp(client, options.app ?? client.settings.appId, call);
  const settings = readAppSettings(app);
  const attributes = mappedAttributes(settings);

  // Three independent listings, within the concurrency limit like every other fan-out.
  const [roles, appUsers, groups] = (await mapWithConcurrency<() => Promise<unknown>, unknown>(
    [
      // `fields=users` puts each role's member ids in the listing itself (list-roles), so no
      // request per role is needed for its members.
      () =>
        client.list(
          '/api/2/roles',
          {
            filters: { fields: 'id,name,apps,users' },
            limit: PAGE_LIMITS.roles,
            schema: RoleSchema,
            resource: 'roles',
          },
          call,
        ),
      () =>
        client.list(
          `/api/2/apps/${app.id}/users`,
          { limit: PAGE_LIMITS.appUsers, schema: AppUserSchema, resource: `apps/${app.id}/users` },
          call,
        ),
      () => client.groupsV1(call),
    ],
    client.settings.concurrency,
    (read) => read(),
  )) as [OneLoginRole[], { id: number }[], { id: number; name: string }[]];

  const assigned = new Set<number>([
    ...(app.role_ids ?? []),
    ...roles.filter((r) => r.apps?.includes(app.id)).map((r) => r.id),
  ]);
  const unknownRoles = [...assigned].filter((id) => !roles.some((r) => r.id === id));
  if (unknownRoles.length) {
    throw new IncompleteReadError({
      vendor: VENDOR,
      resource: 'roles',
      reason: 'count-mismatch',
      message: `OneLogin: the app names role(s) ${unknownRoles.join(', ')} that the roles listing did not return`,
    });
  }
  const wantedRoles = roles.filter((r) => assigned.has(r.id) || r.name.toLowerCase().startsWith(PREFIX));
  // A role the listing gave without `users` (a tenant ignoring `fields`) has its members read on their own.
  const members = await mapWithConcurrency(wantedRoles, client.settings.concurrency, async (r) =>
    r.users != null
      ? r.users
      : // `assigned: false` only appears with include_unassigned=true; filtered anyway.
        (
          await client.list(
            `/api/2/roles/${r.id}/users`,
            { limit: PAGE_LIMITS.roleUsers, schema: RoleUserSchema, resource: `roles/${r.id}/users` },
            call,
          )
        )
          .filter((u) => u.assigned !== false)
          .map((u) => u.id),
  );
  const roleMembers = wantedRoles.map((r, i) => ({ role: r, userIds: members[i]! }));
  const viaRoles = new Set(roleMembers.filter((m) => assigned.has(m.role.id)).flatMap((m) => m.userIds));
  const direct = appUsers.map((u) => u.id).filter((id) => !viaRoles.has(id));

  const wantedGroups = groups.filter((g) => g.name.toLowerCase().startsWith(PREFIX));
  const users = new Map<number, OneLoginUser>();
  const groupMembers = new Map<number, number[]>(wantedGroups.map((g) => [g.id, []]));
  if (wantedGroups.length) {
    for (const u of await fetchAllUsers(client, userFields(attributes, ['group_id']), call)) {
      const list = u.group_id != null ? groupMembers.get(u.group_id) : undefined;
      if (list) list.push(u.id), users.set(u.id, u);
    }
  }
  const needed = [...new Set([...direct, ...roleMembers.flatMap((m) => m.userIds)])].filter((id) => !users.has(id));
  for (const [id, u] of await fetchUsersById(client, needed, userFields(attributes), call)) users.set(id, u);

  const snapshotGroups: SnapshotGroup[] = [
    ...roleMembers.map((m) => ({
      id: roleGroupId(m.role.id),
      name: m.role.name,
      memberUserIds: m.userIds.map(String),
      memberGroupIds: [],
    })),
    ...wantedGroups.map((g) => ({
      id: v1GroupId(g.id),
      name: g.name,
      memberUserIds: groupMembers.get(g.id)!.map(String),
      memberGroupIds: [],
    })),
  ];
  return {
    schemaVersion: 1,
    idp: 'onelogin',
    tenant: tenantLabel(client.settings.baseUrl),
    capturedAt: (options.now?.() ?? new Date()).toISOString(),
    complete: true,
    app: { id: String(app.id), name: app.name, sso: settings.sso, scim: settings.scim },
    users: [...users.values()].sort((a, b) => a.id - b.id).map((u) => toSnapshotUser(u, attributes)),
    groups: snapshotGroups,
    assignments: {
      userIds: direct.map(String),
      groupIds: wantedRoles.filter((r) => assigned.has(r.id)).map((r) => roleGroupId(r.id)),
    },
    unavailable: settings.unavailable,
  };
}
