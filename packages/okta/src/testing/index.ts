export { createOktaFake, type OktaFake, type OktaFakeOptions } from './okta-fake';
export { oktaMinimumRequests } from './okta-minimum-requests';
export { oktaId, buildOrg, type OktaOrg } from './okta-fake-store';
export { loginVsEmailTenant, largeTenant } from './okta-scenarios';
