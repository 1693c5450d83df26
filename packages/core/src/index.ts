export * from './errors';
export * from './schemas';
export * from './model';
export * from './load';
export * from './http';
export type { IdpAdapterV1, ReadSnapshotOptions, ProgressEvent } from './adapter/idp-adapter-v1';
export { VERSION } from './version';
// Rules (R-*) and the engine: rules/ and engine/audit/ (audit, preflight); engine/plan/ (plan, explain, runbook, diff).
export * from './rules';
export * from './engine/audit';
export * from './engine/plan';
export type { ConnectionSettings } from './adapter/connection-settings';
