import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, IncompleteReadError } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from './index';
import { resolveOktaSettings } from './okta-settings';
import { createOktaFake } from './testing/index';

const configError = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(ConfigurationError.isInstance(e), String(e)).toBe(true);
  return e as ConfigurationError;
};

describe('okta settings (SPEC §6)', () => {
  it('baseUrl is the org URL; orgUrl is still read as its deprecated alias; requestTimeoutMs or timeoutMs', () => {
    const env = { OKTA_API_TOKEN: 'ssws-token-value-42' };
    expect(resolveOktaSettings({ env, baseUrl: 'https://acme.okta.com/' }).orgUrl).toBe('https://acme.okta.com');
    expect(resolveOktaSettings({ env, orgUrl: 'https://old.okta.com' }).orgUrl).toBe('https://old.okta.com');
    expect(() => resolveOktaSettings({ env, baseUrl: 'https://a.okta.com', orgUrl: 'https://b.okta.com' })).toThrow(
      /baseUrl and orgUrl/,
    );
    expect(resolveOktaSettings({ env, baseUrl: 'https://acme.okta.com' }).requestTimeoutMs).toBe(20_000);
    expect(resolveOktaSettings({ env, baseUrl: 'https://acme.okta.com', timeoutMs: 900 }).requestTimeoutMs).toBe(900);
    expect(
      resolveOktaSettings({ env, baseUrl: 'https://acme.okta.com', requestTimeoutMs: 800, timeoutMs: 900 })
        .requestTimeoutMs,
    ).toBe(800);
    expect(() => resolveOktaSettings({ env, baseUrl: 'https://acme.okta.com', pageSize: 0 })).toThrow(/pageSize/);
  });

  it('reads nothing at creation: a missing variable surfaces at readSnapshot, naming it', async () => {
    const env: Record<string, string | undefined> = {};
    const adapter = createOktaAdapter({ env });
    expect((await configError(adapter.readSnapshot())).setting).toBe('OKTA_ORG_URL');
    env.OKTA_ORG_URL = 'https://acme.okta.com';
    const noCreds = await configError(adapter.readSnapshot());
    expect(noCreds.setting).toBe('OKTA_API_TOKEN');
    expect(noCreds.message).toContain('OKTA_CLIENT_ID');
    env.OKTA_API_TOKEN = 'ssws-token-value-42';
    expect((await configError(adapter.readSnapshot())).setting).toBe('OKTA_APP_ID');
  });

  it('HTTPS only, except loopback; the trailing slash is stripped', () => {
    expect(() => resolveOktaSettings({ orgUrl: 'http://acme.okta.com', apiToken: 'x'.repeat(10), env: {} })).toThrow(
      /https/,
    );
    expect(resolveOktaSettings({ orgUrl: 'https://acme.okta.com/', apiToken: 'x'.repeat(10), env: {} }).orgUrl).toBe(
      'https://acme.okta.com',
    );
    expect(resolveOktaSettings({ orgUrl: 'http://127.0.0.1:8443/', apiToken: 'x'.repeat(10), env: {} }).orgUrl).toBe(
      'http://127.0.0.1:8443',
    );
  });

  it('OAuth service app: OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE, the four read scopes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-key-'));
    const file = join(dir, 'key.pem');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(file, pem);
    const s = resolveOktaSettings({
      env: { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY_FILE: file },
    });
    expect(s.credentials).toEqual({
      mode: 'PrivateKey',
      clientId: '0oa1',
      privateKey: expect.stringContaining('BEGIN PRIVATE KEY'),
      keyId: undefined,
      scopes: ['okta.apps.read', 'okta.groups.read', 'okta.users.read', 'okta.profileMappings.read'],
    });
    // An inline key from a single-line env value keeps its newlines.
    const inline = resolveOktaSettings({
      env: {
        OKTA_ORG_URL: 'https://acme.okta.com',
        OKTA_CLIENT_ID: '0oa1',
        OKTA_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      },
    });
    expect(inline.credentials).toMatchObject({ privateKey: pem });
    // A key that is not one is named at once, not retried as a network fault.
    expect(() =>
      resolveOktaSettings({
        env: {
          OKTA_ORG_URL: 'https://acme.okta.com',
          OKTA_CLIENT_ID: '0oa1',
          OKTA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
        },
      }),
    ).toThrow(/OKTA_PRIVATE_KEY is not a readable private key/);
    expect(() =>
      resolveOktaSettings({ env: { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_CLIENT_ID: '0oa1' } }),
    ).toThrow(/OKTA_PRIVATE_KEY/);
    const missing = (() => {
      try {
        resolveOktaSettings({
          env: {
            OKTA_ORG_URL: 'https://acme.okta.com',
            OKTA_CLIENT_ID: '0oa1',
            OKTA_PRIVATE_KEY_FILE: join(dir, 'nope.pem'),
          },
        });
      } catch (e) {
        return e as ConfigurationError;
      }
    })();
    expect(missing?.setting).toBe('OKTA_PRIVATE_KEY_FILE');
  });

  it('explicit settings win over the environment; an API token wins over a service app', () => {
    const s = resolveOktaSettings({
      orgUrl: 'https://own.okta.com',
      apiToken: 'own-token-123',
      env: { OKTA_ORG_URL: 'https://env.okta.com', OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: 'k' },
    });
    expect(s.orgUrl).toBe('https://own.okta.com');
    expect(s.credentials).toEqual({ mode: 'SSWS', token: 'own-token-123' });
  });
});

describe('okta: secrets and abort', () => {
  const fake = createOktaFake(conformanceTenant(), { apiToken: 'right-token-abcdef' });
  const server = setupServer(...fake.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('the API token is redacted from every error, however it is printed', async () => {
    const secret = 'leaky-secret-token-31337';
    const error = (await createOktaAdapter({ env: { ...fake.env, OKTA_API_TOKEN: secret } })
      .readSnapshot()
      .catch((e: unknown) => e)) as Error & { cause?: unknown };
    const printed = [
      String(error),
      error.message,
      error.stack ?? '',
      JSON.stringify(error),
      JSON.stringify(error.cause ?? null),
    ].join('\n');
    expect(printed).not.toContain(secret);
  });

  it('an abort mid-read stops with a typed error and no snapshot', async () => {
    const capped = createOktaFake(conformanceTenant(), { pageSizeCap: 1 });
    server.resetHandlers(...capped.handlers);
    const controller = new AbortController();
    const adapter = createOktaAdapter({ env: capped.env });
    const p = adapter.readSnapshot({
      abortSignal: controller.signal,
      onProgress: (e) => e.type === 'page' && e.resource.startsWith('groups/') && controller.abort(new Error('stop')),
    });
    const error = await p.catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('aborted');
    const sent = capped.kit.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(capped.kit.requests.length).toBe(sent);
  });
});
