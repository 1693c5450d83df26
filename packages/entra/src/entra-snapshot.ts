import type { DirectorySnapshot, ScimSettings, SnapshotUser, SsoSettings } from '@claude-idp/core';
import type { ServicePrincipal, Unavailable } from './entra-app';
import type { DirectoryGroup } from './entra-directory';
import { fieldValue, type GraphUser } from './entra-fields';

/** The fields every Entra snapshot user carries: the two an email can come from, whatever the mappings say. */
const ALWAYS = ['user.mail', 'user.userPrincipalName'];

/** B2B guests: `userType` Guest, or a UPN in the `alias_theirdomain#EXT#@tenant` form. */
export function isGuest(u: GraphUser): boolean {
  return u.userType === 'Guest' || (u.userPrincipalName ?? '').includes('#EXT#');
}

/**
 * A Graph user as a snapshot user. Email is `mail`; a B2B guest keeps their real address
 * (`mail`, else the first of `otherMails`, where the invitation stores it), never the `#EXT#`
 * UPN, which stays the login. Entra shows only enabled / disabled: `accountEnabled: false` is
 * `suspended`. Other addresses (`otherMails`, `proxyAddresses` without their `SMTP:` prefix) are aliases.
 */
export function toSnapshotUser(u: GraphUser, fields: string[]): SnapshotUser {
  const email = u.mail ?? (isGuest(u) ? (u.otherMails?.[0] ?? null) : null);
  const values: Record<string, string | null> = {};
  for (const f of fields) {
    const v = fieldValue(u, f);
    if (v !== undefined) values[f] = v;
  }
  const seen = new Set([email?.toLowerCase()]);
  const aliases: string[] = [];
  for (const a of [
    ...(u.otherMails ?? []),
    ...(u.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5)),
  ]) {
    if (!seen.has(a.toLowerCase())) seen.add(a.toLowerCase()), aliases.push(a);
  }
  return {
    id: u.id,
    email,
    login: u.userPrincipalName ?? null,
    status: u.accountEnabled === false ? 'suspended' : 'active',
    fields: values,
    ...(aliases.length ? { aliases } : {}),
  };
}

/** The canonical fields the app's mappings read (plain fields only), plus mail and UPN. */
export function mappedFields(sso: SsoSettings | null, scim: ScimSettings | null): string[] {
  const all = [...ALWAYS, sso?.nameIdSource, sso?.emailAttribute?.source, scim?.emailSource, scim?.userNameSource];
  return [...new Set(all.filter((f): f is string => typeof f === 'string' && f.startsWith('user.')))].sort();
}

/** Mapped fields the read does not select: their values are not in the snapshot. */
export function unselectedFields(fields: string[]): Unavailable[] {
  return fields
    .filter((f) => fieldValue({ id: '' }, f) === undefined)
    .map((f) => ({
      check: `fields.${f}`,
      reason: `${f} is not a user property this read selects; its values are not in the snapshot`,
    }));
}

export function sortUnavailable(list: Unavailable[]): Unavailable[] {
  return [...list].sort((a, b) => (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
}

export const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Assembles the snapshot in a deterministic order (sorted ids), so two reads of one tenant compare equal. */
export function buildSnapshot(args: {
  tenant: string;
  capturedAt: Date;
  sp: ServicePrincipal;
  sso: SsoSettings | null;
  scim: ScimSettings | null;
  groups: Map<string, DirectoryGroup>;
  users: GraphUser[];
  assignedUserIds: Set<string>;
  assignedGroupIds: Set<string>;
  unavailable: Unavailable[];
}): DirectorySnapshot {
  const fields = mappedFields(args.sso, args.scim);
  args.unavailable.push(...unselectedFields(fields));
  return {
    schemaVersion: 1,
    idp: 'entra',
    tenant: args.tenant,
    capturedAt: args.capturedAt.toISOString(),
    complete: true,
    app: { id: args.sp.id, name: args.sp.displayName, sso: args.sso, scim: args.scim },
    users: args.users.map((u) => toSnapshotUser(u, fields)).sort(byId),
    groups: [...args.groups.values()]
      .map((g) => ({
        id: g.id,
        name: g.name,
        memberUserIds: [...new Set(g.memberUserIds)].sort(),
        memberGroupIds: [...new Set(g.memberGroupIds)].sort(),
      }))
      .sort(byId),
    assignments: { userIds: [...args.assignedUserIds].sort(), groupIds: [...args.assignedGroupIds].sort() },
    // Group-based access in Entra reaches direct members only.
    nesting: 'direct',
    ...(args.unavailable.length ? { unavailable: sortUnavailable(args.unavailable) } : {}),
  };
}
