import { normalizeEmail } from '../model/email';
import type { DirectorySnapshot, UserStatus } from '../schemas/snapshot';
import { groupsToRead, usersToRead, type GenericTenant } from '../testing/generic-tenant';

/** A vendor-neutral view of who and what a snapshot holds: ids replaced by emails and group names. */
export interface CanonicalView {
  users: { email: string | null; login?: string | null; status: UserStatus }[];
  groups: { name: string; members: string[]; nested: string[] }[];
  assignedUsers: string[];
  assignedGroups: string[];
}

export interface ViewOptions {
  /** Whether the IdP nests groups (Entra, Google) or not (Okta, OneLogin). */
  nesting: boolean;
  /** What the snapshot's `login` holds for this IdP: the generic login, the email, or skip comparing it. */
  login: 'login' | 'email' | 'skip';
  /** How this IdP represents each generic status (Entra has only enabled/disabled, ...). */
  status?: (status: UserStatus) => UserStatus;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

export function viewOfSnapshot(s: DirectorySnapshot, options: ViewOptions): CanonicalView {
  const userKey = new Map(s.users.map((u) => [u.id, normalizeEmail(u.email) ?? `id:${u.id}`]));
  const groupName = new Map(s.groups.map((g) => [g.id, g.name]));
  return {
    users: s.users
      .map((u) => ({
        email: normalizeEmail(u.email),
        ...(options.login === 'skip' ? {} : { login: normalizeEmail(u.login) }),
        status: u.status,
      }))
      .sort((a, b) => String(a.email).localeCompare(String(b.email))),
    groups: s.groups
      .map((g) => ({
        name: g.name,
        members: sorted(g.memberUserIds.map((id) => userKey.get(id) ?? `missing:${id}`)),
        nested: options.nesting ? sorted(g.memberGroupIds.map((id) => groupName.get(id) ?? `missing:${id}`)) : [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    assignedUsers: sorted(s.assignments.userIds.map((id) => userKey.get(id) ?? `missing:${id}`)),
    assignedGroups: sorted(s.assignments.groupIds.map((id) => groupName.get(id) ?? `missing:${id}`)),
  };
}

/** What a correct adapter must read from a generic tenant (assigned + `anthropic-` groups, nested ones, users they reach). */
export function expectedView(t: GenericTenant, options: ViewOptions): CanonicalView {
  const status = options.status ?? ((x: UserStatus) => x);
  const groups = groupsToRead(t, options);
  const ids = new Set(groups.map((g) => g.id));
  const users = usersToRead(t, options);
  const email = new Map(t.users.map((u) => [u.id, normalizeEmail(u.email) ?? u.id]));
  const name = new Map(t.groups.map((g) => [g.id, g.name]));
  return {
    users: users
      .map((u) => ({
        email: normalizeEmail(u.email),
        ...(options.login === 'skip' ? {} : { login: normalizeEmail(options.login === 'login' ? u.login : u.email) }),
        status: status(u.status),
      }))
      .sort((a, b) => String(a.email).localeCompare(String(b.email))),
    groups: groups
      .map((g) => ({
        name: g.name,
        members: sorted(g.memberUserIds.map((id) => email.get(id)!)),
        nested: options.nesting ? sorted(g.memberGroupIds.filter((id) => ids.has(id)).map((id) => name.get(id)!)) : [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    assignedUsers: sorted(t.assignments.userIds.map((id) => email.get(id)!)),
    assignedGroups: sorted(t.assignments.groupIds.map((id) => name.get(id)!)),
  };
}
