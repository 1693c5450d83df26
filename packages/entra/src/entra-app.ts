import { IncompleteReadError, InputError, PermissionError, type SsoSettings } from '@claude-idp/core';
import {
  claimsFromCustomClaimsPolicy,
  claimsFromMappingPolicy,
  ENTRA_DEFAULT_CLAIMS,
  type CustomClaimsPolicy,
  type EntraClaims,
} from './entra-claims';
import { pickJob, type SynchronizationJob, type SynchronizationSchema } from './entra-provisioning';
import { graphGet, listAll, odata, odataString, type GraphReader } from './entra-requests';

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  preferredSingleSignOnMode?: string | null;
  appRoleAssignmentRequired?: boolean | null;
}

export interface Unavailable {
  check: string;
  reason: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SP_SELECT = ['id', 'appId', 'displayName', 'preferredSingleSignOnMode', 'appRoleAssignmentRequired'];

/**
 * The enterprise app is a service principal. A GUID may be its object id or its appId: both
 * documented lookups (`GET /servicePrincipals/{id}` and `$filter=appId eq '…'`) go out together,
 * in one batch; anything else is an exact display name (`$filter=displayName eq '…'`).
 */
export async function findServicePrincipal(reader: GraphReader, app: string): Promise<ServicePrincipal> {
  const grant = ['Application.Read.All'];
  const byFilter = (filter: string) =>
    listAll<ServicePrincipal>(
      reader,
      `/servicePrincipals${odata({ $filter: filter, $select: SP_SELECT, $top: 999 })}`,
      { resource: 'servicePrincipals', grant },
    );
  let found: ServicePrincipal[];
  if (GUID.test(app)) {
    const [byAppId, byId] = await Promise.all([
      byFilter(`appId eq ${odataString(app)}`),
      graphGet(reader, `/servicePrincipals/${app}${odata({ $select: SP_SELECT })}`, {
        resource: 'servicePrincipals',
        grant,
        accept: [400, 404],
      }),
    ]);
    found = byId.status === 200 ? [byId.body as ServicePrincipal] : byAppId;
  } else {
    found = await byFilter(`displayName eq ${odataString(app)}`);
  }
  if (found.length === 1) return found[0]!;
  throw new InputError({
    source: '--app',
    issues: [
      {
        path: 'app',
        expected: found.length
          ? `one enterprise app, but ${found.length} are named so (object ids ${found.map((s) => s.id).join(', ')}); pass the object id or appId`
          : 'the object id, appId or exact display name of an enterprise app (service principal) in the tenant',
        received: JSON.stringify(app),
      },
    ],
  });
}

/** Assignments: `appRoleAssignedTo`, users and groups (client service principals are not people). */
export async function readAssignments(reader: GraphReader, sp: ServicePrincipal) {
  const path = `/servicePrincipals/${sp.id}/appRoleAssignedTo${odata({ $select: ['principalId', 'principalType', 'principalDisplayName'], $top: 999, $count: true })}`;
  const rows = await listAll<{ principalId: string; principalType: string; principalDisplayName: string | null }>(
    reader,
    path,
    { resource: 'appRoleAssignedTo', grant: ['Application.Read.All'], count: true },
  );
  const userIds = new Set<string>();
  const groups = new Map<string, string>();
  for (const r of rows) {
    if (r.principalType === 'User') userIds.add(r.principalId);
    else if (r.principalType === 'Group') groups.set(r.principalId, r.principalDisplayName ?? '');
  }
  return { userIds, groups };
}

/**
 * SSO: `preferredSingleSignOnMode`, then the claims. A v1.0 claims-mapping policy, when one is
 * assigned, overrides everything; otherwise the beta custom claims policy (the portal's
 * "Attributes & Claims"); 404 there means nothing was customised, so Entra's defaults apply.
 * Reading either policy can need permissions beyond the rest of the read (the mapping policy
 * wants Policy.Read.All + Application.ReadWrite.OwnedBy): a 403 there is reported as a check
 * the read could not make (`unavailable`), not a failed read.
 */
export async function readSso(
  reader: GraphReader,
  sp: ServicePrincipal,
): Promise<{ sso: SsoSettings | null; unavailable: Unavailable[] }> {
  const unavailable: Unavailable[] = [];
  const forbidden = (check: string, grant: string) => (error: unknown) => {
    if (!PermissionError.isInstance(error) || error.status !== 403) throw error;
    unavailable.push({
      check,
      reason: `Microsoft Graph refused to read the ${check === 'sso' ? 'custom claims policy' : 'claims-mapping policy'} (HTTP 403); grant ${grant} to check it`,
    });
    return null;
  };
  const [custom, mapping] = await Promise.all([
    graphGet(reader, `/servicePrincipals/${sp.id}/claimsPolicy`, {
      version: 'beta',
      resource: 'claimsPolicy',
      grant: ['Policy.Read.ApplicationConfiguration'],
      accept: [400, 404],
    }).catch(forbidden('sso', 'Policy.Read.ApplicationConfiguration')),
    listAll<{ definition?: string[] }>(reader, `/servicePrincipals/${sp.id}/claimsMappingPolicies`, {
      resource: 'claimsMappingPolicies',
      grant: ['Policy.Read.All', 'Application.ReadWrite.OwnedBy'],
    }).catch(forbidden('sso.claimsMappingPolicy', 'Policy.Read.All and Application.ReadWrite.OwnedBy')),
  ]);
  let claims: EntraClaims | null;
  const definition = mapping?.[0]?.definition?.[0];
  if (definition) claims = parseOrThrow(() => claimsFromMappingPolicy(definition), 'claimsMappingPolicies');
  else if (!custom) claims = null;
  else if (custom.status === 404) claims = ENTRA_DEFAULT_CLAIMS;
  else if (custom.status === 400) {
    // The beta segment is missing in some national clouds: the claims cannot be read there.
    unavailable.push({ check: 'sso', reason: 'this cloud does not offer the beta claimsPolicy endpoint' });
    claims = null;
  } else claims = claimsFromCustomClaimsPolicy(custom.body as CustomClaimsPolicy);
  const mode = (sp.preferredSingleSignOnMode ?? '').toLowerCase();
  const protocol = mode === 'saml' || mode === 'oidc' ? mode : null;
  return { sso: claims ? { protocol, ...claims } : null, unavailable };
}

/** Provisioning: the synchronization job (template, schedule, status) and that job's schema. */
export async function readProvisioning(
  reader: GraphReader,
  sp: ServicePrincipal,
): Promise<{ job: SynchronizationJob | undefined; schema: SynchronizationSchema | null }> {
  const grant = ['Synchronization.Read.All'];
  const jobs = await listAll<SynchronizationJob>(reader, `/servicePrincipals/${sp.id}/synchronization/jobs`, {
    resource: 'synchronization/jobs',
    grant,
  });
  const job = pickJob(jobs);
  if (!job) return { job, schema: null };
  const answer = await graphGet(
    reader,
    `/servicePrincipals/${sp.id}/synchronization/jobs/${encodeURIComponent(job.id)}/schema`,
    { resource: 'synchronization/schema', grant },
  );
  return { job, schema: (answer.body ?? null) as SynchronizationSchema | null };
}

function parseOrThrow<T>(parse: () => T, resource: string): T {
  try {
    return parse();
  } catch (error) {
    throw new IncompleteReadError({
      vendor: 'entra',
      resource,
      reason: 'malformed-response',
      message: `entra: ${resource} holds a definition that is not valid JSON`,
      cause: error,
    });
  }
}
