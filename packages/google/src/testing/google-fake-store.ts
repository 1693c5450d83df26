import { createHash } from 'node:crypto';
import type { GenericTenant, GenericUser } from '@claude-idp/core/testing';

/** The org unit the fake puts directly assigned people in: Google has no per-user app access, only org units and groups. */
export const CLAUDE_ORG_UNIT = '/Claude';

const hash = (s: string) => createHash('sha256').update(s).digest();
/** Google user ids are 21-digit numbers ("116675950093144953544"). */
const userId = (t: GenericTenant, id: string) =>
  `1${BigInt(`0x${hash(`${t.name}:u:${id}`).toString('hex').slice(0, 24)}`)
    .toString()
    .padStart(20, '0')
    .slice(0, 20)}`;
/** Group ids are 15 lower-case base-36 characters ("01ljm8o94bcbl8t"). */
const groupId = (t: GenericTenant, id: string) =>
  `0${BigInt(`0x${hash(`${t.name}:g:${id}`).toString('hex').slice(0, 24)}`)
    .toString(36)
    .padStart(14, '0')
    .slice(0, 14)}`;
/** Customer ids look like "C01q2wtti". */
export const customerIdOf = (t: GenericTenant) =>
  `C0${hash(`${t.name}:c`).toString('base64url').replace(/[-_]/g, 'x').slice(0, 7)}`;
const etag = (t: GenericTenant, key: string) =>
  `"${hash(`${t.name}:etag`).toString('base64url').slice(0, 27)}/${hash(key).toString('base64url').slice(0, 27)}"`;

/** A group's address: its name, lower-cased, spaces to dashes, at the tenant's domain. */
export const groupEmailOf = (t: GenericTenant, name: string) =>
  `${name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')}@${t.domain}`;
export const orgUnitOf = (t: GenericTenant, u: GenericUser) =>
  t.assignments.userIds.includes(u.id) ? CLAUDE_ORG_UNIT : '/';

export interface GoogleStore {
  customerId: string;
  users: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  /** Direct members by Google group id, in the API's Member shape. */
  members: Map<string, Record<string, unknown>[]>;
}

/**
 * The generic tenant as the Directory API holds it (field names from the Users, Groups and
 * Members resources). Statuses: suspended -> `suspended: true`; deprovisioned -> `archived: true`
 * (an archived user keeps the account but cannot sign in); locked -> `suspended: true` (Google shows
 * no lock-out state; an account Google itself blocks reads as suspended); staged -> active.
 */
export function buildGoogleStore(t: GenericTenant): GoogleStore {
  const customerId = customerIdOf(t);
  const uid = new Map(t.users.map((u) => [u.id, userId(t, u.id)]));
  const gid = new Map(t.groups.map((g) => [g.id, groupId(t, g.id)]));
  const users = t.users.map((u) => {
    const id = uid.get(u.id)!;
    const [local, domain] = [u.email.slice(0, u.email.lastIndexOf('@')), u.email.slice(u.email.lastIndexOf('@') + 1)];
    // Every account has a non-editable alias on the test domain Google adds (`...test-google-a.com`).
    const nonEditable = `${local}@${domain}.test-google-a.com`.toLowerCase();
    return {
      kind: 'admin#directory#user',
      id,
      etag: etag(t, `u:${u.id}:${u.status}:${u.email}`),
      primaryEmail: u.email,
      name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
      isAdmin: false,
      isDelegatedAdmin: false,
      creationTime: '2024-01-15T09:30:00.000Z',
      agreedToTerms: true,
      suspended: u.status === 'suspended' || u.status === 'locked',
      archived: u.status === 'deprovisioned',
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      emails: [
        { address: u.email, primary: true },
        ...(u.aliases ?? []).map((address) => ({ address })),
        { address: nonEditable },
      ],
      ...(u.aliases?.length ? { aliases: [...u.aliases] } : {}),
      nonEditableAliases: [nonEditable],
      customerId,
      orgUnitPath: orgUnitOf(t, u),
      isMailboxSetup: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      includeInGlobalAddressList: true,
    };
  });
  const email = new Map(t.users.map((u) => [u.id, u.email]));
  // A suspended account's memberships read `status: SUSPENDED` (the user's `suspended: true`, locked included).
  const suspended = new Set(t.users.filter((u) => u.status === 'suspended' || u.status === 'locked').map((u) => u.id));
  const members = new Map<string, Record<string, unknown>[]>();
  const groups = t.groups.map((g) => {
    const id = gid.get(g.id)!;
    const address = groupEmailOf(t, g.name);
    const list = [
      ...g.memberUserIds
        .filter((m) => uid.has(m))
        .map((m) => ({
          kind: 'admin#directory#member',
          etag: etag(t, `m:${g.id}:${m}`),
          id: uid.get(m)!,
          email: email.get(m)!,
          role: 'MEMBER',
          type: 'USER',
          status: suspended.has(m) ? 'SUSPENDED' : 'ACTIVE',
        })),
      // Nested groups are members of type GROUP (`status` is only documented as seen on users).
      ...g.memberGroupIds
        .filter((m) => gid.has(m))
        .map((m) => ({
          kind: 'admin#directory#member',
          etag: etag(t, `m:${g.id}:${m}`),
          id: gid.get(m)!,
          email: groupEmailOf(t, t.groups.find((x) => x.id === m)!.name),
          role: 'MEMBER',
          type: 'GROUP',
        })),
    ];
    members.set(id, list);
    return {
      kind: 'admin#directory#group',
      id,
      etag: etag(t, `g:${g.id}:${list.length}`),
      email: address,
      name: g.name,
      directMembersCount: String(list.length),
      description: g.description ?? '',
      adminCreated: true,
      nonEditableAliases: [`${address.split('@')[0]}@${t.domain}.test-google-a.com`],
    };
  });
  return { customerId, users, groups, members };
}
