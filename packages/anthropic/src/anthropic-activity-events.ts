import type { ChangeTarget, WatchEvent } from '@claude-idp/core';
import type { Activity } from './anthropic-compliance-schemas';

/**
 * What one Compliance activity type means for `watch`. `reread: true` for the types that change
 * something `readClaudeSide` reads (members and their roles, pending invites, the enforced
 * settings, SCIM groups): they ask for a re-read of the Claude side (`{ kind: 'claude' }`).
 * Everything else (chats, files, logins, billing, domains, ...) asks for nothing.
 *
 * Sources (research notes, claude-side.md §5; docs under https://platform.claude.com/docs/en/):
 * - types and their extra fields: api/compliance/activities/list (the `activity_types[]` enum and
 *   the per-type objects);
 * - the actor union (`user_actor {email_address, user_id}`, `admin_api_key_actor
 *   {admin_api_key_id}`, `api_actor {api_key_id}`, `scim_directory_sync_actor {directory_id,
 *   workos_event_id, idp_connection_type}`, ...): the same reference;
 * - newest first, at-least-once, `first_id` → `before_id` polling: manage-claude/compliance-activity-feed
 *   and manage-claude/compliance-integration-patterns.
 */
export interface ActivityMeaning {
  reread: boolean;
  /** What changed, without the actor: "changed the provisioning mode from X to Y". */
  describe: (a: Activity) => string;
  /** Said after the summary: what the operator must do that a re-read cannot. */
  warning?: string;
}

const s = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  // Log-safe: no control characters, bounded length (a feed row is third-party text).
  const text = (typeof v === 'string' ? v : JSON.stringify(v)).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};
const who = (a: Activity) => s(a.user_email) ?? s(a.user_id) ?? 'a member';
const onOff = (a: Activity) => (a.enabled === true ? 'on' : a.enabled === false ? 'off' : 'on or off');
const list = (v: unknown) =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? s((x as { name?: unknown }).name ?? x) : s(x))) : [];
const mappings = (v: unknown) =>
  Array.isArray(v)
    ? v
        .map((m: { idp_group_name?: unknown; seat_tier?: unknown }) => `${s(m?.idp_group_name)} → ${s(m?.seat_tier)}`)
        .join(', ') || 'none'
    : 'not given';

const reread = (describe: ActivityMeaning['describe']): ActivityMeaning => ({ reread: true, describe });
const ignore = (describe: ActivityMeaning['describe']): ActivityMeaning => ({ reread: false, describe });

/** The mapping-changed summary: the mappings are in no API, so the config's copy can only be re-checked by hand. */
export const MAPPINGS_STALE =
  "the group→role mappings are not in any API, so the config's mappings may now be stale: re-check them against Organization settings > Identity and access";

/** Activity type → what it means for `watch`, in one place. Types not listed ask for nothing. */
export const ACTIVITY_MEANINGS: Readonly<Record<string, ActivityMeaning>> = {
  // Members and roles (`user_id, user_email, previous_role` null = added, `current_role` null = removed).
  claude_user_role_updated: reread((a) =>
    a.previous_role == null
      ? `added ${who(a)} as ${s(a.current_role) ?? 'a member'}`
      : a.current_role == null
        ? `removed ${who(a)} (was ${s(a.previous_role)})`
        : `changed ${who(a)}'s role from ${s(a.previous_role)} to ${s(a.current_role)}`,
  ),
  claude_user_seat_tier_updated: reread(
    (a) =>
      `changed ${who(a)}'s seat tier from ${s(a.previous_seat_tier) ?? 'none'} to ${s(a.current_seat_tier) ?? 'none'}`,
  ),
  org_user_deleted: reread((a) => `removed ${who(a)} from the org`),
  org_user_left: reread((a) => `${who(a)} left the org`),
  primary_owner_transferred: reread(() => 'transferred the Primary Owner role'),
  // Invites (`invited_email, invited_role, invited_seat_tier, invited_rbac_group_ids` on `_sent`).
  org_user_invite_sent: reread(
    (a) => `invited ${s(a.invited_email) ?? 'someone'} as ${s(a.invited_role) ?? 'a member'}`,
  ),
  org_user_invite_accepted: reread((a) => `accepted the invite${a.invited_email ? ` of ${s(a.invited_email)}` : ''}`),
  org_user_invite_deleted: reread((a) => `withdrew the invite${a.invited_email ? ` of ${s(a.invited_email)}` : ''}`),
  org_user_invite_rejected: reread((a) => `rejected the invite${a.invited_email ? ` of ${s(a.invited_email)}` : ''}`),
  // SCIM users (`user_id`).
  scim_user_created: reread((a) => `provisioned user ${s(a.user_id) ?? ''} over SCIM`),
  scim_user_updated: reread((a) => `updated user ${s(a.user_id) ?? ''} over SCIM`),
  scim_user_deleted: reread((a) => `deprovisioned user ${s(a.user_id) ?? ''} over SCIM`),
  // Groups (`group_id, group_name` / `group_id, member_ids`): SCIM groups are the evidence of a pushed group.
  group_created: reread((a) => `created group ${s(a.group_name) ?? s(a.group_id) ?? ''}`),
  group_updated: reread((a) => `updated group ${s(a.group_name) ?? s(a.group_id) ?? ''}`),
  group_deleted: reread((a) => `deleted group ${s(a.group_name) ?? s(a.group_id) ?? ''}`),
  group_member_added: reread(
    (a) =>
      `added ${Array.isArray(a.member_ids) ? a.member_ids.length : 'some'} member(s) to group ${s(a.group_id) ?? ''}`,
  ),
  group_member_removed: reread((a) => `removed member(s) from group ${s(a.group_id) ?? ''}`),
  // Provisioning and SSO (`previous_mode, new_mode`; `enabled`; `connection_id`).
  org_sso_provisioning_mode_changed: reread(
    (a) => `changed the provisioning mode from ${s(a.previous_mode) ?? '?'} to ${s(a.new_mode) ?? '?'}`,
  ),
  org_sso_toggled: reread((a) => `turned SSO ${onOff(a)}`),
  org_sso_connection_activated: reread(() => 'activated the SSO connection'),
  org_sso_connection_deactivated: reread(() => 'deactivated the SSO connection'),
  org_sso_connection_deleted: reread(() => 'deleted the SSO connection'),
  org_directory_sync_activated: reread(() => 'activated directory sync (SCIM)'),
  org_directory_sync_deleted: reread(() => 'deleted directory sync (SCIM)'),
  org_directory_resync_completed: reread(() => 'completed a directory resync'),
  org_sso_seat_tier_assignment_toggled: reread((a) => `turned seat-tier assignment from IdP groups ${onOff(a)}`),
  org_sso_seat_tier_mappings_updated: reread(
    (a) =>
      `changed the seat-tier mappings from [${mappings(a.previous_mappings)}] to [${mappings(a.current_mappings)}]`,
  ),
  org_sso_group_role_mappings_updated: {
    ...reread(() => 'updated the SSO group→role mappings'),
    warning: MAPPINGS_STALE,
  },
  // Enforced settings (`updates[]`, e.g. `allowed_invite_domains`).
  claude_organization_settings_updated: reread((a) => {
    const names = list(a.updates).filter(Boolean);
    return `updated org settings${names.length ? ` (${names.join(', ')})` : ''}`;
  }),
  // Domains: claude-idp reads no verified-domain list (none is in the API), so nothing to re-read.
  org_domain_add_initiated: ignore((a) => `started adding domain ${s(a.domain) ?? ''}`),
  org_domain_verified: ignore((a) => `verified domain ${s(a.domain) ?? ''}`),
  org_domain_removed: ignore((a) => `removed domain ${s(a.domain) ?? ''}`),
  org_directory_sync_add_initiated: ignore(() => 'started setting up directory sync'),
  org_sso_add_initiated: ignore(() => 'started setting up SSO'),
};

/** Who acted, as the row says, by id or email: never a key (rows carry key ids, not keys). */
export function describeActor(actor: Activity['actor']): string {
  if (!actor) return 'someone';
  const a = actor as Record<string, unknown>;
  switch (actor.type) {
    case 'user_actor':
      return s(a.email_address) ?? s(a.user_id) ?? 'a user';
    case 'admin_api_key_actor':
      return `Admin API key ${s(a.admin_api_key_id) ?? ''}`.trim();
    case 'api_actor':
      return `API key ${s(a.api_key_id) ?? ''}`.trim();
    case 'scim_directory_sync_actor':
      return `directory sync${a.idp_connection_type ? ` (${s(a.idp_connection_type)})` : ''}`;
    case 'anthropic_actor':
      return 'Anthropic';
    case 'system_actor':
      return `Claude system${a.service ? ` (${s(a.service)})` : ''}`;
    case 'unauthenticated_user_actor':
      return s(a.unauthenticated_email_address) ?? 'an unauthenticated user';
    case 'service_account_actor':
      return `service account ${s(a.service_account_id) ?? ''}`.trim();
    default:
      return s(actor.type) ?? 'someone';
  }
}

export interface ActivityToWatchEventOptions {
  /**
   * The orgs `watch` reads (bare UUIDs or `org_` ids, as the feed's `organization_uuid` /
   * `organization_id`). A row of another org asks for nothing. Empty or absent: every org.
   */
  organizationIds?: readonly string[];
}

/**
 * One Compliance activity row as a `WatchEvent` (source `claude`, id = the row's `id`, so a
 * redelivered row is dropped). See `ACTIVITY_MEANINGS` for which types ask for a re-read.
 */
export function activityToWatchEvent(activity: Activity, options: ActivityToWatchEventOptions = {}): WatchEvent {
  const meaning = Object.hasOwn(ACTIVITY_MEANINGS, activity.type) ? ACTIVITY_MEANINGS[activity.type] : undefined;
  const org = activity.organization_uuid ?? activity.organization_id ?? null;
  const watched = options.organizationIds?.length ? options.organizationIds.map((o) => o.toLowerCase()) : null;
  const inScope =
    !watched ||
    [activity.organization_uuid, activity.organization_id].some(
      (o) => typeof o === 'string' && watched.includes(o.toLowerCase()),
    );
  const targets: ChangeTarget[] = meaning?.reread && inScope ? [{ kind: 'claude' }] : [];
  const what = meaning ? meaning.describe(activity) : `${s(activity.type)} (not read by claude-idp)`;
  const where = org ? ` in org ${s(org)}` : '';
  const note = meaning?.reread && !inScope ? ' (an org not watched)' : '';
  const warning = meaning?.warning && inScope ? `: ${meaning.warning}` : '';
  return {
    source: 'claude',
    id: activity.id,
    type: activity.type,
    at: activity.created_at ?? null,
    targets,
    summary: `${describeActor(activity.actor)} ${what}${where}${note}${warning}`.replace(/\s+/g, ' ').trim(),
  };
}
