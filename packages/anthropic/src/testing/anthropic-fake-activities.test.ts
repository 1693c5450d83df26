import { describe, expect, it } from 'vitest';
import { consoleMembers, ORG, setup, useMswServer } from '../__support__/anthropic-test-support';

const server = useMswServer();
const strip = (rows: Array<Record<string, unknown>>) =>
  rows.map(({ id, created_at, organization_id, organization_uuid, actor, ...rest }) => rest);

describe('the fake records every change it models in the activity feed', () => {
  it('API writes: invite, role change, removal, withdrawal; the actor is the key, by id only', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const ed = fake.store.userByEmail('ed.user@acme.example')!.id;
    const invite = await client.endpoints.createInvite('new@acme.example', 'user');
    await client.endpoints.updateUserRole(ed, 'developer');
    await client.endpoints.removeUser(ed);
    await client.endpoints.deleteInvite(invite.id);
    const rows = fake.activities.list();
    expect(strip(rows)).toEqual([
      {
        type: 'org_user_invite_sent',
        invited_email: 'new@acme.example',
        invited_role: 'user',
        invited_seat_tier: null,
        invited_rbac_group_ids: [],
      },
      {
        type: 'claude_user_role_updated',
        user_id: ed,
        user_email: 'ed.user@acme.example',
        previous_role: 'user',
        current_role: 'developer',
      },
      {
        type: 'claude_user_role_updated',
        user_id: ed,
        user_email: 'ed.user@acme.example',
        previous_role: 'developer',
        current_role: null,
      },
      { type: 'org_user_invite_deleted', invited_email: 'new@acme.example' },
    ]);
    for (const r of rows) {
      expect(r.organization_uuid).toBe(ORG);
      expect(r.organization_id).toMatch(/^org_01/);
      expect(Date.parse(String(r.created_at))).not.toBeNaN();
      expect(r.actor).toEqual({
        type: 'admin_api_key_actor',
        admin_api_key_id: expect.stringMatching(/^apikey_01\w{22}$/),
        ip_address: expect.any(String),
        user_agent: expect.any(String),
      });
    }
    expect(JSON.stringify(rows)).not.toContain('fake-key-of-no-value');
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('a refused write records nothing', async () => {
    const { fake, client } = setup(server, consoleMembers(), { mode: 'jit_permissive' });
    await expect(client.endpoints.createInvite('x@acme.example', 'user')).rejects.toThrow();
    expect(fake.activities.list()).toEqual([]);
  });

  it('fake.update: mode, settings, members and invites, as an admin in the Console', () => {
    const { fake } = setup(server, consoleMembers(), { settings: { ssoEnabled: false } });
    fake.update((s) => {
      s.mode = 'jit_permissive';
      s.settings.ssoEnabled = true;
      s.settings.directorySyncEnabled = true;
      s.settings.allowedInviteDomains = ['acme.example'];
      s.users = s.users.filter((u) => u.email !== 'gus.user@acme.example');
      s.users.find((u) => u.email === 'di.user@acme.example')!.role = 'developer';
    });
    const rows = fake.activities.list();
    expect(rows.map((r) => r.type)).toEqual([
      'org_sso_provisioning_mode_changed',
      'org_sso_toggled',
      'org_directory_sync_activated',
      'claude_organization_settings_updated',
      'claude_user_role_updated',
      'claude_user_role_updated',
    ]);
    expect(rows[0]).toMatchObject({ previous_mode: 'login_only', new_mode: 'jit_permissive' });
    expect(rows[1]).toMatchObject({ enabled: true });
    expect(rows[3]).toMatchObject({ updates: ['allowed_invite_domains'] });
    expect(rows[4]).toMatchObject({
      user_email: 'di.user@acme.example',
      previous_role: 'user',
      current_role: 'developer',
    });
    expect(rows[5]).toMatchObject({ user_email: 'gus.user@acme.example', previous_role: 'user', current_role: null });
    expect(rows[0]!.actor).toEqual({
      type: 'user_actor',
      email_address: 'ada.admin@acme.example',
      user_id: fake.store.userByEmail('ada.admin@acme.example')!.id,
      ip_address: expect.any(String),
      user_agent: expect.any(String),
    });
  });

  it('the enforced settings the Compliance API reports follow fake.update', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      orgKind: 'enterprise',
      settings: { ssoEnabled: false },
    });
    fake.update((s) => {
      s.settings.ssoEnabled = true;
    });
    const { settings } = await client.endpoints.getOrgSettings(ORG);
    expect(settings.find((r) => r.name === 'sso_enabled')?.value).toBe(true);
    expect(fake.activities.list().map((r) => r.type)).toEqual(['org_sso_toggled']);
  });

  it('fake.update as the IdP over SCIM adds the scim_user_* rows with a directory-sync actor', () => {
    const { fake } = setup(server, consoleMembers(), { mode: 'scim_permissive' });
    fake.update(
      (s) => {
        s.users.push({
          type: 'user',
          id: 'user_01NEW',
          email: 'new@acme.example',
          name: 'new',
          role: 'user',
          added_at: '2026-12-06T00:00:00Z',
        });
      },
      { type: 'scim', idpConnectionType: 'AzureSCIMV2' },
    );
    const rows = fake.activities.list();
    expect(strip(rows)).toEqual([
      {
        type: 'claude_user_role_updated',
        user_id: 'user_01NEW',
        user_email: 'new@acme.example',
        previous_role: null,
        current_role: 'user',
      },
      { type: 'scim_user_created', user_id: 'user_01NEW' },
    ]);
    expect(rows[0]!.actor).toMatchObject({ type: 'scim_directory_sync_actor', idp_connection_type: 'AzureSCIMV2' });
    expect(rows[0]!.actor).toHaveProperty('directory_id');
    expect(rows[0]!.actor).toHaveProperty('workos_event_id');
  });

  it('acceptInvite: the invitee joins (role row) and the invite is accepted, acted by the invitee', () => {
    const { fake } = setup(server, consoleMembers());
    const user = fake.acceptInvite('hal.invited@acme.example');
    const rows = fake.activities.list();
    expect(rows.map((r) => r.type)).toEqual(['claude_user_role_updated', 'org_user_invite_accepted']);
    expect(rows[0]).toMatchObject({ user_id: user.id, previous_role: null, current_role: 'developer' });
    expect(rows[1]!.actor).toMatchObject({
      type: 'user_actor',
      email_address: 'hal.invited@acme.example',
      user_id: user.id,
    });
  });

  it('an update that changes nothing records nothing; a raw row can be appended', () => {
    const { fake } = setup(server, consoleMembers());
    fake.update(() => undefined);
    expect(fake.activities.list()).toEqual([]);
    const row = fake.activities.append({ type: 'org_sso_group_role_mappings_updated' });
    expect(row).toMatchObject({
      type: 'org_sso_group_role_mappings_updated',
      organization_uuid: ORG,
      actor: { type: 'user_actor' },
    });
    expect(fake.activities.list()).toEqual([row]);
  });
});
