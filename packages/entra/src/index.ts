export { createEntraAdapter } from './entra-adapter';
export type { EntraAdapterSettings } from './entra-settings';
export { canonicalEntraField } from './entra-fields';
export {
  claimsFromCustomClaimsPolicy,
  claimsFromMappingPolicy,
  claimAttributeSource,
  ENTRA_DEFAULT_CLAIMS,
  type EntraClaims,
  type CustomClaimsPolicy,
} from './entra-claims';
export {
  mappingSource,
  intervalMinutes,
  scimFromSynchronization,
  pickJob,
  type SynchronizationJob,
  type SynchronizationSchema,
  type AttributeMappingSource,
} from './entra-provisioning';
export { toSnapshotUser, isGuest } from './entra-snapshot';
export { GRAPH_BATCH_LIMIT } from './entra-batch';
export {
  createEntraEventReceiver,
  type EntraEventReceiver,
  type EntraEventReceiverSettings,
} from './entra-events';
export {
  ENTRA_CHANGE_TYPE,
  ENTRA_EVENT_PATH,
  ENTRA_LIFECYCLE_PATH,
  ENTRA_MAX_SUBSCRIPTION_MINUTES,
  ENTRA_WATCHED_RESOURCES,
  type EntraSubscriptionManager,
  type SavedEntraSubscription,
} from './entra-subscriptions';
