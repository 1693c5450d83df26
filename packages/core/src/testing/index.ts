export * from './generic-tenant';
export {
  FakeKit,
  PagingFaults,
  decodeCursor,
  type Fault,
  type FaultRule,
  type RecordedRequest,
  type PageSlice,
  type FakeKitOptions,
  type VendorErrorAnswer,
  type IdpFake,
  type ResolverArgs,
} from './fake-kit';
export { startLoopbackServer, type LoopbackServer } from './loopback-server';
export * from './synthetic';
export * from './snapshot-from-tenant';
export * from './demo-tenant';
export * from './tenant-changes';
