import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';

/**
 * The classic Okta break (R-S5), as a tenant any fake can serve: the SAML NameID is
 * `${user.userName}`, the app username built from `${source.login}` (Okta's default), while SCIM's
 * email comes from the profile mapping `user.email`. Whoever has an Okta username different from
 * their email (here u01 `ada`, u02 on another domain, u03 `aturing@`) is provisioned by SCIM as
 * one address and signs in over SAML as another.
 */
export function loginVsEmailTenant(): GenericTenant {
  const t = conformanceTenant();
  t.app.sso = { protocol: 'saml', nameIdFormat: 'unspecified', nameId: 'login', emailAttribute: null };
  t.app.scim = { enabled: true, email: 'email', userName: 'login', create: true, update: true, deactivate: true };
  const u = (id: string) => t.users.find((x) => x.id === id)!;
  u('u01').login = 'ada';
  u('u02').login = 'ghopper@acme-corp.example';
  return t;
}
