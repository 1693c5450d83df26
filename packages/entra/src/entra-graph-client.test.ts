import { Client } from '@microsoft/microsoft-graph-client';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IncompleteReadError } from '@claude-idp/core';
import { conformanceTenant, startLoopbackServer, usersToRead } from '@claude-idp/core/testing';
import { GraphHttp } from './entra-graph-client';
import { createEntraAdapter } from './index';
import { createEntraFake } from './testing';

describe('entra graph client: loopback http:// (a real local HTTP server)', () => {
  it('reads a whole snapshot from a fake served on 127.0.0.1 over plain http', async () => {
    const loopback = await startLoopbackServer();
    try {
      const fake = createEntraFake(conformanceTenant(), { baseUrl: loopback.url, pageSizeCap: 2 });
      loopback.use(fake.handlers);
      const snapshot = await createEntraAdapter({ env: fake.env }).readSnapshot({ app: 'Claude' });
      expect(snapshot.complete).toBe(true);
      expect(snapshot.app.id).toBe(fake.appId);
      expect(snapshot.users).toHaveLength(usersToRead(fake.tenant, { nesting: true }).length);
      // Absolute http:// next links were followed (pages of 2), and every request carried the token.
      expect(fake.kit.requests.some((r) => r.query.$skiptoken)).toBe(true);
      expect(fake.kit.requests.every((r) => r.headers.authorization === 'Bearer fake-graph-token')).toBe(true);
      expect(loopback.served).toBe(fake.kit.requests.length);
    } finally {
      await loopback.close();
    }
  });

  it('documents the SDK quirk being worked around: its own auth handler drops the token for http://127.0.0.1', async () => {
    const loopback = await startLoopbackServer();
    try {
      const fake = createEntraFake(conformanceTenant(), { baseUrl: loopback.url });
      loopback.use(fake.handlers);
      const stock = Client.initWithMiddleware({
        baseUrl: loopback.url,
        authProvider: { getAccessToken: async () => 'fake-graph-token' },
      });
      const error = await stock
        .api('/servicePrincipals')
        .get()
        .catch((e: unknown) => e);
      expect((error as { statusCode?: number }).statusCode).toBe(401);
      expect(fake.kit.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await loopback.close();
    }
  });
});

describe('entra graph client: national clouds and custom hosts (msw)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  for (const root of [
    'https://graph.microsoft.us',
    'https://microsoftgraph.chinacloudapi.cn',
    'https://graph-proxy.contoso.example:8443/msgraph',
  ]) {
    it(`reads through ENTRA_GRAPH_URL=${root}`, async () => {
      const fake = createEntraFake(conformanceTenant(), { baseUrl: root, pageSizeCap: 3 });
      server.resetHandlers(...fake.handlers);
      const snapshot = await createEntraAdapter({ env: fake.env }).readSnapshot({ app: fake.applicationId });
      expect(snapshot.app.id).toBe(fake.appId);
      expect(
        fake.kit.requests.every((r) => r.url.startsWith(root) && r.headers.authorization === 'Bearer fake-graph-token'),
      ).toBe(true);
    });
  }

  it('refuses a next link that points at another origin instead of sending the token there', () => {
    const http = new GraphHttp({
      graphUrl: 'https://graph.microsoft.us',
      tokens: async () => 't',
      fetch: globalThis.fetch,
      timeoutMs: 1000,
    });
    expect(http.relativeLink('https://graph.microsoft.us/v1.0/users?$skiptoken=x', 'users')).toEqual({
      version: 'v1.0',
      path: '/users?$skiptoken=x',
    });
    const error = (() => {
      try {
        return http.relativeLink('https://evil.example/v1.0/users?$skiptoken=x', 'users');
      } catch (e) {
        return e;
      }
    })();
    expect(IncompleteReadError.isInstance(error)).toBe(true);
  });

  it('never sends the Authorization header to a host other than the Graph root', async () => {
    const seen: (string | null)[] = [];
    const http = new GraphHttp({
      graphUrl: 'https://graph.microsoft.com',
      tokens: async () => 'secret-token-123456',
      fetch: async (input, init) => {
        seen.push(new Headers(init?.headers).get('authorization'));
        return new Response('{"value":[]}', { headers: { 'content-type': 'application/json' } });
      },
      timeoutMs: 1000,
    });
    // A relative path cannot leave the root; an absolute https URL in api() is honoured by the SDK for the host it names.
    await http.send({ method: 'GET', version: 'v1.0', path: '/users' });
    await http.send({ method: 'GET', version: 'v1.0', path: 'https://elsewhere.example/v1.0/users' });
    expect(seen).toEqual(['Bearer secret-token-123456', null]);
  });
});
