import Anthropic, { BadRequestError, NotFoundError, PermissionDeniedError, RateLimitError } from '@anthropic-ai/sdk';
import { AlreadyMemberError, InviteAlreadyExistsError } from '@anthropic-ai/sdk/resources/organization/invites';
import { ConcurrentMembershipChangeError } from '@anthropic-ai/sdk/resources/organization/organization';
import { describe, expect, it } from 'vitest';
import { consoleMembers, ORG, useMswServer } from '../__support__/anthropic-test-support';
import { createAnthropicFake, MODE_REFUSALS, type AnthropicFakeOptions } from './index';

const server = useMswServer();

/** The fake driven by the official SDK, the way a user's integration test would call it. */
function sdkAgainst(options: AnthropicFakeOptions, key?: string) {
  const fake = createAnthropicFake({ orgId: ORG, throttleRetryAfterSeconds: 0, ...options });
  server.resetHandlers(...fake.handlers);
  const sdk = new Anthropic({ apiKey: key ?? fake.env.ANTHROPIC_ADMIN_KEY, baseURL: fake.baseUrl, maxRetries: 0 });
  return { fake, sdk };
}

const enterpriseMembers = () => [
  { email: 'po@acme.example', role: 'primary_owner', orgId: ORG, status: 'active' as const },
  { email: 'ma@acme.example', role: 'membership_admin', orgId: ORG, status: 'active' as const },
  { email: 'u1@acme.example', role: 'user', orgId: ORG, status: 'active' as const },
  { email: 'm1@acme.example', role: 'managed', orgId: ORG, status: 'active' as const },
  { email: 'inv@acme.example', role: 'user', orgId: ORG, status: 'invited' as const },
];

describe('the fake, driven by @anthropic-ai/sdk over every endpoint and parameter the package uses', () => {
  it('organization.retrieve, users.list (limit, after_id, email, roles[]), users.retrieve/update/remove', async () => {
    const { fake, sdk } = sdkAgainst({ members: consoleMembers(), pageSizeCap: 3 });
    expect(await sdk.organization.retrieve()).toMatchObject({ id: ORG, type: 'organization' });
    const all = [];
    for await (const u of sdk.organization.users.list({ limit: 1000 })) all.push(u.email);
    expect(all).toHaveLength(7);
    const after = await sdk.organization.users.list({ limit: 2, after_id: fake.users()[1]!.id });
    expect(after.data.map((u) => u.email)).toEqual(
      fake
        .users()
        .slice(2, 4)
        .map((u) => u.email),
    );
    expect((await sdk.organization.users.list({ email: 'BO.DEV+tag@acme.example' })).data.map((u) => u.email)).toEqual([
      'bo.dev@acme.example',
    ]);
    const devs = await sdk.organization.users.list({ roles: ['developer', 'billing'] });
    expect(devs.data.map((u) => u.role).sort()).toEqual(['billing', 'developer', 'developer']);
    const ed = fake.store.userByEmail('ed.user@acme.example')!.id;
    expect((await sdk.organization.users.retrieve(ed)).email).toBe('ed.user@acme.example');
    expect((await sdk.organization.users.update(ed, { role: 'developer' })).role).toBe('developer');
    expect(await sdk.organization.users.remove(ed)).toEqual({ id: ed, type: 'user_deleted' });
    await expect(sdk.organization.users.retrieve(ed)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('invites.list (roles[], statuses[], email), create, retrieve, delete, and typed error codes', async () => {
    const { fake, sdk } = sdkAgainst({ members: consoleMembers() });
    const created = await sdk.organization.invites.create({ email: 'new@acme.example', role: 'developer' });
    expect(created).toMatchObject({
      type: 'invite',
      status: 'pending',
      role: 'developer',
      accepted_at: null,
      rbac_group_ids: [],
    });
    expect((await sdk.organization.invites.retrieve(created.id)).email).toBe('new@acme.example');
    expect(
      (await sdk.organization.invites.list({ statuses: ['pending'], roles: ['developer'] })).data
        .map((i) => i.email)
        .sort(),
    ).toEqual(['hal.invited@acme.example', 'new@acme.example']);
    expect((await sdk.organization.invites.list({ email: 'new@acme.example' })).data).toHaveLength(1);
    const dup = await sdk.organization.invites
      .create({ email: 'new@acme.example', role: 'user' })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(InviteAlreadyExistsError);
    expect((dup as InviteAlreadyExistsError).requestID).toMatch(/^req_/);
    const member = await sdk.organization.invites
      .create({ email: 'bo.dev@acme.example', role: 'user' })
      .catch((e: unknown) => e);
    expect(member).toBeInstanceOf(AlreadyMemberError);
    expect(await sdk.organization.invites.delete(created.id)).toEqual({ id: created.id, type: 'invite_deleted' });
    expect((await sdk.organization.invites.list({ statuses: ['pending'] })).data.map((i) => i.email)).toEqual([
      'hal.invited@acme.example',
    ]);
    expect(fake.writes()).toHaveLength(4);
  });

  it("rbacGroups.list (page cursor) and the Compliance API through the SDK's generic get", async () => {
    const { sdk } = sdkAgainst({
      orgKind: 'enterprise',
      members: enterpriseMembers(),
      pageSizeCap: 1,
      mode: 'scim_advanced',
      settings: { ssoEnabled: true, ssoClaudeAiEnforced: true, directorySyncEnabled: true },
      rbacGroups: [
        { name: 'anthropic-claude-users', source_type: 'scim' },
        { name: 'Hand-made', source_type: 'direct' },
      ],
    });
    const groups = [];
    for await (const g of sdk.organization.rbacGroups.list({ limit: 1 })) groups.push([g.name, g.source_type]);
    expect(groups).toEqual([
      ['anthropic-claude-users', 'scim'],
      ['Hand-made', 'direct'],
    ]);
    const orgs = await sdk.get<{ data: Array<{ uuid: string }> }>('/v1/compliance/organizations');
    expect(orgs.data.map((o) => o.uuid)).toEqual([ORG]);
    const settings = await sdk.get<{ organization_id: string; settings: Array<{ name: string; value: unknown }> }>(
      `/v1/compliance/organizations/${ORG}/settings`,
    );
    expect(Object.fromEntries(settings.settings.map((s) => [s.name, s.value]))).toMatchObject({
      sso_provisioning_mode: 'scim_advanced',
      sso_claude_ai_enforced: true,
      directory_sync_enabled: true,
    });
    const roles: string[] = [];
    let page: string | null | undefined;
    do {
      const users: { data: Array<{ organization_role: string }>; next_page: string | null } = await sdk.get(
        `/v1/compliance/organizations/${ORG}/users`,
        { query: { limit: 100, ...(page ? { page } : {}) } },
      );
      roles.push(...users.data.map((u) => u.organization_role));
      page = users.next_page;
    } while (page);
    expect(roles.sort()).toEqual(['managed', 'membership_admin', 'primary_owner', 'user']);
  });

  it('the activity feed: newest first, before_id polls what is newer', async () => {
    const { fake, sdk } = sdkAgainst({
      members: consoleMembers(),
      activities: [
        { type: 'org_sso_provisioning_mode_changed', previous_mode: 'login_only', new_mode: 'jit_permissive' },
      ],
    });
    const first = await sdk.get<{ data: Array<{ id: string; type: string }>; first_id: string; has_more: boolean }>(
      '/v1/compliance/activities',
      { query: { limit: 10 } },
    );
    expect(first.data.map((a) => a.type)).toEqual(['org_sso_provisioning_mode_changed']);
    await sdk.organization.users.update(fake.store.userByEmail('ed.user@acme.example')!.id, { role: 'developer' });
    await sdk.organization.invites.create({ email: 'n@acme.example', role: 'user' });
    const poll = await sdk.get<{ data: Array<{ type: string; current_role?: string }>; has_more: boolean }>(
      '/v1/compliance/activities',
      { query: { before_id: first.first_id, limit: 1 } },
    );
    expect(poll.data.map((a) => a.type)).toEqual(['claude_user_role_updated']); // the oldest of the newer rows first
    expect(poll.has_more).toBe(true);
    const types = await sdk.get<{ data: Array<{ type: string }> }>('/v1/compliance/activities', {
      query: { 'activity_types[]': 'org_user_invite_sent' },
    });
    expect(types.data.map((a) => a.type)).toEqual(['org_user_invite_sent']);
  });

  it('provisioning modes refuse as documented: a bare 400 with no error_code', async () => {
    const { fake, sdk } = sdkAgainst({ orgKind: 'enterprise', members: enterpriseMembers(), mode: 'scim_advanced' });
    const invite = await sdk.organization.invites
      .create({ email: 'x@acme.example', role: 'user' })
      .catch((e: unknown) => e);
    expect(invite).toBeInstanceOf(BadRequestError);
    expect((invite as BadRequestError).errorCode).toBeNull();
    expect((invite as BadRequestError).apiMessage).toBe(MODE_REFUSALS.invite);
    const u1 = fake.store.userByEmail('u1@acme.example')!.id;
    expect(
      ((await sdk.organization.users.update(u1, { role: 'managed' }).catch((e: unknown) => e)) as BadRequestError)
        .apiMessage,
    ).toBe(MODE_REFUSALS.role);
    expect(((await sdk.organization.users.remove(u1).catch((e: unknown) => e)) as BadRequestError).apiMessage).toBe(
      MODE_REFUSALS.remove,
    );
    const po = fake.store.userByEmail('po@acme.example')!.id;
    expect(await sdk.organization.users.remove(po).catch((e: unknown) => e)).toBeInstanceOf(BadRequestError);
    expect(fake.users()).toHaveLength(4);
  });

  it('scopes per key: a missing scope is 403 naming it; read:org_audit alone reads everything', async () => {
    const keys = [
      { key: 'sk-ant-api01-members-only', kind: 'enterprise' as const, scopes: ['read:members'] },
      { key: 'sk-ant-api01-audit-only', kind: 'enterprise' as const, scopes: ['read:org_audit'] },
    ];
    const { sdk } = sdkAgainst(
      { orgKind: 'enterprise', members: enterpriseMembers(), keys },
      'sk-ant-api01-members-only',
    );
    const denied = await sdk.get(`/v1/compliance/organizations/${ORG}/settings`).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect((denied as PermissionDeniedError).apiMessage).toBe(
      'Missing required scopes. Got: [read:members] Needed: [read:compliance_org_data]',
    );
    const audit = new Anthropic({
      apiKey: 'sk-ant-api01-audit-only',
      baseURL: 'https://api.anthropic.com',
      maxRetries: 0,
    });
    await expect(audit.organization.users.list()).resolves.toBeDefined();
    await expect(audit.get(`/v1/compliance/organizations/${ORG}/settings`)).resolves.toBeDefined();
    await expect(audit.organization.rbacGroups.list()).resolves.toBeDefined();
    await expect(audit.organization.invites.create({ email: 'n@acme.example', role: 'user' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('injected faults answer as the API does: error body, request-id, Date, retry-after on 429', async () => {
    const { fake, sdk } = sdkAgainst({ members: consoleMembers(), throttleRetryAfterSeconds: 7 });
    fake.kit.inject({ fault: { type: 'throttle' } });
    const throttled = (await sdk.organization.users.list().catch((e: unknown) => e)) as RateLimitError;
    expect(throttled).toBeInstanceOf(RateLimitError);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.requestID).toMatch(/^req_/);
    expect(Number.isNaN(Date.parse(throttled.headers.get('date') ?? ''))).toBe(false);
    fake.kit.inject({ fault: { type: 'status', status: 503 } });
    const res = await fetch(`${fake.baseUrl}/v1/organizations/users`, {
      headers: { 'x-api-key': fake.env.ANTHROPIC_ADMIN_KEY!, 'anthropic-version': '2023-06-01' },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('the documented 429 rate limit: more than 100 requests a minute answers rate_limit_error with retry-after', async () => {
    const { sdk } = sdkAgainst({ members: consoleMembers(), requestsPerMinute: 3, throttleRetryAfterSeconds: 60 });
    for (let i = 0; i < 3; i++) await sdk.organization.retrieve();
    const error = (await sdk.organization.retrieve().catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.headers.get('retry-after')).toBe('60');
  });

  it('409 concurrent_membership_change comes back typed', async () => {
    const { fake, sdk } = sdkAgainst({ members: consoleMembers() });
    fake.failNext(/POST \/v1\/organizations\/users\//, 409, 'concurrent_membership_change');
    const error = await sdk.organization.users
      .update(fake.store.userByEmail('ed.user@acme.example')!.id, { role: 'developer' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentMembershipChangeError);
  });

  it('fails loudly on a parameter it does not model (501 naming it), never a 200 with unfiltered data', async () => {
    const { sdk } = sdkAgainst({ members: consoleMembers() });
    const error = (await sdk.organization.users
      .list({ limit: 10, sort: 'email' } as never)
      .catch((e: unknown) => e)) as { status: number; apiMessage: string };
    expect(error.status).toBe(501);
    expect(error.apiMessage).toMatch(/query parameter sort/);
  });
});

describe('the README example', () => {
  it('runs as written: fake.update re-roles a developer (re-roling the admin would throw, as the API refuses it)', () => {
    const fake = createAnthropicFake({
      members: [
        { email: 'ada@acme.com', role: 'admin' },
        { email: 'cy@acme.com', role: 'developer' },
        { email: 'bo@acme.com', role: 'developer', status: 'invited' },
      ],
      orgKind: 'console',
      mode: 'login_only',
    });
    fake.kit.inject({ fault: { type: 'throttle' } });
    fake.failNext(/^POST \/v1\/organizations\/invites$/, 409, 'concurrent_membership_change');
    fake.dropAnswerAfterCommit(/^POST \/v1\/organizations\/invites$/);
    expect(() => fake.update((org) => org.updateRole(org.userByEmail('cy@acme.com')!.id, 'billing'))).not.toThrow();
    expect(fake.store.userByEmail('cy@acme.com')!.role).toBe('billing');
    expect(() => fake.update((org) => org.updateRole(org.userByEmail('ada@acme.com')!.id, 'billing'))).toThrow(
      /admin role cannot be modified/,
    );
    fake.acceptInvite('bo@acme.com');
    expect(fake.members().map((m) => `${m.email} ${m.role}`)).toEqual([
      'ada@acme.com admin',
      'bo@acme.com developer',
      'cy@acme.com billing',
    ]);
  });
});
