import { IncompleteReadError, PermissionError } from '@claude-idp/core';
import { MEMBER_SELECT, USER_SELECT, type GraphUser } from './entra-fields';
import { listAll, odata, odataString, type GraphReader } from './entra-requests';

export interface DirectoryGroup {
  id: string;
  name: string;
  memberUserIds: string[];
  memberGroupIds: string[];
}

const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';
/** Graph's `in` operator takes at most 15 values by default. */
const IN_LIMIT = 15;

/** Groups whose name starts with `anthropic-` (R-G4): startswith is case-insensitive in Graph. */
export async function readPrefixGroups(reader: GraphReader, prefix = 'anthropic-'): Promise<Map<string, string>> {
  const path = `/groups${odata({ $filter: `startswith(displayName,${odataString(prefix)})`, $select: ['id', 'displayName'], $top: 999, $count: true })}`;
  const groups = await listAll<{ id: string; displayName: string }>(reader, path, {
    resource: 'groups',
    grant: ['GroupMember.Read.All'],
    count: true,
  });
  return new Map(groups.map((g) => [g.id, g.displayName]));
}

/**
 * Direct members of each group, and of each group nested in them, level by level. App access
 * through a group reaches its *direct* members only (nested groups get neither SSO nor
 * provisioning), so this reads `/members`, never `/transitiveMembers`, and keeps nested groups as
 * groups of their own for the audit to warn about. The first pages of many groups share `$batch`
 * round trips. Members of other types (devices, contacts, service principals) are not people and are skipped.
 */
export async function readGroupMembers(
  reader: GraphReader,
  start: Map<string, string>,
  /** Groups already read (a targeted re-read): nested ones among them are not read again. */
  known: ReadonlySet<string> = new Set(),
): Promise<{ groups: Map<string, DirectoryGroup>; users: Map<string, GraphUser> }> {
  const groups = new Map<string, DirectoryGroup>();
  const users = new Map<string, GraphUser>();
  const names = new Map(start);
  const visit = async (id: string): Promise<void> => {
    const group: DirectoryGroup = { id, name: names.get(id) ?? '', memberUserIds: [], memberGroupIds: [] };
    groups.set(id, group);
    const path = `/groups/${id}/members${odata({ $select: [...MEMBER_SELECT], $top: 999, $count: true })}`;
    const members = await listAll<GraphUser>(reader, path, {
      resource: `groups/${id}/members`,
      grant: ['GroupMember.Read.All'],
      count: true,
    });
    const nested: Promise<void>[] = [];
    for (const m of members) {
      if (m['@odata.type'] === USER_TYPE) {
        checkReadable(m, `groups/${id}/members`);
        group.memberUserIds.push(m.id);
        users.set(m.id, m);
      } else if (m['@odata.type'] === GROUP_TYPE) {
        group.memberGroupIds.push(m.id);
        if (!names.get(m.id)) names.set(m.id, m.displayName ?? '');
        if (!groups.has(m.id) && !known.has(m.id)) nested.push(visit(m.id));
      }
    }
    await Promise.all(nested);
  };
  await Promise.all([...start.keys()].map((id) => visit(id)));
  for (const g of groups.values()) g.name = names.get(g.id) ?? g.name;
  return { groups, users };
}

/** Directly assigned people not met as group members: `GET /users?$filter=id in (...)`, 15 ids a request, batched. */
export async function readUsersById(reader: GraphReader, ids: string[]): Promise<GraphUser[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) chunks.push(ids.slice(i, i + IN_LIMIT));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      listAll<GraphUser>(
        reader,
        `/users${odata({ $filter: `id in (${chunk.map(odataString).join(',')})`, $select: [...USER_SELECT], $top: 999 })}`,
        { resource: 'users', grant: ['User.Read.All'] },
      ),
    ),
  );
  const found = new Map(pages.flat().map((u) => [u.id, u]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    throw new IncompleteReadError({
      vendor: 'entra',
      resource: 'users',
      reason: 'count-mismatch',
      message: `entra: ${missing.length} user(s) assigned to the app were not returned by /users (${missing.slice(0, 5).join(', ')}); assignments may still be replicating, retry shortly`,
    });
  }
  for (const u of found.values()) checkReadable(u, 'users');
  return [...found.values()];
}

/**
 * Without User.Read.All, Graph still lists user members but with only `@odata.type` and `id`
 * ("limited information for inaccessible member objects"); every user has a UPN, so a null one
 * means the read cannot see people and must not pretend to.
 */
export function checkReadable(user: GraphUser, resource: string): void {
  if (!user.userPrincipalName) {
    throw new PermissionError({
      vendor: 'entra',
      missing: ['User.Read.All'],
      message: `entra: ${resource} returned users without their properties (Graph's limited information for objects the app may not read). Grant the application permission User.Read.All and admin-consent it.`,
    });
  }
}
