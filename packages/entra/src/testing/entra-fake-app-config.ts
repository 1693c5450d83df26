import type { GenericField, GenericTenant } from '@claude-idp/core/testing';
import { entraGuid } from './entra-fake-ids';
import type { EntraStore, FakeClaimsMode, GraphObject } from './entra-fake-store';

const NS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
/** Generic fields as Entra attributes: 'email' is `user.mail`, 'login' is `user.userPrincipalName`. */
const CLAIM_ID: Record<GenericField, string> = { email: 'mail', login: 'userprincipalname' };
const SYNC_ATTR: Record<GenericField, string> = { email: 'mail', login: 'userPrincipalName' };

/** The app's claims as the chosen policy kind stores them (see `EntraFakeOptions.claims`). */
export function setClaims(store: EntraStore, spId: string, t: GenericTenant, mode: FakeClaimsMode): void {
  const { sso } = t.app;
  if (mode === 'none') {
    // Nothing customised: Entra's defaults (NameID from the UPN, emailaddress from mail) must be what the tenant says.
    if (sso.nameId !== 'login' || sso.emailAttribute !== 'email')
      throw new Error(
        "createEntraFake: claims 'none' serves Entra's defaults; the tenant's sso must be nameId 'login', emailAttribute 'email'",
      );
    store.claimsPolicy.set(spId, null);
    return;
  }
  const sourced = (f: GenericField) => ({
    '@odata.type': '#microsoft.graph.sourcedAttribute',
    id: CLAIM_ID[f],
    source: 'user',
    isExtensionAttribute: false,
  });
  const claims: unknown[] = [
    {
      '@odata.type': '#microsoft.graph.samlNameIdClaim',
      serviceProviderNameQualifier: null,
      nameIdFormat: sso.nameIdFormat,
      configurations: [{ condition: null, transformations: [], attribute: sourced(sso.nameId) }],
    },
  ];
  if (sso.emailAttribute)
    claims.push({
      '@odata.type': '#microsoft.graph.customClaim',
      name: 'emailaddress',
      namespace: NS,
      tokenFormat: ['saml'],
      samlAttributeNameFormat: null,
      configurations: [{ condition: null, transformations: [], attribute: sourced(sso.emailAttribute) }],
    });
  const policy = {
    id: entraGuid('claimsPolicy', spId),
    includeBasicClaimSet: true,
    includeApplicationIdInIssuer: false,
    audienceOverride: null,
    groupFilter: null,
    claims,
  };
  if (mode === 'customClaimsPolicy') {
    store.claimsPolicy.set(spId, policy);
    return;
  }
  // A claims-mapping policy overrides the portal's claims: serve Entra's defaults in the custom policy so precedence shows.
  store.claimsPolicy.set(spId, null);
  const schema = [
    { Source: 'user', ID: CLAIM_ID[sso.nameId], SamlClaimType: `${NS}/nameidentifier` },
    ...(sso.emailAttribute
      ? [{ Source: 'user', ID: CLAIM_ID[sso.emailAttribute], SamlClaimType: `${NS}/emailaddress` }]
      : []),
  ];
  store.claimsMappingPolicies.set(spId, [
    {
      id: entraGuid('cmp', spId),
      deletedDateTime: null,
      definition: [
        JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema } }),
      ],
      displayName: `${t.app.name} claims`,
      isOrganizationDefault: false,
    },
  ]);
}

/** A provisioning job of the non-gallery SCIM template. */
export function syncJob(id: string, enabled: boolean): GraphObject {
  return {
    id,
    templateId: 'scim',
    // Newly created jobs show PT40M; the cycle runs about every 40 minutes (R-V4).
    schedule: { expiration: null, interval: 'PT40M', state: enabled ? 'Active' : 'Disabled' },
    status: {
      countSuccessiveCompleteFailures: 0,
      escrowsPruned: false,
      synchronizedEntryCountByType: [],
      code: enabled ? 'Active' : 'Paused',
      lastExecution: null,
      lastSuccessfulExecution: null,
      lastSuccessfulExecutionWithExports: null,
      steadyStateFirstAchievedTime: '0001-01-01T00:00:00Z',
      steadyStateLastAchievedTime: '0001-01-01T00:00:00Z',
      quarantine: null,
    },
  };
}

/** The job's schema: the user and group object mappings of the SCIM template. */
export function syncSchema(t: GenericTenant): Record<string, unknown> {
  const scim = t.app.scim!;
  const attr = (name: string) => ({ expression: `[${name}]`, name, parameters: [], type: 'Attribute' });
  const map = (target: string, source: unknown, matchingPriority = 0, defaultValue: string | null = null) => ({
    defaultValue,
    exportMissingReferences: false,
    flowBehavior: 'FlowWhenChanged',
    flowType: 'Always',
    matchingPriority,
    source,
    targetAttributeName: target,
  });
  const flows = [scim.create && 'Add', scim.update && 'Update', scim.deactivate && 'Delete'].filter(Boolean).join(', ');
  const pushGroups = scim.pushedGroupIds === undefined || scim.pushedGroupIds.length > 0;
  return {
    directories: [
      {
        name: 'Azure Active Directory',
        objects: [{ name: 'User', attributes: [{ name: 'userPrincipalName', type: 'string' }] }],
      },
      { name: 'customappsso', objects: [{}] },
    ],
    synchronizationRules: [
      {
        name: 'USER_TO_USER',
        sourceDirectoryName: 'Azure Active Directory',
        targetDirectoryName: 'customappsso',
        objectMappings: [
          {
            attributeMappings: [
              map('userName', attr(SYNC_ATTR[scim.userName]), 1),
              map('active', {
                expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
                name: 'Switch',
                parameters: [{ key: 'source', value: attr('IsSoftDeleted') }],
                type: 'Function',
              }),
              map('displayName', attr('displayName')),
              map('emails[type eq "work"].value', attr(SYNC_ATTR[scim.email])),
              map('name.givenName', attr('givenName')),
              map('name.familyName', attr('surname')),
              map('externalId', attr('mailNickname')),
            ],
            enabled: true,
            flowTypes: flows,
            metadata: [],
            name: 'Provision Azure Active Directory Users',
            scope: null,
            sourceObjectName: 'User',
            targetObjectName: 'User',
          },
          {
            attributeMappings: [
              map('displayName', attr('displayName'), 1),
              map('externalId', attr('objectId')),
              map('members', attr('members')),
            ],
            enabled: pushGroups,
            flowTypes: 'Add, Update, Delete',
            metadata: [],
            name: 'Provision Azure Active Directory Groups',
            scope: null,
            sourceObjectName: 'Group',
            targetObjectName: 'Group',
          },
        ],
      },
    ],
  };
}
