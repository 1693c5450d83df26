import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  EventDelivery,
  FakeKit,
  cloneTenant,
  diffTenants,
  type GenericTenant,
  type IdpFake,
  type PagingFaults,
  type ResolverArgs,
} from '@claude-idp/core/testing';
import { OKTA_SCOPES, PAGE, type RateBucket } from '../okta-api-facts';
import { oktaErrorAnswer } from './okta-fake-errors';
import { createGate, oktaError as err } from './okta-fake-gate';
import { buildOrg, type Json, type OktaOrg } from './okta-fake-store';
import {
  APPS_FILTER,
  GROUPS_FILTER,
  GROUPS_SEARCH,
  oktaPage,
  parseExpression,
  sortItems,
  USERS_FILTER,
  USERS_SEARCH,
  type CursorStyle,
  type ExpressionRules,
  type PageLimits,
  type Predicate,
} from './okta-fake-query';
import { createEventHooks, type OktaFakeEvents } from './okta-fake-hooks';
import { tokenEndpoint, type IssuedToken } from './okta-fake-oauth';

export interface OktaFakeOptions {
  /** Caps every page below Okta's maximum so a small tenant pages (fault tests). */
  pageSizeCap?: number;
  /** Where the org answers; default `https://<tenant.name>.okta.com`. */
  baseUrl?: string;
  /** Accept only this SSWS token (default: any non-empty SSWS token, so demos need no secret). */
  apiToken?: string;
  /** Scopes granted to OAuth service apps (default the four read scopes); others get `invalid_scope`. */
  grantedScopes?: string[];
  /** Per-bucket limits per window (default Okta's Enterprise table) and the window length (default 60 s). */
  rateLimits?: { limits?: Partial<Record<RateBucket, number>>; windowMs?: number };
  /** Whether the org has the Group Push mappings API (feature flag); without it Okta answers 401 E0000015. Default true. */
  groupPushApi?: boolean;
  /** Seconds until X-Rate-Limit-Reset on an injected `throttle` fault (default 0: the window turns over now). */
  throttleResetSeconds?: number;
  /** The fetch event hook verifications and deliveries go out with (default the global one). */
  fetch?: typeof fetch;
}

export type OktaFake = IdpFake & {
  appId: string;
  readonly org: OktaOrg;
  /** Event hooks registered through `/api/v1/eventHooks`, their verifications and deliveries. */
  readonly events: OktaFakeEvents;
};

/**
 * An in-memory Okta org served as msw handlers, in the Management API's own shapes, paging
 * (Link `rel="next"` with `after` cursors, each endpoint's limits), errors (E0000xxx bodies),
 * SSWS / OAuth service-app auth with scopes, and per-bucket rate limits with the
 * X-Rate-Limit-Limit/Remaining/Reset headers. State is read at request time, so `update()` is
 * seen by the next request.
 */
export function createOktaFake(tenant: GenericTenant, options: OktaFakeOptions = {}): OktaFake {
  const base = (options.baseUrl ?? `https://${tenant.name.toLowerCase()}.okta.com`).replace(/\/+$/, '');
  const tokens = new Map<string, IssuedToken>();
  const gate = createGate(options, base, tokens);
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    // Okta's own error body and headers for an injected status (okta-fake-errors.ts).
    error: oktaErrorAnswer(gate.headersFor),
    // Okta's own 429: E0000047 body and the rate-limit headers (Reset in epoch seconds).
    throttle: () => ({
      status: 429,
      headers: {
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + (options.throttleResetSeconds ?? 0)),
        'x-okta-request-id': randomUUID(),
      },
      body: {
        errorCode: 'E0000047',
        errorSummary: 'API call exceeded rate limit due to too many requests.',
        errorLink: 'E0000047',
        errorId: 'sampleQPivGUj_ND5v78vbYWW',
        errorCauses: [],
      },
    }),
  });
  let t = cloneTenant(tenant);
  let org = buildOrg(t, base);
  type Args = ResolverArgs & { faults: PagingFaults; url: URL; headers: Record<string, string> };
  /**
   * Auth, rate limit and scopes first (okta-fake-gate.ts), then the query parameters: any the
   * route does not model (`params`) answers 501 naming it, never 200 with unfiltered data.
   */
  const route = (params: readonly string[], resolve: (a: Args) => Response | Promise<Response>) =>
    kit.handle((a) => {
      const url = new URL(a.request.url);
      const { headers, denied } = gate(url, a.request);
      if (denied) return denied;
      const unknown = [...new Set(url.searchParams.keys())].filter((k) => !params.includes(k));
      if (unknown.length)
        return notModelled(
          a.request,
          `query parameter ${unknown.join(', ')} on ${a.request.method} ${url.pathname}`,
          headers,
        );
      // listUsers' `contentType` (Content-Type `application/json; okta-response=omitCredentials`, ...) trims the answer: not modelled.
      const trim = /okta-response=[^;,]*/i.exec(a.request.headers.get('content-type') ?? '');
      if (trim)
        return notModelled(a.request, `header Content-Type ${trim[0]} on ${a.request.method} ${url.pathname}`, headers);
      return resolve({ ...a, url, headers });
    });
  const notModelled = (request: Request, what: string, headers: Record<string, string>) => {
    const res = kit.notModelled(request, what);
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  };
  /**
   * A `filter` / `search` expression under the endpoint's rules: its predicate, or the answer Okta
   * gives (400 E0000031 for syntax or a property / operator the endpoint does not support) or the
   * fake's 501 for a documented one it does not model.
   */
  const expression = (a: Args, name: 'filter' | 'search', rules: ExpressionRules): Predicate | Response => {
    const parsed = parseExpression(a.url.searchParams.get(name)!, rules);
    if ('match' in parsed) return parsed.match;
    if ('notModelled' in parsed) return notModelled(a.request, `${parsed.notModelled} (${name})`, a.headers);
    return err(400, 'E0000031', 'Invalid search criteria.', [], a.headers);
  };
  /** Which one of `search`, `filter`, `q` a listing uses; two at once is not modelled. */
  const queryKind = (
    a: Args,
    kinds: readonly ('search' | 'filter' | 'q')[],
  ): 'search' | 'filter' | 'q' | null | Response => {
    const used = kinds.filter((k) => a.url.searchParams.has(k));
    if (used.length > 1) return notModelled(a.request, `${used.join(' with ')} in one request`, a.headers);
    return used[0] ?? null;
  };
  /** `sortBy` / `sortOrder`: with a `search` only (spec); elsewhere not modelled. */
  const sorted = <T extends { id: string }>(a: Args, items: T[], searched: boolean): T[] | Response => {
    const by = a.url.searchParams.get('sortBy');
    const order = a.url.searchParams.get('sortOrder');
    if (by === null) return items; // sortOrder alone is ignored (spec: "ignored if sortBy isn't present").
    if (!searched) return notModelled(a.request, 'sortBy without search', a.headers);
    if (order !== null && order !== 'asc' && order !== 'desc')
      return notModelled(a.request, `sortOrder=${order}`, a.headers);
    return sortItems(items, by, order === 'desc' ? 'desc' : 'asc');
  };
  /** `q`: a startsWith match, case-insensitive, on any of `fields`. */
  const startsWith = (q: string, ...fields: unknown[]) =>
    fields.some((f) => typeof f === 'string' && f.toLowerCase().startsWith(q.toLowerCase()));
  /** A listing that is not pageable (`q` on users and groups): up to `limit` (default `def`), no next link. */
  const unpaged = <T>(a: Args, items: T[], def: number, max: number, render: (x: T) => unknown = (x) => x) => {
    const raw = a.url.searchParams.get('limit');
    const limit = raw === null ? def : Number(raw);
    if (!Number.isInteger(limit) || limit < 1)
      return err(400, 'E0000001', 'Api validation failed: limit', ['limit: must be a positive integer'], a.headers);
    return one(items.slice(0, Math.min(limit, max)).map(render), a.headers);
  };

  /** A paged JSON array in Okta's shape, with its Link headers. */
  const list = <T extends { id: string }>(
    a: { url: URL; faults: PagingFaults; headers: Record<string, string> },
    items: readonly T[],
    limits: PageLimits,
    opts: { cursor?: CursorStyle; dropFromNext?: string[]; render?: (x: T) => unknown } = {},
  ) => {
    const page = oktaPage(kit, items, a.url, limits, a.faults, opts);
    if ('error' in page)
      return err(400, 'E0000001', 'Api validation failed: limit', ['limit: must be a positive integer'], a.headers);
    const h = new Headers(a.headers);
    for (const l of page.link.split(/,\s*(?=<)/)) h.append('link', l);
    return HttpResponse.json(page.items.map((x) => (opts.render ? opts.render(x) : x)) as never, { headers: h });
  };
  const one = (body: unknown, headers: Record<string, string>) => HttpResponse.json(body as never, { headers });
  const notFound = (what: string, headers: Record<string, string>) =>
    err(404, 'E0000007', `Not found: Resource not found: ${what}`, [], headers);
  const limitsOf = (p: { max: number; min: number }, def: number): PageLimits => ({ ...p, default: def });
  const withStats = (expand: string | null) => (g: OktaOrg['groups'][number]) =>
    expand === 'stats'
      ? {
          ...g,
          _embedded: {
            stats: {
              usersCount: org.members.get(g.id)?.length ?? 0,
              appsCount: org.appGroups.some((x) => x.id === g.id) ? 1 : 0,
              groupPushMappingsCount: 0,
              hasAdminPrivlege: false,
            },
          },
        }
      : g;
  const isApp = (id: string | readonly string[] | undefined) => id === org.app.id;

  const hooks = createEventHooks({
    base,
    org: () => org,
    domain: tenant.domain,
    delivery: new EventDelivery(options.fetch),
    route,
    notModelled,
  });

  const handlers = (): RequestHandler[] => [
    http.post(
      `${base}/oauth2/v1/token`,
      kit.handle((a) => tokenEndpoint(a.request, base, options.grantedScopes ?? [...OKTA_SCOPES], tokens)),
    ),
    // listApplications: q (startsWith on name or label), filter (APPS_FILTER), after, limit.
    http.get(
      `${base}/api/v1/apps`,
      route(['q', 'filter', 'after', 'limit'], (a) => {
        const kind = queryKind(a, ['q', 'filter']);
        if (kind instanceof Response) return kind;
        let apps = org.apps;
        if (kind === 'q') apps = apps.filter((x) => startsWith(a.url.searchParams.get('q')!, x.name, x.label));
        if (kind === 'filter') {
          const match = expression(a, 'filter', APPS_FILTER);
          if (match instanceof Response) return match;
          apps = apps.filter((x) => match(x));
        }
        return list(a, apps, limitsOf(PAGE.apps, PAGE.apps.max));
      }),
    ),
    http.get(
      `${base}/api/v1/apps/:appId`,
      route([], (a) => {
        const app = org.apps.find((x) => x.id === a.params.appId);
        return app ? one(app, a.headers) : notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
      }),
    ),
    // listApplicationUsers: q (startsWith on the app user's userName, firstName, lastName, email), expand=user, after, limit.
    http.get(
      `${base}/api/v1/apps/:appId/users`,
      route(['q', 'expand', 'after', 'limit'], (a) => {
        if (!isApp(a.params.appId)) return notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
        const expandValue = a.url.searchParams.get('expand');
        if (expandValue !== null && expandValue !== 'user')
          return notModelled(a.request, `expand=${expandValue}`, a.headers);
        // Okta's quirk, reproduced: `expand=user` is dropped from the next link (okta-sdk-nodejs#439).
        const expand = expandValue === 'user';
        const render = (x: Json & { id: string }) =>
          expand ? { ...x, _embedded: { user: org.users.find((u) => u.id === x.id) } } : x;
        const q = a.url.searchParams.get('q');
        const appUsers =
          q === null
            ? org.appUsers
            : org.appUsers.filter((x) => {
                const p = (x.profile ?? {}) as Record<string, unknown>;
                // The app user's own profile attributes named so (a SCIM app's givenName/familyName are not searched).
                return startsWith(
                  q,
                  (x.credentials as { userName?: string } | undefined)?.userName,
                  p.firstName,
                  p.lastName,
                  p.email,
                );
              });
        return list(a, appUsers, limitsOf(PAGE.appUsers, 50), { dropFromNext: ['expand'], render });
      }),
    ),
    // listApplicationGroupAssignments: q (startsWith on the group's name), after, limit.
    http.get(
      `${base}/api/v1/apps/:appId/groups`,
      route(['q', 'after', 'limit'], (a) => {
        if (!isApp(a.params.appId)) return notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
        const q = a.url.searchParams.get('q');
        const names = new Map(org.groups.map((g) => [g.id, g.profile.name]));
        const assigned = q === null ? org.appGroups : org.appGroups.filter((x) => startsWith(q, names.get(x.id)));
        return list(a, assigned, limitsOf(PAGE.appGroups, 20), { cursor: 'opaque' });
      }),
    ),
    http.get(
      `${base}/api/v1/apps/:appId/features`,
      route([], (a) => {
        if (!isApp(a.params.appId)) return notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
        return org.features
          ? one(org.features, a.headers)
          : err(
              400,
              'E0000001',
              'Api validation failed: feature',
              ['Provisioning is not enabled for the app instance.'],
              a.headers,
            );
      }),
    ),
    http.get(
      `${base}/api/v1/apps/:appId/group-push/mappings`,
      route(['after', 'limit'], (a) => {
        if (options.groupPushApi === false)
          return err(
            401,
            'E0000015',
            'You do not have permission to access the feature you are requesting',
            [],
            a.headers,
          );
        return isApp(a.params.appId)
          ? list(a, org.pushMappings, limitsOf(PAGE.groupPush, 100))
          : notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
      }),
    ),
    // listGroups: search (GROUPS_SEARCH, with sortBy/sortOrder), filter (GROUPS_FILTER), q (name, unpaged, default 300), expand=stats, after, limit.
    http.get(
      `${base}/api/v1/groups`,
      route(['search', 'filter', 'q', 'expand', 'sortBy', 'sortOrder', 'after', 'limit'], (a) => {
        const p = a.url.searchParams;
        const expand = p.get('expand');
        if (expand !== null && expand !== 'stats') return notModelled(a.request, `expand=${expand}`, a.headers);
        const render = withStats(expand);
        const kind = queryKind(a, ['search', 'filter', 'q']);
        if (kind instanceof Response) return kind;
        // `q` is not pageable: one answer, up to `limit` (default 300), never a next link.
        if (kind === 'q')
          return unpaged(
            a,
            org.groups.filter((g) => startsWith(p.get('q')!, g.profile.name)),
            300,
            PAGE.groups.max,
            render,
          );
        let groups = org.groups;
        if (kind) {
          const match = expression(a, kind, kind === 'search' ? GROUPS_SEARCH : GROUPS_FILTER);
          if (match instanceof Response) return match;
          groups = groups.filter((g) => match(g));
        }
        const order = sorted(a, groups, kind === 'search');
        if (order instanceof Response) return order;
        return list(a, order, limitsOf(PAGE.groups, PAGE.groups.max), {
          render,
          cursor: order === groups ? 'id' : 'opaque',
        });
      }),
    ),
    http.get(
      `${base}/api/v1/groups/:groupId`,
      route([], (a) => {
        const g = org.groups.find((x) => x.id === a.params.groupId);
        return g ? one(g, a.headers) : notFound(`${String(a.params.groupId)} (UserGroup)`, a.headers);
      }),
    ),
    http.get(
      `${base}/api/v1/groups/:groupId/users`,
      route(['after', 'limit'], (a) => {
        const ids = org.members.get(String(a.params.groupId));
        if (!ids) return notFound(`${String(a.params.groupId)} (UserGroup)`, a.headers);
        const set = new Set(ids);
        return list(
          a,
          org.users.filter((u) => set.has(u.id)),
          limitsOf({ max: PAGE.groupUsers.max, min: 1 }, 1000),
        );
      }),
    ),
    // listUsers: search (USERS_SEARCH, with sortBy/sortOrder), filter (USERS_FILTER), q (firstName/lastName/email, unpaged, default 10), after, limit.
    http.get(
      `${base}/api/v1/users`,
      route(['search', 'filter', 'q', 'sortBy', 'sortOrder', 'after', 'limit'], (a) => {
        const p = a.url.searchParams;
        const kind = queryKind(a, ['search', 'filter', 'q']);
        if (kind instanceof Response) return kind;
        // Okta's quirk, reproduced: a plain listing and `q` omit DEPROVISIONED users; filter/search include them.
        const listed = org.users.filter((u) => u.status !== 'DEPROVISIONED');
        if (kind === 'q')
          return unpaged(
            a,
            listed.filter((u) => startsWith(p.get('q')!, u.profile.firstName, u.profile.lastName, u.profile.email)),
            10,
            PAGE.users.max,
          );
        let users = listed;
        if (kind) {
          const match = expression(a, kind, kind === 'search' ? USERS_SEARCH : USERS_FILTER);
          if (match instanceof Response) return match;
          users = org.users.filter((u) => match(u));
        }
        const order = sorted(a, users, kind === 'search');
        if (order instanceof Response) return order;
        return list(a, order, limitsOf(PAGE.users, 200), { cursor: order === users ? 'id' : 'opaque' });
      }),
    ),
    http.get(
      `${base}/api/v1/users/:userId`,
      route([], (a) => {
        const u = org.users.find((x) => x.id === a.params.userId || x.profile.login === a.params.userId);
        return u ? one(u, a.headers) : notFound(`${String(a.params.userId)} (User)`, a.headers);
      }),
    ),
    http.get(
      `${base}/api/v1/mappings`,
      route(['sourceId', 'targetId', 'after', 'limit'], (a) => {
        const p = a.url.searchParams;
        const found = org.mappings.filter(
          (m) =>
            (!p.get('targetId') || m.target.id === p.get('targetId')) &&
            (!p.get('sourceId') || m.source.id === p.get('sourceId')),
        );
        return list(a, found, limitsOf(PAGE.mappings, 20));
      }),
    ),
    http.get(
      `${base}/api/v1/mappings/:mappingId`,
      route([], (a) => {
        const m = org.mappings.find((x) => x.id === a.params.mappingId);
        return m
          ? one({ ...m, properties: org.mappingProperties.get(m.id) ?? {} }, a.headers)
          : notFound(`${String(a.params.mappingId)} (ProfileMapping)`, a.headers);
      }),
    ),
    // Event hooks: create, list, get, verify, activate, deactivate, delete (okta-fake-hooks.ts).
    ...hooks.handlers(),
    // Any other path or method of the Management API or the org authorization server: not
    // modelled, said loudly (only Okta's own prefixes, so other fakes can share the host).
    ...['/api/v1/*', '/oauth2/*'].map((p) =>
      http.all(
        `${base}${p}`,
        route([], (a) => notModelled(a.request, `${a.request.method} ${a.url.pathname}`, a.headers)),
      ),
    ),
  ];

  return {
    get handlers() {
      return handlers();
    },
    kit,
    baseUrl: base,
    env: {
      OKTA_ORG_URL: base,
      OKTA_API_TOKEN: options.apiToken ?? 'fake-okta-token-not-a-secret',
      OKTA_APP_ID: org.app.id,
    },
    get tenant() {
      return t;
    },
    get org() {
      return org;
    },
    get appId() {
      return org.app.id;
    },
    get events() {
      return hooks.events;
    },
    /** Changes the tenant; every ACTIVE, VERIFIED event hook gets Okta's events for the change (`await fake.events.settled()`). */
    update(mutate) {
      const next = cloneTenant(t);
      mutate(next);
      const changes = diffTenants(t, next);
      const before = org;
      t = next;
      org = buildOrg(t, base);
      hooks.deliver(changes, before, org);
    },
  };
}
