import type { GenericTenant, GenericUser } from '@claude-idp/core/testing';
import { setClaims, syncJob, syncSchema } from './entra-fake-app-config';
import { entraGuid } from './entra-fake-ids';

export { entraGuid };

/** How the fake stores the app's claims (see `EntraFakeOptions.claims`). */
export type FakeClaimsMode = 'customClaimsPolicy' | 'none' | 'claimsMappingPolicy';

export type GraphObject = Record<string, unknown> & { id: string };

export interface EntraStore {
  tenantId: string;
  servicePrincipals: GraphObject[];
  users: GraphObject[];
  groups: GraphObject[];
  /** Direct members of each group, in Graph's directoryObject form (`@odata.type` + id). */
  members: Map<string, { type: 'user' | 'group'; id: string }[]>;
  /** appRoleAssignedTo of each service principal. */
  assignments: Map<string, GraphObject[]>;
  claimsPolicy: Map<string, GraphObject | null>;
  claimsMappingPolicies: Map<string, GraphObject[]>;
  jobs: Map<string, GraphObject[]>;
  schemas: Map<string, Record<string, unknown>>;
  /** Users and groups by Graph id (the kinds have distinct GUIDs), so member listings are not a scan per member. */
  byId: Map<string, GraphObject>;
}

/** A B2B guest's UPN: `alias_theirdomain#EXT#@<tenant>.onmicrosoft.com`. */
export function guestUpn(email: string, tenant: string): string {
  return `${email.replace('@', '_')}#EXT#@${tenant}.onmicrosoft.com`;
}

function user(t: GenericTenant, u: GenericUser, guid: (kind: string, id: string) => string): GraphObject {
  const upn = u.guest ? guestUpn(u.email, t.name) : u.login;
  const other = u.guest ? [u.email, ...(u.aliases ?? [])] : (u.aliases ?? []);
  const ext: Record<string, string | null> = { '@odata.type': 'microsoft.graph.onPremisesExtensionAttributes' };
  for (let i = 1; i <= 15; i++) ext[`extensionAttribute${i}`] = null;
  return {
    id: guid('user', u.id),
    accountEnabled: u.status === 'active', // Entra has only enabled / disabled
    businessPhones: [],
    displayName: `${u.givenName} ${u.familyName}`,
    employeeId: null,
    givenName: u.givenName,
    jobTitle: null,
    mail: u.email,
    mailNickname: upn.split('@')[0]!,
    mobilePhone: null,
    officeLocation: null,
    onPremisesExtensionAttributes: ext,
    onPremisesSamAccountName: null,
    onPremisesUserPrincipalName: null,
    otherMails: other,
    preferredLanguage: null,
    proxyAddresses: [`SMTP:${u.email}`, ...(u.aliases ?? []).map((a) => `smtp:${a}`)],
    surname: u.familyName,
    userPrincipalName: upn,
    userType: u.guest ? 'Guest' : 'Member',
  };
}

/** Builds the Graph-shaped tenant a fake serves from a generic tenant. */
export function buildStore(t: GenericTenant, claims: FakeClaimsMode): EntraStore {
  const guid = (kind: string, id: string) => entraGuid(`${t.name}:${kind}`, id);
  const tenantId = guid('tenant', t.name);
  const store: EntraStore = {
    tenantId,
    servicePrincipals: [],
    users: [],
    groups: [],
    members: new Map(),
    assignments: new Map(),
    claimsPolicy: new Map(),
    claimsMappingPolicies: new Map(),
    jobs: new Map(),
    schemas: new Map(),
    byId: new Map(),
  };
  const roles = [
    {
      allowedMemberTypes: ['User'],
      description: 'User',
      displayName: 'User',
      id: '18d14569-c3bd-439b-9a66-3a2aee01d14f',
      isEnabled: true,
      origin: 'Application',
      value: null,
    },
    {
      allowedMemberTypes: ['User'],
      description: 'msiam_access',
      displayName: 'msiam_access',
      id: 'b9632174-c057-4f7e-951b-be3adc52bfe6',
      isEnabled: true,
      origin: 'Application',
      value: null,
    },
  ];
  const sp = (id: string, name: string, mode: string | null): GraphObject => {
    const appId = guid('app', id);
    return {
      id: guid('sp', id),
      accountEnabled: true,
      appDisplayName: name,
      appId,
      appOwnerOrganizationId: tenantId,
      appRoleAssignmentRequired: true,
      appRoles: roles,
      displayName: name,
      keyCredentials: [],
      oauth2PermissionScopes: [],
      passwordCredentials: [],
      preferredSingleSignOnMode: mode,
      replyUrls: [],
      servicePrincipalNames: [appId],
      servicePrincipalType: 'Application',
      tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'WindowsAzureActiveDirectoryCustomSingleSignOnApplication'],
    };
  };
  const app = sp(t.app.id, t.app.name, t.app.sso.protocol);
  store.servicePrincipals = [app, ...(t.otherApps ?? []).map((o) => sp(o.id, o.name, null))];
  store.users = t.users.map((u) => user(t, u, guid));
  const groupId = new Map(t.groups.map((g) => [g.id, guid('group', g.id)]));
  store.groups = t.groups.map((g) => ({
    id: groupId.get(g.id)!,
    deletedDateTime: null,
    description: g.description ?? null,
    displayName: g.name,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: g.name.replace(/[^A-Za-z0-9-]/g, ''),
    securityEnabled: true,
    visibility: null,
  }));
  for (const g of t.groups) {
    store.members.set(groupId.get(g.id)!, [
      ...g.memberUserIds.map((id) => ({ type: 'user' as const, id: guid('user', id) })),
      ...g.memberGroupIds
        .filter((id) => groupId.has(id))
        .map((id) => ({ type: 'group' as const, id: groupId.get(id)! })),
    ]);
  }
  const nameOf = new Map([
    ...t.users.map((u) => [u.id, `${u.givenName} ${u.familyName}`] as const),
    ...t.groups.map((g) => [g.id, g.name] as const),
  ]);
  const assignment = (kind: 'User' | 'Group', id: string, i: number): GraphObject => ({
    id: Buffer.from(`${app.id}:${kind}:${id}`).toString('base64url').slice(0, 43),
    deletedDateTime: null,
    appRoleId: i % 2 ? roles[0]!.id : '00000000-0000-0000-0000-000000000000',
    createdDateTime: '2024-05-02T09:30:00Z',
    principalDisplayName: nameOf.get(id) ?? null,
    principalId: guid(kind === 'User' ? 'user' : 'group', id),
    principalType: kind,
    resourceDisplayName: t.app.name,
    resourceId: app.id,
  });
  store.assignments.set(app.id, [
    ...t.assignments.userIds.map((id, i) => assignment('User', id, i)),
    ...t.assignments.groupIds.map((id, i) => assignment('Group', id, i)),
  ]);
  setClaims(store, app.id, t, claims);
  if (t.app.scim) {
    const jobId = `scim.${guid('job', t.app.id).replace(/-/g, '')}.${tenantId}`;
    store.jobs.set(app.id, [syncJob(jobId, t.app.scim.enabled)]);
    store.schemas.set(jobId, syncSchema(t));
  }
  for (const o of [...store.users, ...store.groups]) store.byId.set(String(o.id), o);
  return store;
}
