import {
  runAdapterConformance,
  runFaultMatrix,
  type AdapterTestOptions,
  type FaultCase,
} from '@claude-idp/core/conformance';
import type { GenericTenant } from '@claude-idp/core/testing';
import type { UserStatus } from '@claude-idp/core';
import { createGoogleAdapter } from './index';
import { createGoogleFake, googleError, type GoogleFake } from './testing/index';

const args = {
  name: 'google',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createGoogleFake(tenant, o),
  // The fake's env points the adapter at it: GOOGLE_API_URL, a bearer token, and the
  // declaration the admin would write for the tenant (GOOGLE_APP_DECLARATION, as JSON text).
  createAdapter: (fake: GoogleFake, o: AdapterTestOptions) => createGoogleAdapter({ env: fake.env, ...o }),
  appId: (fake: GoogleFake) => fake.appId,
};

// Google has no staged state (a new account is simply active) and shows no lock-out; the fake
// serves a locked person as suspended, the closest state Google has.
const status = (s: UserStatus): UserStatus => (s === 'staged' ? 'active' : s === 'locked' ? 'suspended' : s);

runAdapterConformance({
  ...args,
  nesting: true,
  // Google's sign-in identity is the primary email: a separate login does not exist, so the
  // snapshot's login is the primary email and both generic fields map to user.primaryEmail.
  login: 'email',
  fields: { email: 'user.primaryEmail', login: 'user.primaryEmail' },
  status,
  // Google's API shows no provisioning (SCIM) settings for a SAML app; SSO comes from the declaration.
  unavailableSettings: ['scim'],
  perUserRequest: /^\/admin\/directory\/v1\/users\/[^/]+$/,
});

const rateLimit = (reason: string, message: string): FaultCase => ({
  name: `403 ${reason} (Google's rate-limit answer), backed off, then success`,
  rules: [
    {
      fault: { type: 'status', status: 403, body: googleError(403, reason, message, 'usageLimits') },
      after: 2,
      times: 3,
    },
  ],
  expect: 'equal',
});

runFaultMatrix({
  ...args,
  extraCases: [
    rateLimit('rateLimitExceeded', 'Rate Limit Exceeded'),
    rateLimit('userRateLimitExceeded', 'User Rate Limit Exceeded'),
    rateLimit('quotaExceeded', 'Quota Exceeded'),
    {
      name: '403 forbidden "Not Authorized to access this resource/api" is a permission error',
      rules: [
        {
          fault: {
            type: 'status',
            status: 403,
            body: googleError(403, 'forbidden', 'Not Authorized to access this resource/api'),
          },
          after: 1,
          times: Infinity,
        },
      ],
      expect: 'permission-error',
    },
    {
      name: '403 insufficientPermissions (a scope missing) is a permission error',
      rules: [
        {
          fault: {
            type: 'status',
            status: 403,
            body: {
              error: {
                code: 403,
                message: 'Request had insufficient authentication scopes.',
                errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
                status: 'PERMISSION_DENIED',
              },
            },
          },
          match: /\/members/,
          times: Infinity,
        },
      ],
      expect: 'permission-error',
    },
  ],
});
