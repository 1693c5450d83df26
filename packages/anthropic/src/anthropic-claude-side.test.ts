import { describe, expect, it } from 'vitest';
import { ClaudeSideFactsSchema, IncompleteReadError, PermissionError, type Member } from '@claude-idp/core';
import { createAnthropicAdminClient, OrgUnreadableError } from './index';
import { consoleMembers, FAST_RETRY, ORG, OTHER_ORG, setup, useMswServer } from './__support__/anthropic-test-support';

const server = useMswServer();
const now = () => new Date('2026-08-22T00:00:00Z');
const enterprise = (): Member[] => [
  { email: 'po@acme.example', role: 'primary_owner', orgId: ORG, status: 'active' },
  { email: 'ma@acme.example', role: 'membership_admin', orgId: ORG, status: 'active' },
  { email: 'm1@acme.example', role: 'managed', orgId: ORG, status: 'active' },
  { email: 'inv@acme.example', role: 'user', orgId: ORG, status: 'invited' },
];

describe('readClaudeSide: the Claude side read live, per org', () => {
  it('an Enterprise key for all linked orgs: members and invites, enforced settings, SCIM groups, and the other orgs under the parent', async () => {
    const { client } = setup(
      server,
      enterprise(),
      {
        orgKind: 'enterprise',
        mode: 'scim_advanced',
        settings: { ssoEnabled: true, ssoClaudeAiEnforced: true, directorySyncEnabled: true },
        rbacGroups: [
          { name: 'anthropic-claude-users', source_type: 'scim' },
          { name: 'Pilot', source_type: 'direct' },
        ],
        linkedOrgs: [
          {
            uuid: OTHER_ORG,
            name: 'Acme Research',
            mode: 'jit_permissive',
            users: [{ email: 'r@acme.example', role: 'user' }],
          },
        ],
        keys: [{ key: 'sk-ant-api01-audit', kind: 'enterprise', scopes: ['read:org_audit'] }],
      },
      { adminKey: 'sk-ant-api01-audit' },
    );
    const facts = await client.readClaudeSide({ now });
    expect(ClaudeSideFactsSchema.parse(facts)).toEqual(facts);
    expect(facts.keyKind).toBe('enterprise');
    const [own, other] = facts.orgs;
    expect(own).toMatchObject({
      orgId: ORG,
      kind: 'enterprise',
      invitesRead: true,
      scimGroups: ['anthropic-claude-users'],
      settings: {
        available: true,
        provisioningMode: 'scim_advanced',
        ssoClaudeAiEnforced: true,
        directorySyncEnabled: true,
      },
    });
    expect(own!.members.map((m) => `${m.email} ${m.role} ${m.status}`)).toEqual([
      'inv@acme.example user invited',
      'm1@acme.example managed active',
      'ma@acme.example membership_admin active',
      'po@acme.example primary_owner active',
    ]);
    expect(other).toMatchObject({
      orgId: OTHER_ORG,
      name: 'Acme Research',
      invitesRead: false,
      settings: { provisioningMode: 'jit_permissive' },
    });
    expect(other!.members.map((m) => m.email)).toEqual(['r@acme.example']);
  });

  it('an org the key cannot read is an error naming it, never an empty member list', async () => {
    const { client } = setup(server, enterprise(), { orgKind: 'enterprise' });
    const error = await client.readClaudeSide({ orgIds: [ORG, 'org-not-reached'], now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgUnreadableError);
    expect(IncompleteReadError.isInstance(error)).toBe(true); // CLI exit 3
    expect((error as Error).message).toMatch(/cannot read org org-not-reached/);
  });

  it('a Console admin key: its one org, settings not readable (said so), no RBAC groups', async () => {
    const { client } = setup(server, consoleMembers());
    const facts = await client.readClaudeSide({ now });
    expect(facts.keyKind).toBe('console');
    expect(facts.orgs).toHaveLength(1);
    expect(facts.orgs[0]).toMatchObject({
      orgId: ORG,
      kind: 'console',
      scimGroups: null,
      settings: { available: false },
    });
    expect(facts.orgs[0]!.settings.note).toMatch(/Console admin keys cannot read Compliance settings/);
  });

  it('settings not enabled (404) are a fact with a note, not an error', async () => {
    const { client } = setup(server, enterprise(), { orgKind: 'enterprise', settingsEnabled: false });
    const facts = await client.readClaudeSide({ now });
    expect(facts.orgs[0]!.settings).toMatchObject({ available: false });
    expect(facts.orgs[0]!.settings.note).toMatch(/404.*not enabled/);
  });

  it('a key that reaches no org names read:org_audit', async () => {
    const { fake } = setup(server, enterprise(), {
      orgKind: 'enterprise',
      keys: [{ key: 'sk-ant-api01-feed-only', kind: 'enterprise', scopes: ['read:compliance_activities'] }],
    });
    const client = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-api01-feed-only' },
      retry: FAST_RETRY,
    });
    const error = await client.readClaudeSide({ now }).catch((e: unknown) => e);
    expect(PermissionError.isInstance(error) && error.missing).toEqual(['read:org_audit']);
  });

  it('a key the API does not know is a 401 PermissionError at once, not "reaches no org"', async () => {
    const { fake } = setup(server, enterprise(), { orgKind: 'enterprise', adminKey: 'sk-ant-api01-the-only-key' });
    const client = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-api01-wrong' },
      retry: FAST_RETRY,
    });
    const error = await client.readClaudeSide({ now }).catch((e: unknown) => e);
    expect(PermissionError.isInstance(error) && error.status).toBe(401);
    expect(fake.kit.requests).toHaveLength(1);
  });
});

describe('pollActivities: the Compliance activity feed since the last poll', () => {
  it('keeps first_id, pages with before_id until has_more is false, oldest first, each row once', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [{ type: 'org_sso_toggled', enabled: true }],
    });
    const start = await client.pollActivities();
    expect(start.activities.map((a) => a.type)).toEqual(['org_sso_toggled']);
    const ed = fake.store.userByEmail('ed.user@acme.example')!.id;
    await client.endpoints.updateUserRole(ed, 'developer');
    await client.endpoints.createInvite('n4@acme.example', 'user');
    await client.endpoints.removeUser(ed);
    const next = await client.pollActivities({ sinceId: start.firstId, limit: 1 });
    expect(next.activities.map((a) => a.type)).toEqual([
      'claude_user_role_updated',
      'org_user_invite_sent',
      'claude_user_role_updated',
    ]);
    expect(next.activities.at(-1)).toMatchObject({ previous_role: 'developer', current_role: null });
    expect(
      fake.kit.requests.filter((r) => r.pathname === '/v1/compliance/activities').map((r) => r.query.before_id ?? null),
    ).toEqual([null, start.firstId, next.activities[0]!.id, next.activities[1]!.id]);
    expect((await client.pollActivities({ sinceId: next.firstId })).activities).toEqual([]);
  });
});
