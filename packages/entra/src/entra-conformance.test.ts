import { runAdapterConformance, runFaultMatrix } from '@claude-idp/core/conformance';
import type { GenericTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './index';
import { createEntraFake, type EntraFake } from './testing';

const args = {
  name: 'entra',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createEntraFake(tenant, o),
  createAdapter: (fake: EntraFake, o: { timeoutMs?: number; retry?: object }) => createEntraAdapter({ env: fake.env, ...o }),
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
