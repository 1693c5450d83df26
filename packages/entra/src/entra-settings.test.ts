import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionError } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { resolveEntraSettings } from './entra-settings';
import { createEntraAdapter } from './index';
import { createEntraFake } from './testing';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRET = 'Qx8~s3cr3t.VALUE-never-printed';

const configError = async (env: Record<string, string>) => {
  const error = await createEntraAdapter({ env })
    .readSnapshot({ app: 'Claude' })
    .catch((e: unknown) => e);
  expect(ConfigurationError.isInstance(error)).toBe(true);
  return error as ConfigurationError;
};

describe('entra settings', () => {
  it('reads nothing at creation: a bad environment only fails at readSnapshot, naming the variable', async () => {
    expect(() => createEntraAdapter({ env: {} })).not.toThrow();
    expect((await configError({})).message).toContain('ENTRA_ACCESS_TOKEN');
    expect((await configError({ ENTRA_CLIENT_SECRET: SECRET })).setting).toBe('ENTRA_TENANT_ID');
    expect((await configError({ ENTRA_CLIENT_SECRET: SECRET, ENTRA_TENANT_ID: TENANT })).setting).toBe(
      'ENTRA_CLIENT_ID',
    );
    expect(
      (await configError({ ENTRA_ACCESS_TOKEN: 'x'.repeat(20), ENTRA_GRAPH_URL: 'http://graph.example.com' })).setting,
    ).toBe('ENTRA_GRAPH_URL');
    const noApp = await createEntraAdapter({ env: { ENTRA_ACCESS_TOKEN: 'x'.repeat(20) } })
      .readSnapshot()
      .catch((e: unknown) => e);
    expect((noApp as ConfigurationError).setting).toBe('ENTRA_APP_ID');
  });

  it('reads the environment when the read starts, not when the adapter is made', () => {
    const env: Record<string, string> = {};
    const adapter = createEntraAdapter({ env });
    Object.assign(env, { ENTRA_ACCESS_TOKEN: 'token-value-1', ENTRA_GRAPH_URL: 'http://127.0.0.1:9' });
    expect(adapter.idp).toBe('entra');
    expect(resolveEntraSettings({ env })).toMatchObject({ graphUrl: 'http://127.0.0.1:9', auth: { kind: 'token' } });
  });

  it('picks the credential: explicit > token > secret > certificate > workload identity > managed identity', () => {
    const kind = (env: Record<string, string>) => resolveEntraSettings({ env }).auth.kind;
    const base = { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: 'cid' };
    expect(kind({ ...base, ENTRA_ACCESS_TOKEN: 'tok-123456', ENTRA_CLIENT_SECRET: SECRET })).toBe('token');
    expect(kind({ ...base, ENTRA_CLIENT_SECRET: SECRET, ENTRA_CLIENT_CERTIFICATE_FILE: '/x.pem' })).toBe('secret');
    expect(kind({ ...base, ENTRA_CLIENT_CERTIFICATE_FILE: '/x.pem' })).toBe('certificate');
    expect(kind({ ...base, AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' })).toBe(
      'workload',
    );
    expect(kind({ IDENTITY_ENDPOINT: 'http://169.254.169.254/msi/token' })).toBe('managed');
    expect(resolveEntraSettings({ env: {}, credential: { getToken: async () => null } }).auth.kind).toBe('credential');
    expect(
      resolveEntraSettings({
        env: { ...base, ENTRA_CLIENT_SECRET: SECRET, ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      }).auth,
    ).toMatchObject({ authorityHost: 'https://login.microsoftonline.us' });
  });

  it('an http authority with a secret, certificate or workload identity is a ConfigurationError naming ENTRA_AUTHORITY_HOST (MSAL signs in over https only)', () => {
    const base = { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: 'cid', ENTRA_AUTHORITY_HOST: 'http://127.0.0.1:9' };
    for (const credential of [
      { ENTRA_CLIENT_SECRET: SECRET },
      { ENTRA_CLIENT_CERTIFICATE_FILE: '/x.pem' },
      { AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' },
    ]) {
      const error = (() => {
        try {
          resolveEntraSettings({ env: { ...base, ...credential } });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(ConfigurationError.isInstance(error) && (error as ConfigurationError).setting).toBe(
        'ENTRA_AUTHORITY_HOST',
      );
      expect(inspect(error)).not.toContain(SECRET);
    }
    // A token needs no sign-in: a loopback authority is then simply unused.
    expect(resolveEntraSettings({ env: { ...base, ENTRA_ACCESS_TOKEN: 'tok-123456' } }).auth.kind).toBe('token');
  });
});

describe('entra credentials through @azure/identity (token endpoint mocked with msw)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const tokenRequests: URLSearchParams[] = [];
  const tokenEndpoint = (authority: string, answer: () => Response) =>
    http.post(`${authority}/${TENANT}/oauth2/v2.0/token`, async ({ request }) => {
      tokenRequests.push(new URLSearchParams(await request.text()));
      return answer();
    });
  const issued = () =>
    HttpResponse.json({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: 'eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4In0.sig-issued-by-fake',
    });

  it('client secret: token from the national-cloud authority for that cloud’s Graph scope, then the read', async () => {
    tokenRequests.length = 0;
    const fake = createEntraFake(conformanceTenant(), { baseUrl: 'https://graph.microsoft.us' });
    server.resetHandlers(...fake.handlers, tokenEndpoint('https://login.microsoftonline.us', issued));
    const env = {
      ENTRA_TENANT_ID: TENANT,
      ENTRA_CLIENT_ID: 'cid',
      ENTRA_CLIENT_SECRET: SECRET,
      ENTRA_GRAPH_URL: 'https://graph.microsoft.us',
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    };
    const snapshot = await createEntraAdapter({ env }).readSnapshot({ app: 'Claude' });
    expect(snapshot.tenant).toBe(TENANT);
    expect(tokenRequests[0]?.get('scope')).toBe('https://graph.microsoft.us/.default');
    expect(tokenRequests[0]?.get('client_secret')).toBe(SECRET);
    expect(
      fake.kit.requests.every(
        (r) => r.headers.authorization === 'Bearer eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4In0.sig-issued-by-fake',
      ),
    ).toBe(true);
  });

  it('a refused secret is a PermissionError that never shows the secret', async () => {
    const fake = createEntraFake(conformanceTenant());
    server.resetHandlers(
      ...fake.handlers,
      tokenEndpoint('https://login.microsoftonline.com', () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description:
              "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'cid'.",
            error_codes: [7000215],
          },
          { status: 401 },
        ),
      ),
    );
    const env = {
      ENTRA_TENANT_ID: TENANT,
      ENTRA_CLIENT_ID: 'cid',
      ENTRA_CLIENT_SECRET: SECRET,
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    };
    const error = await createEntraAdapter({ env })
      .readSnapshot({ app: 'Claude' })
      .catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('AADSTS7000215');
    expect(inspect(error, { depth: 8 })).not.toContain(SECRET);
    expect(fake.kit.requests).toHaveLength(0);
  });

  it('a certificate file that does not exist is a ConfigurationError naming ENTRA_CLIENT_CERTIFICATE_FILE', async () => {
    const env = {
      ENTRA_TENANT_ID: TENANT,
      ENTRA_CLIENT_ID: 'cid',
      ENTRA_CLIENT_CERTIFICATE_FILE: '/nonexistent/entra-cert.pem',
    };
    const error = await createEntraAdapter({ env })
      .readSnapshot({ app: 'Claude' })
      .catch((e: unknown) => e);
    expect((error as ConfigurationError).setting).toBe('ENTRA_CLIENT_CERTIFICATE_FILE');
  });

  let openssl = true;
  try {
    execFileSync('openssl', ['version']);
  } catch {
    openssl = false;
  }
  it.skipIf(!openssl)('client certificate: a signed client assertion, never the private key', async () => {
    tokenRequests.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'entra-cert-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=claude-idp-test',
      ],
      { stdio: 'ignore' },
    );
    const pem = join(dir, 'both.pem');
    writeFileSync(pem, readFileSync(join(dir, 'key.pem'), 'utf8') + readFileSync(join(dir, 'cert.pem'), 'utf8'));
    const fake = createEntraFake(conformanceTenant());
    server.resetHandlers(...fake.handlers, tokenEndpoint('https://login.microsoftonline.com', issued));
    const env = {
      ENTRA_TENANT_ID: TENANT,
      ENTRA_CLIENT_ID: 'cid',
      ENTRA_CLIENT_CERTIFICATE_FILE: pem,
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    };
    await createEntraAdapter({ env }).readSnapshot({ app: 'Claude' });
    expect(tokenRequests[0]?.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    expect(tokenRequests[0]?.toString()).not.toContain('PRIVATE');
  });
});

describe('entra settings: one baseUrl name', () => {
  const env = { ENTRA_ACCESS_TOKEN: 'eyJ0eXAiOiJKV1QifQ.e30.sig' };
  it('baseUrl, then the deprecated graphUrl, then ENTRA_GRAPH_URL, then graph.microsoft.com; requestTimeoutMs', () => {
    expect(resolveEntraSettings({ env, baseUrl: 'https://graph.microsoft.us/' }).graphUrl).toBe(
      'https://graph.microsoft.us',
    );
    expect(resolveEntraSettings({ env, graphUrl: 'https://dod-graph.microsoft.us' }).graphUrl).toBe(
      'https://dod-graph.microsoft.us',
    );
    expect(resolveEntraSettings({ env }).graphUrl).toBe('https://graph.microsoft.com');
    expect(() =>
      resolveEntraSettings({ env, baseUrl: 'https://graph.microsoft.us', graphUrl: 'https://graph.microsoft.com' }),
    ).toThrow(/baseUrl and graphUrl/);
    expect(resolveEntraSettings({ env }).timeoutMs).toBe(20_000);
    expect(resolveEntraSettings({ env, requestTimeoutMs: 1_500 }).timeoutMs).toBe(1_500);
  });
});
