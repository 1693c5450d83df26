import type { IdpAdapterV1, IdpKind } from '@claude-idp/core';
import type { GenericTenant, IdpFake } from '@claude-idp/core/testing';

export type LiveIdp = Exclude<IdpKind, 'generic'>;

/**
 * A live adapter for `--idp`, its connection read from the environment (SPEC §6), never argv.
 * Adapter packages load on demand, so `claude-idp schema` does not load four vendor SDKs.
 */
export async function liveAdapter(kind: LiveIdp, env: NodeJS.ProcessEnv): Promise<IdpAdapterV1> {
  switch (kind) {
    case 'okta':
      return (await import('@claude-idp/okta')).createOktaAdapter({ env });
    case 'entra':
      return (await import('@claude-idp/entra')).createEntraAdapter({ env });
    case 'google':
      return (await import('@claude-idp/google')).createGoogleAdapter({ env });
    case 'onelogin':
      return (await import('@claude-idp/onelogin')).createOneLoginAdapter({ env });
  }
}

export interface DemoConnection {
  fake: IdpFake & { appId: string };
  adapter: IdpAdapterV1;
}

/**
 * The demo's fake tenant for one IdP, served at `baseUrl` (a loopback server), and the real
 * adapter pointed at it with a throwaway token: the same code path as a live read.
 */
export async function demoConnection(kind: LiveIdp, tenant: GenericTenant, baseUrl: string): Promise<DemoConnection> {
  const token = 'demo-token-not-a-secret';
  switch (kind) {
    case 'okta': {
      const { createOktaFake } = await import('@claude-idp/okta/testing');
      const { createOktaAdapter } = await import('@claude-idp/okta');
      const fake = createOktaFake(tenant, { baseUrl });
      return { fake, adapter: createOktaAdapter({ baseUrl, apiToken: token, env: {} }) };
    }
    case 'entra': {
      const { createEntraFake } = await import('@claude-idp/entra/testing');
      const { createEntraAdapter } = await import('@claude-idp/entra');
      const fake = createEntraFake(tenant, { baseUrl });
      return { fake, adapter: createEntraAdapter({ baseUrl, accessToken: token, env: {} }) };
    }
    case 'google': {
      const testing = await import('@claude-idp/google/testing');
      const { createGoogleAdapter } = await import('@claude-idp/google');
      const fake = testing.createGoogleFake(tenant, { baseUrl });
      return {
        fake,
        adapter: createGoogleAdapter({
          baseUrl,
          accessToken: token,
          declaration: fake.declarationFor(tenant),
          env: {},
        }),
      };
    }
    case 'onelogin': {
      const { createOneLoginFake } = await import('@claude-idp/onelogin/testing');
      const { createOneLoginAdapter } = await import('@claude-idp/onelogin');
      const fake = createOneLoginFake(tenant, { baseUrl });
      // The OAuth2 client-credentials flow against the fake's token endpoint, as a live read does.
      return {
        fake,
        adapter: createOneLoginAdapter({ baseUrl, clientId: fake.clientId, clientSecret: fake.clientSecret, env: {} }),
      };
    }
  }
}
