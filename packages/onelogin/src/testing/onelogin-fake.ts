import {
  cloneTenant,
  diffTenants,
  FakeKit,
  type GenericTenant,
  type IdpFake,
  type PagingFaults,
  type ResolverArgs,
} from '@claude-idp/core/testing';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { PAGE_LIMITS } from '../onelogin-api-facts';
import { FakeTokens, type OneLoginScope } from './onelogin-fake-auth';
import { createFakeEvents, type OneLoginFakeEvents } from './onelogin-fake-events';
import { numericId } from './onelogin-fake-ids';
import { oneLoginErrorAnswer } from './onelogin-fake-errors';
import { v1Error, v1Page, v2Error, v2Page } from './onelogin-fake-paging';
import { buildStore, type FakeStore, type FakeV1Group } from './onelogin-fake-store';
import {
  badTimestamp,
  cachedView,
  listApps,
  listRoles,
  listUsers,
  pick,
  roleUsers,
  USER_FILTERS,
  viewKey,
} from './onelogin-fake-views';

export interface OneLoginFakeOptions {
  /** Caps every page below OneLogin's maximum so small tenants page (fault tests use 2). */
  pageSizeCap?: number;
  /** The host the handlers answer. Default `https://<tenant name>.onelogin.com`. */
  baseUrl?: string;
  /** OneLogin-native v1 groups (one per user); a generic tenant has none. Default none. */
  v1Groups?: FakeV1Group[];
  /** The scope of the fake's API credential. Default "Read All". */
  scope?: OneLoginScope;
  /** `X-RateLimit-Reset` (seconds remaining) on an injected 429. Default 1. */
  throttleResetSeconds?: number;
  /** The fetch webhook deliveries go through. Default the global one. */
  deliveryFetch?: typeof fetch;
}

export interface OneLoginFake extends IdpFake {
  /** The Claude app's numeric id, as a string. */
  readonly appId: string;
  /** The fake's API credential pair (also in `env`). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** A live bearer token, for tests that use ONELOGIN_ACCESS_TOKEN. */
  accessToken(): string;
  /** Expires every token (as 10 hours passing would): the next resource call answers 401. */
  expireTokens(): void;
  /** Tokens handed out by the token endpoint so far. */
  readonly tokensIssued: number;
  /** The OneLogin-shaped data being served (rebuilt after `update`). */
  store(): FakeStore;
  /**
   * Event webhooks: OneLogin has no API to create one (the admin does, in Developers → Webhooks),
   * so `events.subscribe({ url, secret })` stands for that; then each `update()` delivers
   * OneLogin's events for the change over real HTTP. See onelogin-fake-events.ts.
   */
  readonly events: OneLoginFakeEvents;
}

const RATE_LIMIT = 5000;

/**
 * An msw fake of the OneLogin API over a generic tenant (SPEC §7): the token endpoint,
 * /api/2/apps (+ /{id}, /{id}/users), /api/2/roles (+ /{id}, /{id}/users), /api/2/users
 * (+ /{id}), /api/1/groups (+ /{id}), in OneLogin's JSON shapes and paging, every request recorded
 * in `kit`, faults injectable (`throttle` is OneLogin's 429 with X-RateLimit-* headers),
 * `update()` seen by the next request and delivered as OneLogin events to `events` webhooks. How the generic tenant maps onto roles: see buildStore.
 */
export function createOneLoginFake(tenant: GenericTenant, options: OneLoginFakeOptions = {}): OneLoginFake {
  const baseUrl = (options.baseUrl ?? `https://${tenant.name.toLowerCase()}.onelogin.com`).replace(/\/+$/, '');
  const scope = options.scope ?? 'Read All';
  const started = Date.now();
  let answered = 0;
  const rateHeaders = (remaining?: number): Record<string, string> => ({
    'X-RateLimit-Limit': String(RATE_LIMIT),
    'X-RateLimit-Remaining': String(remaining ?? Math.max(0, RATE_LIMIT - answered)),
    // Seconds remaining in the hour (api-docs/2/oauth20-tokens/get-rate-limit), not an epoch.
    'X-RateLimit-Reset': String(Math.max(0, 3600 - Math.floor((Date.now() - started) / 1000))),
  });
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    // OneLogin's own v1 / v2 error bodies and rate-limit headers for an injected status (onelogin-fake-errors.ts).
    error: oneLoginErrorAnswer(() => rateHeaders()),
    throttle: () => ({
      status: 429,
      headers: { ...rateHeaders(0), 'X-RateLimit-Reset': String(options.throttleResetSeconds ?? 1) },
      body: { message: 'Too Many Requests', statusCode: 429, name: 'TooManyRequestsError' },
    }),
  });
  const tokens = new FakeTokens(
    `onelogin-fake-${tenant.name.toLowerCase()}`,
    `onelogin-fake-secret-${tenant.name.toLowerCase()}-7c1e`,
  );
  let t = cloneTenant(tenant);
  // Rebuilt lazily from the current tenant, so an update() is seen by the very next request.
  let cache: { tenant: GenericTenant; store: FakeStore } | undefined;
  const store = (): FakeStore => {
    if (cache?.tenant !== t) cache = { tenant: t, store: buildStore(t, baseUrl, options.v1Groups ?? []) };
    return cache.store;
  };
  const appId = store().appId;
  const events = createFakeEvents({
    fetch: options.deliveryFetch,
    appId: () => store().appId,
    accountId: numericId('role', `account:${tenant.name}`),
  });

  type Resolver = (
    args: ResolverArgs & { faults: PagingFaults; s: FakeStore; q: URLSearchParams },
  ) => Response | Promise<Response>;
  /** v2 paging parameters, accepted by every v2 listing (v2Page checks them). */
  const PAGED = ['limit', 'page', 'cursor', 'sort', 'after_cursor', 'before_cursor'];
  /**
   * Token and scope first, then the query parameters: one the route does not model (`params`;
   * `custom_attributes.*` where `customAttributes`) answers 501 naming it, never 200 unfiltered.
   */
  const api = (params: readonly string[], resolve: Resolver, customAttributes = false) =>
    kit.handle(async (args) => {
      const refused = tokens.refuse(args.request, scope);
      if (refused) return refused;
      answered++;
      const url = new URL(args.request.url);
      const unknown = [...new Set(url.searchParams.keys())].filter(
        (k) => !params.includes(k) && !(customAttributes && k.startsWith('custom_attributes.')),
      );
      const response = unknown.length
        ? kit.notModelled(args.request, `query parameter ${unknown.join(', ')} on GET ${url.pathname}`)
        : await resolve({ ...args, s: store(), q: url.searchParams });
      for (const [k, v] of Object.entries(rateHeaders())) response.headers.set(k, v);
      return response;
    });
  const num = (v: unknown) => Number(Array.isArray(v) ? v[0] : v);
  const notFound = () => v2Error(404, 'NotFoundError', 'The resource with the given id could not be found');

  const handlers = (): RequestHandler[] => [
    http.post(
      `${baseUrl}/auth/oauth2/v2/token`,
      kit.handle(({ request }) => tokens.answer(request)),
    ),
    http.get(
      `${baseUrl}/api/2/apps`,
      api(['name', 'connector_id', 'auth_method', 'fields', ...PAGED], ({ request, faults, s, q }) =>
        v2Page(kit, request, faults, listApps(s, q), PAGE_LIMITS.apps, {}),
      ),
    ),
    http.get(
      `${baseUrl}/api/2/apps/:id`,
      api([], ({ params, s }) => {
        const app = s.apps.find((a) => a.id === num(params.id));
        if (!app) return notFound();
        const { auth_method_description: _listOnly, ...full } = app;
        return HttpResponse.json(full as never);
      }),
    ),
    http.get(
      `${baseUrl}/api/2/apps/:id/users`,
      api(PAGED, ({ request, faults, params, s }) => {
        if (!s.apps.some((a) => a.id === num(params.id))) return notFound();
        const ids = num(params.id) === s.appId ? s.appUserIds : [];
        // Projected once per app, then paged (see cachedView).
        const items = cachedView(s, viewKey(`apps/${num(params.id)}/users`, new URLSearchParams()), () =>
          ids.map((id) => pick(s.userById.get(id)!, ['firstname', 'id', 'email', 'lastname', 'username'])),
        );
        return v2Page(kit, request, faults, items, PAGE_LIMITS.appUsers, {});
      }),
    ),
    http.get(
      `${baseUrl}/api/2/roles`,
      api(['name', 'app_id', 'app_name', 'fields', ...PAGED], ({ request, faults, s, q }) =>
        v2Page(kit, request, faults, listRoles(s, q), PAGE_LIMITS.roles, {}),
      ),
    ),
    http.get(
      `${baseUrl}/api/2/roles/:id`,
      api([], ({ params, s }) => {
        const role = s.roles.find((r) => r.id === num(params.id));
        return role ? HttpResponse.json(role as never) : notFound();
      }),
    ),
    http.get(
      `${baseUrl}/api/2/roles/:id/users`,
      api(['name', 'include_unassigned', ...PAGED], ({ request, faults, params, s, q }) => {
        const role = s.roles.find((r) => r.id === num(params.id));
        // Computed once per role and filters, then paged (see cachedView).
        return role
          ? v2Page(
              kit,
              request,
              faults,
              cachedView(s, viewKey(`roles/${role.id}/users`, q), () => roleUsers(s, role, q)),
              PAGE_LIMITS.roleUsers,
              {},
            )
          : notFound();
      }),
    ),
    // A listing by `user_ids` is one page, asked once: not worth keeping. Any other is paged
    // through, so it is computed once (see cachedView). `sort` orders it (v2Page).
    http.get(
      `${baseUrl}/api/2/users`,
      api(
        [...USER_FILTERS, ...PAGED],
        ({ request, faults, s, q }) => {
          const bad = badTimestamp(q);
          if (bad) return v2Error(422, 'UnprocessableEntityError', `invalid value in "${bad}"`);
          const users = q.has('user_ids') ? listUsers(s, q) : cachedView(s, viewKey('users', q), () => listUsers(s, q));
          return v2Page(kit, request, faults, users, PAGE_LIMITS.users, {}, true);
        },
        true,
      ),
    ),
    http.get(
      `${baseUrl}/api/2/users/:id`,
      api([], ({ params, s }) => {
        const user = s.userById.get(num(params.id));
        return user ? HttpResponse.json(user as never) : notFound();
      }),
    ),
    http.get(
      `${baseUrl}/api/1/groups`,
      api(['after_cursor'], ({ request, faults, s }) => v1Page(kit, request, faults, baseUrl, s.groups, {})),
    ),
    http.get(
      `${baseUrl}/api/1/groups/:id`,
      api([], ({ params, s }) => {
        const g = s.groups.find((x) => x.id === num(params.id));
        if (!g) return v1Error(404, 'not found', `Group for id ${String(params.id)} was not found`);
        return HttpResponse.json({
          status: { error: false, code: 200, type: 'success', message: 'Success' },
          data: [g],
        } as never);
      }),
    ),
    // Any other path or method of OneLogin's API: not modelled, said loudly (v1 or v2 error
    // shape; only OneLogin's own prefixes, so other fakes can share the host).
    ...['/api/1/*', '/api/2/*', '/auth/*'].map((p) =>
      http.all(
        `${baseUrl}${p}`,
        kit.handle(({ request }) => kit.notModelled(request, `${request.method} ${new URL(request.url).pathname}`)),
      ),
    ),
  ];

  return {
    get handlers() {
      return handlers();
    },
    kit,
    baseUrl,
    env: {
      ONELOGIN_BASE_URL: baseUrl,
      ONELOGIN_CLIENT_ID: tokens.clientId,
      ONELOGIN_CLIENT_SECRET: tokens.clientSecret,
      ONELOGIN_APP_ID: String(appId),
    },
    get tenant() {
      return t;
    },
    appId: String(appId),
    clientId: tokens.clientId,
    clientSecret: tokens.clientSecret,
    accessToken: () => tokens.token(),
    expireTokens: () => tokens.expire(),
    get tokensIssued() {
      return tokens.issued;
    },
    store,
    events: events.api,
    update(mutate) {
      const before = t;
      const next = cloneTenant(t);
      mutate(next);
      t = next;
      events.publish(diffTenants(before, next), next);
    },
  };
}
