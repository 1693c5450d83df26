import { http, HttpResponse, type RequestHandler } from 'msw';
import { FakeKit, type PagingFaults, type RecordedRequest, type ResolverArgs } from '@claude-idp/core/testing';
import type { Member } from '@claude-idp/core';
import { ADMIN_KEY_PREFIX, DEFAULT_BASE_URL, MAX_PAGE_SIZE, PATHS } from '../anthropic-api-facts';
import type { AnthropicInvite, AnthropicUser } from '../anthropic-schemas';
import { FakeOrgStore, FakeRefusal, type FakeOrgOptions } from './anthropic-fake-store';

export interface AnthropicFakeOptions extends FakeOrgOptions {
  /** Host the handlers answer. Default https://api.anthropic.com. */
  baseUrl?: string;
  /** The only key accepted (others get 401). Default: any `sk-ant-admin…` key. */
  adminKey?: string;
  /** Caps every page below the API's 1000, so small orgs page. */
  pageSizeCap?: number;
  /** `retry-after` seconds on an injected throttle (429 rate_limit_error). Default 1. */
  throttleRetryAfterSeconds?: number;
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
  /** Changes the org between calls (someone acting in the Console). */
  update(mutate: (store: FakeOrgStore) => void): void;
  acceptInvite(email: string): AnthropicUser;
  readonly store: FakeOrgStore;
}

/**
 * A fake of the Admin API's users, invites and current-organization endpoints, in the vendor's
 * shapes (`src/__fixtures__`), with `after_id` / `before_id` / `limit` paging, the role rules
 * (`admin` cannot be granted; holders of protected roles cannot be re-roled or removed), the
 * documented error body, and core's FakeKit for recording and faults.
 */
export function createAnthropicFake(options: AnthropicFakeOptions = {}): AnthropicFake {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const retryAfter = String(options.throttleRetryAfterSeconds ?? 1);
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    throttle: () => ({ status: 429, headers: { 'retry-after': retryAfter }, body: errorBody('rate_limit_error', 'Your account has hit a rate limit.') }),
  });
  const store = new FakeOrgStore(options);

  const api = (resolve: (args: ResolverArgs & { faults: PagingFaults; url: URL }) => Response | Promise<Response>) =>
    kit.handle(async (args) => {
      const key = args.request.headers.get('x-api-key');
      if (!key || !key.startsWith(ADMIN_KEY_PREFIX) || (options.adminKey !== undefined && key !== options.adminKey)) {
        return error(401, 'authentication_error', 'invalid x-api-key');
      }
      // UNVERIFIED: what the live API answers without `anthropic-version`; the fake insists on it.
      if (!args.request.headers.get('anthropic-version')) return error(400, 'invalid_request_error', 'anthropic-version: header is required');
      try {
        return await resolve({ ...args, url: new URL(args.request.url) });
      } catch (e) {
        if (e instanceof FakeRefusal) return error(e.status, e.errorType, e.message);
        throw e;
      }
    });
  const body = async (request: Request): Promise<Record<string, unknown>> => {
    try {
      return (await request.json()) as Record<string, unknown>;
    } catch {
      throw new FakeRefusal(400, 'invalid_request_error', 'Request body is not valid JSON');
    }
  };
  const id = (params: ResolverArgs['params'], name: string) => String(params[name]);

  const handlers: RequestHandler[] = [
    http.get(`${baseUrl}${PATHS.me}`, api(() => HttpResponse.json({ id: store.orgId, name: store.orgName, type: 'organization' }))),
    http.get(`${baseUrl}${PATHS.users}`, api(({ url, faults }) => {
      const email = url.searchParams.get('email')?.toLowerCase();
      return HttpResponse.json(page(store.users.filter((u) => !email || u.email.toLowerCase() === email), url, kit, faults));
    })),
    http.get(`${baseUrl}${PATHS.users}/:id`, api(({ params }) => found(store.users.find((u) => u.id === id(params, 'id'))))),
    http.post(`${baseUrl}${PATHS.users}/:id`, api(async ({ params, request }) => HttpResponse.json(store.updateRole(id(params, 'id'), (await body(request)).role)))),
    http.delete(`${baseUrl}${PATHS.users}/:id`, api(({ params }) => {
      store.removeUser(id(params, 'id'));
      return HttpResponse.json({ id: id(params, 'id'), type: 'user_deleted' });
    })),
    http.get(`${baseUrl}${PATHS.invites}`, api(({ url, faults }) => HttpResponse.json(page(store.listInvites(), url, kit, faults)))),
    http.get(`${baseUrl}${PATHS.invites}/:id`, api(({ params }) => found(store.listInvites().find((i) => i.id === id(params, 'id'))))),
    http.post(`${baseUrl}${PATHS.invites}`, api(async ({ request }) => {
      const b = await body(request);
      return HttpResponse.json(store.createInvite(b.email, b.role));
    })),
    http.delete(`${baseUrl}${PATHS.invites}/:id`, api(({ params }) => {
      store.deleteInvite(id(params, 'id'));
      return HttpResponse.json({ id: id(params, 'id'), type: 'invite_deleted' });
    })),
  ];

  return {
    handlers,
    kit,
    baseUrl,
    orgId: store.orgId,
    env: { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_ADMIN_KEY: options.adminKey ?? 'sk-ant-admin01-fake-key-of-no-value', ANTHROPIC_ORG_ID: store.orgId },
    users: () => store.users.map((u) => ({ ...u })),
    invites: () => store.listInvites(),
    members: () => store.members(),
    writes: () => kit.requests.filter((r) => r.method !== 'GET'),
    update: (mutate) => mutate(store),
    acceptInvite: (email) => store.acceptInvite(email),
    store,
  };
}

export function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

function error(status: number, type: string, message: string): Response {
  return HttpResponse.json(errorBody(type, message), { status });
}

function found(item: object | undefined): Response {
  return item ? HttpResponse.json(item) : error(404, 'not_found_error', 'The requested resource could not be found.');
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
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new FakeRefusal(400, 'invalid_request_error', `limit: Input should be between 1 and ${MAX_PAGE_SIZE}`);
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
  const fault = faults.take((f) => (f.type === 'dropNext' ? hasMore : f.type === 'emptyPage' ? Boolean(after) && data.length > 0 : f.type === 'repeatCursor' ? Boolean(after) && hasMore : false));
  if (fault?.type === 'dropNext') hasMore = false;
  if (fault?.type === 'emptyPage') {
    data = [];
    hasMore = true;
    lastId = after;
  }
  if (fault?.type === 'repeatCursor') lastId = after;
  return { data, first_id: data[0]?.id ?? null, has_more: hasMore, last_id: lastId };
}
