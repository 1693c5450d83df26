import { IncompleteReadError, mapWithConcurrency, type SnapshotUser } from '@claude-idp/core';
import { PAGE_LIMITS, VENDOR } from './onelogin-api-facts';
import type { CallOptions, OneLoginClient } from './onelogin-client';
import { UserSchema, type OneLoginUser } from './onelogin-schemas';
import { userStatus } from './onelogin-status';

/** The `fields` to ask for: the ones the snapshot needs plus every attribute the app's mappings read. */
export function userFields(attributes: Iterable<string>, extra: string[] = []): string {
  const out = new Set(['id', 'email', 'username', 'status', ...extra]);
  for (const a of attributes) out.add(a.startsWith('custom_attribute_') ? 'custom_attributes' : a);
  return [...out].join(',');
}

/**
 * Users by id in bulk: GET /api/2/users?user_ids=1,2,3 (a documented filter) in chunks of the page
 * size, concurrently; never one request per user. Every id asked for must come back, or the read
 * fails (a person deleted mid-read, or a lost page).
 */
export async function fetchUsersById(
  client: OneLoginClient,
  ids: number[],
  fields: string,
  options: CallOptions,
): Promise<Map<number, OneLoginUser>> {
  const byId = await listUsersById(client, ids, fields, options);
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw missingUsersError(missing);
  return byId;
}

/** People the app reaches whom OneLogin did not return: the read is incomplete (deleted mid-read, or a lost page). */
export function missingUsersError(missing: readonly (number | string)[]): IncompleteReadError {
  return new IncompleteReadError({
    vendor: VENDOR,
    resource: 'users',
    reason: 'count-mismatch',
    message: `OneLogin users: ${missing.length} user(s) reached through the app could not be read (ids ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}); were they deleted during the read?`,
  });
}

/** Users by id in chunks of a page (`user_ids` filter), concurrently; those OneLogin does not return are absent. */
export async function listUsersById(
  client: OneLoginClient,
  ids: number[],
  fields: string,
  options: CallOptions,
): Promise<Map<number, OneLoginUser>> {
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += PAGE_LIMITS.users) chunks.push(ids.slice(i, i + PAGE_LIMITS.users));
  const pages = await mapWithConcurrency(chunks, client.settings.concurrency, (chunk) =>
    client.list(
      '/api/2/users',
      {
        filters: { user_ids: chunk.join(','), fields },
        limit: PAGE_LIMITS.users,
        schema: UserSchema,
        resource: 'users',
      },
      options,
    ),
  );
  return new Map(pages.flat().map((u) => [u.id, u]));
}

/** Every user (for v1 group membership, which only the user's `group_id` shows). */
export function fetchAllUsers(client: OneLoginClient, fields: string, options: CallOptions): Promise<OneLoginUser[]> {
  return client.list(
    '/api/2/users',
    {
      filters: { fields },
      limit: PAGE_LIMITS.users,
      schema: UserSchema,
      resource: 'users (all, for group membership)',
    },
    options,
  );
}

/** The value of a canonical source field on a user (`user.custom_attribute_x` reads `custom_attributes.x`). */
export function fieldValue(u: OneLoginUser, attribute: string): string | null {
  const raw = attribute.startsWith('custom_attribute_')
    ? u.custom_attributes?.[attribute.slice('custom_attribute_'.length)]
    : (u as Record<string, unknown>)[attribute];
  return raw === null || raw === undefined
    ? null
    : typeof raw === 'string'
      ? raw
      : typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : JSON.stringify(raw);
}

export function toSnapshotUser(u: OneLoginUser, attributes: Iterable<string>): SnapshotUser {
  const email = u.email ? u.email : null;
  const username = u.username ? u.username : null;
  const fields: Record<string, string | null> = { 'user.email': email, 'user.username': username };
  for (const a of attributes) fields[`user.${a}`] = fieldValue(u, a);
  return {
    id: String(u.id),
    email,
    // OneLogin's `username` is its login name (the generic login); it may or may not be an email.
    login: username,
    status: userStatus(u.status),
    fields,
  };
}
