import { describe, expect, it } from 'vitest';
import { ConfigurationError, IncompleteReadError, PermissionError, type ProgressEvent } from '@claude-idp/core';
import { createAnthropicAdminClient } from './index';
import { consoleMembers, FAST_RETRY, ORG, rows, setup, useMswServer } from './__support__/anthropic-test-support';

const server = useMswServer();

describe('readMembers', () => {
  it('returns users as active and pending invites as invited, with the org id and vendor ids', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const members = await client.readMembers();
    expect(rows(members)).toEqual(rows(consoleMembers()));
    expect(members.every((m) => m.orgId === ORG)).toBe(true);
    const hal = members.find((m) => m.email === 'hal.invited@acme.example')!;
    expect(hal).toMatchObject({ status: 'invited', role: 'developer' });
    expect(hal.id).toBe(fake.invites()[0]!.id);
    expect(members.find((m) => m.email === 'bo.dev@acme.example')!.id).toMatch(/^user_/);
  });

  it('leaves out accepted, deleted and expired invites, and invites already past expires_at', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { fake, client } = setup(server, consoleMembers(), { now: () => now });
    fake.update((s) => {
      s.createInvite('new.one@acme.example', 'user');
      s.createInvite('gone@acme.example', 'user');
      s.createInvite('joins@acme.example', 'user');
    });
    fake.update((s) => s.deleteInvite(s.invites.find((i) => i.email === 'gone@acme.example')!.id));
    fake.acceptInvite('joins@acme.example');
    const emails = (await client.readMembers({ now: () => now })).map((m) => `${m.email}:${m.status}`);
    expect(emails).toContain('new.one@acme.example:invited');
    expect(emails).toContain('joins@acme.example:active');
    expect(emails).not.toContain('gone@acme.example:invited');
    now = new Date('2026-01-23T00:00:00Z'); // 22 days later: every invite has expired
    const later = await client.readMembers({ now: () => now });
    expect(later.filter((m) => m.status === 'invited')).toEqual([]);
    expect(
      fake
        .invites()
        .filter((i) => i.status === 'expired')
        .map((i) => i.email)
        .sort(),
    ).toEqual(['hal.invited@acme.example', 'new.one@acme.example']);
  });

  it('pages users and invites with after_id at the maximum page size, until has_more is false', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      email: `p${i}@acme.example`,
      role: 'user',
      orgId: ORG,
      status: 'active' as const,
    }));
    const invites = Array.from({ length: 4 }, (_, i) => ({
      email: `i${i}@acme.example`,
      role: 'user',
      orgId: ORG,
      status: 'invited' as const,
    }));
    const { fake, client } = setup(server, [...many, ...invites], { pageSizeCap: 3 });
    const events: ProgressEvent[] = [];
    const members = await client.readMembers({ onProgress: (e) => events.push(e) });
    expect(members).toHaveLength(11);
    const userPages = fake.kit.requests.filter((r) => r.pathname === '/v1/organizations/users');
    const invitePages = fake.kit.requests.filter((r) => r.pathname === '/v1/organizations/invites');
    expect(userPages.map((r) => r.query.after_id ?? null)).toEqual([null, fake.users()[2]!.id, fake.users()[5]!.id]);
    expect(invitePages.map((r) => r.query.after_id ?? null)).toEqual([null, fake.invites()[2]!.id]);
    expect([...userPages, ...invitePages].every((r) => r.query.limit === '1000')).toBe(true);
    expect(
      events.filter((e) => e.type === 'page' && e.resource === 'users').map((e) => (e as { total: number }).total),
    ).toEqual([3, 6, 7]);
    expect(fake.kit.count(/\/users\/user_/)).toBe(0); // never one user at a time
  });

  it('sends the key in x-api-key and anthropic-version 2023-06-01', async () => {
    const { fake, client } = setup(server, consoleMembers());
    await client.readMembers();
    for (const r of fake.kit.requests) {
      expect(r.headers['x-api-key']).toBe(fake.env.ANTHROPIC_ADMIN_KEY);
      expect(r.headers['anthropic-version']).toBe('2023-06-01');
    }
  });

  it('asks GET /v1/organizations/me for the org id when none is configured, once', async () => {
    const { fake } = setup(server, consoleMembers());
    const client = createAnthropicAdminClient({ env: { ...fake.env, ANTHROPIC_ORG_ID: '' }, retry: FAST_RETRY });
    await client.readMembers();
    await client.readMembers();
    expect(fake.kit.count(/\/organizations\/me$/)).toBe(1);
    expect(await client.orgId()).toBe(ORG);
  });

  it('names ANTHROPIC_ORG_ID when /organizations/me is refused (Claude Enterprise keys)', async () => {
    const { fake } = setup(server, consoleMembers());
    fake.kit.inject({
      match: /organizations\/me/,
      fault: {
        type: 'status',
        status: 404,
        body: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } },
      },
    });
    const client = createAnthropicAdminClient({ env: { ...fake.env, ANTHROPIC_ORG_ID: '' }, retry: FAST_RETRY });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error) && error.setting).toBe('ANTHROPIC_ORG_ID');
  });

  it('detects a Claude Enterprise org from its roles', async () => {
    const { client } = setup(
      server,
      [
        { email: 'po@acme.example', role: 'primary_owner', status: 'active' },
        { email: 'm@acme.example', role: 'managed', status: 'active' },
      ],
      { orgKind: 'enterprise' },
    );
    expect((await client.readOrgState()).kind).toBe('enterprise');
  });
});

describe('readMembers under faults (SPEC §5, §7)', () => {
  it('waits as retry-after says on a 429 and then reads everything', async () => {
    // core's retry caps a vendor wait at 4 × maxDelayMs; the default policy allows 120 s.
    const { fake, client } = setup(
      server,
      consoleMembers(),
      { throttleRetryAfterSeconds: 1 },
      { retry: { ...FAST_RETRY, maxDelayMs: 2_000 } },
    );
    fake.kit.inject({ match: /\/users/, fault: { type: 'throttle' } });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const members = await client.readMembers({ onProgress: (e) => events.push(e) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(members).toHaveLength(8);
    const throttle = events.find((e) => e.type === 'throttle');
    expect(throttle).toMatchObject({ type: 'throttle', resource: 'GET /v1/organizations/users' });
    expect((throttle as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('retries transient 5xx (including 529 overloaded) and network errors', async () => {
    const { fake, client } = setup(server, consoleMembers());
    fake.kit.inject({
      match: /\/users/,
      fault: {
        type: 'status',
        status: 529,
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      },
    });
    fake.kit.inject({ match: /\/invites/, fault: { type: 'network' } });
    expect(await client.readMembers()).toHaveLength(8);
  });

  it.each([
    ['a persistent 500', { type: 'status' as const, status: 500 }],
    ['a malformed body', { type: 'malformed' as const }],
    ['a cursor that repeats', { type: 'repeatCursor' as const }],
    ['an empty page that claims more', { type: 'emptyPage' as const }],
  ])('fails the whole read on %s, never returning fewer members', async (_name, fault) => {
    const { fake, client } = setup(server, consoleMembers(), { pageSizeCap: 2 });
    fake.kit.inject({ match: /\/users/, fault, after: 1, times: Infinity });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
  });

  it('turns 403 into PermissionError naming the key to use', async () => {
    const { fake, client } = setup(server, consoleMembers());
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 403,
        body: { type: 'error', error: { type: 'permission_error', message: 'not allowed' } },
      },
    });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing.join(' ')).toMatch(
      /Console admin key.*Claude Enterprise key .*read:org_audit/,
    );
  });

  it('answers 401 for a key the org does not know, as PermissionError', async () => {
    const { fake } = setup(server, consoleMembers(), { adminKey: 'sk-ant-admin01-the-only-key' });
    const wrong = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-not-the-right-one' },
      retry: FAST_RETRY,
    });
    const error = await wrong.readMembers().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error) && error.status).toBe(401);
    expect((error as PermissionError).message).toMatch(/authentication_error/);
  });
});

describe('settings', () => {
  it('names ANTHROPIC_ADMIN_KEY when no key is set, at the first call and not before', async () => {
    const client = createAnthropicAdminClient({ env: {} });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error) && error.setting).toBe('ANTHROPIC_ADMIN_KEY');
  });

  it('does not refuse a key by its prefix (Enterprise keys are sk-ant-api01-…), and refuses plain http except on loopback', async () => {
    const { fake } = setup(server, [{ email: 'po@acme.example', role: 'primary_owner', status: 'active' }], {
      orgKind: 'enterprise',
      adminKey: 'sk-ant-api01-enterprise-key',
    });
    const enterprise = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-api01-enterprise-key' },
      retry: FAST_RETRY,
    });
    expect((await enterprise.readMembers()).map((m) => m.role)).toEqual(['primary_owner']);
    expect(
      fake.kit.requests.every(
        (r) => r.headers['x-api-key'] === 'sk-ant-api01-enterprise-key' && r.headers.authorization === undefined,
      ),
    ).toBe(true);
    const http = await createAnthropicAdminClient({
      env: { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-x-key', ANTHROPIC_BASE_URL: 'http://api.example.com' },
    })
      .readMembers()
      .catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(http) && http.setting).toBe('ANTHROPIC_BASE_URL');
  });
});
