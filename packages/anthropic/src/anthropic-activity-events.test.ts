import { describe, expect, it } from 'vitest';
import { ACTIVITY_MEANINGS, activityToWatchEvent, MAPPINGS_STALE, type Activity } from './index';

const ORG_UUID = '9f2c1d7e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
const ORG_ID = 'org_01Wv6QeBcDfGhJkLmNpQrSt8';
const admin = {
  type: 'user_actor',
  email_address: 'ada.admin@acme.example',
  user_id: 'user_01Ada',
  ip_address: '192.0.2.1',
  user_agent: 'ua',
};
const row = (type: string, fields: Record<string, unknown> = {}, actor: Record<string, unknown> = admin): Activity => ({
  id: `activity_01${type}`,
  created_at: '2026-12-06T20:00:00Z',
  organization_id: ORG_ID,
  organization_uuid: ORG_UUID,
  type,
  actor: actor as Activity['actor'],
  ...fields,
});

describe('activityToWatchEvent: one feed row as a WatchEvent', () => {
  it('carries the row id, type and time; source claude', () => {
    const e = activityToWatchEvent(row('org_sso_toggled', { enabled: false }));
    expect(e).toEqual({
      source: 'claude',
      id: 'activity_01org_sso_toggled',
      type: 'org_sso_toggled',
      at: '2026-12-06T20:00:00Z',
      targets: [{ kind: 'claude' }],
      summary: `ada.admin@acme.example turned SSO off in org ${ORG_UUID}`,
    });
  });

  it.each([
    [
      'claude_user_role_updated',
      { user_id: 'user_01E', user_email: 'ed@acme.example', previous_role: 'user', current_role: 'developer' },
      "changed ed@acme.example's role from user to developer",
    ],
    [
      'claude_user_role_updated',
      { user_id: 'user_01E', user_email: 'ed@acme.example', previous_role: null, current_role: 'user' },
      'added ed@acme.example as user',
    ],
    [
      'claude_user_role_updated',
      { user_id: 'user_01E', user_email: 'ed@acme.example', previous_role: 'user', current_role: null },
      'removed ed@acme.example (was user)',
    ],
    [
      'claude_user_seat_tier_updated',
      {
        user_id: 'user_01E',
        user_email: 'ed@acme.example',
        previous_seat_tier: 'standard',
        current_seat_tier: 'premium',
      },
      "changed ed@acme.example's seat tier from standard to premium",
    ],
    [
      'org_user_invite_sent',
      { invited_email: 'new@acme.example', invited_role: 'user', invited_seat_tier: null, invited_rbac_group_ids: [] },
      'invited new@acme.example as user',
    ],
    [
      'org_sso_provisioning_mode_changed',
      { previous_mode: 'login_only', new_mode: 'scim_advanced' },
      'changed the provisioning mode from login_only to scim_advanced',
    ],
    ['org_sso_toggled', { enabled: true }, 'turned SSO on'],
    ['org_sso_seat_tier_assignment_toggled', { enabled: true }, 'turned seat-tier assignment from IdP groups on'],
    [
      'org_sso_seat_tier_mappings_updated',
      { previous_mappings: [], current_mappings: [{ idp_group_name: 'anthropic-premium', seat_tier: 'premium' }] },
      'changed the seat-tier mappings from [none] to [anthropic-premium → premium]',
    ],
    ['org_directory_sync_activated', {}, 'activated directory sync (SCIM)'],
    ['org_directory_sync_deleted', {}, 'deleted directory sync (SCIM)'],
    [
      'org_sso_connection_activated',
      { connection_id: 'conn_1', connection_type: 'OktaSAML' },
      'activated the SSO connection',
    ],
    [
      'claude_organization_settings_updated',
      { updates: ['allowed_invite_domains'] },
      'updated org settings (allowed_invite_domains)',
    ],
    ['scim_user_created', { user_id: 'user_01N' }, 'provisioned user user_01N over SCIM'],
    ['scim_user_deleted', { user_id: 'user_01N' }, 'deprovisioned user user_01N over SCIM'],
    [
      'group_member_added',
      { group_id: 'group_01', member_ids: ['user_01A', 'user_01B'] },
      'added 2 member(s) to group group_01',
    ],
  ])('%s asks for a re-read of the Claude side and says what changed', (type, fields, what) => {
    const e = activityToWatchEvent(row(type, fields));
    expect(e.targets).toEqual([{ kind: 'claude' }]);
    expect(e.summary).toBe(`ada.admin@acme.example ${what} in org ${ORG_UUID}`);
  });

  it('group→role mappings changed: a re-read, and the summary says the config mappings may be stale', () => {
    const e = activityToWatchEvent(row('org_sso_group_role_mappings_updated'));
    expect(e.targets).toEqual([{ kind: 'claude' }]);
    expect(e.summary).toContain('updated the SSO group→role mappings');
    expect(e.summary).toContain("the config's mappings may now be stale");
    expect(e.summary.endsWith(MAPPINGS_STALE)).toBe(true);
  });

  it.each([
    ['org_domain_verified', { domain: 'acme.example' }, 'verified domain acme.example'],
    ['claude_chat_created', {}, 'claude_chat_created (not read by claude-idp)'],
    ['sso_login_succeeded', {}, 'sso_login_succeeded (not read by claude-idp)'],
    ['constructor', {}, 'constructor (not read by claude-idp)'],
  ])('%s asks for nothing', (type, fields, what) => {
    const e = activityToWatchEvent(row(type, fields));
    expect(e.targets).toEqual([]);
    expect(e.summary).toBe(`ada.admin@acme.example ${what} in org ${ORG_UUID}`);
  });

  it('every type in the table says whether it re-reads, and only the access-relevant ones do', () => {
    const rereads = Object.entries(ACTIVITY_MEANINGS)
      .filter(([, m]) => m.reread)
      .map(([t]) => t);
    expect(rereads).toContain('org_sso_group_role_mappings_updated');
    expect(rereads.some((t) => t.startsWith('org_domain_'))).toBe(false);
  });

  it.each([
    [
      { type: 'admin_api_key_actor', admin_api_key_id: 'apikey_01Kx', ip_address: '192.0.2.1', user_agent: 'ua' },
      'Admin API key apikey_01Kx',
    ],
    [
      { type: 'api_actor', api_key_id: 'apikey_01Ky', ip_address: '192.0.2.1', user_agent: 'ua' },
      'API key apikey_01Ky',
    ],
    [
      {
        type: 'scim_directory_sync_actor',
        directory_id: 'directory_01',
        workos_event_id: 'event_01',
        idp_connection_type: 'OktaSCIMV2',
      },
      'directory sync (OktaSCIMV2)',
    ],
    [{ type: 'anthropic_actor', email_address: null }, 'Anthropic'],
    [{ type: 'some_future_actor' }, 'some_future_actor'],
  ])('names the actor by id, never by a key: %o', (actor, name) => {
    const e = activityToWatchEvent(row('org_sso_toggled', { enabled: true }, actor));
    expect(e.summary.startsWith(`${name} turned SSO on`)).toBe(true);
  });

  it('a row of an org not watched asks for nothing and says so; either org id form matches', () => {
    const other = activityToWatchEvent(row('org_sso_toggled', { enabled: true }), {
      organizationIds: ['468ca80f-6b1e-4c52-9d1a-2f3e4b5c6d7e'],
    });
    expect(other.targets).toEqual([]);
    expect(other.summary).toContain('(an org not watched)');
    expect(
      activityToWatchEvent(row('org_sso_toggled'), { organizationIds: [ORG_UUID.toUpperCase()] }).targets,
    ).toHaveLength(1);
    expect(activityToWatchEvent(row('org_sso_toggled'), { organizationIds: [ORG_ID] }).targets).toHaveLength(1);
  });

  it('feed text is made log-safe: no control characters, bounded length', () => {
    const e = activityToWatchEvent(
      row('org_user_invite_sent', {
        invited_email: `evil@acme.example\n2026 FORGED LINE ${'x'.repeat(300)}`,
        invited_role: 'user',
      }),
    );
    expect(e.summary).not.toMatch(/[\n\r]/);
    expect(e.summary.length).toBeLessThan(300);
  });
});
