import { createHash } from 'node:crypto';
import type { GenericField, GenericTenant, GenericUser } from '@claude-idp/core/testing';

/** A GUID derived from a generic id (name-based, UUIDv5-shaped), so every run serves the same ids. */
export function entraGuid(scope: string, id: string): string {
  const h = createHash('sha1').update(`${scope}\u0000${id}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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
}

const NS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
/** Generic fields as Entra attributes: 'email' is `user.mail`, 'login' is `user.userPrincipalName`. */
const CLAIM_ID: Record<GenericField, string> = { email: 'mail', login: 'userprincipalname' };
const SYNC_ATTR: Record<GenericField, string> = { email: 'mail', login: 'userPrincipalName' };

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
  const store: EntraStore = { tenantId, servicePrincipals: [], users: [], groups: [], members: new Map(), assignments: new Map(), claimsPolicy: new Map(), claimsMappingPolicies: new Map(), jobs: new Map(), schemas: new Map() };
  const roles = [
    { allowedMemberTypes: ['User'], description: 'User', displayName: 'User', id: '18d14569-c3bd-439b-9a66-3a2aee01d14f', isEnabled: true, origin: 'Application', value: null },
    { allowedMemberTypes: ['User'], description: 'msiam_access', displayName: 'msiam_access', id: 'b9632174-c057-4f7e-951b-be3adc52bfe6', isEnabled: true, origin: 'Application', value: null },
  ];
  const sp = (id: string, name: string, mode: string | null): GraphObject => {
    const appId = guid('app', id);
    return {
      id: guid('sp', id), accountEnabled: true, appDisplayName: name, appId, appOwnerOrganizationId: tenantId, appRoleAssignmentRequired: true,
      appRoles: roles, displayName: name, keyCredentials: [], oauth2PermissionScopes: [], passwordCredentials: [], preferredSingleSignOnMode: mode,
      replyUrls: [], servicePrincipalNames: [appId], servicePrincipalType: 'Application', tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'WindowsAzureActiveDirectoryCustomSingleSignOnApplication'],
    };
  };
  const app = sp(t.app.id, t.app.name, t.app.sso.protocol);
  store.servicePrincipals = [app, ...(t.otherApps ?? []).map((o) => sp(o.id, o.name, null))];
  store.users = t.users.map((u) => user(t, u, guid));
  const groupId = new Map(t.groups.map((g) => [g.id, guid('group', g.id)]));
  store.groups = t.groups.map((g) => ({
    id: groupId.get(g.id)!, deletedDateTime: null, description: g.description ?? null, displayName: g.name, groupTypes: [], mail: null, mailEnabled: false,
    mailNickname: g.name.replace(/[^A-Za-z0-9-]/g, ''), securityEnabled: true, visibility: null,
  }));
  for (const g of t.groups) {
    store.members.set(groupId.get(g.id)!, [...g.memberUserIds.map((id) => ({ type: 'user' as const, id: guid('user', id) })), ...g.memberGroupIds.filter((id) => groupId.has(id)).map((id) => ({ type: 'group' as const, id: groupId.get(id)! }))]);
  }
  const nameOf = new Map([...t.users.map((u) => [u.id, `${u.givenName} ${u.familyName}`] as const), ...t.groups.map((g) => [g.id, g.name] as const)]);
  const assignment = (kind: 'User' | 'Group', id: string, i: number): GraphObject => ({
    id: Buffer.from(`${app.id}:${kind}:${id}`).toString('base64url').slice(0, 43), deletedDateTime: null, appRoleId: i % 2 ? roles[0]!.id : '00000000-0000-0000-0000-000000000000',
    createdDateTime: '2024-05-02T09:30:00Z', principalDisplayName: nameOf.get(id) ?? null, principalId: guid(kind === 'User' ? 'user' : 'group', id), principalType: kind,
    resourceDisplayName: t.app.name, resourceId: app.id,
  });
  store.assignments.set(app.id, [...t.assignments.userIds.map((id, i) => assignment('User', id, i)), ...t.assignments.groupIds.map((id, i) => assignment('Group', id, i))]);
  setClaims(store, app.id, t, claims);
  if (t.app.scim) {
    const jobId = `scim.${guid('job', t.app.id).replace(/-/g, '')}.${tenantId}`;
    store.jobs.set(app.id, [syncJob(jobId, t.app.scim.enabled)]);
    store.schemas.set(jobId, syncSchema(t));
  }
  return store;
}

function setClaims(store: EntraStore, spId: string, t: GenericTenant, mode: FakeClaimsMode): void {
  const { sso } = t.app;
  if (mode === 'none') {
    // Nothing customised: Entra's defaults (NameID from the UPN, emailaddress from mail) must be what the tenant says.
    if (sso.nameId !== 'login' || sso.emailAttribute !== 'email') throw new Error("createEntraFake: claims 'none' serves Entra's defaults; the tenant's sso must be nameId 'login', emailAttribute 'email'");
    store.claimsPolicy.set(spId, null);
    return;
  }
  const sourced = (f: GenericField) => ({ '@odata.type': '#microsoft.graph.sourcedAttribute', id: CLAIM_ID[f], source: 'user', isExtensionAttribute: false });
  const claims: unknown[] = [
    { '@odata.type': '#microsoft.graph.samlNameIdClaim', serviceProviderNameQualifier: null, nameIdFormat: sso.nameIdFormat, configurations: [{ condition: null, transformations: [], attribute: sourced(sso.nameId) }] },
  ];
  if (sso.emailAttribute) claims.push({ '@odata.type': '#microsoft.graph.customClaim', name: 'emailaddress', namespace: NS, tokenFormat: ['saml'], samlAttributeNameFormat: null, configurations: [{ condition: null, transformations: [], attribute: sourced(sso.emailAttribute) }] });
  const policy = { id: entraGuid('claimsPolicy', spId), includeBasicClaimSet: true, includeApplicationIdInIssuer: false, audienceOverride: null, groupFilter: null, claims };
  if (mode === 'customClaimsPolicy') {
    store.claimsPolicy.set(spId, policy);
    return;
  }
  // A claims-mapping policy overrides the portal's claims: serve Entra's defaults in the custom policy so precedence shows.
  store.claimsPolicy.set(spId, null);
  const schema = [{ Source: 'user', ID: CLAIM_ID[sso.nameId], SamlClaimType: `${NS}/nameidentifier` }, ...(sso.emailAttribute ? [{ Source: 'user', ID: CLAIM_ID[sso.emailAttribute], SamlClaimType: `${NS}/emailaddress` }] : [])];
  store.claimsMappingPolicies.set(spId, [{ id: entraGuid('cmp', spId), deletedDateTime: null, definition: [JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema } })], displayName: `${t.app.name} claims`, isOrganizationDefault: false }]);
}

function syncJob(id: string, enabled: boolean): GraphObject {
  return {
    id, templateId: 'scim',
    // Newly created jobs show PT40M; the cycle runs about every 40 minutes (R-V4).
    schedule: { expiration: null, interval: 'PT40M', state: enabled ? 'Active' : 'Disabled' },
    status: {
      countSuccessiveCompleteFailures: 0, escrowsPruned: false, synchronizedEntryCountByType: [], code: enabled ? 'Active' : 'Paused',
      lastExecution: null, lastSuccessfulExecution: null, lastSuccessfulExecutionWithExports: null,
      steadyStateFirstAchievedTime: '0001-01-01T00:00:00Z', steadyStateLastAchievedTime: '0001-01-01T00:00:00Z', quarantine: null,
    },
  };
}

function syncSchema(t: GenericTenant): Record<string, unknown> {
  const scim = t.app.scim!;
  const attr = (name: string) => ({ expression: `[${name}]`, name, parameters: [], type: 'Attribute' });
  const map = (target: string, source: unknown, matchingPriority = 0, defaultValue: string | null = null) => ({ defaultValue, exportMissingReferences: false, flowBehavior: 'FlowWhenChanged', flowType: 'Always', matchingPriority, source, targetAttributeName: target });
  const flows = [scim.create && 'Add', scim.update && 'Update', scim.deactivate && 'Delete'].filter(Boolean).join(', ');
  const pushGroups = scim.pushedGroupIds === undefined || scim.pushedGroupIds.length > 0;
  return {
    directories: [{ name: 'Azure Active Directory', objects: [{ name: 'User', attributes: [{ name: 'userPrincipalName', type: 'string' }] }] }, { name: 'customappsso', objects: [{}] }],
    synchronizationRules: [{
      name: 'USER_TO_USER', sourceDirectoryName: 'Azure Active Directory', targetDirectoryName: 'customappsso',
      objectMappings: [
        {
          attributeMappings: [
            map('userName', attr(SYNC_ATTR[scim.userName]), 1),
            map('active', { expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', name: 'Switch', parameters: [{ key: 'source', value: attr('IsSoftDeleted') }], type: 'Function' }),
            map('displayName', attr('displayName')),
            map('emails[type eq "work"].value', attr(SYNC_ATTR[scim.email])),
            map('name.givenName', attr('givenName')),
            map('name.familyName', attr('surname')),
            map('externalId', attr('mailNickname')),
          ],
          enabled: true, flowTypes: flows, metadata: [], name: 'Provision Azure Active Directory Users', scope: null, sourceObjectName: 'User', targetObjectName: 'User',
        },
        {
          attributeMappings: [map('displayName', attr('displayName'), 1), map('externalId', attr('objectId')), map('members', attr('members'))],
          enabled: pushGroups, flowTypes: 'Add, Update, Delete', metadata: [], name: 'Provision Azure Active Directory Groups', scope: null, sourceObjectName: 'Group', targetObjectName: 'Group',
        },
      ],
    }],
  };
}
