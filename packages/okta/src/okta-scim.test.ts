import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from './index';
import { createOktaFake, oktaId, type OktaFakeOptions } from './testing/index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function read(mutate: (t: ReturnType<typeof conformanceTenant>) => void, options: OktaFakeOptions = {}) {
  const t = conformanceTenant();
  mutate(t);
  const fake = createOktaFake(t, options);
  server.resetHandlers(...fake.handlers);
  return { fake, snapshot: await createOktaAdapter({ env: fake.env }).readSnapshot() };
}

describe('okta: SCIM settings', () => {
  it('provisioning off: the 400 E0000001 reads as disabled, capabilities unknown, mapping still read', async () => {
    const { snapshot, fake } = await read((t) => (t.app.scim = { ...t.app.scim!, enabled: false }));
    expect(snapshot.app.scim).toEqual({
      enabled: false,
      emailSource: 'user.email',
      userNameSource: 'user.email',
      create: null,
      update: null,
      deactivate: null,
      pushedGroupIds: null,
      intervalMinutes: null,
    });
    expect(fake.kit.count(/\/group-push\//)).toBe(0);
  });

  it('Create / Update attributes / Deactivate come from the USER_PROVISIONING capabilities', async () => {
    const { snapshot } = await read(
      (t) => (t.app.scim = { ...t.app.scim!, create: true, update: false, deactivate: false }),
    );
    expect(snapshot.app.scim).toMatchObject({ enabled: true, create: true, update: false, deactivate: false });
  });

  it('pushed groups from the Group Push API when the app pushes groups', async () => {
    const { snapshot } = await read((t) => (t.app.scim = { ...t.app.scim!, pushedGroupIds: ['g01', 'g04'] }));
    expect(snapshot.app.scim?.pushedGroupIds).toEqual([oktaId('00g', 'g01'), oktaId('00g', 'g04')].sort());
    expect(snapshot.unavailable).toBeUndefined();
  });

  it('an org without the Group Push API (401 E0000015): null and said so, not an error', async () => {
    const { snapshot } = await read((t) => (t.app.scim = { ...t.app.scim!, pushedGroupIds: ['g01'] }), {
      groupPushApi: false,
    });
    expect(snapshot.app.scim?.pushedGroupIds).toBeNull();
    expect(snapshot.unavailable).toEqual([
      { check: 'scim.pushedGroupIds', reason: expect.stringContaining('E0000015') },
    ]);
  });

  it('an app without GROUP_PUSH pushes nothing, and costs no Group Push request', async () => {
    const { snapshot, fake } = await read(() => undefined);
    expect(snapshot.app.scim?.pushedGroupIds).toEqual([]);
    expect(fake.kit.count(/\/group-push\//)).toBe(0);
  });

  it('a SAML app with no provisioning at all has no SCIM email source', async () => {
    const { snapshot } = await read((t) => (t.app.scim = null));
    expect(snapshot.app.scim).toMatchObject({ enabled: false, emailSource: null, userNameSource: 'user.email' });
  });

  it('a second read by the same adapter sees an app changed in between (the SDK GET cache is off)', async () => {
    const fake = createOktaFake(conformanceTenant());
    server.resetHandlers(...fake.handlers);
    const adapter = createOktaAdapter({ env: fake.env });
    expect((await adapter.readSnapshot()).app.scim?.emailSource).toBe('user.email');
    fake.update((t) => {
      t.app.scim = { ...t.app.scim!, email: 'login' };
      t.app.sso.nameIdFormat = 'persistent';
    });
    const after = await adapter.readSnapshot();
    expect(after.app.scim?.emailSource).toBe('user.login');
    expect(after.app.sso?.nameIdFormat).toBe('persistent');
  });

  it('an injected fetch carries every request (and the User-Agent names this package)', async () => {
    const fake = createOktaFake(conformanceTenant());
    server.resetHandlers(...fake.handlers);
    const seen: string[] = [];
    const fetch = (input: string | URL | Request, init?: RequestInit) => {
      seen.push(String(input));
      return globalThis.fetch(input, init);
    };
    const snapshot = await createOktaAdapter({ env: fake.env, fetch }).readSnapshot();
    expect(snapshot.complete).toBe(true);
    expect(seen).toHaveLength(fake.kit.requests.length);
    expect(fake.kit.requests[0]!.headers['user-agent']).toMatch(/^claude-idp-okta @okta\/okta-sdk-nodejs\/8\./);
  });
});
