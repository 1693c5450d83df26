export * from './errors';
export * from './schemas';
export * from './model';
export * from './load';
export * from './http';
export type {
  IdpAdapterV1,
  ReadSnapshotOptions,
  ProgressEvent,
  RefreshSnapshotOptions,
  RefreshResult,
} from './adapter/idp-adapter-v1';
// Change events and targeted re-reads (`claude-idp watch`).
export * from './watch';
export { VERSION } from './version';
// Rules (R-*) and the engine: rules/ and engine/audit/ (audit, preflight); engine/plan/ (plan, explain, runbook, diff).
export * from './rules';
export * from './engine/audit';
export * from './engine/plan';
export type { ConnectionSettings } from './adapter/connection-settings';
