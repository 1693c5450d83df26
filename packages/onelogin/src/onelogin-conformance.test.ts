import { runAdapterConformance, runFaultMatrix, type AdapterTestOptions } from '@claude-idp/core/conformance';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createOneLoginAdapter } from './index';
import { createOneLoginFake, type OneLoginFake } from './testing';

/**
 * The conformance tenant as OneLogin can hold it. Margaret (u10) is assigned the app by hand and
 * is also in an assigned group; OneLogin refuses a hand assignment on top of a role one
 * (KB0010641: "If an app is already assigned to user via a role it cannot also be assigned
 * manually"), so there she can only be one or the other: here she is the hand assignment.
 */
export function oneloginConformanceTenant(): GenericTenant {
  const t = conformanceTenant();
  const g = t.groups.find((x) => x.id === 'g02')!;
  g.memberUserIds = g.memberUserIds.filter((id) => id !== 'u10');
  return t;
}

const args = {
  name: 'onelogin',
  tenant: oneloginConformanceTenant,
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createOneLoginFake(tenant, o),
  createAdapter: (fake: OneLoginFake, o: AdapterTestOptions) => createOneLoginAdapter({ env: fake.env, ...o }),
  appId: (fake: OneLoginFake) => fake.appId,
};

runAdapterConformance({
  ...args,
  // Roles do not nest.
  nesting: false,
  login: 'login',
  fields: { email: 'user.email', login: 'user.username' },
  // OneLogin has no "deprovisioned" status: removing someone suspends (2) or deletes them.
  status: (s) => (s === 'deprovisioned' ? 'suspended' : s),
  // The SCIM email comes from the connector's SCIM JSON template, which the API does not return.
  unavailableSettings: ['scim.emailSource'],
  perUserRequest: /^\/api\/2\/users\/\d+$/,
});

// No opt-outs: every v2 listing carries Total-Count, which catches a dropped After-Cursor.
runFaultMatrix(args);
