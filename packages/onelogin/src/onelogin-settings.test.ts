import { ConfigurationError } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter, resolveOneLoginSettings, tenantLabel } from './index';
import { createOneLoginFake } from './testing';

const configError = (env: Record<string, string>) => {
  try {
    resolveOneLoginSettings({ env });
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('onelogin settings (SPEC §6)', () => {
  it('names the missing variable, never a value', () => {
    const e1 = configError({ ONELOGIN_CLIENT_ID: 'x', ONELOGIN_CLIENT_SECRET: 'secret-value-1' });
    expect(ConfigurationError.isInstance(e1)).toBe(true);
    expect((e1 as ConfigurationError).setting).toBe('ONELOGIN_BASE_URL');
    const e2 = configError({ ONELOGIN_BASE_URL: 'https://acme.onelogin.com' });
    expect((e2 as ConfigurationError).setting).toBe('ONELOGIN_CLIENT_ID');
    expect((e2 as Error).message).toContain('ONELOGIN_ACCESS_TOKEN');
    const e3 = configError({ ONELOGIN_BASE_URL: 'https://acme.onelogin.com', ONELOGIN_CLIENT_ID: 'x' });
    expect((e3 as ConfigurationError).setting).toBe('ONELOGIN_CLIENT_SECRET');
    const e4 = configError({
      ONELOGIN_BASE_URL: 'https://acme.onelogin.com',
      ONELOGIN_CLIENT_SECRET: 'secret-value-2',
    });
    expect((e4 as ConfigurationError).setting).toBe('ONELOGIN_CLIENT_ID');
    expect((e4 as Error).message).not.toContain('secret-value-2');
  });

  it('accepts https tenant and regional hosts, http only on loopback', () => {
    const env = { ONELOGIN_ACCESS_TOKEN: 'tok-abcdef' };
    for (const url of [
      'https://acme.onelogin.com',
      'https://api.us.onelogin.com',
      'https://api.eu.onelogin.com/',
      'http://127.0.0.1:8080',
      'http://localhost:9',
    ]) {
      expect(resolveOneLoginSettings({ env: { ...env, ONELOGIN_BASE_URL: url } }).baseUrl).toBe(url.replace(/\/$/, ''));
    }
    const e = configError({ ...env, ONELOGIN_BASE_URL: 'http://acme.onelogin.com' });
    expect((e as ConfigurationError).setting).toBe('ONELOGIN_BASE_URL');
    expect((e as Error).message).toContain('https://');
  });

  it('client credentials win over a ready token; settings win over the environment', () => {
    const env = {
      ONELOGIN_BASE_URL: 'https://acme.onelogin.com',
      ONELOGIN_CLIENT_ID: 'id',
      ONELOGIN_CLIENT_SECRET: 'sec-123456',
      ONELOGIN_ACCESS_TOKEN: 'tok-123456',
      ONELOGIN_APP_ID: '42',
    };
    const r = resolveOneLoginSettings({ env });
    expect(r.credentials).toEqual({ kind: 'client', clientId: 'id', clientSecret: 'sec-123456' });
    expect(r.appId).toBe('42');
    expect(resolveOneLoginSettings({ env, appId: 'Claude', baseUrl: 'https://api.eu.onelogin.com' })).toMatchObject({
      appId: 'Claude',
      baseUrl: 'https://api.eu.onelogin.com',
    });
  });

  it('labels the tenant by subdomain, or by host for regional and loopback URLs', () => {
    expect(tenantLabel('https://acme.onelogin.com')).toBe('acme');
    expect(tenantLabel('https://api.us.onelogin.com')).toBe('api.us.onelogin.com');
    expect(tenantLabel('http://127.0.0.1:5555')).toBe('127.0.0.1:5555');
  });

  it('reads nothing at construction: the environment is read when a read starts', async () => {
    const env: Record<string, string> = {};
    const adapter = createOneLoginAdapter({ env });
    expect(adapter.idp).toBe('onelogin');
    const error = await adapter.readSnapshot().catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
  });
});

describe('onelogin regional base URLs', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  for (const baseUrl of ['https://api.us.onelogin.com', 'https://api.eu.onelogin.com']) {
    it(`reads through ${baseUrl} (token and resources on that host)`, async () => {
      const fake = createOneLoginFake(conformanceTenant(), { baseUrl });
      server.resetHandlers(...fake.handlers);
      const snapshot = await createOneLoginAdapter({ env: fake.env }).readSnapshot();
      expect(snapshot.complete).toBe(true);
      expect(snapshot.tenant).toBe(new URL(baseUrl).host);
      expect(new Set(fake.kit.requests.map((r) => new URL(r.url).origin))).toEqual(new Set([baseUrl]));
    });
  }
});
