import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IncompleteReadError, InputError, PermissionError } from '@claude-idp/core';
import { runAdapterConformance, runFaultMatrix } from '@claude-idp/core/conformance';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import countUnsupported from './__fixtures__/entra-error-400.json';
import forbidden from './__fixtures__/entra-error-403.json';
import { createEntraAdapter } from './index';
import { createEntraFake, type EntraFake } from './testing';

const args = {
  name: 'entra',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createEntraFake(tenant, o),
  createAdapter: (fake: EntraFake, o: { timeoutMs?: number; retry?: object }) =>
    createEntraAdapter({ env: fake.env, ...o }),
  appId: (fake: EntraFake) => fake.appId,
};

runAdapterConformance({
  ...args,
  // Entra nests groups; access through a group reaches direct members only, and the snapshot keeps nested groups.
  nesting: true,
  login: 'login',
  fields: { email: 'user.mail', login: 'user.userPrincipalName' },
  // Entra shows only accountEnabled: every generic status but active is a disabled account, i.e. suspended.
  status: (s) => (s === 'active' ? 'active' : 'suspended'),
  perUserRequest: /\/users\/[^/]+$/,
});

runFaultMatrix(args);

describe('entra: permissions and Graph specifics', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const denied = { type: 'status' as const, status: 403, body: forbidden };

  const setup = () => {
    const fake = createEntraFake(conformanceTenant());
    server.resetHandlers(...fake.handlers);
    return { fake, adapter: createEntraAdapter({ env: fake.env, retry: { initialDelayMs: 1, maxDelayMs: 5 } }) };
  };

  it('403 Authorization_RequestDenied on group members is a PermissionError naming GroupMember.Read.All', async () => {
    const { fake, adapter } = setup();
    fake.batchKit.inject({ fault: denied, match: /\/members/, times: Infinity });
    const error = await adapter.readSnapshot({ app: fake.appId }).catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual(['GroupMember.Read.All']);
    expect((error as Error).message).toContain('Authorization_RequestDenied');
    expect((error as Error).message).toContain('admin consent');
  });

  it('403 on the provisioning job names Synchronization.Read.All; on appRoleAssignedTo, Application.Read.All', async () => {
    for (const [match, grant] of [
      [/synchronization\/jobs$/, 'Synchronization.Read.All'],
      [/appRoleAssignedTo/, 'Application.Read.All'],
    ] as const) {
      const { fake, adapter } = setup();
      fake.batchKit.inject({ fault: denied, match, times: Infinity });
      const error = await adapter.readSnapshot({ app: fake.appId }).catch((e: unknown) => e);
      expect((error as PermissionError).missing).toEqual([grant]);
    }
  });

  it('403 on the custom claims policy is an unavailable check, not a failed read', async () => {
    const { fake, adapter } = setup();
    fake.kit.inject({ fault: denied, match: /\/claimsPolicy$/, times: Infinity });
    const snapshot = await adapter.readSnapshot({ app: fake.appId });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.app.sso).toBeNull();
    expect(snapshot.unavailable).toEqual([
      { check: 'sso', reason: expect.stringContaining('Policy.Read.ApplicationConfiguration') },
    ]);
    expect(snapshot.users.length).toBeGreaterThan(0);
  });

  it('403 on claims-mapping policies (they need Policy.Read.All + Application.ReadWrite.OwnedBy) keeps the custom policy and says what was not checked', async () => {
    const { fake, adapter } = setup();
    fake.batchKit.inject({ fault: denied, match: /claimsMappingPolicies/, times: Infinity });
    const snapshot = await adapter.readSnapshot({ app: fake.appId });
    expect(snapshot.app.sso?.nameIdSource).toBe('user.mail');
    expect(snapshot.unavailable).toEqual([
      {
        check: 'sso.claimsMappingPolicy',
        reason: expect.stringContaining('Policy.Read.All and Application.ReadWrite.OwnedBy'),
      },
    ]);
  });

  it('members returned without their properties (no User.Read.All) fail the read instead of yielding empty people', async () => {
    const { fake, adapter } = setup();
    for (const u of fake.store.users) for (const k of Object.keys(u)) if (k !== 'id') u[k] = null;
    const error = await adapter.readSnapshot({ app: fake.appId }).catch((e: unknown) => e);
    expect((error as PermissionError).missing).toEqual(['User.Read.All']);
  });

  it('a next link dropped mid-list is caught by @odata.count (sent with ConsistencyLevel: eventual)', async () => {
    const fake = createEntraFake(conformanceTenant(), { pageSizeCap: 2 });
    server.resetHandlers(...fake.handlers);
    fake.batchKit.inject({ fault: { type: 'dropNext' }, match: /appRoleAssignedTo/ });
    const error = await createEntraAdapter({ env: fake.env })
      .readSnapshot({ app: fake.appId })
      .catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('count-mismatch');
    const counted = fake.batchKit.requests.find((r) => r.pathname.endsWith('/appRoleAssignedTo'))!;
    expect(counted.query.$count).toBe('true');
    expect(counted.headers.consistencylevel).toBe('eventual');
  });

  it('where Graph refuses $count (400 "$count is not currently supported.") the listing is read without it', async () => {
    const fake = createEntraFake(conformanceTenant(), { pageSizeCap: 2 });
    server.resetHandlers(...fake.handlers);
    const adapter = createEntraAdapter({ env: fake.env });
    const baseline = await adapter.readSnapshot({ app: fake.appId });
    const refuse = {
      fault: { type: 'status' as const, status: 400, body: countUnsupported },
      match: (r: { pathname: string; query: Record<string, string> }) =>
        r.pathname.endsWith('/appRoleAssignedTo') && r.query.$count === 'true',
      times: Infinity,
    };
    fake.kit.inject(refuse);
    fake.batchKit.inject(refuse);
    const again = await adapter.readSnapshot({ app: fake.appId });
    expect({ ...again, capturedAt: '' }).toEqual({ ...baseline, capturedAt: '' });
  });

  it('finds the app by object id, by appId and by display name, and names the candidates when a name is ambiguous', async () => {
    const tenant = conformanceTenant();
    tenant.otherApps = [{ id: 'app-dup', name: 'Claude' }];
    const fake = createEntraFake(tenant);
    server.resetHandlers(...fake.handlers);
    const adapter = createEntraAdapter({ env: fake.env });
    expect((await adapter.readSnapshot({ app: fake.appId })).app.id).toBe(fake.appId);
    expect((await adapter.readSnapshot({ app: fake.applicationId })).app.id).toBe(fake.appId);
    const error = await adapter.readSnapshot({ app: 'Claude' }).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(fake.appId);
  });

  it('an abort mid-read stops at once, even while a request hangs and others wait to retry', async () => {
    const fake = createEntraFake(conformanceTenant(), { pageSizeCap: 2 });
    server.resetHandlers(...fake.handlers);
    fake.kit.inject({ fault: { type: 'hang' }, after: 1, times: Infinity });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('operator cancelled')), 50);
    const error = await createEntraAdapter({ env: fake.env, timeoutMs: 10_000 })
      .readSnapshot({ app: fake.appId, abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(IncompleteReadError.isInstance(error) && error.reason === 'aborted').toBe(true);
  });
});
