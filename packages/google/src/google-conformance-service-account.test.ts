import { runAdapterConformance, type AdapterTestOptions } from '@claude-idp/core/conformance';
import type { UserStatus } from '@claude-idp/core';
import type { GenericTenant } from '@claude-idp/core/testing';
import { writeServiceAccountKey } from './google-test-key';
import { createGoogleAdapter } from './index';
import { createGoogleFake, type GoogleFake } from './testing/index';

// The same suite through the other sign-in: a service account key, a JWT to the token endpoint
// (served by the fake) with the admin subject, then the Directory calls with the minted token.
const keyFile = writeServiceAccountKey();

runAdapterConformance({
  name: 'google (service account, domain-wide delegation)',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createGoogleFake(tenant, o),
  createAdapter: (fake: GoogleFake, o: AdapterTestOptions) =>
    createGoogleAdapter({
      env: {
        GOOGLE_API_URL: fake.baseUrl,
        GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        GOOGLE_ADMIN_SUBJECT: 'ada.lovelace@acme.example',
        GOOGLE_APP_DECLARATION: fake.env.GOOGLE_APP_DECLARATION,
      },
      ...o,
    }),
  appId: (fake: GoogleFake) => fake.appId,
  nesting: true,
  login: 'email', // Google's sign-in identity is the primary email (see google-conformance.test.ts)
  fields: { email: 'user.primaryEmail', login: 'user.primaryEmail' },
  status: (s: UserStatus): UserStatus => (s === 'staged' ? 'active' : s === 'locked' ? 'suspended' : s),
  unavailableSettings: ['scim'],
  perUserRequest: /^\/admin\/directory\/v1\/users\/[^/]+$/,
});
