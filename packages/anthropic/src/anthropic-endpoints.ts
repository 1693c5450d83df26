import type Anthropic from '@anthropic-ai/sdk';
import { IncompleteReadError, withRetry, type ProgressEvent } from '@claude-idp/core';
import type { z } from 'zod';
import { MAX_PAGE_SIZE, PATHS } from './anthropic-api-facts';
import {
  ActivityPageSchema,
  ComplianceOrganizationSchema,
  ComplianceUserSchema,
  cursorPage,
  type ComplianceUser,
  OrgSettingsSchema,
  RbacGroupSchema,
  type Activity,
  type ComplianceOrganization,
  type OrgSettings,
  type RbacGroup,
} from './anthropic-compliance-schemas';
import type { PaceEvent } from './anthropic-pace';
import {
  deletedCheck,
  expectShape,
  inviteCheck,
  listCheck,
  organizationCheck,
  userCheck,
  type AnthropicDeleted,
  type AnthropicInvite,
  type AnthropicList,
  type AnthropicOrganization,
  type AnthropicUser,
} from './anthropic-schemas';
import { createSdkClient, toCoreError } from './anthropic-sdk';
import type { ResolvedConnection } from './anthropic-settings';

export interface CallOptions {
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** The Admin and Compliance API endpoints this package uses, one function each, in the vendor's own shapes. */
export interface AnthropicAdminEndpoints {
  getOrganization(options?: CallOptions): Promise<AnthropicOrganization>;
  listUsers(options?: CallOptions): Promise<AnthropicUser[]>;
  listInvites(options?: CallOptions): Promise<AnthropicInvite[]>;
  /** Users by email (`email=`), for re-reading one person after an uncertain write. */
  findUsers(email: string, options?: CallOptions): Promise<AnthropicUser[]>;
  /** Pending invites for an email (`email=`, `statuses[]=pending`). */
  findPendingInvites(email: string, options?: CallOptions): Promise<AnthropicInvite[]>;
  /** One user, or null when there is none (404). */
  getUser(userId: string, options?: CallOptions): Promise<AnthropicUser | null>;
  /** One invite, or null when there is none (404). */
  getInvite(inviteId: string, options?: CallOptions): Promise<AnthropicInvite | null>;
  updateUserRole(userId: string, role: string, options?: CallOptions): Promise<AnthropicUser>;
  /** Returns null when the user is already gone (404): removing is idempotent. */
  removeUser(userId: string, options?: CallOptions): Promise<AnthropicDeleted | null>;
  createInvite(email: string, role: string, options?: CallOptions): Promise<AnthropicInvite>;
  /** Returns null when the invite is already gone (404). */
  deleteInvite(inviteId: string, options?: CallOptions): Promise<AnthropicDeleted | null>;
  /** RBAC groups (Claude Enterprise; `read:rbac_groups` or `read:org_audit`). */
  listRbacGroups(options?: CallOptions): Promise<RbacGroup[]>;
  /** Orgs under the key's parent (Compliance API). */
  listComplianceOrganizations(options?: CallOptions): Promise<ComplianceOrganization[]>;
  /** One org's members through the Compliance API (`{ id, email, full_name, organization_role }`). */
  listComplianceUsers(orgUuid: string, options?: CallOptions): Promise<ComplianceUser[]>;
  /** One org's enforced settings (Compliance API); a 404 means not enabled / unknown / out of tree. */
  getOrgSettings(orgUuid: string, options?: CallOptions): Promise<OrgSettings>;
  /** Activity feed, newest first, from `before_id` (exclusive) back to the end or `limit` rows. */
  listActivities(
    params: {
      before_id?: string;
      after_id?: string;
      limit?: number;
      organization_ids?: string[];
      activity_types?: string[];
    },
    options?: CallOptions,
  ): Promise<{ data: Activity[]; has_more: boolean; first_id: string | null; last_id: string | null }>;
}

const isNotFound = (error: unknown) => (error as { status?: unknown } | null)?.status === 404;
/** 404 is an answer here (the thing is not there / already gone), not an error. */
const orNull = async <T>(p: Promise<T>): Promise<T | null> => {
  try {
    return await p;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
};

export function createEndpoints(
  conn: () => ResolvedConnection,
  onPace?: () => ((e: PaceEvent) => void) | undefined,
): AnthropicAdminEndpoints {
  let sdk: Anthropic | undefined;
  const client = () => (sdk ??= createSdkClient(conn(), (e) => onPace?.()?.(e)));
  const enc = encodeURIComponent;

  /** One SDK call; SDK errors become the project's errors (PermissionError naming the scope, ApiCallError). */
  const run = async <T>(
    method: string,
    path: string,
    f: (c: Anthropic) => PromiseLike<unknown>,
    check: (v: unknown) => T,
    o?: CallOptions,
  ): Promise<T> => {
    const once = async () => {
      let value: unknown;
      try {
        value = await f(client());
      } catch (error) {
        throw toCoreError(error, method, path);
      }
      return check(value);
    };
    // Writes are retried by the executor (re-read before resending); reads here, within the budget.
    if (method !== 'GET') return once();
    return withRetry(once, {
      vendor: 'anthropic',
      resource: `${method} ${path}`,
      policy: conn().retry,
      abortSignal: o?.abortSignal,
      onProgress: o?.onProgress,
    });
  };
  const legacy =
    <T>(c: (v: unknown) => string | null, resource: string) =>
    (v: unknown) =>
      expectShape<T>(v, c, resource);
  const zod =
    <T extends z.ZodType>(schema: T, resource: string) =>
    (v: unknown): z.infer<T> => {
      const parsed = schema.safeParse(v);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new IncompleteReadError({
        vendor: 'anthropic',
        resource,
        reason: 'malformed-response',
        message: `anthropic: ${resource} answered an unexpected payload (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`,
      });
    };
  const req = (o?: CallOptions, _write = false) => ({ signal: o?.abortSignal });

  /**
   * Every item of an `after_id`-paged listing, at the maximum page size. A page that says
   * `has_more` without a `last_id`, an empty page that claims more, or a cursor seen before is a
   * broken listing (IncompleteReadError), never the end.
   */
  const listAll = async <T>(
    path: string,
    item: (v: unknown) => string | null,
    page: (c: Anthropic, q: { limit: number; after_id?: string }) => PromiseLike<unknown>,
    o?: CallOptions,
  ): Promise<T[]> => {
    const out: T[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const p = await run(
        'GET',
        path,
        (c) => page(c, { limit: MAX_PAGE_SIZE, ...(after ? { after_id: after } : {}) }),
        legacy<AnthropicList<T>>(listCheck(item), `GET ${path}`),
        o,
      );
      out.push(...p.data);
      o?.onProgress?.({
        type: 'page',
        resource: path.slice(path.lastIndexOf('/') + 1),
        count: p.data.length,
        total: out.length,
      });
      if (!p.has_more) return out;
      const broken = !p.last_id
        ? 'last_id: a cursor when has_more is true'
        : p.data.length === 0
          ? 'data: items when has_more is true'
          : seen.has(p.last_id)
            ? `last_id: a new cursor (${p.last_id} was seen before)`
            : null;
      if (broken)
        throw new IncompleteReadError({
          vendor: 'anthropic',
          resource: path,
          reason: 'malformed-response',
          message: `anthropic: GET ${path} answered a broken page (${broken} expected)`,
        });
      seen.add(p.last_id!);
      after = p.last_id!;
    }
  };

  /** Every item of a `page` / `next_page` cursor listing (Compliance API, RBAC groups). */
  const listCursor = async <T extends z.ZodType>(
    path: string,
    item: T,
    fetchPage: (c: Anthropic, page: string | undefined) => PromiseLike<unknown>,
    o?: CallOptions,
  ): Promise<Array<z.infer<T>>> => {
    const out: Array<z.infer<T>> = [];
    const seen = new Set<string>();
    let page: string | undefined;
    for (;;) {
      const p = await run('GET', path, (c) => fetchPage(c, page), zod(cursorPage(item), `GET ${path}`), o);
      out.push(...(p.data as Array<z.infer<T>>));
      const next = p.next_page ?? null;
      if (!next) {
        if (p.has_more)
          throw new IncompleteReadError({
            vendor: 'anthropic',
            resource: path,
            reason: 'malformed-response',
            message: `anthropic: GET ${path} says has_more without a next_page`,
          });
        return out;
      }
      if (seen.has(next))
        throw new IncompleteReadError({
          vendor: 'anthropic',
          resource: path,
          reason: 'malformed-response',
          message: `anthropic: GET ${path} repeated the cursor ${next}`,
        });
      seen.add(next);
      page = next;
    }
  };

  const users = (c: Anthropic) => c.organization.users;
  const invites = (c: Anthropic) => c.organization.invites;

  return {
    getOrganization: (o) =>
      run(
        'GET',
        PATHS.me,
        (c) => c.organization.retrieve(req(o)),
        legacy<AnthropicOrganization>(organizationCheck, `GET ${PATHS.me}`),
        o,
      ),
    listUsers: (o) => listAll<AnthropicUser>(PATHS.users, userCheck, (c, q) => users(c).list(q, req(o)), o),
    listInvites: (o) => listAll<AnthropicInvite>(PATHS.invites, inviteCheck, (c, q) => invites(c).list(q, req(o)), o),
    findUsers: (email, o) =>
      listAll<AnthropicUser>(PATHS.users, userCheck, (c, q) => users(c).list({ ...q, email }, req(o)), o),
    findPendingInvites: (email, o) =>
      listAll<AnthropicInvite>(
        PATHS.invites,
        inviteCheck,
        (c, q) => invites(c).list({ ...q, email, statuses: ['pending'] }, req(o)),
        o,
      ),
    getUser: (id, o) =>
      orNull(
        run(
          'GET',
          `${PATHS.users}/${enc(id)}`,
          (c) => users(c).retrieve(id, req(o)),
          legacy<AnthropicUser>(userCheck, `GET ${PATHS.users}/${id}`),
          o,
        ),
      ),
    getInvite: (id, o) =>
      orNull(
        run(
          'GET',
          `${PATHS.invites}/${enc(id)}`,
          (c) => invites(c).retrieve(id, req(o)),
          legacy<AnthropicInvite>(inviteCheck, `GET ${PATHS.invites}/${id}`),
          o,
        ),
      ),
    updateUserRole: (id, role, o) =>
      run(
        'POST',
        `${PATHS.users}/${enc(id)}`,
        (c) => users(c).update(id, { role: role as 'user' }, req(o, true)),
        legacy<AnthropicUser>(userCheck, `POST ${PATHS.users}/${id}`),
      ),
    removeUser: (id, o) =>
      orNull(
        run(
          'DELETE',
          `${PATHS.users}/${enc(id)}`,
          (c) => users(c).remove(id, req(o, true)),
          legacy<AnthropicDeleted>(deletedCheck('user_deleted'), `DELETE ${PATHS.users}/${id}`),
        ),
      ),
    createInvite: (email, role, o) =>
      run(
        'POST',
        PATHS.invites,
        (c) => invites(c).create({ email, role: role as 'user' }, req(o, true)),
        legacy<AnthropicInvite>(inviteCheck, `POST ${PATHS.invites}`),
      ),
    deleteInvite: (id, o) =>
      orNull(
        run(
          'DELETE',
          `${PATHS.invites}/${enc(id)}`,
          (c) => invites(c).delete(id, req(o, true)),
          legacy<AnthropicDeleted>(deletedCheck('invite_deleted'), `DELETE ${PATHS.invites}/${id}`),
        ),
      ),
    listRbacGroups: (o) =>
      listCursor(
        PATHS.rbacGroups,
        RbacGroupSchema,
        (c, page) => c.organization.rbacGroups.list(page ? ({ page } as never) : {}, req(o)),
        o,
      ),
    // The Compliance API has no SDK methods: the SDK's generic `get` carries these calls, so auth,
    // retries, pacing and the injected fetch are the same as for the Admin API.
    listComplianceOrganizations: (o) =>
      listCursor(
        PATHS.complianceOrganizations,
        ComplianceOrganizationSchema,
        (c, page) => c.get(PATHS.complianceOrganizations, { query: page ? { page } : {}, ...req(o) }),
        o,
      ),
    listComplianceUsers: (uuid, o) => {
      const path = `${PATHS.complianceOrganizations}/${enc(uuid)}/users`;
      return listCursor(
        path,
        ComplianceUserSchema,
        (c, page) => c.get(path, { query: page ? { page } : {}, ...req(o) }),
        o,
      );
    },
    getOrgSettings: (uuid, o) => {
      const path = `${PATHS.complianceOrganizations}/${enc(uuid)}/settings`;
      return run('GET', path, (c) => c.get(path, req(o)), zod(OrgSettingsSchema, `GET ${path}`), o);
    },
    listActivities: (params, o) =>
      run(
        'GET',
        PATHS.complianceActivities,
        (c) => c.get(PATHS.complianceActivities, { query: params, ...req(o) }),
        zod(ActivityPageSchema, `GET ${PATHS.complianceActivities}`),
        o,
      ),
  };
}
