export { createOneLoginFake, type OneLoginFake, type OneLoginFakeOptions } from './onelogin-fake';
export type { FakeV1Group, FakeStore } from './onelogin-fake-store';
export type { OneLoginScope } from './onelogin-fake-auth';
export { oneloginMinimumRequests } from './onelogin-minimum-requests';
export { oneloginConformanceTenant } from './onelogin-conformance-tenant';
export type { OneLoginFakeEvents, OneLoginWebhookSubscription, OneLoginFakeEvent } from './onelogin-fake-events';
