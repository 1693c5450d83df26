import type { DirectorySnapshot, SnapshotGroup, SnapshotUser, UserStatus } from '@claude-idp/core';
import { GOOGLE_NAME_ID_FORMATS, type ParsedGoogleApp } from './google-declaration';
import type { GGroup, GMember, GUser } from './google-lists';
import { domainOf, type GoogleDirectoryRead } from './google-read';

/**
 * Google's user states as snapshot statuses. `suspended: true` -> suspended (by an admin or by
 * Google). `archived: true` -> deprovisioned: an archived user (Archived User license) keeps the
 * account and its data but cannot sign in to anything, which is what `deprovisioned` means in the
 * snapshot; archived wins when both are set. Google has no staged or locked-out state in the API.
 */
export function googleUserStatus(u: Pick<GUser, 'suspended' | 'archived'>): UserStatus {
  if (u.archived) return 'deprovisioned';
  if (u.suspended) return 'suspended';
  return 'active';
}

/** The value of a declared source path on a user (`primaryEmail`, `name.givenName`, `organizations.title`, `customSchemas.S.f`). */
export function googleFieldValue(u: GUser, path: string): string | null {
  const v = (() => {
    if (path === 'primaryEmail') return u.primaryEmail;
    if (path.startsWith('name.')) return (u.name as Record<string, unknown> | undefined)?.[path.slice(5)];
    if (path.startsWith('organizations.')) {
      const orgs = (Array.isArray(u.organizations) ? u.organizations : []) as Record<string, unknown>[];
      return (orgs.find((o) => o.primary) ?? orgs[0])?.[path.slice(14)];
    }
    const [, schema, field] = path.split('.');
    return (u.customSchemas as Record<string, Record<string, unknown>> | undefined)?.[schema!]?.[field!];
  })();
  return v === undefined || v === null || v === '' ? null : String(v);
}

const UNAVAILABLE = {
  sso: "Google Workspace's API has no read access to a custom SAML app's Name ID or attribute mapping; declare them (GOOGLE_APP_DECLARATION) to have them checked",
  assignments:
    "Google Workspace's API does not show which org units and groups may use a SAML app; declare the app's User access (GOOGLE_APP_DECLARATION) to have assignments checked",
  scim: "Google Workspace's API does not show an app's automatic provisioning settings",
};

export function buildGoogleSnapshot(args: {
  read: GoogleDirectoryRead;
  app: ParsedGoogleApp | null;
  appRef: string | undefined;
  customer: string;
  sourcePaths: string[];
  now: Date;
}): DirectorySnapshot {
  const { read, app } = args;
  const listed = new Map(read.users.map((u) => [u.id!, u]));
  const domains = new Set(read.users.map((u) => domainOf(u.primaryEmail)).filter(Boolean));
  // A CUSTOMER member means "every user in the account" (members.list `type`).
  const userMembers = (list: GMember[]) =>
    list.flatMap((m) => (m.type === 'USER' && m.id ? [m.id] : m.type === 'CUSTOMER' ? [...listed.keys()] : []));
  const reached = new Set<string>(read.orgUnitUserIds ?? []);
  const external = new Map<string, GMember>();
  for (const list of read.members.values()) {
    for (const m of list)
      if (m.type === 'USER' && m.id && !listed.has(m.id) && !domains.has(domainOf(m.email))) external.set(m.id, m);
    for (const id of userMembers(list)) reached.add(id);
  }
  const fields = snapshotFields(args.sourcePaths);
  const users: SnapshotUser[] = [...reached].flatMap((id) => {
    const u = listed.get(id);
    if (u) return [snapshotUser(u, fields)];
    const m = external.get(id);
    return m ? [externalUser(m, fields)] : [];
  });
  users.sort(byUser);
  const groups = read.groups.map((g) => snapshotGroup(g, read.members.get(g.id!) ?? [], listed.keys())).sort(byGroup);
  const part = googleAppPart(app, args.appRef);
  return {
    schemaVersion: 1,
    idp: 'google',
    tenant: read.users.find((u) => u.customerId)?.customerId ?? args.customer,
    capturedAt: args.now.toISOString(),
    complete: true,
    app: part.app,
    users,
    groups,
    // Without a declaration nobody is known to be assigned: empty, with an `unavailable` entry, never a guess.
    assignments: { userIds: [...(read.orgUnitUserIds ?? [])].sort(), groupIds: read.declaredGroupIds },
    // Access groups "can include any users or groups": members of nested groups get access too.
    nesting: 'transitive',
    unavailable: part.unavailable,
  };
}

/** The app as the declaration describes it, and what Google's API cannot show (`unavailable`). */
export function googleAppPart(
  app: ParsedGoogleApp | null,
  appRef: string | undefined,
): { app: DirectorySnapshot['app']; unavailable: { check: string; reason: string }[] } {
  const unavailable: { check: string; reason: string }[] = [];
  if (!app?.sso) unavailable.push({ check: 'sso', reason: UNAVAILABLE.sso });
  if (!app?.access) unavailable.push({ check: 'assignments', reason: UNAVAILABLE.assignments });
  unavailable.push({ check: 'scim', reason: UNAVAILABLE.scim });
  const sso = app?.sso;
  const email = sso?.attributes.find((a) => a.name.toLowerCase() === 'email');
  return {
    app: {
      id: app ? (app.id ?? app.name) : (appRef ?? '(undeclared)'),
      name: app?.name ?? appRef ?? '(undeclared)',
      sso: sso
        ? {
            protocol: 'saml',
            nameIdFormat: GOOGLE_NAME_ID_FORMATS[sso.nameIdFormat],
            nameIdSource: `user.${sso.nameId}`,
            emailAttribute: email ? { name: email.name, source: `user.${email.source}` } : null,
            declared: true,
          }
        : null,
      scim: null,
    },
    unavailable,
  };
}

/** The `fields` keys of every snapshot user: `primaryEmail` and the declared source paths. */
export function snapshotFields(sourcePaths: readonly string[]): string[] {
  return [...new Set(['primaryEmail', ...sourcePaths])];
}

/** A user of the customer. Google's sign-in identity is the primary email: it is both `email` and `login`. */
export function snapshotUser(u: GUser, fields: readonly string[]): SnapshotUser {
  const aliases = [...new Set([...(u.aliases ?? []), ...(u.nonEditableAliases ?? [])])];
  return {
    id: u.id!,
    email: u.primaryEmail ?? null,
    login: u.primaryEmail ?? null,
    status: googleUserStatus(u),
    fields: Object.fromEntries(fields.map((p) => [`user.${p}`, googleFieldValue(u, p)])),
    ...(aliases.length ? { aliases } : {}),
  };
}

/** An account outside this customer: listed in a group, but it cannot sign in through this Google SAML app. */
export function externalUser(m: GMember, fields: readonly string[]): SnapshotUser {
  return {
    id: m.id!,
    email: m.email ?? null,
    login: null,
    status: m.status === 'SUSPENDED' ? 'suspended' : 'active',
    fields: Object.fromEntries(fields.map((p) => [`user.${p}`, null])),
  };
}

/** A group with its direct members. A CUSTOMER member means "every user in the account" (members.list `type`). */
export function snapshotGroup(g: GGroup, list: GMember[], everyone: Iterable<string>): SnapshotGroup {
  const all = [...everyone];
  const userIds = list.flatMap((m) => (m.type === 'USER' && m.id ? [m.id] : m.type === 'CUSTOMER' ? all : []));
  return {
    id: g.id!,
    name: g.name ?? g.email ?? g.id!,
    memberUserIds: [...new Set(userIds)].sort(),
    memberGroupIds: list
      .filter((m) => m.type === 'GROUP' && m.id)
      .map((m) => m.id!)
      .sort(),
  };
}

/** Users by email then id; groups by name then id (the order of a full read). */
export const byUser = (a: SnapshotUser, b: SnapshotUser) => byText(a.email ?? '', b.email ?? '') || byText(a.id, b.id);
export const byGroup = (a: SnapshotGroup, b: SnapshotGroup) => byText(a.name, b.name) || byText(a.id, b.id);

/** The order core uses (plain string comparison), never `localeCompare`: its order depends on the machine's ICU locale. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
