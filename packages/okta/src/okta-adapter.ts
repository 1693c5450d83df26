import {
  ConfigurationError,
  IncompleteReadError,
  readAsWhole,
  type DirectorySnapshot,
  type IdpAdapterV1,
  type SnapshotGroup,
  type ReadSnapshotOptions,
  type RefreshResult,
  type RefreshSnapshotOptions,
} from '@claude-idp/core';
import { PAGE } from './okta-api-facts';
import { findApp, ssoSettings, type OktaApp } from './okta-app';
import {
  readAnthropicGroups,
  readAppGroupIds,
  readAppUsers,
  readByIds,
  readMembers,
  type OktaAppUser,
  type OktaGroup,
  type OktaUser,
} from './okta-directory';
import { oktaField, userNameField } from './okta-fields';
import { OktaLister } from './okta-paging';
import { OktaPacer } from './okta-rate-limit';
import { mappedEmailSource, readProvisioning, readPushedGroups, readToAppMapping } from './okta-scim';
import { resolveOktaSettings, type OktaAdapterSettings } from './okta-settings';
import { refreshOkta } from './okta-refresh';
import { createOktaTransport } from './okta-transport';
import { fieldsToReport, toSnapshotUser } from './okta-users';

/**
 * The Okta adapter (SPEC §7). Nothing happens until `readSnapshot`: settings and environment are
 * read then, the SDK is loaded then. A read is one app lookup, then independent chains in parallel
 * (provisioning → group push; the profile mapping; the app users; app groups + `anthropic-` groups
 * → their members), then one batched lookup of the direct assignees no group covered.
 */
export function createOktaAdapter(settings: OktaAdapterSettings = {}): IdpAdapterV1 {
  // Rate-limit state outlives a read: Okta's buckets are per org and per minute, so the next read
  // by the same adapter (a scheduled job) starts from what the last one learnt.
  const pacer = new OktaPacer();
  return {
    specificationVersion: 'v1',
    idp: 'okta',
    async readSnapshot(options: ReadSnapshotOptions = {}): Promise<DirectorySnapshot> {
      const s = resolveOktaSettings(settings);
      const appRef = options.app ?? s.app;
      if (!appRef)
        throw new ConfigurationError({
          setting: 'OKTA_APP_ID',
          message: 'No app: pass --app (the Claude app id or label) or set OKTA_APP_ID',
        });
      // One failed part stops its siblings (no requests after the outcome is known).
      return readAsWhole({ vendor: 'okta', abortSignal: options.abortSignal }, async (abortSignal) => {
        const ctx = { abortSignal, onProgress: options.onProgress, retry: s.retry, pageSize: s.pageSize };
        const l = new OktaLister(await createOktaTransport(s, ctx, pacer), ctx);
        return read(l, appRef, s.orgUrl, s.concurrency, options.now);
      });
    },
    async refreshSnapshot(previous: DirectorySnapshot, options: RefreshSnapshotOptions): Promise<RefreshResult> {
      const s = resolveOktaSettings(settings);
      return readAsWhole({ vendor: 'okta', abortSignal: options.abortSignal }, async (abortSignal) => {
        const ctx = { abortSignal, onProgress: options.onProgress, retry: s.retry, pageSize: s.pageSize };
        const l = new OktaLister(await createOktaTransport(s, ctx, pacer), ctx);
        const now = options.now?.() ?? new Date();
        const targeted = await refreshOkta(l, previous, options.targets, s.concurrency, now);
        if ('snapshot' in targeted) return { snapshot: targeted.snapshot, read: 'targeted', detail: targeted.detail };
        const appRef = options.app ?? previous.app.id ?? s.app;
        if (!appRef)
          throw new ConfigurationError({
            setting: 'OKTA_APP_ID',
            message: 'No app: pass --app (the Claude app id or label) or set OKTA_APP_ID',
          });
        const snapshot = await read(l, appRef, s.orgUrl, s.concurrency, () => now);
        return { snapshot, read: 'full', detail: `full read: ${targeted.full}` };
      });
    },
  };
}

async function read(
  l: OktaLister,
  appRef: string,
  orgUrl: string,
  concurrency: number,
  now?: () => Date,
): Promise<DirectorySnapshot> {
  const app = await findApp(l, appRef);
  // Independent chains run side by side; the long app-user listing overlaps the group reads.
  const [settings, appUsers, { assignedGroupIds, groups, members }] = await Promise.all([
    readAppSettings(l, app),
    readAppUsers(l, app.id),
    readGroups(l, app.id, concurrency),
  ]);
  const people = new Map<string, OktaUser>();
  members.flat().forEach((u) => people.set(u.id, u));

  const orphan = groupAssigneeOutsideGroups(
    appUsers,
    groups.flatMap((g, i) => (assignedGroupIds.includes(g.id) ? members[i]!.map((u) => u.id) : [])),
  );
  if (orphan) throw orphanError(orphan);

  const direct = appUsers.filter((u) => u.scope !== 'GROUP').map((u) => u.id);
  const uncovered = direct.filter((id) => !people.has(id));
  if (uncovered.length) for (const u of await readUsersByIds(l, uncovered)) people.set(u.id, u);

  return {
    schemaVersion: 1,
    idp: 'okta',
    tenant: orgUrl,
    capturedAt: (now?.() ?? new Date()).toISOString(),
    complete: true,
    app: { id: app.id, name: app.label, sso: settings.sso, scim: settings.scim },
    users: [...people.values()].sort(byId).map((u) => toSnapshotUser(u, settings.fields)),
    groups: sortGroups(groups.map((g, i) => toSnapshotGroup(g, members[i]!))),
    assignments: { userIds: [...direct].sort(), groupIds: [...assignedGroupIds].sort() },
    ...(settings.unavailable.length ? { unavailable: settings.unavailable } : {}),
  };
}

/** The app's SSO and SCIM settings in canonical fields, and the user fields the snapshot reports for them. */
export async function readAppSettings(l: OktaLister, app: OktaApp) {
  const provisioningP = readProvisioning(l, app.id);
  const [provisioning, pushedGroupIds, mapping] = await Promise.all([
    provisioningP,
    // Group Push is an app feature (`features` lists GROUP_PUSH when it is on): no feature, nothing
    // pushed, and no call into the scarce /api/v1/apps/* bucket. Provisioning off: not applicable.
    provisioningP.then((p) =>
      !p.enabled ? null : app.features?.includes('GROUP_PUSH') ? readPushedGroups(l, app.id) : [],
    ),
    readToAppMapping(l, app.id),
  ]);
  const resolveAppUser = (attr: string) => oktaField(mapping?.[attr]?.expression);
  const sso = ssoSettings(app, resolveAppUser);
  const scim = {
    enabled: provisioning.enabled,
    emailSource: mappedEmailSource(mapping),
    userNameSource: userNameField(app.credentials?.userNameTemplate),
    create: provisioning.create,
    update: provisioning.update,
    deactivate: provisioning.deactivate,
    pushedGroupIds,
    intervalMinutes: null,
  };
  const unavailable =
    provisioning.enabled && pushedGroupIds === null
      ? [
          {
            check: 'scim.pushedGroupIds',
            reason: 'The Group Push mappings API is not enabled on this Okta org (E0000015 / 404).',
          },
        ]
      : [];
  return { sso, scim, fields: snapshotFields({ sso, scim }), unavailable };
}

/** The user fields a snapshot reports: the canonical ones plus whichever the app's SAML/SCIM mappings read. */
export function snapshotFields(app: Pick<DirectorySnapshot['app'], 'sso' | 'scim'>): string[] {
  return fieldsToReport([
    app.sso?.nameIdSource,
    app.sso?.emailAttribute?.source,
    app.scim?.emailSource,
    app.scim?.userNameSource,
  ]);
}

/**
 * Cross-check of the app-group listing (its cursor is opaque, see okta-directory.ts): everyone
 * Okta says is assigned through a group must be in one of the assigned groups read. The first
 * one who is not, or null.
 */
export function groupAssigneeOutsideGroups(appUsers: OktaAppUser[], assignedMembers: Iterable<string>): string | null {
  const covered = new Set(assignedMembers);
  return appUsers.find((u) => u.scope === 'GROUP' && !covered.has(u.id))?.id ?? null;
}

function orphanError(userId: string): IncompleteReadError {
  return new IncompleteReadError({
    vendor: 'okta',
    resource: 'apps/groups',
    reason: 'count-mismatch',
    message: `okta: app user ${userId} is assigned through a group, but no assigned group read contains them; the group assignments were not read completely (or changed during the read)`,
  });
}

/** Users by id, batched into `filter=id eq …` listings. */
export function readUsersByIds(l: OktaLister, ids: string[]): Promise<OktaUser[]> {
  return readByIds<OktaUser>(l, { path: '/api/v1/users', ids, resource: 'users', limit: PAGE.users.max });
}

/** A group and its direct members as a snapshot group (Okta has no nesting). */
export function toSnapshotGroup(g: OktaGroup, members: OktaUser[]): SnapshotGroup {
  return {
    id: g.id,
    name: g.profile?.name ?? g.id,
    memberUserIds: members.map((u) => u.id).sort(),
    memberGroupIds: [],
  };
}

/** The snapshot's group order: by name, then id. */
export function sortGroups(groups: SnapshotGroup[]): SnapshotGroup[] {
  return groups.sort((a, b) => a.name.localeCompare(b.name) || byId(a, b));
}

export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The groups to read (assigned ones and every `anthropic-` group; Okta has no nesting) and their members. */
async function readGroups(l: OktaLister, appId: string, concurrency: number) {
  const [assignedGroupIds, anthropic] = await Promise.all([readAppGroupIds(l, appId), readAnthropicGroups(l)]);
  const known = new Set(anthropic.map((g) => g.id));
  const otherAssigned = assignedGroupIds.filter((id) => !known.has(id));
  const groups: OktaGroup[] = [
    ...anthropic,
    ...(otherAssigned.length
      ? await readByIds<OktaGroup>(l, {
          path: '/api/v1/groups',
          ids: otherAssigned,
          resource: 'groups',
          limit: PAGE.groups.max,
          query: { expand: 'stats' },
        })
      : []),
  ];
  return { assignedGroupIds, groups, members: await readMembers(l, groups, concurrency) };
}
