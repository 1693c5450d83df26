import { ApiCallError, IncompleteReadError, InputError, mapWithConcurrency, normalizeEmail } from '@claude-idp/core';
import type { GoogleCallContext } from './google-client';
import type { ParsedGoogleApp } from './google-declaration';
import {
  getGroup,
  listGroups,
  listMembers,
  listUsers,
  userListParams,
  type GGroup,
  type GMember,
  type GUser,
} from './google-lists';
import { hasOrgUnitAccess } from './google-org-units';

/** The org-unit listings are a cross-check: ids and paths are all they need. */
const OU_FIELDS = { fields: 'nextPageToken,users(id,orgUnitPath)' };

export interface GoogleDirectoryRead {
  users: GUser[];
  /** Every group read: `anthropic-` ones, declared ones, and groups nested in those. */
  groups: GGroup[];
  members: Map<string, GMember[]>;
  /** Ids of the declared groups, in declaration order. */
  declaredGroupIds: string[];
  /** Users with access through a declared org unit (null: the declaration names no access). */
  orgUnitUserIds: string[] | null;
}

export interface DeclaredApp {
  app: ParsedGoogleApp;
  /** The declaration file, and the app's place in it, for error messages. */
  source: string;
  path: string;
}

/**
 * Reads what the snapshot needs: groups whose email or name starts with `anthropic-`, the
 * declared groups, their members and nested groups (to the bottom), every user of the customer
 * (one paged list beats a request per member), and the users of each declared org unit.
 * Independent reads run concurrently inside the quota; the first failure stops the rest.
 */
export async function readDirectory(
  ctx: GoogleCallContext,
  declared: DeclaredApp | null,
  sourcePaths: string[],
  concurrency: number,
): Promise<GoogleDirectoryRead> {
  const app = declared?.app ?? null;
  const access = app?.access;
  const userParams = userListParams(sourcePaths);
  const readUsers = () => listUsers(ctx, userParams);
  // The org-unit query is a subtree match ("matches all org unit chains under the target").
  const readOrgUnits = async () =>
    access
      ? (
          await mapWithConcurrency(access.orgUnits, concurrency, (ou) =>
            listUsers(ctx, OU_FIELDS, `orgUnitPath='${ou.replace(/'/g, "\\'")}'`),
          )
        ).flat()
      : [];
  const [initialUsers, byEmail, byName, initialOuUsers] = await Promise.all([
    readUsers(),
    // Two prefix queries: Google matches `email:` and `name:` separately, and a group named
    // `anthropic-...` may have another address (or the reverse).
    listGroups(ctx, 'email:anthropic-*'),
    listGroups(ctx, 'name:anthropic-*'),
    readOrgUnits(),
  ]);
  const groups = new Map<string, GGroup>();
  for (const g of [...byEmail, ...byName]) if (g.id) groups.set(g.id, g);
  const declaredGroupIds = await resolveDeclaredGroups(ctx, declared, groups, concurrency);
  const members = await readMembers(ctx, groups, concurrency);

  // Cross-checks: users.list has no total, so a lost nextPageToken would shrink the tenant
  // silently. Every in-domain member must be in the user list, and the org-unit queries must
  // agree with the list's orgUnitPath. On a mismatch read both again once (a concurrent change),
  // then fail rather than return a smaller tenant.
  let users = initialUsers;
  let ouUsers = initialOuUsers;
  for (let attempt = 0; ; attempt++) {
    const problem = crossCheck(users, ouUsers, members, app);
    if (!problem) break;
    if (attempt >= 1)
      throw new IncompleteReadError({
        vendor: 'google',
        resource: 'users',
        reason: 'count-mismatch',
        message: `google: the user list is inconsistent with ${problem} after a second read; refusing to return a partial directory`,
      });
    [users, ouUsers] = await Promise.all([readUsers(), readOrgUnits()]);
  }
  const orgUnitUserIds = access ? users.filter((u) => hasOrgUnitAccess(u.orgUnitPath, access)).map((u) => u.id!) : null;
  return { users, groups: [...groups.values()], members, declaredGroupIds, orgUnitUserIds };
}

async function resolveDeclaredGroups(
  ctx: GoogleCallContext,
  declared: DeclaredApp | null,
  groups: Map<string, GGroup>,
  concurrency: number,
): Promise<string[]> {
  const keys = declared?.app.access?.groups ?? [];
  const find = (key: string) => {
    const k = key.trim().toLowerCase();
    return [...groups.values()].find((g) =>
      [g.id, g.email, ...(g.aliases ?? []), ...(g.nonEditableAliases ?? [])].some((x) => x?.toLowerCase() === k),
    );
  };
  const resolved = new Map<string, string>();
  for (const k of keys) {
    const g = find(k);
    if (g?.id) resolved.set(k, g.id);
  }
  const missing = [...new Set(keys.filter((k) => !resolved.has(k)))];
  // No list call takes a set of emails (group queries have no OR), so declared groups are got one by one.
  await mapWithConcurrency(missing, concurrency, async (key) => {
    try {
      const g = await getGroup(ctx, key);
      if (g.id) groups.set(g.id, g), resolved.set(key, g.id);
    } catch (error) {
      if (ApiCallError.isInstance(error) && error.status === 404) {
        const i = keys.indexOf(key);
        throw new InputError({
          source: declared!.source,
          issues: [
            {
              path: `${declared!.path}access.groups[${i}]`,
              expected: 'a group that exists in Google Workspace',
              received: JSON.stringify(key),
            },
          ],
          cause: error,
        });
      }
      throw error;
    }
  });
  return [...new Set(keys.map((k) => resolved.get(k)!))];
}

/** Direct members of every group, breadth first into nested groups (Google forbids cycles; ids guard anyway). */
async function readMembers(
  ctx: GoogleCallContext,
  groups: Map<string, GGroup>,
  concurrency: number,
): Promise<Map<string, GMember[]>> {
  const members = new Map<string, GMember[]>();
  let frontier = [...groups.values()];
  while (frontier.length) {
    const lists = await mapWithConcurrency(frontier, concurrency, (g) => readMembersChecked(ctx, g));
    frontier.forEach((g, i) => members.set(g.id!, lists[i]!));
    const nested = new Map(
      lists
        .flat()
        .filter((m) => m.type === 'GROUP' && m.id && !groups.has(m.id))
        .map((m) => [m.id!, m]),
    );
    frontier = await mapWithConcurrency([...nested.values()], concurrency, (m) => getNestedGroup(ctx, m));
    for (const g of frontier) groups.set(g.id!, g);
  }
  return members;
}

/**
 * A nested group that cannot be read (another customer's group, deleted meanwhile) fails the
 * read: its members' access would be unknown, and a plan must not take them for unassigned.
 */
export async function getNestedGroup(ctx: GoogleCallContext, member: GMember): Promise<GGroup> {
  try {
    return await getGroup(ctx, member.id!);
  } catch (error) {
    if (!ApiCallError.isInstance(error) || error.status !== 404) throw error;
    throw new IncompleteReadError({
      vendor: 'google',
      resource: `groups/${member.id}`,
      reason: 'other',
      message: `google: nested group ${member.email ?? member.id} cannot be read (HTTP 404), so its members' access is unknown`,
      cause: error,
    });
  }
}

/**
 * members.list has no total, but the group's `directMembersCount` does: a listing shorter than
 * it lost a page (a dropped nextPageToken). Read the group and its members again once (the count
 * may trail a concurrent change), then fail. A longer listing is fine: the count is documented
 * as "users", so nested groups may not be in it.
 */
export async function readMembersChecked(ctx: GoogleCallContext, group: GGroup): Promise<GMember[]> {
  const id = group.id!;
  const first = await listMembers(ctx, id);
  if (!short(first, group)) return first;
  const [fresh, again] = await Promise.all([getGroup(ctx, id), listMembers(ctx, id)]);
  if (short(again, fresh)) {
    throw new IncompleteReadError({
      vendor: 'google',
      resource: `groups/${id}/members`,
      reason: 'count-mismatch',
      message: `google: group ${fresh.email ?? id} lists ${again.length} members but reports directMembersCount ${fresh.directMembersCount}`,
    });
  }
  return again;
}

const short = (list: GMember[], g: GGroup) =>
  g.directMembersCount != null &&
  Number.isFinite(Number(g.directMembersCount)) &&
  list.length < Number(g.directMembersCount);

function crossCheck(
  users: GUser[],
  ouUsers: GUser[],
  members: Map<string, GMember[]>,
  app: ParsedGoogleApp | null,
): string | null {
  const ids = new Set(users.map((u) => u.id));
  const domains = new Set(users.map((u) => domainOf(u.primaryEmail)).filter(Boolean));
  for (const list of members.values()) {
    for (const m of list) {
      // Members outside the customer's domains are external accounts, never in users.list.
      if (m.type === 'USER' && m.id && !ids.has(m.id) && domains.has(domainOf(m.email)))
        return `group member ${m.email}`;
    }
  }
  const access = app?.access;
  if (!access) return null;
  const fromQuery = new Set(ouUsers.filter((u) => hasOrgUnitAccess(u.orgUnitPath, access)).map((u) => u.id));
  const fromList = users.filter((u) => hasOrgUnitAccess(u.orgUnitPath, access)).map((u) => u.id);
  if (fromList.length !== fromQuery.size || fromList.some((id) => !fromQuery.has(id))) return 'the declared org units';
  return null;
}

export function domainOf(email: string | null | undefined): string {
  const n = normalizeEmail(email);
  return n ? n.slice(n.lastIndexOf('@') + 1) : '';
}
