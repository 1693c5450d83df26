import { runAdapterConformance, runFaultMatrix, type AdapterTestOptions } from '@claude-idp/core/conformance';
import type { GenericTenant } from '@claude-idp/core/testing';
import { createOktaAdapter } from './index';
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

runFaultMatrix(args);
