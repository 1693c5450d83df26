import { ApiCallError, ConfigurationError, PermissionError, type Member, type Plan, type ProgressEvent } from '@claude-idp/core';
import { applyPlan, type ApplyOptions } from './anthropic-apply';
import { createEndpoints, type AnthropicAdminEndpoints } from './anthropic-endpoints';
import { readOrgState, type OrgState } from './anthropic-read-members';
import { configuredOrgId, resolveConnection, type AnthropicAdminSettings, type ResolvedConnection } from './anthropic-settings';
import type { ApplySummary } from './anthropic-summary';

export interface ReadMembersOptions {
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Clock for invite expiry. */
  now?: () => Date;
}

export interface AnthropicAdminClient {
  /** Users and pending invites of the key's org as SPEC §4 members (`status` active / invited, `orgId`, vendor `id`). */
  readMembers(options?: ReadMembersOptions): Promise<Member[]>;
  /** Users, pending invites, org kind and members, as read. */
  readOrgState(options?: ReadMembersOptions): Promise<OrgState>;
  /** See `applyPlan` and the README: guards, freshness, idempotent execution, audit trail. */
  applyPlan(plan: Plan | unknown, options?: ApplyOptions): Promise<ApplySummary>;
  /** The org this key belongs to (settings / `ANTHROPIC_ORG_ID`, else `GET /v1/organizations/me`). */
  orgId(options?: { abortSignal?: AbortSignal }): Promise<string>;
  /** The raw endpoints, in the vendor's shapes. */
  readonly endpoints: AnthropicAdminEndpoints;
}

/**
 * The Anthropic Admin API client. Nothing is read or checked at construction: the key, base URL
 * and org id are resolved at the first call (SPEC §7), so creating a client never throws.
 */
export function createAnthropicAdminClient(settings: AnthropicAdminSettings = {}): AnthropicAdminClient {
  let conn: ResolvedConnection | undefined;
  const connection = () => (conn ??= resolveConnection(settings));
  const endpoints = createEndpoints(connection);
  let orgIdPromise: Promise<string> | undefined;

  const orgId = (options: { abortSignal?: AbortSignal } = {}) => {
    connection(); // a missing key is reported before the org id
    const configured = configuredOrgId(settings);
    if (configured) return Promise.resolve(configured);
    orgIdPromise ??= endpoints.getOrganization(options).then(
      (org) => org.id,
      (error: unknown) => {
        orgIdPromise = undefined;
        // An admin key belongs to one org; which one is asked from the API. Claude Enterprise
        // keys may not reach /organizations/me (UNVERIFIED), so name the setting that avoids it.
        if (PermissionError.isInstance(error) || (ApiCallError.isInstance(error) && error.status === 404)) {
          throw new ConfigurationError({ setting: 'ANTHROPIC_ORG_ID', message: 'could not tell which org this admin key belongs to (GET /v1/organizations/me was refused); set ANTHROPIC_ORG_ID (or settings.orgId) to the org id', cause: error });
        }
        throw error;
      },
    );
    return orgIdPromise;
  };

  const readState = async (options: ReadMembersOptions = {}) => readOrgState({ endpoints, orgId: await orgId(options), kind: settings.orgKind, now: options.now, options });

  return {
    endpoints,
    orgId,
    readOrgState: readState,
    readMembers: async (options) => (await readState(options)).members,
    applyPlan: (plan, options = {}) =>
      applyPlan(
        {
          endpoints,
          resolveOrgId: async (p, o) => {
            const id = await orgId(o);
            if (!p.orgs.some((x) => x.orgId.toLowerCase() === id.toLowerCase())) {
              throw new ConfigurationError({ setting: 'ANTHROPIC_ADMIN_KEY', message: `the admin key belongs to org ${id}, which the plan does not cover (plan orgs: ${p.orgs.map((x) => x.orgId).join(', ') || 'none'}); use that org's key` });
            }
            return id;
          },
          readState: (id, o) => readOrgState({ endpoints, orgId: id, kind: settings.orgKind, now: o.now, options: o }),
        },
        plan,
        options,
      ),
  };
}
