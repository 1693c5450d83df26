import { createHash } from 'node:crypto';
import type { FakeOrgStore, FakeSettings } from './anthropic-fake-store';

/**
 * An `actor` as the Compliance activities reference shapes it (api/compliance/activities/list):
 * `user_actor {email_address, user_id, ip_address, user_agent}`, `admin_api_key_actor
 * {admin_api_key_id, ip_address, user_agent}`, `api_actor {api_key_id, ...}`,
 * `scim_directory_sync_actor {directory_id, workos_event_id, idp_connection_type}`.
 */
export type FakeActivityActor = Record<string, unknown> & { type: string };

/** Who made a change through `fake.update`: an admin in the Console (default) or the IdP over SCIM. */
export type FakeActorSpec =
  | { type: 'user'; email?: string; userId?: string }
  | { type: 'scim'; idpConnectionType?: string }
  | FakeActivityActor;

const IP = '192.0.2.10'; // TEST-NET-1
const UA = 'Mozilla/5.0 (claude-idp fake)';
const id22 = (seed: string) => createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, 22);

/** The actor of an Admin API call: the key's id (a digest of the key, never the key itself). */
export function keyActor(key: { key: string; kind: 'console' | 'enterprise' }): FakeActivityActor {
  // Console admin keys act as `admin_api_key_actor`; an Enterprise key is a customer-issued API key
  // (`api_actor`). Which one the live feed records for Enterprise keys is UNVERIFIED.
  return key.kind === 'console'
    ? { type: 'admin_api_key_actor', admin_api_key_id: `apikey_01${id22(key.key)}`, ip_address: IP, user_agent: UA }
    : { type: 'api_actor', api_key_id: `apikey_01${id22(key.key)}`, ip_address: IP, user_agent: UA };
}

export function actorOf(spec: FakeActorSpec | undefined, store: FakeOrgStore): FakeActivityActor {
  if (spec && spec.type !== 'user' && spec.type !== 'scim') return spec as FakeActivityActor;
  if (spec?.type === 'scim')
    return {
      type: 'scim_directory_sync_actor',
      directory_id: `directory_01${id22(store.orgId)}`,
      workos_event_id: `event_01${id22(`${Date.now()}${Math.random()}`)}`,
      idp_connection_type: (spec as { idpConnectionType?: string }).idpConnectionType ?? 'OktaSCIMV2',
    };
  const s = spec as { email?: string; userId?: string } | undefined;
  const admin = store.users.find((u) => store.protectedRoles.includes(u.role));
  return {
    type: 'user_actor',
    email_address: s?.email ?? admin?.email ?? 'admin@example.com',
    user_id: s?.userId ?? admin?.id ?? `user_01${id22('admin')}`,
    ip_address: IP,
    user_agent: UA,
  };
}

/** What `fake.update` compares: users, invite statuses, mode, enforced settings. */
export interface StoreImage {
  users: Map<string, { email: string; role: string }>;
  invites: Map<string, { email: string; role: string; status: string }>;
  mode: string;
  settings: FakeSettings;
}

export function imageOf(store: FakeOrgStore): StoreImage {
  return {
    users: new Map(store.users.map((u) => [u.id, { email: u.email, role: u.role }])),
    invites: new Map(store.invites.map((i) => [i.id, { email: i.email, role: i.role, status: i.status }])),
    mode: store.mode,
    settings: structuredClone(store.settings),
  };
}

type Row = { type: string } & Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const SETTING_NAMES: Record<keyof FakeSettings, string> = {
  ssoEnabled: 'sso_enabled',
  ssoClaudeAiEnforced: 'sso_claude_ai_enforced',
  ssoConsoleEnforced: 'sso_console_enforced',
  directorySyncEnabled: 'directory_sync_enabled',
  allowedInviteDomains: 'allowed_invite_domains',
};

/**
 * The activity rows the feed records for a change from `before` to `after`, with the fields of
 * claude-side.md §5 (activities reference). `scim`: the IdP made the change (adds the
 * `scim_user_*` rows the directory sync writes).
 */
export function rowsForChange(before: StoreImage, after: StoreImage, scim: boolean): Row[] {
  const rows: Row[] = [];
  if (before.mode !== after.mode)
    rows.push({ type: 'org_sso_provisioning_mode_changed', previous_mode: before.mode, new_mode: after.mode });
  const b = before.settings;
  const a = after.settings;
  if (!same(b.ssoEnabled, a.ssoEnabled) && a.ssoEnabled !== undefined)
    rows.push({ type: 'org_sso_toggled', enabled: a.ssoEnabled });
  if (!same(b.directorySyncEnabled, a.directorySyncEnabled) && a.directorySyncEnabled !== undefined)
    rows.push({ type: a.directorySyncEnabled ? 'org_directory_sync_activated' : 'org_directory_sync_deleted' });
  // `updates[]` carries the names of the settings changed; the element shape beyond the name is UNVERIFIED.
  const updates = (['ssoClaudeAiEnforced', 'ssoConsoleEnforced', 'allowedInviteDomains'] as const)
    .filter((k) => !same(b[k], a[k]))
    .map((k) => SETTING_NAMES[k]);
  if (updates.length) rows.push({ type: 'claude_organization_settings_updated', updates });
  for (const [id, u] of after.users) {
    const was = before.users.get(id);
    if (!was || was.role !== u.role)
      rows.push({
        type: 'claude_user_role_updated',
        user_id: id,
        user_email: u.email,
        previous_role: was?.role ?? null,
        current_role: u.role,
      });
    if (scim && !was) rows.push({ type: 'scim_user_created', user_id: id });
    else if (scim && was && (was.email !== u.email || was.role !== u.role))
      rows.push({ type: 'scim_user_updated', user_id: id });
  }
  for (const [id, was] of before.users)
    if (!after.users.has(id)) {
      rows.push({
        type: 'claude_user_role_updated',
        user_id: id,
        user_email: was.email,
        previous_role: was.role,
        current_role: null,
      });
      if (scim) rows.push({ type: 'scim_user_deleted', user_id: id });
    }
  for (const [id, i] of after.invites) {
    const was = before.invites.get(id);
    if (!was)
      rows.push({
        type: 'org_user_invite_sent',
        invited_email: i.email,
        invited_role: i.role,
        invited_seat_tier: null,
        invited_rbac_group_ids: [],
      });
    else if (was.status !== i.status && (i.status === 'accepted' || i.status === 'deleted'))
      // The fields of `org_user_invite_accepted` / `_deleted` are UNVERIFIED: the invitee's email, as on `_sent`.
      rows.push({ type: `org_user_invite_${i.status}`, invited_email: i.email });
  }
  return rows;
}
