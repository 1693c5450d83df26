import { describe, expect, it } from 'vitest';
import { ApiCallError, PermissionError, type Member } from '@claude-idp/core';
import { runOps } from './anthropic-execute';
import type { AnthropicAdminEndpoints } from './anthropic-endpoints';
import type { ProgressEvent } from '@claude-idp/core';
import { createAnthropicAdminClient } from './index';
import {
  buildPlan,
  consoleMembers,
  FAST_RETRY,
  ORG,
  rows,
  setup,
  useMswServer,
  type ActionSpec,
} from './__support__/anthropic-test-support';

const server = useMswServer();
const LIMITS = { maxDeprovision: '100%' };

const enterprise = (): Member[] => [
  { email: 'po@acme.example', role: 'primary_owner', orgId: ORG, status: 'active' },
  { email: 'ma@acme.example', role: 'membership_admin', orgId: ORG, status: 'active' },
  { email: 'u1@acme.example', role: 'user', orgId: ORG, status: 'active' },
  { email: 'stale@acme.example', role: 'user', orgId: ORG, status: 'active' },
  { email: 'm1@acme.example', role: 'managed', orgId: ORG, status: 'active' },
];
const ACTIONS: ActionSpec[] = [
  { email: 'new@acme.example', action: 'provision', to: 'user' },
  { email: 'u1@acme.example', action: 'changeRole', from: 'user', to: 'managed' },
  { email: 'stale@acme.example', action: 'deprovision', from: 'user' },
  { email: 'po@acme.example', action: 'deprovision', from: 'primary_owner' },
];

describe('apply decides by the enforced provisioning mode before sending (Compliance settings)', () => {
  it('SCIM: no write is sent; each action says "handled by SCIM" with the IdP-side fix', async () => {
    const { fake, client } = setup(server, enterprise(), { orgKind: 'enterprise', mode: 'scim_advanced' });
    const s = await client.applyPlan(buildPlan(enterprise(), [{ orgId: ORG, actions: ACTIONS }]), { limits: LIMITS });
    expect(fake.writes()).toEqual([]);
    expect(s.orgMode).toEqual({ mode: 'scim_advanced', source: 'claude' });
    expect(s.skipped.map((r) => [r.email, r.code])).toEqual([
      ['new@acme.example', 'HANDLED_BY_SCIM'],
      ['u1@acme.example', 'HANDLED_BY_SCIM'],
      ['stale@acme.example', 'HANDLED_BY_SCIM'],
    ]);
    expect(s.skipped[0]!.reason).toMatch(/assign new@acme\.example to the Claude app/);
    expect(s.manual.map((r) => [r.email, r.code])).toEqual([['po@acme.example', 'ADMIN_ROLE']]);
  });

  it('JIT permissive: no invites (created at login), role changes and stale-member removals are sent', async () => {
    const { fake, client } = setup(server, enterprise(), { orgKind: 'enterprise', mode: 'jit_permissive' });
    const s = await client.applyPlan(buildPlan(enterprise(), [{ orgId: ORG, actions: ACTIONS }]), { limits: LIMITS });
    expect(fake.writes().map((w) => w.method)).toEqual(['POST', 'DELETE']);
    expect(s.skipped.map((r) => [r.email, r.code])).toEqual([['new@acme.example', 'HANDLED_BY_JIT']]);
    expect(s.done.map((r) => r.email)).toEqual(['u1@acme.example', 'stale@acme.example']);
    expect(rows(fake.members())).not.toContain('stale@acme.example user active');
  });

  it('JIT advanced: only the stale-member removals are sent (roles come from the group mappings)', async () => {
    const { fake, client } = setup(server, enterprise(), { orgKind: 'enterprise', mode: 'jit_advanced' });
    const s = await client.applyPlan(buildPlan(enterprise(), [{ orgId: ORG, actions: ACTIONS }]), { limits: LIMITS });
    expect(fake.writes().map((w) => `${w.method} ${w.pathname}`)).toEqual([
      `DELETE /v1/organizations/users/${s.done[0]!.before!.id}`,
    ]);
    expect(s.done.map((r) => r.email)).toEqual(['stale@acme.example']);
    expect(s.skipped.map((r) => r.code)).toEqual(['HANDLED_BY_JIT', 'HANDLED_BY_JIT']);
  });

  it("settings not enabled (404): says so and uses the config's mode from the plan", async () => {
    const { fake, client } = setup(server, enterprise(), { orgKind: 'enterprise', settingsEnabled: false });
    const plan = buildPlan(enterprise(), [{ orgId: ORG, actions: ACTIONS.slice(0, 3) }]);
    const s = await client.applyPlan(plan, { limits: LIMITS });
    expect(s.orgMode.source).toBe('config');
    expect(s.orgMode.mode).toBe('login_only');
    expect(s.orgMode.note).toMatch(/404.*not enabled.*used the config's mode \(manual\)/);
    expect(fake.writes()).toHaveLength(3);
  });

  it('a plan org without a mode and unreadable settings is treated as SCIM: nothing is guessed into being sent', async () => {
    const { fake, client } = setup(server, enterprise(), { orgKind: 'enterprise', settingsEnabled: false });
    const plan = buildPlan(enterprise(), [{ orgId: ORG, actions: ACTIONS.slice(0, 3) }]);
    const modeless = { ...plan, orgs: plan.orgs.map((o) => ({ ...o, orgId: 'another-org' })) };
    // The key's org is not in this plan: the apply refuses before any write.
    await expect(client.applyPlan(modeless, { limits: LIMITS })).rejects.toThrow(/does not cover/);
    expect(fake.writes()).toEqual([]);
  });
});

describe('writes are never duplicated by retries', () => {
  it('an invite whose answer is lost after the API committed it is found by a re-read: one invite, counted done', async () => {
    const { fake, client } = setup(server, consoleMembers());
    fake.dropAnswerAfterCommit(/^POST \/v1\/organizations\/invites$/);
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [
        { orgId: ORG, actions: [{ email: 'ivy.new@acme.example', action: 'provision', to: 'developer' }] },
      ]),
    );
    expect(s.done.map((r) => r.email)).toEqual(['ivy.new@acme.example']);
    expect(fake.writes()).toHaveLength(1);
    expect(fake.invites().filter((i) => i.email === 'ivy.new@acme.example')).toHaveLength(1);
    expect(s.done[0]!.after?.id).toBe(fake.invites().find((i) => i.email === 'ivy.new@acme.example')!.id);
  });

  it.each([
    [503, 'change_outcome_unknown'],
    [403, 'api_key_requester_unconfirmed'],
    [409, 'concurrent_membership_change'],
  ] as const)('%i %s: resent only after the change is not found', async (status, code) => {
    const { fake, client } = setup(server, consoleMembers());
    fake.failNext(/^POST \/v1\/organizations\/invites$/, status, code);
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [
        { orgId: ORG, actions: [{ email: 'ivy.new@acme.example', action: 'provision', to: 'developer' }] },
      ]),
    );
    expect(s.done).toHaveLength(1);
    expect(fake.writes()).toHaveLength(2);
    expect(fake.invites().filter((i) => i.email === 'ivy.new@acme.example')).toHaveLength(1);
    const rereads = fake.kit.requests.filter((r) => r.method === 'GET' && r.query.email === 'ivy.new@acme.example');
    expect(rereads.length > 0).toBe(code !== 'concurrent_membership_change');
  });

  it('invite_already_exists: re-read, and counted done when the invite is there', async () => {
    const invite = {
      type: 'invite' as const,
      id: 'invite_X',
      email: 'a@acme.example',
      role: 'user',
      status: 'pending' as const,
      invited_at: '',
      expires_at: '',
    };
    let posts = 0;
    const endpoints = {
      createInvite: async () => {
        posts++;
        throw new ApiCallError({
          vendor: 'anthropic',
          message: 'exists',
          url: '/v1/organizations/invites',
          method: 'POST',
          status: 400,
          responseBody: JSON.stringify({
            type: 'error',
            error: {
              type: 'invalid_request_error',
              message: 'exists',
              details: { error_code: 'invite_already_exists' },
            },
          }),
        });
      },
      findPendingInvites: async () => [invite],
      findUsers: async () => [],
    } as unknown as AnthropicAdminEndpoints;
    expect(await runOps(endpoints, [{ type: 'createInvite', email: 'a@acme.example', role: 'user' }], {})).toEqual({
      newId: 'invite_X',
    });
    expect(posts).toBe(1);
  });
});

describe('pacing under the documented limits, with progress', () => {
  it('never sends more than the per-minute limit in a window, and reports each wait', async () => {
    const { fake } = setup(server, consoleMembers(), { pageSizeCap: 2 });
    const client = createAnthropicAdminClient({
      env: fake.env,
      retry: FAST_RETRY,
      pace: { requestsPerMinute: 3, windowMs: 150 },
    });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    await client.readMembers({ onProgress: (e) => events.push(e) });
    expect(fake.kit.requests.length).toBe(5); // 4 user pages + 1 invite page: more than 3 in one window
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(events.some((e) => e.type === 'throttle' && e.resource === 'anthropic pacing')).toBe(true);
  });

  it('paces invites under the hourly limit', async () => {
    const { fake } = setup(server, consoleMembers());
    const client = createAnthropicAdminClient({
      env: fake.env,
      retry: FAST_RETRY,
      pace: { invitesPerHour: 1, inviteWindowMs: 200 },
    });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [
        {
          orgId: ORG,
          actions: [
            { email: 'a1@acme.example', action: 'provision', to: 'user' },
            { email: 'a2@acme.example', action: 'provision', to: 'user' },
          ],
        },
      ]),
      { onProgress: (e) => events.push(e as ProgressEvent) },
    );
    expect(s.done).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(events.some((e) => e.type === 'throttle' && /1,200 invites/.test(e.reason))).toBe(true);
  });
});

describe('a missing scope', () => {
  it('is a PermissionError naming the scope and where the Primary Owner adds it', async () => {
    const { fake } = setup(server, enterprise(), {
      orgKind: 'enterprise',
      keys: [{ key: 'sk-ant-api01-no-members', kind: 'enterprise', scopes: ['read:compliance_activities'] }],
    });
    const client = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-api01-no-members' },
      retry: FAST_RETRY,
    });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual(['read:members']);
    expect((error as PermissionError).message).toMatch(
      /Add the scope read:members to the key: claude\.ai > Organization settings > API/,
    );
    expect((error as PermissionError).message).not.toContain('sk-ant-api01-no-members');
  });
});
