import {
  ConfigurationError,
  readAsWhole,
  type DirectorySnapshot,
  type IdpAdapterV1,
  type ReadSnapshotOptions,
} from '@claude-idp/core';
import { findServicePrincipal, readAssignments, readProvisioning, readSso } from './entra-app';
import { createTokenSource } from './entra-credential';
import { readGroupMembers, readPrefixGroups, readUsersById } from './entra-directory';
import { GraphHttp } from './entra-graph-client';
import { scimFromSynchronization } from './entra-provisioning';
import { createGraphReader, type GraphReader } from './entra-requests';
import { refreshEntraSnapshot } from './entra-refresh';
import { resolveEntraSettings, type EntraAdapterSettings, type ResolvedEntraSettings } from './entra-settings';
import { buildSnapshot } from './entra-snapshot';

/**
 * The Microsoft Entra ID adapter. Nothing is read or resolved until `readSnapshot`: settings and
 * their environment defaults (SPEC §6) are looked up then, so the factory is safe at import time.
 */
export function createEntraAdapter(settings: EntraAdapterSettings = {}): IdpAdapterV1 {
  return {
    specificationVersion: 'v1',
    idp: 'entra',
    // async: a bad setting rejects the returned promise rather than throwing at the call.
    readSnapshot: async (options: ReadSnapshotOptions = {}) =>
      readEntraSnapshot(resolveEntraSettings(settings), options),
    refreshSnapshot: async (previous, options) =>
      refreshEntraSnapshot(resolveEntraSettings(settings), previous, options),
  };
}

/** The Graph client, batcher, retry and progress one read uses. */
export function openGraphReader(
  settings: ResolvedEntraSettings,
  options: Pick<ReadSnapshotOptions, 'onProgress'>,
  abortSignal: AbortSignal,
): GraphReader {
  const http = new GraphHttp({
    graphUrl: settings.graphUrl,
    tokens: createTokenSource(settings.auth, settings.graphUrl),
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs,
  });
  return createGraphReader(http, {
    concurrency: settings.concurrency,
    retry: settings.retry,
    abortSignal,
    onProgress: options.onProgress,
  });
}

export async function readEntraSnapshot(
  settings: ResolvedEntraSettings,
  options: ReadSnapshotOptions,
): Promise<DirectorySnapshot> {
  const app = options.app ?? settings.app;
  if (!app)
    throw new ConfigurationError({
      setting: 'ENTRA_APP_ID',
      message: 'ENTRA_APP_ID is not set and no app was given: pass the enterprise app object id, appId or display name',
    });
  // One signal for the whole read: the first failure stops the sibling requests still running.
  return readAsWhole({ vendor: 'entra', abortSignal: options.abortSignal }, async (abortSignal) => {
    const reader = openGraphReader(settings, options, abortSignal);
    const sp = await findServicePrincipal(reader, app);
    // Everything below runs concurrently; requests issued together share a $batch. Group members
    // start as soon as the assignments and the prefix groups are known, and directly assigned
    // people are looked up alongside them (15 ids a request) rather than after every group is read.
    const people = Promise.all([readAssignments(reader, sp), readPrefixGroups(reader)]).then(
      async ([assignments, prefixGroups]) => {
        const start = new Map([
          ...prefixGroups,
          ...[...assignments.groups].map(([id, name]) => [id, prefixGroups.get(id) ?? name] as const),
        ]);
        const [directory, direct] = await Promise.all([
          readGroupMembers(reader, start),
          readUsersById(reader, [...assignments.userIds].sort()),
        ]);
        return { assignments, directory, direct };
      },
    );
    const [{ assignments, directory, direct }, ssoRead, provisioning] = await Promise.all([
      people,
      readSso(reader, sp),
      readProvisioning(reader, sp),
    ]);
    const scim = scimFromSynchronization(provisioning.job, provisioning.schema, [...assignments.groups.keys()]);
    return buildSnapshot({
      tenant: entraTenantLabel(settings),
      capturedAt: options.now?.() ?? new Date(),
      sp,
      sso: ssoRead.sso,
      scim,
      groups: directory.groups,
      users: [...new Map([...directory.users, ...direct.map((u) => [u.id, u] as const)]).values()],
      assignedUserIds: assignments.userIds,
      assignedGroupIds: new Set(assignments.groups.keys()),
      unavailable: ssoRead.unavailable,
    });
  });
}

/** The tenant id when configured, else the `tid` claim of a ready token, else the Graph host. */
export function entraTenantLabel(settings: ResolvedEntraSettings): string {
  const a = settings.auth;
  if (settings.tenantId) return settings.tenantId;
  if (a.kind === 'token') {
    try {
      const payload = JSON.parse(Buffer.from(a.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        tid?: unknown;
      };
      if (typeof payload.tid === 'string') return payload.tid;
    } catch {
      // not a JWT: fall through
    }
  }
  return new URL(settings.graphUrl).host;
}
