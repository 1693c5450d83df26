import type { GenericApp, GenericField, GenericTenant } from '@claude-idp/core/testing';
import { statusCode } from '../onelogin-status';
import { numericIds } from './onelogin-fake-ids';

/** A OneLogin-native v1 group (one per user), which a generic tenant has no notion of. */
export interface FakeV1Group {
  name: string;
  /** Generic user ids. OneLogin allows one group per user. */
  memberUserIds: string[];
}

/** OneLogin attribute names of the generic fields: email → `email`, login → `username`. */
export const ATTRIBUTE: Record<GenericField, string> = { email: 'email', login: 'username' };

const STAMP = '2024-01-15T09:30:00Z';
const AUTH_METHOD_DESCRIPTION: Record<number, string> = { 0: 'Password', 1: 'OpenId', 2: 'SAML2.0', 3: 'API', 4: 'Google', 6: 'Forms Based App', 7: 'WSFED', 8: 'OpenId Connect' };

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

function parameter(id: number, label: string, mapping: string, inAssertion: boolean) {
  // The documented parameter object (onelogin-go-sdk models.Parameter).
  return {
    id,
    label,
    user_attribute_mappings: mapping,
    user_attribute_macros: null,
    attributes_transformations: null,
    values: null,
    default_values: null,
    skip_if_blank: false,
    provisioned_entitlements: false,
    include_in_saml_assertion: inAssertion,
  };
}

/** The app's `parameters`: NameID in `saml_username`, an `email` assertion attribute, SCIM userName in `scimusername`. */
function parameters(app: GenericApp, appId: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (app.sso.protocol === 'saml') out.saml_username = parameter(appId * 10 + 1, 'SAML Name ID (Subject)', ATTRIBUTE[app.sso.nameId], true);
  if (app.sso.emailAttribute) out.email = parameter(appId * 10 + 2, 'Email', ATTRIBUTE[app.sso.emailAttribute], true);
  // The SCIM email ({$user.email} in the SCIM JSON template) is not a parameter and not in the API.
  if (app.scim) out.scimusername = parameter(appId * 10 + 3, 'scimusername', ATTRIBUTE[app.scim.userName], false);
  return out;
}

function appObject(baseUrl: string, id: number, name: string, app: GenericApp | null, roleIds: number[]): Record<string, unknown> {
  const saml = !app || app.sso.protocol === 'saml';
  const authMethod = saml ? 2 : 8;
  const uuid = `${String(id).padStart(8, '0')}-0000-4000-8000-${String(id).padStart(12, '0')}`;
  return {
    id,
    name,
    visible: true,
    description: '',
    notes: null,
    icon_url: '/images/missing_connector_icon/square/old_original.png',
    auth_method: authMethod,
    auth_method_description: AUTH_METHOD_DESCRIPTION[authMethod],
    policy_id: null,
    provisioning: { enabled: app?.scim?.enabled ?? false },
    allow_assumed_signin: false,
    tab_id: null,
    // 110016: "SAML Custom Connector (Advanced)" (onelogin-ruby-sdk sample); 108419: the OIDC app of app-resource.
    connector_id: saml ? 110016 : 108419,
    sso: saml
      ? {
          metadata_url: `https://app.onelogin.com/saml/metadata/${uuid}`,
          acs_url: `${baseUrl}/trust/saml2/http-post/sso/${id}`,
          sls_url: `${baseUrl}/trust/saml2/http-redirect/slo/${id}`,
          issuer: `https://app.onelogin.com/saml/metadata/${uuid}`,
          certificate: { value: 'c6d814d032f000d9c03bc79727265', id: 170216, name: 'My Companies SAML Certificate' },
        }
      : { client_id: uuid },
    configuration: saml ? { provider_arn: null, signature_algorithm: 'SHA-256' } : { redirect_uri: null, login_url: null },
    created_at: STAMP,
    updated_at: STAMP,
    role_ids: roleIds,
    parameters: app ? parameters(app, id) : {},
    enforcement_point: {},
  };
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
  const userIds = numericIds('user', t.users.map((u) => u.id));
  const roleIds = numericIds('role', t.groups.map((g) => g.id));
  const appIds = numericIds('app', [t.app.id, ...(t.otherApps ?? []).map((a) => a.id)]);
  const groupIds = numericIds('group', v1Groups.map((g) => g.name));
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
      if (groupOf.has(u)) throw new Error(`onelogin fake: user ${u} is in two v1 groups; OneLogin allows one group per user`);
      groupOf.set(u, groupIds.get(g.name)!);
    }
  }
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
      role_ids: roles.filter((r) => r.users.includes(id)).map((r) => r.id),
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
