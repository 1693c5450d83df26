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
