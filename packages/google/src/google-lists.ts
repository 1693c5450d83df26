import type { admin_directory_v1 } from '@googleapis/admin';
import { collectPages, IncompleteReadError } from '@claude-idp/core';
import { googleCall, type GoogleCallContext } from './google-client';
import { GOOGLE_PAGE_SIZES } from './google-limits';

export type GUser = admin_directory_v1.Schema$User;
export type GGroup = admin_directory_v1.Schema$Group;
export type GMember = admin_directory_v1.Schema$Member;

/** Partial-response masks: only the fields the snapshot needs (SPEC §5). */
export const GROUP_FIELDS = 'id,email,name,directMembersCount,aliases,nonEditableAliases';
const MEMBER_FIELDS = 'nextPageToken,members(id,email,type,status)';
const BASE_USER_FIELDS = [
  'id',
  'primaryEmail',
  'suspended',
  'archived',
  'aliases',
  'nonEditableAliases',
  'orgUnitPath',
  'customerId',
];

/** The users.list parameters for the attribute paths the declaration reads (`organizations.title`, `customSchemas.S.f`). */
export function userListParams(sourcePaths: readonly string[]): {
  fields: string;
  projection?: string;
  customFieldMask?: string;
} {
  const one = userGetParams(sourcePaths);
  return { ...one, fields: `nextPageToken,users(${one.fields})` };
}

/** The users.get parameters reading the same fields, projection and custom schemas as the full read's users.list. */
export function userGetParams(sourcePaths: readonly string[]): {
  fields: string;
  projection?: string;
  customFieldMask?: string;
} {
  const extra = new Set<string>();
  const schemas = new Set<string>();
  for (const p of sourcePaths) {
    if (p.startsWith('name.')) extra.add(`name/${p.slice(5)}`);
    if (p.startsWith('organizations.')) extra.add('organizations');
    const custom = /^customSchemas\.([^.]+)\./.exec(p);
    if (custom) schemas.add(custom[1]!);
  }
  if (schemas.size) extra.add('customSchemas');
  const fields = [...BASE_USER_FIELDS, ...extra].join(',');
  // Custom schema fields come back only with projection=custom and the schema names in customFieldMask.
  return schemas.size ? { fields, projection: 'custom', customFieldMask: [...schemas].join(',') } : { fields };
}

type ListKey = 'users' | 'groups' | 'members';

/**
 * Walks a Directory listing to its end. Quirk: the generated client has no auto-paging; pass the
 * previous `nextPageToken` as `pageToken` with the other parameters unchanged, stop when it is
 * absent. Google leaves the item array out of an empty page.
 */
async function listAll<T>(
  ctx: GoogleCallContext,
  resource: string,
  key: ListKey,
  fetchPage: (d: GoogleCallContext['directory'], pageToken: string | undefined, o: object) => Promise<{ data: object }>,
): Promise<T[]> {
  return collectPages<T, string>({
    vendor: 'google',
    resource,
    abortSignal: ctx.abortSignal,
    onProgress: ctx.onProgress,
    fetchPage: async (cursor) => {
      const data = (await googleCall(ctx, resource, (d, o) => fetchPage(d, cursor ?? undefined, o))) as Record<
        string,
        unknown
      >;
      const items = data[key];
      if (items !== undefined && !Array.isArray(items)) {
        throw new IncompleteReadError({
          vendor: 'google',
          resource,
          reason: 'malformed-response',
          message: `google: ${resource} answered a page whose "${key}" is not a list`,
        });
      }
      const next = data.nextPageToken;
      return { items: (items ?? []) as T[], next: typeof next === 'string' ? next : null };
    },
  });
}

export function listUsers(
  ctx: GoogleCallContext,
  params: ReturnType<typeof userListParams>,
  query?: string,
): Promise<GUser[]> {
  const resource = query ? `users?query=${query}` : 'users';
  return listAll<GUser>(ctx, resource, 'users', (d, pageToken, o) =>
    d.users.list(
      {
        customer: ctx.resolved.customer,
        maxResults: GOOGLE_PAGE_SIZES.users,
        pageToken,
        ...params,
        ...(query ? { query } : {}),
      },
      o,
    ),
  );
}

export function listGroups(ctx: GoogleCallContext, query: string): Promise<GGroup[]> {
  return listAll<GGroup>(ctx, `groups?query=${query}`, 'groups', (d, pageToken, o) =>
    d.groups.list(
      {
        customer: ctx.resolved.customer,
        maxResults: GOOGLE_PAGE_SIZES.groups,
        pageToken,
        query,
        fields: `nextPageToken,groups(${GROUP_FIELDS})`,
      },
      o,
    ),
  );
}

/** Direct members only: the snapshot records direct edges and core resolves nesting (see README). */
export function listMembers(ctx: GoogleCallContext, groupId: string): Promise<GMember[]> {
  return listAll<GMember>(ctx, `groups/${groupId}/members`, 'members', (d, pageToken, o) =>
    d.members.list(
      {
        groupKey: groupId,
        maxResults: GOOGLE_PAGE_SIZES.members,
        pageToken,
        includeDerivedMembership: false,
        fields: MEMBER_FIELDS,
      },
      o,
    ),
  );
}

export function getGroup(ctx: GoogleCallContext, groupKey: string): Promise<GGroup> {
  return googleCall(ctx, `groups/${groupKey}`, (d, o) => d.groups.get({ groupKey, fields: GROUP_FIELDS }, o));
}

export function getUser(
  ctx: GoogleCallContext,
  userKey: string,
  params: ReturnType<typeof userGetParams>,
): Promise<GUser> {
  return googleCall(ctx, `users/${userKey}`, (d, o) => d.users.get({ userKey, ...params }, o));
}
