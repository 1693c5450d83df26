import { runAdapterConformance, runFaultMatrix, type AdapterTestOptions } from '@claude-idp/core/conformance';
import type { GenericTenant } from '@claude-idp/core/testing';
import { createOktaAdapter } from './index';
import accessDenied from './__fixtures__/okta-error-access-denied.json';
import invalidToken from './__fixtures__/okta-error-invalid-token.json';
import { createOktaFake, type OktaFake } from './testing/index';

const args = {
  name: 'okta',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createOktaFake(tenant, o),
  createAdapter: (fake: OktaFake, o: AdapterTestOptions) => createOktaAdapter({ env: fake.env, ...o }),
  appId: (fake: OktaFake) => fake.appId,
};

runAdapterConformance({
  ...args,
  // Okta has no nested groups; `login` is the Okta username (profile.login), which may differ from the email.
  nesting: false,
  login: 'login',
  fields: { email: 'user.email', login: 'user.login' },
  perUserRequest: /^\/api\/v1\/users\/[^/]+$/,
});

const www = (scope: string, resource: string) =>
  `Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${resource}"`;

// No default case is skipped: Okta's listings are end-checked (after=<last id>, usersCount,
// known ids, the scope-GROUP cross-check), so a dropped next link is caught.
runFaultMatrix({
  ...args,
  extraCases: [
    {
      name: 'okta: 403 insufficient_scope on /api/v1/groups (okta.groups.read not granted)',
      rules: [
        {
          fault: {
            type: 'status',
            status: 403,
            headers: { 'www-authenticate': www('okta.groups.read', '/api/v1/groups') },
            body: accessDenied,
          },
          match: '/api/v1/groups',
          times: Infinity,
        },
      ],
      expect: 'permission-error',
    },
    {
      name: 'okta: 403 E0000006 on the profile mapping (SSWS admin without the role)',
      rules: [
        { fault: { type: 'status', status: 403, body: accessDenied }, match: '/api/v1/mappings', times: Infinity },
      ],
      expect: 'permission-error',
    },
    {
      name: 'okta: 401 E0000011 (token revoked mid-read)',
      rules: [{ fault: { type: 'status', status: 401, body: invalidToken }, after: 3, times: Infinity }],
      expect: 'permission-error',
    },
    {
      name: 'okta: every app-user page loses its Link header',
      rules: [{ fault: { type: 'dropNext' }, match: /\/apps\/[^/]+\/users/, times: Infinity }],
      expect: 'equal',
    },
    {
      name: 'okta: 429 E0000047 storm on the /api/v1/apps/* bucket',
      rules: [{ fault: { type: 'throttle' }, match: /\/api\/v1\/apps\/[^/]+\//, times: 5 }],
      expect: 'equal',
    },
  ],
});
