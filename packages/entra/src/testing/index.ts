export { createEntraFake, type EntraFake, type EntraFakeOptions } from './entra-fake';
export { entraGuid, guestUpn, type EntraStore, type FakeClaimsMode } from './entra-fake-store';
export { entraMinimumRequests } from './entra-min-requests';
export type { EntraFakeEvents, FakeSubscription, LifecycleEvent } from './entra-fake-subscriptions';
