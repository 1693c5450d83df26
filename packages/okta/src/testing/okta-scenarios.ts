import { conformanceTenant, type GenericTenant, type GenericUser } from '@claude-idp/core/testing';

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

/** A tenant big enough that every listing pages at Okta's maximum page sizes. */
export function largeTenant(people = 3000): GenericTenant {
  const users: GenericUser[] = Array.from({ length: people }, (_, i) => {
    const email = `person${String(i).padStart(5, '0')}@big.example`;
    return {
      id: `p${i}`,
      email,
      login: i % 7 === 0 ? `p${i}` : email,
      givenName: 'P',
      familyName: String(i),
      status: i % 50 === 0 ? 'suspended' : 'active',
    };
  });
  const range = (from: number, to: number) => users.slice(from, to).map((u) => u.id);
  return {
    name: 'bigco',
    domain: 'big.example',
    app: {
      id: 'claude',
      name: 'Claude',
      sso: { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'email', emailAttribute: 'email' },
      scim: {
        enabled: true,
        email: 'email',
        userName: 'email',
        create: true,
        update: true,
        deactivate: true,
        pushedGroupIds: ['g-owner', 'g-user'],
      },
    },
    users,
    groups: [
      { id: 'g-owner', name: 'anthropic-claudeai-468ca80f-owner', memberUserIds: range(0, 5), memberGroupIds: [] },
      { id: 'g-user', name: 'anthropic-claudeai-468ca80f-user', memberUserIds: range(0, 2500), memberGroupIds: [] },
      {
        id: 'g-dev',
        name: 'anthropic-console-9f2c1d7e-developer',
        memberUserIds: range(2400, 2700),
        memberGroupIds: [],
      },
      { id: 'g-eng', name: 'Engineering', memberUserIds: range(1500, 2700), memberGroupIds: [] },
      { id: 'g-sales', name: 'Sales', memberUserIds: range(2700, 3000), memberGroupIds: [] },
    ],
    // 60 direct assignees, 40 of them in no group that is read.
    assignments: { userIds: range(2680, 2740), groupIds: ['g-owner', 'g-user', 'g-eng'] },
  };
}
