import {
  ApiCallError,
  ClaudeProvisioningModeSchema,
  IncompleteReadError,
  PermissionError,
  type ClaudeOrgFacts,
  type ClaudeOrgSettings,
  type ClaudeSideFacts,
  type Member,
} from '@claude-idp/core';
import { z } from 'zod';
import { PATHS, SCOPE_SCREEN } from './anthropic-api-facts';
import type { ComplianceOrganization, OrgSettings } from './anthropic-compliance-schemas';
import type { AnthropicAdminEndpoints, CallOptions } from './anthropic-endpoints';
import { readOrgState } from './anthropic-read-members';
import type { AnthropicOrgKind } from './anthropic-settings';

/** An org the key cannot read: an error naming the org (CLI exit 3), never an empty member list. */
export class OrgUnreadableError extends IncompleteReadError {
  constructor(
    readonly orgId: string,
    cause: unknown,
  ) {
    super({
      vendor: 'anthropic',
      resource: `org ${orgId}`,
      reason: 'other',
      cause,
      message: `anthropic: the key cannot read org ${orgId}: ${cause instanceof Error ? cause.message : String(cause)}. Use a key that reaches this org (an Enterprise key for all linked orgs, or this org's own key), or remove it from the config.`,
    });
  }
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

/**
 * The enforced settings from Compliance `settings[]` rows. A missing row is "not controllable by
 * the org's admins", not "off": the field stays absent.
 */
export function settingsFromRows(body: OrgSettings): ClaudeOrgSettings {
  const row = (name: string) => body.settings.find((s) => s.name === name)?.value;
  const mode = ClaudeProvisioningModeSchema.safeParse(row('sso_provisioning_mode'));
  const domains = z.array(z.string()).safeParse(row('allowed_invite_domains'));
  const out: ClaudeOrgSettings = { available: true };
  if (mode.success) out.provisioningMode = mode.data;
  const set = (
    k: 'ssoEnabled' | 'ssoClaudeAiEnforced' | 'ssoConsoleEnforced' | 'directorySyncEnabled',
    name: string,
  ) => {
    const v = bool(row(name));
    if (v !== undefined) out[k] = v;
  };
  set('ssoEnabled', 'sso_enabled');
  set('ssoClaudeAiEnforced', 'sso_claude_ai_enforced');
  set('ssoConsoleEnforced', 'sso_console_enforced');
  set('directorySyncEnabled', 'directory_sync_enabled');
  if (domains.success) out.allowedInviteDomains = domains.data;
  if (!mode.success)
    out.note = 'Claude shows no sso_provisioning_mode row for this org (not controllable by its admins)';
  return out;
}

/** Reads one org's enforced settings; unreadable settings are a fact with a note, not an error. */
export async function readSettings(
  endpoints: AnthropicAdminEndpoints,
  orgId: string,
  o?: CallOptions,
): Promise<ClaudeOrgSettings> {
  try {
    return settingsFromRows(await endpoints.getOrgSettings(orgId, o));
  } catch (error) {
    if (ApiCallError.isInstance(error) && error.status === 404) {
      return {
        available: false,
        note: `GET ${PATHS.complianceOrganizations}/${orgId}/settings answered 404: the Compliance settings endpoint is not enabled for this parent (or the org is not under it)`,
      };
    }
    if (PermissionError.isInstance(error))
      return {
        available: false,
        note: `the key may not read Compliance settings: add read:org_audit (or read:compliance_org_data). ${SCOPE_SCREEN}`,
      };
    throw error;
  }
}

async function scimGroups(
  endpoints: AnthropicAdminEndpoints,
  o?: CallOptions,
): Promise<{ names: string[] | null; note?: string }> {
  try {
    const groups = await endpoints.listRbacGroups(o);
    return {
      names: groups
        .filter((g) => g.source_type === 'scim')
        .map((g) => g.name)
        .sort(),
    };
  } catch (error) {
    if (PermissionError.isInstance(error))
      return {
        names: null,
        note: `RBAC groups not readable: add read:org_audit (or read:rbac_groups, on a key for all linked orgs). ${SCOPE_SCREEN}`,
      };
    if (ApiCallError.isInstance(error) && (error.status === 404 || error.status === 400))
      return { names: null, note: 'RBAC groups are not available for this org (Console orgs have none)' };
    throw error;
  }
}

/**
 * The Claude side, read live, per org the key reaches.
 *
 * Which orgs: `GET /v1/organizations/me` names the key's own org (a Console admin key, or an
 * Enterprise key made for one org); the Compliance organizations list names every org under the
 * parent (an Enterprise key for all linked orgs). Reading: whether `/me` answers for an all-orgs
 * key is not documented [I], so both are tried and either may be missing. Members of the key's
 * own org come from the Admin API (users + pending invites); members of other orgs under the
 * parent from the Compliance API's per-org users (no invites there) [I: that Admin API user calls
 * address one org only].
 */
export async function readClaudeSide(args: {
  endpoints: AnthropicAdminEndpoints;
  now: () => Date;
  orgIds?: readonly string[];
  kind?: AnthropicOrgKind;
  options?: CallOptions;
}): Promise<ClaudeSideFacts> {
  const { endpoints, options: o } = args;
  // 403 / 404: this key does not reach that endpoint (e.g. an all-orgs Enterprise key and /me [I]);
  // a 401 is a bad key, and says so at once.
  const notReached = (error: unknown) =>
    (PermissionError.isInstance(error) && error.status === 403) ||
    (ApiCallError.isInstance(error) && (error.status === 404 || error.status === 400));
  const me = await endpoints.getOrganization(o).catch((error: unknown) => {
    if (notReached(error)) return null;
    throw error;
  });
  let tree: ComplianceOrganization[] | null = null;
  try {
    tree = await endpoints.listComplianceOrganizations(o);
  } catch (error) {
    // Console keys reach no Compliance org list; a key without the scope neither.
    if (!notReached(error)) throw error;
  }
  if (!me && !tree)
    throw new PermissionError({
      vendor: 'anthropic',
      missing: ['read:org_audit'],
      message: `anthropic: the key reaches no org: GET ${PATHS.me} and GET ${PATHS.complianceOrganizations} were both refused. Add read:org_audit to the key: ${SCOPE_SCREEN}.`,
    });
  const reached = new Map<string, string | undefined>();
  if (me) reached.set(me.id.toLowerCase(), me.name);
  for (const t of tree ?? []) reached.set(t.uuid.toLowerCase(), t.name);
  const wanted = args.orgIds?.length ? args.orgIds.map((x) => x.toLowerCase()) : [...reached.keys()];
  const groups = tree
    ? await scimGroups(endpoints, o)
    : { names: null, note: 'RBAC groups exist only in Claude Enterprise orgs' };

  const orgs: ClaudeOrgFacts[] = [];
  for (const orgId of wanted) {
    if (!reached.has(orgId))
      throw new OrgUnreadableError(
        orgId,
        new Error(
          `it is neither the key's own org${me ? ` (${me.id})` : ''} nor under its parent${tree ? ` (${tree.map((t) => t.uuid).join(', ') || 'none'})` : ''}`,
        ),
      );
    const own = me !== null && me.id.toLowerCase() === orgId;
    let members: Member[];
    let kind: ClaudeOrgFacts['kind'];
    try {
      if (own) {
        const state = await readOrgState({ endpoints, orgId: me.id, kind: args.kind, now: args.now, options: o });
        members = state.members;
        kind = tree ? 'enterprise' : state.kind;
      } else {
        members = (await endpoints.listComplianceUsers(orgId, o)).map((u) => ({
          email: u.email,
          role: u.organization_role,
          orgId,
          status: 'active' as const,
          id: u.id,
        }));
        kind = 'enterprise';
      }
    } catch (error) {
      throw new OrgUnreadableError(orgId, error);
    }
    const settings = tree
      ? await readSettings(endpoints, orgId, o)
      : { available: false, note: "Console admin keys cannot read Compliance settings: the config's values are used" };
    orgs.push({
      orgId,
      ...(reached.get(orgId) ? { name: reached.get(orgId) } : {}),
      kind,
      settings,
      members,
      invitesRead: own,
      scimGroups: kind === 'enterprise' ? groups.names : null,
      ...(groups.note || kind !== 'enterprise'
        ? { groupsNote: groups.note ?? 'RBAC groups exist only in Claude Enterprise orgs' }
        : {}),
    });
  }
  return {
    schemaVersion: 1,
    readAt: args.now().toISOString(),
    keyKind: tree ? 'enterprise' : me ? (orgs[0]?.kind === 'enterprise' ? 'enterprise' : 'console') : 'unknown',
    orgs,
  };
}
