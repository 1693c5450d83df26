import { createHash } from 'node:crypto';
import type { GenericField, GenericTenant, GenericUser } from '@claude-idp/core/testing';
import { GENERIC_TO_OKTA_STATUS } from '../okta-status';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A deterministic Okta-shaped id (`00u` users, `00g` groups, `0oa` apps, `prm` mappings, `oty` user types): prefix + 17 base62 chars. */
export function oktaId(prefix: string, genericId: string): string {
  const h = createHash('sha256').update(`${prefix}:${genericId}`).digest();
  let s = prefix;
  for (let i = 0; s.length < 20; i++) s += B62[h[i]! % 62];
  return s;
}

const T0 = '2024-01-31T18:25:01.000Z';
const T1 = '2024-01-31T18:25:03.000Z';
const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
} as const;
/** BUILT_IN username templates (spec `ApplicationCredentialsUsernameTemplate`): "Okta username" and "Email". */
const TEMPLATE: Record<GenericField, string> = { login: '${source.login}', email: '${source.email}' };

export type Json = Record<string, unknown>;

/** The in-memory Okta org a generic tenant becomes, every object in the shape Okta's API returns it. */
export interface OktaOrg {
  base: string;
  app: Json & { id: string; label: string; name: string };
  apps: (Json & { id: string; label: string; name: string })[];
  users: (Json & { id: string; status: string; profile: Record<string, string | null> })[];
  groups: (Json & { id: string; profile: { name: string } })[];
  members: Map<string, string[]>;
  appUsers: (Json & { id: string })[];
  appGroups: (Json & { id: string })[];
  /** null: provisioning is off (Okta answers 400 E0000001). */
  features: Json[] | null;
  mappings: (Json & { id: string; source: { id: string }; target: { id: string } })[];
  mappingProperties: Map<string, Json>;
  /** Group push mappings of the app (empty when it pushes none). */
  pushMappings: (Json & { id: string })[];
}

const byId = <T extends { id: string }>(xs: T[]) => xs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const value = (u: GenericUser, f: GenericField) => (f === 'email' ? u.email : u.login);

export function buildOrg(t: GenericTenant, base: string): OktaOrg {
  const appId = oktaId('0oa', t.app.id);
  const typeId = oktaId('oty', t.name);
  const uid = (id: string) => oktaId('00u', id);
  const gid = (id: string) => oktaId('00g', id);
  const scim = t.app.scim;
  const provisioned = Boolean(scim?.enabled);
  // One app username serves both the SAML NameID (`${user.userName}`) and SCIM userName.
  const userNameField: GenericField = scim?.userName ?? t.app.sso.nameId;
  const saml = t.app.sso.protocol === 'saml';
  const appName = `${t.name}_${t.app.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}_1`;
  const links = (path: string) => ({ href: `${base}${path}` });

  const users = byId(t.users.map((u) => ({
    id: uid(u.id),
    status: GENERIC_TO_OKTA_STATUS[u.status],
    created: '2024-01-09T15:36:04.000Z',
    activated: u.status === 'staged' ? null : '2024-01-09T15:36:05.000Z',
    statusChanged: '2024-01-09T15:36:05.000Z',
    lastLogin: null,
    lastUpdated: '2024-01-09T15:36:05.000Z',
    passwordChanged: '2024-01-09T15:36:05.000Z',
    type: { id: typeId },
    profile: { firstName: u.givenName, lastName: u.familyName, mobilePhone: null, secondEmail: null, login: u.login, email: u.email } as Record<string, string | null>,
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: links(`/api/v1/users/${uid(u.id)}`) },
  })));
  const groups = byId(t.groups.map((g) => ({
    id: gid(g.id),
    created: '2015-02-06T10:11:28.000Z',
    lastUpdated: '2015-10-05T19:16:43.000Z',
    lastMembershipUpdated: '2015-11-28T19:15:32.000Z',
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: g.name, description: g.description ?? '' },
    _links: { users: links(`/api/v1/groups/${gid(g.id)}/users`), apps: links(`/api/v1/groups/${gid(g.id)}/apps`) },
  })));
  // Okta has no nested groups: memberGroupIds are ignored.
  const members = new Map(t.groups.map((g) => [gid(g.id), g.memberUserIds.map(uid).sort()]));

  const mappingProps: Json = scim
    ? { givenName: { expression: 'user.firstName', pushStatus: 'PUSH' }, familyName: { expression: 'user.lastName', pushStatus: 'PUSH' }, email: { expression: `user.${scim.email}`, pushStatus: 'PUSH' } }
    : {};
  const assignedVia = new Map<string, 'USER' | 'GROUP'>();
  for (const g of t.groups.filter((x) => t.assignments.groupIds.includes(x.id))) for (const u of g.memberUserIds) assignedVia.set(u, 'GROUP');
  for (const u of t.assignments.userIds) assignedVia.set(u, 'USER');
  const appUsers = byId(t.users.filter((u) => assignedVia.has(u.id)).map((u) => ({
    id: uid(u.id),
    externalId: provisioned ? oktaId('ext', u.id) : null,
    created: T0,
    lastUpdated: T1,
    scope: assignedVia.get(u.id)!,
    status: provisioned ? 'PROVISIONED' : 'ACTIVE',
    statusChanged: T1,
    passwordChanged: null,
    syncState: provisioned ? 'SYNCHRONIZED' : 'DISABLED',
    lastSync: provisioned ? T1 : null,
    credentials: { userName: value(u, userNameField) },
    profile: scim ? { givenName: u.givenName, familyName: u.familyName, email: value(u, scim.email) } : { email: u.email },
    _links: { app: links(`/api/v1/apps/${appId}`), user: links(`/api/v1/users/${uid(u.id)}`) },
  })));
  const appGroups = t.assignments.groupIds.map((g, i) => ({
    id: gid(g),
    priority: i,
    lastUpdated: '2024-06-02T13:17:57.000Z',
    profile: {},
    _links: { app: links(`/api/v1/apps/${appId}`), self: links(`/api/v1/apps/${appId}/groups/${gid(g)}`), group: links(`/api/v1/groups/${gid(g)}`) },
  }));
  const status = (on: boolean | undefined) => ({ status: on ? 'ENABLED' : 'DISABLED' });
  const features = provisioned && scim
    ? [{
        name: 'USER_PROVISIONING',
        status: 'ENABLED',
        description: 'User provisioning settings from Okta to a downstream application',
        capabilities: {
          create: { lifecycleCreate: status(scim.create) },
          update: { profile: status(scim.update), lifecycleDeactivate: status(scim.deactivate), password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' } },
        },
        _links: { self: { ...links(`/api/v1/apps/${appId}/features/USER_PROVISIONING`), hints: { allow: ['GET', 'PUT'] } } },
      }]
    : null;
  const statements = [
    ...(t.app.sso.emailAttribute ? [{ type: 'EXPRESSION', name: 'email', namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', values: [`user.${t.app.sso.emailAttribute}`] }] : []),
    { type: 'GROUP', name: 'groups', namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', filterType: 'STARTS_WITH', filterValue: 'anthropic-' },
  ];
  const app = {
    id: appId,
    name: appName,
    label: t.app.name,
    status: 'ACTIVE',
    lastUpdated: '2016-08-09T20:12:19.000Z',
    created: '2016-08-09T20:12:19.000Z',
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [`${appName}_link`]: true } },
    features: provisioned && scim
      ? ['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', ...(scim.pushedGroupIds ? ['GROUP_PUSH'] : [])].filter((f, i) => [scim.create, scim.update, scim.deactivate, true][i])
      : [],
    signOnMode: saml ? 'SAML_2_0' : 'OPENID_CONNECT',
    credentials: { userNameTemplate: { template: TEMPLATE[saml ? userNameField : t.app.sso.nameId], type: 'BUILT_IN' }, signing: {} },
    settings: {
      app: {},
      notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
      signOn: saml
        ? {
            defaultRelayState: '',
            ssoAcsUrl: 'https://claude.ai/api/auth/saml/acs',
            idpIssuer: 'http://www.okta.com/${org.externalKey}',
            audience: 'https://claude.ai',
            recipient: 'https://claude.ai/api/auth/saml/acs',
            destination: 'https://claude.ai/api/auth/saml/acs',
            // `${user.userName}` (the app username) when the NameID is the username's field, else the field itself.
            subjectNameIdTemplate: t.app.sso.nameId === userNameField ? '${user.userName}' : `\${user.${t.app.sso.nameId}}`,
            subjectNameIdFormat: NAMEID_FORMAT[t.app.sso.nameIdFormat],
            responseSigned: true,
            assertionSigned: true,
            signatureAlgorithm: 'RSA_SHA256',
            digestAlgorithm: 'SHA256',
            honorForceAuthn: true,
            authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
            attributeStatements: statements,
            inlineHooks: [],
          }
        : {},
    },
    _links: { users: links(`/api/v1/apps/${appId}/users`), groups: links(`/api/v1/apps/${appId}/groups`), metadata: { ...links(`/api/v1/apps/${appId}/sso/saml/metadata`), type: 'application/xml' } },
  };
  const others = (t.otherApps ?? []).map((o) => ({
    id: oktaId('0oa', o.id), name: 'bookmark', label: o.name, status: 'ACTIVE', features: [], signOnMode: 'BOOKMARK',
    credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} }, settings: { app: { requestIntegration: false, url: 'https://claude.ai' } }, _links: {},
  }));
  const mappingId = oktaId('prm', t.app.id);
  const ref = (id: string, name: string, type: string, self: string, schema: string) => ({ id, name, type, _links: { self: links(self), schema: links(schema) } });
  const mappings = [{
    id: mappingId,
    source: ref(typeId, 'user', 'user', `/api/v1/meta/types/user/${typeId}`, `/api/v1/meta/schemas/user/${oktaId('osc', t.name)}`),
    target: ref(appId, appName, 'appuser', `/api/v1/apps/${appId}`, `/api/v1/meta/schemas/apps/${appId}/default`),
    _links: { self: links(`/api/v1/mappings/${mappingId}`) },
  }];
  const pushMappings = (scim?.pushedGroupIds ?? []).map((g) => ({
        id: oktaId('gPm', g), created: '2025-01-01T00:00:00Z', errorSummary: '', lastPush: '2025-01-01T00:00:00Z', lastUpdated: '2025-01-01T00:00:00Z',
        sourceGroupId: gid(g), status: 'ACTIVE', targetGroupId: oktaId('00g', `pushed:${g}`),
        _links: { app: links(`/api/v1/apps/${appId}`), sourceGroup: links(`/api/v1/groups/${gid(g)}`), targetGroup: links(`/api/v1/groups/${oktaId('00g', `pushed:${g}`)}`) },
      }));
  return {
    base,
    app,
    apps: byId([app, ...others]),
    users,
    groups,
    members,
    appUsers,
    appGroups,
    features,
    mappings,
    mappingProperties: new Map([[mappingId, mappingProps]]),
    pushMappings: byId(pushMappings),
  };
}
