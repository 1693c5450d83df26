import type { DirectorySnapshot, IdpKind } from '../schemas';
import type { ChangeTarget } from '../watch/events';

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
  /**
   * Optional (`watch`): re-reads only what change events touched (one user, one group's members,
   * the app's settings and assignments) and returns `previous` with them replaced
   * (`patchSnapshot`). Complete or a typed error, like `readSnapshot`. An adapter may answer with
   * a full read when the targets cost more than one (it says so in `read`).
   */
  refreshSnapshot?(previous: DirectorySnapshot, options: RefreshSnapshotOptions): Promise<RefreshResult>;
}

export interface RefreshSnapshotOptions extends ReadSnapshotOptions {
  /** What changed in the IdP: `user`, `group` and `app` targets only (the caller does a full read for `everything`). */
  targets: readonly ChangeTarget[];
}

export interface RefreshResult {
  snapshot: DirectorySnapshot;
  /** `targeted`: only the targets were read; `full`: the adapter chose a full read. */
  read: 'targeted' | 'full';
  /** One line: what was read (`group 00g1 members, user 00u2`), for the log. */
  detail: string;
}
