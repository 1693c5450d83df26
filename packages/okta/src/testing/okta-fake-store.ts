import type { GenericField, GenericTenant, GenericUser } from '@claude-idp/core/testing';
import { GENERIC_TO_OKTA_STATUS } from '../okta-status';
import { buildApp } from './okta-fake-app';
import { oktaId } from './okta-fake-ids';

const T0 = '2024-01-31T18:25:01.000Z';
const T1 = '2024-01-31T18:25:03.000Z';

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

/** Users, groups, memberships and assignments in Okta's shapes, around the app from `buildApp`. */
export function buildOrg(t: GenericTenant, base: string): OktaOrg {
  const { app, others, features, mappings, mappingProperties, pushMappings, userNameField } = buildApp(t, base);
  const appId = app.id;
  const typeId = oktaId('oty', t.name);
  const uid = (id: string) => oktaId('00u', id);
  const gid = (id: string) => oktaId('00g', id);
  const scim = t.app.scim;
  const provisioned = Boolean(scim?.enabled);
  const links = (path: string) => ({ href: `${base}${path}` });

  const users = byId(
    t.users.map((u) => ({
      id: uid(u.id),
      status: GENERIC_TO_OKTA_STATUS[u.status],
      created: '2024-01-09T15:36:04.000Z',
      activated: u.status === 'staged' ? null : '2024-01-09T15:36:05.000Z',
      statusChanged: '2024-01-09T15:36:05.000Z',
      lastLogin: null,
      lastUpdated: '2024-01-09T15:36:05.000Z',
      passwordChanged: '2024-01-09T15:36:05.000Z',
      type: { id: typeId },
      profile: {
        firstName: u.givenName,
        lastName: u.familyName,
        mobilePhone: null,
        secondEmail: null,
        login: u.login,
        email: u.email,
      } as Record<string, string | null>,
      credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: links(`/api/v1/users/${uid(u.id)}`) },
    })),
  );
  const groups = byId(
    t.groups.map((g) => ({
      id: gid(g.id),
      created: '2015-02-06T10:11:28.000Z',
      lastUpdated: '2015-10-05T19:16:43.000Z',
      lastMembershipUpdated: '2015-11-28T19:15:32.000Z',
      objectClass: ['okta:user_group'],
      type: 'OKTA_GROUP',
      profile: { name: g.name, description: g.description ?? '' },
      _links: { users: links(`/api/v1/groups/${gid(g.id)}/users`), apps: links(`/api/v1/groups/${gid(g.id)}/apps`) },
    })),
  );
  // Okta has no nested groups: memberGroupIds are ignored.
  const members = new Map(t.groups.map((g) => [gid(g.id), g.memberUserIds.map(uid).sort()]));

  const assignedVia = new Map<string, 'USER' | 'GROUP'>();
  for (const g of t.groups.filter((x) => t.assignments.groupIds.includes(x.id)))
    for (const u of g.memberUserIds) assignedVia.set(u, 'GROUP');
  for (const u of t.assignments.userIds) assignedVia.set(u, 'USER');
  const appUsers = byId(
    t.users
      .filter((u) => assignedVia.has(u.id))
      .map((u) => ({
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
        profile: scim
          ? { givenName: u.givenName, familyName: u.familyName, email: value(u, scim.email) }
          : { email: u.email },
        _links: { app: links(`/api/v1/apps/${appId}`), user: links(`/api/v1/users/${uid(u.id)}`) },
      })),
  );
  const appGroups = t.assignments.groupIds.map((g, i) => ({
    id: gid(g),
    priority: i,
    lastUpdated: '2024-06-02T13:17:57.000Z',
    profile: {},
    _links: {
      app: links(`/api/v1/apps/${appId}`),
      self: links(`/api/v1/apps/${appId}/groups/${gid(g)}`),
      group: links(`/api/v1/groups/${gid(g)}`),
    },
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
    mappingProperties,
    pushMappings: byId(pushMappings),
  };
}
