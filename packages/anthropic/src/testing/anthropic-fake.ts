import { http, HttpResponse, type RequestHandler } from 'msw';
import { FakeKit, type PagingFaults, type RecordedRequest, type ResolverArgs } from '@claude-idp/core/testing';
import { normalizeEmail, type Member } from '@claude-idp/core';
import {
  ADMIN_KEY_PREFIX,
  DEFAULT_BASE_URL,
  ENTERPRISE_KEY_PREFIX,
  ERROR_TYPES,
  MAX_PAGE_SIZE,
  PATHS,
  RATE_LIMITS,
  SCOPES,
  type ProvisioningModeValue,
} from '../anthropic-api-facts';
import type { AnthropicInvite, AnthropicUser } from '../anthropic-schemas';
import {
  actorOf,
  imageOf,
  keyActor,
  rowsForChange,
  type FakeActivityActor,
  type FakeActorSpec,
} from './anthropic-fake-activities';
import { FakeOrgStore, FakeRefusal, type FakeOrgOptions, type FakeSettings } from './anthropic-fake-store';

/** A key the fake accepts. Console admin keys have no scopes (full access); Enterprise keys carry theirs. */
export interface FakeKey {
  key: string;
  kind: 'console' | 'enterprise';
  /** Enterprise keys: the scopes given when the key was made. Default: every read scope + write:members. */
  scopes?: readonly string[];
}

export interface FakeRbacGroup {
  name: string;
  source_type: 'direct' | 'scim';
  id?: string;
}

/** Another org under the same parent, read through the Compliance API only. */
export interface FakeLinkedOrg {
  uuid: string;
  name: string;
  users?: Array<{ email: string; role: string }>;
  mode?: ProvisioningModeValue;
  settings?: FakeSettings;
}

export interface AnthropicFakeOptions extends FakeOrgOptions {
  /** Host the handlers answer. Default https://api.anthropic.com. */
  baseUrl?: string;
  /** The only key accepted, as a Console admin key (sk-ant-admin…) or Enterprise key (sk-ant-api…) by its prefix. */
  adminKey?: string;
  /** The keys accepted, with their kind and scopes. Default: one key of the org's kind with full scopes. */
  keys?: readonly FakeKey[];
  /** Caps every page below the API's 1000, so small orgs page. */
  pageSizeCap?: number;
  /** `retry-after` seconds on a 429 (injected or the modelled rate limit). Default 1. */
  throttleRetryAfterSeconds?: number;
  /** False: the Compliance settings endpoint answers 404 (not enabled for this parent). Default true. */
  settingsEnabled?: boolean;
  rbacGroups?: readonly FakeRbacGroup[];
  linkedOrgs?: readonly FakeLinkedOrg[];
  /** Requests per minute before 429 `rate_limit_error` (documented: 100). 0 turns it off. */
  requestsPerMinute?: number;
  /** Activity feed rows seeded before any write (newest last here; the feed answers newest first). */
  activities?: ReadonlyArray<Record<string, unknown> & { type: string }>;
}

export interface AnthropicFake {
  /** msw handlers: `setupServer(...fake.handlers)` or core's `startLoopbackServer`. */
  readonly handlers: RequestHandler[];
  /** Request recording and fault injection (429, 5xx, network, malformed, paging faults). */
  readonly kit: FakeKit;
  readonly baseUrl: string;
  readonly orgId: string;
  /** Points `createAnthropicAdminClient({ env })` at the fake; the key is a dummy of no value. */
  readonly env: Record<string, string>;
  /** The org as the API would list it. */
  users(): AnthropicUser[];
  invites(): AnthropicInvite[];
  members(): Member[];
  /** Non-GET requests so far (what changed the org). */
  writes(): RecordedRequest[];
  /**
   * Changes the org between calls: someone acting in the Console (default: an admin, a
   * `user_actor`), or the IdP over SCIM (`{ type: 'scim' }`). Members, roles, invites, the mode
   * and `store.settings` may change; the feed gets the rows the live feed records for them.
   */
  update(mutate: (store: FakeOrgStore) => void, actor?: FakeActorSpec): void;
  /** The Compliance activity feed behind `GET /v1/compliance/activities`. */
  readonly activities: {
    /** Every row so far, oldest first. */
    list(): Array<Record<string, unknown>>;
    /**
     * Appends a raw row (`id`, `created_at`, org ids and a `user_actor` are filled in unless
     * given), e.g. `org_sso_group_role_mappings_updated`, which no modelled change makes.
     */
    append(row: Record<string, unknown> & { type: string }, actor?: FakeActorSpec): Record<string, unknown>;
  };
  acceptInvite(email: string): AnthropicUser;
  /**
   * The next `times` matching requests are carried out, then their answer is lost (a network
   * error): what a client sees when a connection drops after the API committed a write.
   */
  dropAnswerAfterCommit(match: RegExp, times?: number): void;
  /** The next matching request answers the documented error (status, type, `error_code`) without acting. */
  failNext(match: RegExp, status: 403 | 409 | 503, errorCode: string, times?: number): void;
  readonly store: FakeOrgStore;
}

const ALL_SCOPES = Object.values(SCOPES);
const json = (body: unknown, status = 200) => HttpResponse.json(body as never, { status });

/**
 * A fake of the Admin API (users, invites, current organization, RBAC groups) and the
 * Compliance API (organizations, their users and enforced settings, activity feed) in the
 * vendor's shapes, with the documented rules: provisioning-mode refusals (bare 400, no
 * `error_code`), error codes in `error.details.error_code`, scopes per key, both key kinds, the
 * rate limit (429 + `retry-after`), and `request-id` / `Date` on every answer. A query parameter
 * it does not model answers 501 naming it: it never answers 200 to what it does not implement.
 */
export function createAnthropicFake(options: AnthropicFakeOptions = {}): AnthropicFake {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const retryAfter = String(options.throttleRetryAfterSeconds ?? 1);
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    throttle: () => ({
      status: 429,
      headers: { 'retry-after': retryAfter },
      body: errorBody('rate_limit_error', 'Number of requests has exceeded your rate limit. Please try again later.'),
    }),
  });
  const store = new FakeOrgStore(options);
  const kind = options.orgKind ?? 'console';
  const defaultKey: FakeKey = options.adminKey
    ? { key: options.adminKey, kind: options.adminKey.startsWith(ENTERPRISE_KEY_PREFIX) ? 'enterprise' : 'console' }
    : {
        key: kind === 'enterprise' ? 'sk-ant-api01-fake-key-of-no-value' : 'sk-ant-admin01-fake-key-of-no-value',
        kind,
      };
  const keys = options.keys ?? [defaultKey];
  const limit = options.requestsPerMinute ?? RATE_LIMITS.requestsPerMinute;
  const sent: number[] = [];
  const drops: Array<{ match: RegExp; left: number }> = [];
  const fails: Array<{ match: RegExp; left: number; status: 403 | 409 | 503; code: string }> = [];
  // The activity feed, oldest first here (it answers newest first). Every change the fake models
  // appends the rows the live feed records for it (see anthropic-fake-activities.ts).
  const activities: Array<Record<string, unknown>> = [];
  let seq = 0;
  const stamp = () => `${Date.now().toString(36)}${(++seq).toString(36).padStart(6, '0')}`;
  const appendActivity = (row: Record<string, unknown> & { type: string }, actor?: FakeActivityActor) => {
    const full = {
      id: `activity_01${stamp()}`,
      created_at: new Date().toISOString(),
      organization_id: `org_01${store.orgId.replace(/-/g, '').slice(0, 22)}`,
      organization_uuid: store.orgId,
      actor: actor ?? actorOf(undefined, store),
      ...row,
    };
    activities.push(full);
    return { ...full };
  };
  /** Runs a change and appends the rows it makes, as `actor`. */
  const recorded = <T>(actor: () => FakeActivityActor, change: () => T, scim = false): T => {
    const before = imageOf(store);
    const out = change();
    const rows = rowsForChange(before, imageOf(store), scim);
    if (rows.length) {
      const who = actor();
      for (const r of rows) appendActivity(r, who);
    }
    return out;
  };
  for (const a of options.activities ?? []) appendActivity(a);
  const groups = (options.rbacGroups ?? []).map((g, i) => ({
    type: 'rbac_group',
    id: g.id ?? `rbacgrp_01${String(i).padStart(8, '0')}`,
    name: g.name,
    source_type: g.source_type,
    role_ids: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  }));
  const linked = options.linkedOrgs ?? [];

  type Ctx = ResolverArgs & { faults: PagingFaults; url: URL; key: FakeKey };
  /** `need`: scopes that allow the call (any one); Console keys: `consoleOk` says whether it exists for them. */
  const api = (
    allowed: readonly string[],
    need: readonly string[],
    resolve: (args: Ctx) => Response | Promise<Response>,
    consoleOk = true,
  ) => {
    const inner = kit.handle(async (args) => {
      const key = keyOf(args.request, keys, !options.adminKey && !options.keys);
      if (!key) return error(401, 'authentication_error', 'invalid x-api-key');
      if (!args.request.headers.get('anthropic-version'))
        return error(400, 'invalid_request_error', 'anthropic-version: header is required');
      const url = new URL(args.request.url);
      const unknown = [...new Set([...url.searchParams.keys()])].filter((k) => !allowed.includes(k));
      if (unknown.length)
        return error(
          501,
          'api_error',
          `not modelled by the fake: query parameter ${unknown.join(', ')} on ${args.request.method} ${url.pathname}`,
        );
      if (limit > 0) {
        const now = Date.now();
        while (sent.length && sent[0]! <= now - 60_000) sent.shift();
        if (sent.length >= limit)
          return error(
            429,
            'rate_limit_error',
            'Number of requests has exceeded your rate limit. Please try again later.',
            undefined,
            { 'retry-after': retryAfter },
          );
        sent.push(now);
      }
      if (key.kind === 'console' && !consoleOk)
        return error(403, 'permission_error', 'This endpoint is only available to Claude Enterprise API keys.');
      if (key.kind === 'enterprise' && need.length) {
        const got = key.scopes ?? ALL_SCOPES;
        if (!need.some((s) => got.includes(s)))
          return error(
            403,
            'permission_error',
            `Missing required scopes. Got: [${got.join(', ')}] Needed: [${need[0]}]`,
          );
      }
      const target = `${args.request.method} ${url.pathname}`;
      const fail = fails.find((f) => f.left > 0 && f.match.test(target));
      if (fail) {
        fail.left--;
        return error(
          fail.status,
          ERROR_TYPES[fail.status as 403] ?? (fail.status === 409 ? 'conflict_error' : 'api_error'),
          fail.status === 503
            ? 'The outcome of this change is unknown.'
            : fail.status === 409
              ? 'Another membership change is in progress.'
              : 'The requester of this API key has not confirmed it.',
          fail.code,
        );
      }
      let res: Response;
      try {
        res = await resolve({ ...args, url, key });
      } catch (e) {
        if (e instanceof FakeRefusal) return error(e.status, e.errorType, e.message, e.errorCode);
        throw e;
      }
      const drop = drops.find((d) => d.left > 0 && d.match.test(target));
      if (drop) {
        drop.left--;
        return HttpResponse.error();
      }
      return res;
    });
    return async (args: ResolverArgs) => vendorShaped(await inner(args), retryAfter, store.orgId);
  };
  const body = async (request: Request): Promise<Record<string, unknown>> => {
    try {
      return (await request.json()) as Record<string, unknown>;
    } catch {
      throw new FakeRefusal(400, 'invalid_request_error', 'Request body is not valid JSON');
    }
  };
  const id = (params: ResolverArgs['params'], name: string) => String(params[name]);
  const LIST = ['limit', 'after_id', 'before_id'];
  const R = {
    members: [SCOPES.readMembers, SCOPES.readOrgAudit],
    write: [SCOPES.writeMembers],
    groups: [SCOPES.readRbacGroups, SCOPES.readOrgAudit],
    orgData: [SCOPES.readOrgData, SCOPES.readOrgAudit],
    userData: [SCOPES.readUserData, SCOPES.readOrgAudit],
    feed: [SCOPES.readActivities, SCOPES.readOrgAudit],
  };
  const emailMatch = (url: URL) => {
    const e = url.searchParams.get('email');
    // Documented: the email match ignores case and `+tags`.
    const want = e === null ? null : normalizeEmail(e.replace(/\+[^@]*@/, '@'));
    return (x: { email: string }) => want === null || normalizeEmail(x.email.replace(/\+[^@]*@/, '@')) === want;
  };
  const listed = (url: URL, name: string) => url.searchParams.getAll(`${name}[]`);
  const settingsOf = (mode: ProvisioningModeValue, s: FakeSettings = {}) => {
    const rows: Array<{ name: string; type: string; value: unknown }> = [
      { name: 'sso_provisioning_mode', type: 'enum', value: mode },
    ];
    const add = (name: string, value: unknown, type: string) => value !== undefined && rows.push({ name, type, value });
    add('sso_enabled', s.ssoEnabled, 'boolean');
    add('sso_claude_ai_enforced', s.ssoClaudeAiEnforced, 'boolean');
    add('sso_console_enforced', s.ssoConsoleEnforced, 'boolean');
    add('directory_sync_enabled', s.directorySyncEnabled, 'boolean');
    add('allowed_invite_domains', s.allowedInviteDomains, 'string_list');
    return rows;
  };
  const cursorList = <T>(items: readonly T[], url: URL) => {
    const size = Math.min(Number(url.searchParams.get('limit') ?? 20), kit.pageSizeCap ?? MAX_PAGE_SIZE);
    const start = url.searchParams.get('page')
      ? Number(Buffer.from(url.searchParams.get('page')!, 'base64url').toString())
      : 0;
    if (!Number.isInteger(start) || start < 0)
      throw new FakeRefusal(400, 'invalid_request_error', 'page: invalid cursor');
    const end = Math.min(items.length, start + size);
    return {
      data: items.slice(start, end),
      has_more: end < items.length,
      next_page: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
    };
  };

  const handlers: RequestHandler[] = [
    http.get(
      `${baseUrl}${PATHS.me}`,
      api([], R.members, () => json({ id: store.orgId, name: store.orgName, type: 'organization' })),
    ),
    http.get(
      `${baseUrl}${PATHS.users}`,
      api([...LIST, 'email', 'roles[]'], R.members, ({ url, faults }) => {
        const roles = listed(url, 'roles');
        return json(
          page(
            store.users.filter((u) => emailMatch(url)(u) && (!roles.length || roles.includes(u.role))),
            url,
            kit,
            faults,
          ),
        );
      }),
    ),
    http.get(
      `${baseUrl}${PATHS.users}/:id`,
      api([], R.members, ({ params }) => found(store.users.find((u) => u.id === id(params, 'id')))),
    ),
    http.post(
      `${baseUrl}${PATHS.users}/:id`,
      api([], R.write, async ({ params, request, key }) => {
        const role = (await body(request)).role;
        return json(
          recorded(
            () => keyActor(key),
            () => ({ ...store.updateRole(id(params, 'id'), role) }),
          ),
        );
      }),
    ),
    http.delete(
      `${baseUrl}${PATHS.users}/:id`,
      api([], R.write, ({ params, key }) => {
        recorded(
          () => keyActor(key),
          () => store.removeUser(id(params, 'id')),
        );
        return json({ id: id(params, 'id'), type: 'user_deleted' });
      }),
    ),
    http.get(
      `${baseUrl}${PATHS.invites}`,
      api([...LIST, 'email', 'roles[]', 'statuses[]'], R.members, ({ url, faults }) => {
        const roles = listed(url, 'roles');
        const statuses = listed(url, 'statuses');
        const bad = statuses.find((s) => !['pending', 'accepted', 'expired'].includes(s));
        if (bad)
          throw new FakeRefusal(
            400,
            'invalid_request_error',
            `statuses.0: Input should be 'accepted', 'expired' or 'pending'`,
          );
        return json(
          page(
            store
              .listInvites()
              .filter(
                (i) =>
                  emailMatch(url)(i) &&
                  (!roles.length || roles.includes(i.role)) &&
                  (!statuses.length || statuses.includes(i.status)),
              ),
            url,
            kit,
            faults,
          ),
        );
      }),
    ),
    http.get(
      `${baseUrl}${PATHS.invites}/:id`,
      api([], R.members, ({ params }) => found(store.listInvites().find((i) => i.id === id(params, 'id')))),
    ),
    http.post(
      `${baseUrl}${PATHS.invites}`,
      api([], R.write, async ({ request, key }) => {
        const b = await body(request);
        const unknown = Object.keys(b).filter((k) => !['email', 'role', 'rbac_group_ids'].includes(k));
        if (unknown.length)
          throw new FakeRefusal(400, 'invalid_request_error', `${unknown[0]}: Extra inputs are not permitted`);
        if (Array.isArray(b.rbac_group_ids) && b.rbac_group_ids.length) {
          if (!(key.kind === 'console' || (key.scopes ?? ALL_SCOPES).includes(SCOPES.writeRbacGroups)))
            throw new FakeRefusal(
              403,
              'permission_error',
              `Missing required scopes. Got: [${(key.scopes ?? ALL_SCOPES).join(', ')}] Needed: [${SCOPES.writeRbacGroups}]`,
            );
          throw new FakeRefusal(501, 'api_error', 'not modelled by the fake: rbac_group_ids on invites');
        }
        return json(
          recorded(
            () => keyActor(key),
            () => store.createInvite(b.email, b.role),
          ),
        );
      }),
    ),
    http.delete(
      `${baseUrl}${PATHS.invites}/:id`,
      api([], R.write, ({ params, key }) => {
        recorded(
          () => keyActor(key),
          () => store.deleteInvite(id(params, 'id')),
        );
        return json({ id: id(params, 'id'), type: 'invite_deleted' });
      }),
    ),
    http.get(
      `${baseUrl}${PATHS.rbacGroups}`,
      api(['limit', 'page'], R.groups, ({ url }) => json(cursorList(groups, url)), false),
    ),
    http.get(
      `${baseUrl}${PATHS.complianceOrganizations}`,
      api(
        ['limit', 'page'],
        R.orgData,
        ({ url }) =>
          json(
            cursorList(
              [
                { uuid: store.orgId, name: store.orgName, created_at: '2026-01-01T00:00:00Z' },
                ...linked.map((l) => ({ uuid: l.uuid, name: l.name, created_at: '2026-01-01T00:00:00Z' })),
              ],
              url,
            ),
          ),
        false,
      ),
    ),
    http.get(
      `${baseUrl}${PATHS.complianceOrganizations}/:uuid/users`,
      api(
        ['limit', 'page'],
        R.userData,
        ({ params, url }) => {
          const uuid = id(params, 'uuid');
          const users =
            uuid === store.orgId
              ? store.users.map((u) => ({ id: u.id, email: u.email, full_name: u.name, organization_role: u.role }))
              : linked
                  .find((l) => l.uuid === uuid)
                  ?.users?.map((u, i) => ({
                    id: `user_01L${i}`,
                    email: u.email,
                    full_name: u.email.split('@')[0],
                    organization_role: u.role,
                  }));
          if (!users) throw new FakeRefusal(404, 'not_found_error', 'Organization not found.');
          return json(cursorList(users, url));
        },
        false,
      ),
    ),
    http.get(
      `${baseUrl}${PATHS.complianceOrganizations}/:uuid/settings`,
      api(
        [],
        R.orgData,
        ({ params }) => {
          const uuid = id(params, 'uuid');
          const other = linked.find((l) => l.uuid === uuid);
          // Documented: unknown, out-of-tree and "not enabled for this parent" all give the same 404.
          if (options.settingsEnabled === false || (uuid !== store.orgId && !other))
            throw new FakeRefusal(404, 'not_found_error', 'Organization not found.');
          const rows = other
            ? settingsOf(other.mode ?? 'login_only', other.settings)
            : settingsOf(store.mode, store.settings);
          return json({ organization_id: uuid, settings: rows, api_keys: [] });
        },
        false,
      ),
    ),
    http.get(
      `${baseUrl}${PATHS.complianceActivities}`,
      api(['limit', 'before_id', 'after_id', 'organization_ids[]', 'activity_types[]'], R.feed, ({ url }) => {
        const types = listed(url, 'activity_types');
        const orgIds = listed(url, 'organization_ids');
        const n = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(n) || n < 1 || n > 5000)
          throw new FakeRefusal(400, 'invalid_request_error', 'limit: Input should be between 1 and 5000');
        const match = (a: Record<string, unknown>) =>
          (!types.length || types.includes(String(a.type))) &&
          (!orgIds.length ||
            orgIds.includes(String(a.organization_id)) ||
            orgIds.includes(String(a.organization_uuid)));
        const all = [...activities].reverse();
        const before = url.searchParams.get('before_id');
        const after = url.searchParams.get('after_id');
        // A cursor is a position in the whole feed (a row any filter may leave out): it is found
        // before the filters apply. What the live API answers for an unknown id is UNVERIFIED.
        const at = (name: string, cursor: string) => {
          const i = all.findIndex((a) => a.id === cursor);
          if (i < 0) throw new FakeRefusal(400, 'invalid_request_error', `${name}: unknown activity ${cursor}`);
          return i;
        };
        // Newest first: `before_id` gives the page just newer than that row (heading forwards in
        // time: the poll), `after_id` the page just older (heading backwards).
        if (before) {
          const newer = all.slice(0, at('before_id', before)).filter(match);
          const data = newer.slice(Math.max(0, newer.length - n));
          return json({
            data,
            has_more: newer.length > n,
            first_id: data[0]?.id ?? null,
            last_id: data.at(-1)?.id ?? null,
          });
        }
        const rows = (after ? all.slice(at('after_id', after) + 1) : all).filter(match);
        const data = rows.slice(0, n);
        return json({
          data,
          has_more: rows.length > n,
          first_id: data[0]?.id ?? null,
          last_id: data.at(-1)?.id ?? null,
        });
      }),
    ),
  ];

  return {
    handlers,
    kit,
    baseUrl,
    orgId: store.orgId,
    env: { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_ADMIN_KEY: keys[0]!.key, ANTHROPIC_ORG_ID: store.orgId },
    users: () => store.users.map((u) => ({ ...u })),
    invites: () => store.listInvites(),
    members: () => store.members(),
    writes: () => kit.requests.filter((r) => r.method !== 'GET'),
    update: (mutate, actor) =>
      recorded(
        () => actorOf(actor, store),
        () => mutate(store),
        actor?.type === 'scim',
      ),
    acceptInvite: (email) =>
      recorded(
        () => actorOf({ type: 'user', email, userId: store.userByEmail(email)?.id }, store),
        () => store.acceptInvite(email),
      ),
    activities: {
      list: () => activities.map((a) => ({ ...a })),
      append: (row, actor) => appendActivity(row, actor ? actorOf(actor, store) : undefined),
    },
    dropAnswerAfterCommit: (match, times = 1) => void drops.push({ match, left: times }),
    failNext: (match, status, errorCode, times = 1) => void fails.push({ match, left: times, status, code: errorCode }),
    store,
  };
}

/**
 * The key of a request (`x-api-key`, or a Bearer token as the SDK sends by default). Without
 * `adminKey` / `keys` the fake accepts any key of either prefix, by its kind.
 */
function keyOf(request: Request, keys: readonly FakeKey[], lenient: boolean): FakeKey | undefined {
  const given = request.headers.get('x-api-key') ?? request.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
  if (!given) return undefined;
  const exact = keys.find((k) => k.key === given);
  if (exact || !lenient) return exact;
  if (given.startsWith(ADMIN_KEY_PREFIX)) return { key: given, kind: 'console' };
  if (given.startsWith(ENTERPRISE_KEY_PREFIX)) return { key: given, kind: 'enterprise' };
  return undefined;
}

/** The documented error body; `errorCode` goes in `error.details.error_code` (what the SDK maps to typed errors). */
export function errorBody(type: string, message: string, errorCode?: string) {
  return { type: 'error', error: { type, message, ...(errorCode ? { details: { error_code: errorCode } } : {}) } };
}

function error(
  status: number,
  type: string,
  message: string,
  errorCode?: string,
  headers?: Record<string, string>,
): Response {
  return HttpResponse.json(errorBody(type, message, errorCode) as never, { status, headers });
}

function found(item: object | undefined): Response {
  return item
    ? HttpResponse.json(item as never)
    : error(404, 'not_found_error', 'The requested resource could not be found.');
}

let requestSeq = 0;
/**
 * Every answer as the API sends it: `request-id`, `Date` and `anthropic-organization-id`
 * headers, and an error body in the documented shape even for injected faults (FakeKit's own
 * bodies are rewritten), with `retry-after` on every 429.
 */
async function vendorShaped(res: Response, retryAfter: string, orgId: string): Promise<Response> {
  if (res.type === 'error') return res;
  const headers = new Headers(res.headers);
  headers.set('request-id', `req_011C${(++requestSeq).toString(36).padStart(20, '0')}`);
  headers.set('date', new Date().toUTCString());
  headers.set('anthropic-organization-id', orgId);
  let text = await res.text();
  if (res.status >= 400) {
    let ok = false;
    try {
      const b = JSON.parse(text) as { type?: unknown; error?: { type?: unknown } };
      ok = b.type === 'error' && typeof b.error?.type === 'string';
    } catch {
      ok = false;
    }
    if (!ok)
      text = JSON.stringify(
        errorBody(
          ERROR_TYPES[res.status as keyof typeof ERROR_TYPES] ??
            (res.status >= 500 ? 'api_error' : 'invalid_request_error'),
          res.status === 429
            ? 'Number of requests has exceeded your rate limit. Please try again later.'
            : res.status >= 500
              ? 'Internal server error'
              : 'Invalid request',
        ),
      );
    headers.set('content-type', 'application/json');
    if (res.status === 429 && !headers.has('retry-after')) headers.set('retry-after', retryAfter);
  }
  return new Response(text, { status: res.status, headers });
}

/**
 * One page in the API's shape: `data`, `first_id`, `last_id`, `has_more`. `after_id` starts after
 * that object, `before_id` ends before it. Paging faults: `dropNext` answers `has_more: false`
 * mid-list, `emptyPage` an empty page that claims more, `repeatCursor` a `last_id` equal to the
 * cursor it was given.
 */
function page<T extends { id: string }>(items: readonly T[], url: URL, kit: FakeKit, faults: PagingFaults) {
  const raw = url.searchParams.get('limit');
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new FakeRefusal(400, 'invalid_request_error', `limit: Input should be between 1 and ${MAX_PAGE_SIZE}`);
  const size = Math.min(limit, kit.pageSizeCap ?? limit);
  const after = url.searchParams.get('after_id');
  const before = url.searchParams.get('before_id');
  const at = (cursor: string) => {
    const i = items.findIndex((x) => x.id === cursor);
    // UNVERIFIED: the live API's answer for an unknown cursor.
    if (i < 0) throw new FakeRefusal(400, 'invalid_request_error', `Invalid cursor ${cursor}`);
    return i;
  };
  let start = after ? at(after) + 1 : 0;
  let end = Math.min(items.length, start + size);
  let hasMore = end < items.length;
  if (before && !after) {
    end = at(before);
    start = Math.max(0, end - size);
    hasMore = start > 0;
  }
  let data = items.slice(start, end);
  let lastId = data.at(-1)?.id ?? null;
  const fault = faults.take((f) =>
    f.type === 'dropNext'
      ? hasMore
      : f.type === 'emptyPage'
        ? Boolean(after) && data.length > 0
        : f.type === 'repeatCursor'
          ? Boolean(after) && hasMore
          : false,
  );
  if (fault?.type === 'dropNext') hasMore = false;
  if (fault?.type === 'emptyPage') {
    data = [];
    hasMore = true;
    lastId = after;
  }
  if (fault?.type === 'repeatCursor') lastId = after;
  return { data, first_id: data[0]?.id ?? null, has_more: hasMore, last_id: lastId };
}
