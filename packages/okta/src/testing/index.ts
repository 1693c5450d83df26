export { createOktaFake, type OktaFake, type OktaFakeOptions } from './okta-fake';
export { oktaMinimumRequests } from './okta-minimum-requests';
export { buildOrg, type OktaOrg } from './okta-fake-store';
export { oktaId } from './okta-fake-ids';
export { loginVsEmailTenant, largeTenant } from './okta-scenarios';
export type { OktaFakeEvents, OktaFakeEventHook } from './okta-fake-hooks';
