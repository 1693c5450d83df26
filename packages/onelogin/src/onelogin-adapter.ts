import type {
  DirectorySnapshot,
  IdpAdapterV1,
  ReadSnapshotOptions,
  RefreshResult,
  RefreshSnapshotOptions,
} from '@claude-idp/core';
import { createHash } from 'node:crypto';
import { createOneLoginClient, type OneLoginClient } from './onelogin-client';
import { readOneLoginSnapshot } from './onelogin-read-snapshot';
import { refreshOneLoginSnapshot } from './onelogin-refresh';
import { resolveOneLoginSettings, type OneLoginSettings } from './onelogin-settings';

/**
 * The OneLogin adapter (IdpAdapterV1). Nothing happens at construction: settings and the
 * environment are read when `readSnapshot` starts, and each read gets its own client (and token
 * cache), so an adapter can live for the whole process and pick up rotated credentials.
 *
 * @example
 * const adapter = createOneLoginAdapter(); // ONELOGIN_BASE_URL, ONELOGIN_CLIENT_ID/SECRET, ONELOGIN_APP_ID
 * const snapshot = await adapter.readSnapshot({ app: 'Claude' });
 */
export function createOneLoginAdapter(settings: OneLoginSettings = {}): IdpAdapterV1 {
  // `watch` refreshes often: consecutive refreshes with the same host and credentials share one
  // client, so its token (valid 10 hours) is reused instead of asked for on every change.
  let refreshClient: { key: string; client: OneLoginClient } | undefined;
  const clientForRefresh = (): OneLoginClient => {
    const resolved = resolveOneLoginSettings(settings);
    const key = createHash('sha256')
      .update(JSON.stringify([resolved.baseUrl, resolved.credentials]))
      .digest('hex');
    if (refreshClient?.key !== key) refreshClient = { key, client: createOneLoginClient(resolved) };
    return refreshClient.client;
  };
  return {
    specificationVersion: 'v1',
    idp: 'onelogin',
    async readSnapshot(options: ReadSnapshotOptions = {}): Promise<DirectorySnapshot> {
      const client = createOneLoginClient(resolveOneLoginSettings(settings));
      return readOneLoginSnapshot(client, options);
    },
    /** Re-reads only what `targets` name (see onelogin-refresh.ts), or reads in full when that is cheaper. */
    async refreshSnapshot(previous: DirectorySnapshot, options: RefreshSnapshotOptions): Promise<RefreshResult> {
      return refreshOneLoginSnapshot(clientForRefresh(), previous, options);
    },
  };
}
