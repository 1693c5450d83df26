import { collectPages, IncompleteReadError } from '@claude-idp/core';
import { z } from 'zod';
import { VENDOR } from './onelogin-api-facts';
import type { CallOptions, OneLoginClient } from './onelogin-client';
import { validate } from './onelogin-validate';
import { GroupsV1PageSchema } from './onelogin-schemas';

/**
 * The After-Cursor header's value, ready to send back. OneLogin URL-encodes it (a trailing
 * `%3D%3D`); sent as-is through URLSearchParams it would be encoded twice and some endpoints
 * answer 422, so it is decoded first (onelogin-mcp lib/pagination.js, "verified live").
 */
export function decodeCursorHeader(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  try {
    return decodeURIComponent(value.trim());
  } catch {
    return value.trim();
  }
}

/**
 * Walks a v2 listing. The first page sends the filters and `limit`; every next page sends the
 * filters and `cursor` only, because a cursor already encodes limit/page/sort and /api/2/roles
 * rejects a cursor combined with them ("Requests can only have cursor xor pagination arguments").
 * The walk ends when After-Cursor is absent (onelogin-go-sdk olrequest.go). The first page's
 * Total-Count is then compared with what was collected: a dropped After-Cursor on a full page
 * looks exactly like the end of the list, and this is what tells the two apart.
 */
export async function listV2<S extends z.ZodType>(
  client: OneLoginClient,
  path: string,
  args: { filters?: Record<string, string>; limit: number; schema: S; resource: string },
  options: CallOptions,
): Promise<z.infer<S>[]> {
  const pageSchema = z.array(args.schema);
  let expected: number | undefined;
  const items = await collectPages<z.infer<S>, string>({
    vendor: VENDOR,
    resource: args.resource,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
    fetchPage: async (cursor) => {
      const query = cursor === null ? { ...args.filters, limit: String(args.limit) } : { ...args.filters, cursor };
      const res = await client.getRaw(path, query, args.resource, options);
      const page = validate(pageSchema, res.body, args.resource);
      if (cursor === null) {
        const total = Number(res.headers.get('total-count'));
        expected = res.headers.has('total-count') && Number.isInteger(total) && total >= 0 ? total : undefined;
      }
      return { items: page, next: decodeCursorHeader(res.headers.get('after-cursor')) };
    },
  });
  if (expected !== undefined && items.length !== expected) {
    throw new IncompleteReadError({
      vendor: VENDOR,
      resource: args.resource,
      reason: 'count-mismatch',
      message: `OneLogin ${args.resource}: read ${items.length} item(s) but Total-Count said ${expected}; a page was lost (or the list changed during the read)`,
    });
  }
  return items;
}

/**
 * Walks GET /api/1/groups: the v1 envelope carries `pagination.after_cursor` in the body and is
 * followed with the `after_cursor` request parameter (v1 has no `limit` for groups: 50 a page).
 * v1 gives no total, so a dropped cursor cannot be detected here (see the README).
 */
export async function listGroupsV1(
  client: OneLoginClient,
  options: CallOptions,
): Promise<{ id: number; name: string }[]> {
  const resource = 'groups (v1)';
  return collectPages<{ id: number; name: string }, string>({
    vendor: VENDOR,
    resource,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
    fetchPage: async (cursor) => {
      const res = await client.getRaw(
        '/api/1/groups',
        cursor === null ? {} : { after_cursor: cursor },
        resource,
        options,
      );
      const page = validate(GroupsV1PageSchema, res.body, resource);
      const next = page.pagination?.after_cursor;
      return { items: page.data, next: next ? next : null };
    },
  });
}
