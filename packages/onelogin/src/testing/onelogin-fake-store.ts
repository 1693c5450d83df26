import type { GenericTenant } from '@claude-idp/core/testing';
import { statusCode } from '../onelogin-status';
import { appObject, STAMP } from './onelogin-fake-apps';
import { numericIds } from './onelogin-fake-ids';

/** A OneLogin-native v1 group (one per user), which a generic tenant has no notion of. */
export interface FakeV1Group {
  name: string;
  /** Generic user ids. OneLogin allows one group per user. */
  memberUserIds: string[];
}

export interface FakeStore {
  appId: number;
  apps: Record<string, unknown>[];
  roles: { id: number; name: string; apps: number[]; users: number[]; admins: number[] }[];
  users: Record<string, unknown>[];
  userById: Map<number, Record<string, unknown>>;
  /** The Claude app's users: hand assignments and members of the roles that carry it. */
  appUserIds: number[];
  groups: { id: number; name: string; reference: null }[];
}

/**
 * The generic tenant in OneLogin's shapes. App access in OneLogin is through roles, so:
 * - every generic group is a role named like it; the roles of the app's assigned groups carry
 *   the app (`apps` / the app's `role_ids`); nested groups are ignored (roles do not nest);
 * - a generic direct assignment is a hand assignment of the app to the person (a OneLogin
 *   feature); someone who also gets the app through a role shows it only through the role, as
 *   OneLogin allows no hand assignment on top of a role one;
 * - v1 groups are OneLogin-native (one per user) and come from the fake's `v1Groups` option.
 */
export function buildStore(t: GenericTenant, baseUrl: string, v1Groups: FakeV1Group[]): FakeStore {
  const userIds = numericIds(
    'user',
    t.users.map((u) => u.id),
  );
  const roleIds = numericIds(
    'role',
    t.groups.map((g) => g.id),
  );
  const appIds = numericIds('app', [t.app.id, ...(t.otherApps ?? []).map((a) => a.id)]);
  const groupIds = numericIds(
    'group',
    v1Groups.map((g) => g.name),
  );
  const appId = appIds.get(t.app.id)!;
  const assigned = new Set(t.assignments.groupIds);
  const roles = t.groups.map((g) => ({
    id: roleIds.get(g.id)!,
    name: g.name,
    apps: assigned.has(g.id) ? [appId] : [],
    users: g.memberUserIds.filter((u) => userIds.has(u)).map((u) => userIds.get(u)!),
    admins: [] as number[],
  }));
  const groupOf = new Map<string, number>();
  for (const g of v1Groups) {
    for (const u of g.memberUserIds) {
      if (groupOf.has(u))
        throw new Error(`onelogin fake: user ${u} is in two v1 groups; OneLogin allows one group per user`);
      groupOf.set(u, groupIds.get(g.name)!);
    }
  }
  const rolesOf = new Map<number, number[]>();
  for (const r of roles) for (const u of r.users) rolesOf.set(u, [...(rolesOf.get(u) ?? []), r.id]);
  const users = t.users.map((u) => {
    const id = userIds.get(u.id)!;
    const status = statusCode(u.status);
    // Field order and names of the api-docs/2/users/get-user sample.
    return {
      activated_at: status === 0 ? null : STAMP,
      distinguished_name: null,
      external_id: null,
      firstname: u.givenName,
      last_login: null,
      lastname: u.familyName,
      company: null,
      directory_id: null,
      invitation_sent_at: null,
      member_of: null,
      updated_at: STAMP,
      preferred_locale_code: null,
      created_at: STAMP,
      userprincipalname: null,
      trusted_idp_id: null,
      comment: '',
      title: null,
      role_ids: rolesOf.get(id) ?? [],
      department: null,
      id,
      custom_attributes: {},
      invalid_login_attempts: 0,
      manager_user_id: null,
      locked_until: status === 3 ? '2099-01-01T00:00:00Z' : null,
      username: u.login,
      manager_ad_id: null,
      email: u.email,
      phone: null,
      state: 1,
      group_id: groupOf.get(u.id) ?? null,
      password_changed_at: null,
      status,
      samaccountname: null,
    };
  });
  const viaRoles = new Set(roles.filter((r) => r.apps.includes(appId)).flatMap((r) => r.users));
  const hand = new Set(t.assignments.userIds.filter((u) => userIds.has(u)).map((u) => userIds.get(u)!));
  const appRoleIds = roles.filter((r) => r.apps.includes(appId)).map((r) => r.id);
  return {
    appId,
    apps: [
      appObject(baseUrl, appId, t.app.name, t.app, appRoleIds),
      ...(t.otherApps ?? []).map((a) => appObject(baseUrl, appIds.get(a.id)!, a.name, null, [])),
    ],
    roles,
    users,
    userById: new Map(users.map((u) => [u.id, u])),
    appUserIds: users.map((u) => u.id).filter((id) => viaRoles.has(id) || hand.has(id)),
    groups: v1Groups.map((g) => ({ id: groupIds.get(g.name)!, name: g.name, reference: null })),
  };
}
