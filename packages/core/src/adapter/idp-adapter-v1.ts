import type { DirectorySnapshot, IdpKind } from '../schemas';

/** Typed progress events; callers render them (the CLI on stderr), the adapters never log. */
export type ProgressEvent =
  | { type: 'start'; resource: string }
  | { type: 'page'; resource: string; count: number; total: number }
  | { type: 'done'; resource: string; total: number }
  | { type: 'retry'; resource: string; attempt: number; delayMs: number; status?: number; reason: string }
  | { type: 'throttle'; resource: string; delayMs: number; reason: string; attempt?: number; status?: number };

export interface ReadSnapshotOptions {
  /** The Claude app: id or exact name/label. Falls back to the adapter's env default (e.g. OKTA_APP_ID). */
  app?: string;
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Clock for `capturedAt` (tests pass a fixed one). */
  now?: () => Date;
}

/**
 * The contract every IdP adapter implements. Version 1; a breaking change gets a V2 beside it,
 * this file is never edited incompatibly.
 *
 * `readSnapshot` returns a snapshot with `complete: true` or throws one of core's typed errors
 * (`IncompleteReadError`, `PermissionError`, `ApiCallError`, `ConfigurationError`, `InputError`).
 * It never returns a partial tenant.
 */
export interface IdpAdapterV1 {
  readonly specificationVersion: 'v1';
  readonly idp: IdpKind;
  readSnapshot(options?: ReadSnapshotOptions): Promise<DirectorySnapshot>;
}
