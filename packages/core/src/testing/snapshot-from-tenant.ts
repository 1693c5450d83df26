import type { IdpKind } from '../schemas/common';
import type { DirectorySnapshot } from '../schemas/snapshot';
import { groupsToRead, usersToRead, type GenericField, type GenericTenant } from './generic-tenant';

export interface SnapshotFromTenantOptions {
  /**
   * Whether the IdP has nested groups that the read follows (Entra, Google: yes; Okta, OneLogin:
   * no, and their snapshots carry no `memberGroupIds`). Default: true, except for `okta` / `onelogin`.
   */
  nesting?: boolean;
  /** The `idp` of the snapshot. Default 'generic'. `entra` also sets the 40-minute SCIM cycle and direct-only access nesting. */
  idp?: IdpKind;
  /** Canonical source-field names of the generic `email` / `login` fields. Default user.email / user.login (Entra: user.mail / user.userPrincipalName). */
  fields?: { email: string; login: string };
  /** Group-nesting semantics for app access written to `snapshot.nesting`. Default: absent (per-IdP default), Entra 'direct'. */
  accessNesting?: 'direct' | 'transitive';
  /** Default '1970-01-01T00:00:00.000Z' (core is pure: no clock). */
  capturedAt?: string;
  /** Default: the tenant's name. */
  tenant?: string;
  /** SCIM push interval in minutes. Default null (Entra: 40). */
  intervalMinutes?: number | null;
}

const DEFAULT_FIELDS: Partial<Record<IdpKind, { email: string; login: string }>> = {
  entra: { email: 'user.mail', login: 'user.userPrincipalName' },
  google: { email: 'user.primaryEmail', login: 'user.primaryEmail' },
  onelogin: { email: 'user.email', login: 'user.username' },
};

/**
 * The `DirectorySnapshot` a perfect adapter would return for a generic tenant (the conformance
 * rules): the app's SSO / SCIM settings, its direct assignments, the groups it must read (assigned
 * ones, every `anthropic-` group, and, where the IdP nests, the groups nested in those) with their
 * direct members, and every user those reach, with the source fields under canonical names.
 * Pure: same tenant and options, same snapshot (users and groups in tenant order).
 */
export function snapshotFromTenant(tenant: GenericTenant, options: SnapshotFromTenantOptions = {}): DirectorySnapshot {
  const idp = options.idp ?? 'generic';
  const nesting = options.nesting ?? !(idp === 'okta' || idp === 'onelogin');
  const fields = options.fields ?? DEFAULT_FIELDS[idp] ?? { email: 'user.email', login: 'user.login' };
  const source = (f: GenericField) => (f === 'email' ? fields.email : fields.login);
  const groups = groupsToRead(tenant, { nesting });
  const read = new Set(groups.map((g) => g.id));
  const users = usersToRead(tenant, { nesting });
  const accessNesting = options.accessNesting ?? (idp === 'entra' ? 'direct' : undefined);
  const intervalMinutes = options.intervalMinutes !== undefined ? options.intervalMinutes : idp === 'entra' ? 40 : null;
  const { app } = tenant;
  const snapshot: DirectorySnapshot = {
    schemaVersion: 1,
    idp,
    tenant: options.tenant ?? tenant.name,
    capturedAt: options.capturedAt ?? '1970-01-01T00:00:00.000Z',
    complete: true,
    app: {
      id: app.id,
      name: app.name,
      sso: {
        protocol: app.sso.protocol,
        nameIdFormat: app.sso.nameIdFormat,
        nameIdSource: source(app.sso.nameId),
        emailAttribute: app.sso.emailAttribute ? { name: 'email', source: source(app.sso.emailAttribute) } : null,
      },
      scim: app.scim && {
        enabled: app.scim.enabled,
        emailSource: source(app.scim.email),
        userNameSource: source(app.scim.userName),
        create: app.scim.create,
        update: app.scim.update,
        deactivate: app.scim.deactivate,
        pushedGroupIds: app.scim.pushedGroupIds ? [...app.scim.pushedGroupIds] : null,
        intervalMinutes,
      },
    },
    users: users.map((u) => ({
      id: u.id,
      email: u.email,
      login: u.login,
      status: u.status,
      fields: { [fields.email]: u.email, [fields.login]: u.login },
      ...(u.aliases?.length ? { aliases: [...u.aliases] } : {}),
    })),
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      memberUserIds: [...g.memberUserIds],
      memberGroupIds: nesting ? g.memberGroupIds.filter((id) => read.has(id)) : [],
    })),
    assignments: { userIds: [...tenant.assignments.userIds], groupIds: [...tenant.assignments.groupIds] },
  };
  if (accessNesting) snapshot.nesting = accessNesting;
  return snapshot;
}
