import {
  ApiCallError,
  ConfigurationError,
  PermissionError,
  type ClaudeSideFacts,
  type Member,
  type Plan,
  type ProgressEvent,
} from '@claude-idp/core';
import type { ProvisioningModeValue } from './anthropic-api-facts';
import { pollActivities, type ActivityPoll } from './anthropic-activity';
import { applyPlan, type ApplyOptions } from './anthropic-apply';
import { readClaudeSide, readSettings } from './anthropic-claude-side';
import { createEndpoints, type AnthropicAdminEndpoints } from './anthropic-endpoints';
import type { PaceEvent } from './anthropic-pace';
import type { OrgModeSource } from './anthropic-summary';
import { readOrgState, type OrgState } from './anthropic-read-members';
import {
  configuredOrgId,
  resolveConnection,
  type AnthropicAdminSettings,
  type ResolvedConnection,
} from './anthropic-settings';
import type { ApplySummary } from './anthropic-summary';

export interface ReadMembersOptions {
  abortSignal?: AbortSignal;
  /** Pages read, retries, and waits of the pacer (`type: 'throttle'`, `resource: 'anthropic pacing'`). */
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
  /**
   * Everything the Admin and Compliance APIs report, per org the key reaches (or per `orgIds`):
   * members and pending invites, enforced settings, SCIM groups. An org in `orgIds` the key
   * cannot read throws `OrgUnreadableError` naming it.
   */
  readClaudeSide(options?: ReadMembersOptions & { orgIds?: readonly string[] }): Promise<ClaudeSideFacts>;
  /** The Compliance activity feed since `sinceId` (drift watcher): new rows oldest first, and the id to keep. */
  pollActivities(args?: Parameters<typeof pollActivities>[1], options?: ReadMembersOptions): Promise<ActivityPoll>;
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
  // The progress listener of the call in flight: the pacer reports its waits through it.
  let listener: ((e: ProgressEvent) => void) | undefined;
  const onPace = (e: PaceEvent) =>
    listener?.({
      type: 'throttle',
      resource: 'anthropic pacing',
      delayMs: e.waitMs,
      reason:
        e.reason === 'invites-per-hour'
          ? 'pacing under 1,200 invites an hour'
          : 'pacing under 100 requests a minute per org',
    });
  const endpoints = createEndpoints(connection, () => onPace);
  const withListener = async <T>(
    o: { onProgress?: (e: never) => void } | undefined,
    f: () => Promise<T>,
  ): Promise<T> => {
    const before = listener;
    listener = o?.onProgress as ((e: ProgressEvent) => void) | undefined;
    try {
      return await f();
    } finally {
      listener = before;
    }
  };
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
          throw new ConfigurationError({
            setting: 'ANTHROPIC_ORG_ID',
            message:
              'could not tell which org this admin key belongs to (GET /v1/organizations/me was refused); set ANTHROPIC_ORG_ID (or settings.orgId) to the org id',
            cause: error,
          });
        }
        throw error;
      },
    );
    return orgIdPromise;
  };

  const readState = (options: ReadMembersOptions = {}) =>
    withListener(options, async () =>
      readOrgState({ endpoints, orgId: await orgId(options), kind: settings.orgKind, now: options.now, options }),
    );

  /**
   * The enforced mode, read before any write. Settings that cannot be read (404: not enabled;
   * scope missing; no row) fall back to the plan's config mode, and say so. A plan org without a
   * mode is treated as SCIM-advanced: no write is guessed into being allowed.
   */
  const readMode = async (
    id: string,
    planOrg: Plan['orgs'][number] | undefined,
    o: ApplyOptions,
  ): Promise<OrgModeSource> => {
    const s = await readSettings(endpoints, id, { abortSignal: o.abortSignal });
    if (s.available && s.provisioningMode) return { mode: s.provisioningMode, source: 'claude' };
    const fromConfig: ProvisioningModeValue = !planOrg
      ? 'scim_advanced'
      : planOrg.mode === 'manual'
        ? 'login_only'
        : `${planOrg.mode}_${planOrg.mappings ? 'advanced' : 'permissive'}`;
    return {
      mode: fromConfig,
      source: 'config',
      note: `${s.note ?? 'settings not read'}; used the config's mode (${planOrg ? `${planOrg.mode}${planOrg.mappings ? ' with group mappings' : ''}` : 'none: treated as SCIM'})`,
    };
  };

  return {
    endpoints,
    orgId,
    readOrgState: readState,
    readMembers: async (options) => (await readState(options)).members,
    pollActivities: (args = {}, options = {}) => withListener(options, () => pollActivities(endpoints, args, options)),
    readClaudeSide: (options = {}) =>
      withListener(options, () =>
        readClaudeSide({
          endpoints,
          now: options.now ?? (() => new Date()),
          orgIds: options.orgIds,
          kind: settings.orgKind,
          options,
        }),
      ),
    applyPlan: (plan, options = {}) =>
      withListener(options, () =>
        applyPlan(
          {
            endpoints,
            resolveOrgId: async (p, o) => {
              const id = await orgId(o);
              if (!p.orgs.some((x) => x.orgId.toLowerCase() === id.toLowerCase())) {
                throw new ConfigurationError({
                  setting: 'ANTHROPIC_ADMIN_KEY',
                  message: `the admin key belongs to org ${id}, which the plan does not cover (plan orgs: ${p.orgs.map((x) => x.orgId).join(', ') || 'none'}); use that org's key`,
                });
              }
              return id;
            },
            readState: (id, o) =>
              readOrgState({
                endpoints,
                orgId: id,
                kind: settings.orgKind,
                now: o.now,
                options: {
                  abortSignal: o.abortSignal,
                  onProgress: o.onProgress as ((e: ProgressEvent) => void) | undefined,
                },
              }),
            readMode,
            writePolicy: {
              maxRetries: settings.retry?.maxRetries ?? 4,
              initialDelayMs: settings.retry?.initialDelayMs ?? 500,
              maxDelayMs: settings.retry?.maxDelayMs ?? 30_000,
            },
          },
          plan,
          options,
        ),
      ),
  };
}
