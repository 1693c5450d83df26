import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { FakeKit, cloneTenant, type GenericTenant, type IdpFake, type PagingFaults, type ResolverArgs } from '@claude-idp/core/testing';
import { OKTA_SCOPES, PAGE, type RateBucket } from '../okta-api-facts';
import { createGate, oktaError as err } from './okta-fake-gate';
import { buildOrg, type Json, type OktaOrg } from './okta-fake-store';
import { oktaPage, parseExpression, type CursorStyle, type PageLimits } from './okta-fake-query';
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
}

export type OktaFake = IdpFake & { appId: string; readonly org: OktaOrg };

/**
 * An in-memory Okta org served as msw handlers, in the Management API's own shapes, paging
 * (Link `rel="next"` with `after` cursors, each endpoint's limits), errors (E0000xxx bodies),
 * SSWS / OAuth service-app auth with scopes, and per-bucket rate limits with the
 * X-Rate-Limit-Limit/Remaining/Reset headers. State is read at request time, so `update()` is
 * seen by the next request.
 */
export function createOktaFake(tenant: GenericTenant, options: OktaFakeOptions = {}): OktaFake {
  const base = (options.baseUrl ?? `https://${tenant.name.toLowerCase()}.okta.com`).replace(/\/+$/, '');
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    // Okta's own 429: E0000047 body and the rate-limit headers (Reset in epoch seconds).
    throttle: () => ({
      status: 429,
      headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + (options.throttleResetSeconds ?? 0)), 'x-okta-request-id': randomUUID() },
      body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorLink: 'E0000047', errorId: 'sampleQPivGUj_ND5v78vbYWW', errorCauses: [] },
    }),
  });
  let t = cloneTenant(tenant);
  let org = buildOrg(t, base);
  const tokens = new Map<string, IssuedToken>();
  const gate = createGate(options, base, tokens);
  /** Auth, rate limit and scopes first (okta-fake-gate.ts), then the route. */
  const route = (resolve: (a: ResolverArgs & { faults: PagingFaults; url: URL; headers: Record<string, string> }) => Response) =>
    kit.handle((a) => {
      const url = new URL(a.request.url);
      const { headers, denied } = gate(url, a.request);
      return denied ?? resolve({ ...a, url, headers });
    });

  /** A paged JSON array in Okta's shape, with its Link headers. */
  const list = <T extends { id: string }>(
    a: { url: URL; faults: PagingFaults; headers: Record<string, string> },
    items: readonly T[],
    limits: PageLimits,
    opts: { cursor?: CursorStyle; dropFromNext?: string[]; render?: (x: T) => unknown } = {},
  ) => {
    const page = oktaPage(kit, items, a.url, limits, a.faults, opts);
    if ('error' in page) return err(400, 'E0000001', 'Api validation failed: limit', ['limit: must be a positive integer'], a.headers);
    const h = new Headers(a.headers);
    for (const l of page.link.split(/,\s*(?=<)/)) h.append('link', l);
    return HttpResponse.json(page.items.map((x) => (opts.render ? opts.render(x) : x)) as never, { headers: h });
  };
  const one = (body: unknown, headers: Record<string, string>) => HttpResponse.json(body as never, { headers });
  const notFound = (what: string, headers: Record<string, string>) => err(404, 'E0000007', `Not found: Resource not found: ${what}`, [], headers);
  const limitsOf = (p: { max: number; min: number }, def: number): PageLimits => ({ ...p, default: def });
  const withStats = (expand: string | null) => (g: OktaOrg['groups'][number]) =>
    expand === 'stats' ? { ...g, _embedded: { stats: { usersCount: org.members.get(g.id)?.length ?? 0, appsCount: org.appGroups.some((x) => x.id === g.id) ? 1 : 0, groupPushMappingsCount: 0, hasAdminPrivlege: false } } } : g;
  const isApp = (id: string | readonly string[] | undefined) => id === org.app.id;

  const handlers = (): RequestHandler[] => [
    http.post(`${base}/oauth2/v1/token`, kit.handle((a) => tokenEndpoint(a.request, base, options.grantedScopes ?? [...OKTA_SCOPES], tokens))),
    http.get(`${base}/api/v1/apps`, route((a) => {
      const q = a.url.searchParams.get('q')?.toLowerCase();
      const apps = q ? org.apps.filter((x) => x.name.toLowerCase().startsWith(q) || x.label.toLowerCase().startsWith(q)) : org.apps;
      return list(a, apps, limitsOf(PAGE.apps, PAGE.apps.max));
    })),
    http.get(`${base}/api/v1/apps/:appId`, route((a) => {
      const app = org.apps.find((x) => x.id === a.params.appId);
      return app ? one(app, a.headers) : notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
    })),
    http.get(`${base}/api/v1/apps/:appId/users`, route((a) => {
      if (!isApp(a.params.appId)) return notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
      // Okta's quirk, reproduced: `expand=user` is dropped from the next link (okta-sdk-nodejs#439).
      const expand = a.url.searchParams.get('expand') === 'user';
      const render = (x: Json & { id: string }) => (expand ? { ...x, _embedded: { user: org.users.find((u) => u.id === x.id) } } : x);
      return list(a, org.appUsers, limitsOf(PAGE.appUsers, 50), { dropFromNext: ['expand'], render });
    })),
    http.get(`${base}/api/v1/apps/:appId/groups`, route((a) =>
      isApp(a.params.appId) ? list(a, org.appGroups, limitsOf(PAGE.appGroups, 20), { cursor: 'opaque' }) : notFound(`${String(a.params.appId)} (AppInstance)`, a.headers),
    )),
    http.get(`${base}/api/v1/apps/:appId/features`, route((a) => {
      if (!isApp(a.params.appId)) return notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
      return org.features ? one(org.features, a.headers) : err(400, 'E0000001', 'Api validation failed: feature', ['Provisioning is not enabled for the app instance.'], a.headers);
    })),
    http.get(`${base}/api/v1/apps/:appId/group-push/mappings`, route((a) => {
      if (options.groupPushApi === false) return err(401, 'E0000015', 'You do not have permission to access the feature you are requesting', [], a.headers);
      return isApp(a.params.appId) ? list(a, org.pushMappings, limitsOf(PAGE.groupPush, 100)) : notFound(`${String(a.params.appId)} (AppInstance)`, a.headers);
    })),
    http.get(`${base}/api/v1/groups`, route((a) => {
      const p = a.url.searchParams;
      const expr = p.get('search') ?? p.get('filter');
      const match = expr ? parseExpression(expr) : () => true;
      if (!match) return err(400, 'E0000031', 'Invalid search criteria.', [], a.headers);
      const render = withStats(p.get('expand'));
      const q = p.get('q')?.toLowerCase();
      // `q` is not pageable: one answer, up to `limit` (default 300), never a next link.
      if (q !== undefined) return one(org.groups.filter((g) => g.profile.name.toLowerCase().startsWith(q)).slice(0, Number(p.get('limit') ?? 300)).map(render), a.headers);
      return list(a, org.groups.filter((g) => match(g)), limitsOf(PAGE.groups, PAGE.groups.max), { render });
    })),
    http.get(`${base}/api/v1/groups/:groupId`, route((a) => {
      const g = org.groups.find((x) => x.id === a.params.groupId);
      return g ? one(g, a.headers) : notFound(`${String(a.params.groupId)} (UserGroup)`, a.headers);
    })),
    http.get(`${base}/api/v1/groups/:groupId/users`, route((a) => {
      const ids = org.members.get(String(a.params.groupId));
      if (!ids) return notFound(`${String(a.params.groupId)} (UserGroup)`, a.headers);
      const set = new Set(ids);
      return list(a, org.users.filter((u) => set.has(u.id)), limitsOf({ max: PAGE.groupUsers.max, min: 1 }, 1000));
    })),
    http.get(`${base}/api/v1/users`, route((a) => {
      const p = a.url.searchParams;
      const expr = p.get('filter') ?? p.get('search');
      const match = expr ? parseExpression(expr) : null;
      if (expr && !match) return err(400, 'E0000031', 'Invalid search criteria.', [], a.headers);
      // Okta's quirk, reproduced: a plain listing omits DEPROVISIONED users; filter/search include them.
      const users = match ? org.users.filter((u) => match(u)) : org.users.filter((u) => u.status !== 'DEPROVISIONED');
      return list(a, users, limitsOf(PAGE.users, 200));
    })),
    http.get(`${base}/api/v1/users/:userId`, route((a) => {
      const u = org.users.find((x) => x.id === a.params.userId || x.profile.login === a.params.userId);
      return u ? one(u, a.headers) : notFound(`${String(a.params.userId)} (User)`, a.headers);
    })),
    http.get(`${base}/api/v1/mappings`, route((a) => {
      const p = a.url.searchParams;
      const found = org.mappings.filter((m) => (!p.get('targetId') || m.target.id === p.get('targetId')) && (!p.get('sourceId') || m.source.id === p.get('sourceId')));
      return list(a, found, limitsOf(PAGE.mappings, 20));
    })),
    http.get(`${base}/api/v1/mappings/:mappingId`, route((a) => {
      const m = org.mappings.find((x) => x.id === a.params.mappingId);
      return m ? one({ ...m, properties: org.mappingProperties.get(m.id) ?? {} }, a.headers) : notFound(`${String(a.params.mappingId)} (ProfileMapping)`, a.headers);
    })),
  ];

  return {
    get handlers() {
      return handlers();
    },
    kit,
    baseUrl: base,
    env: { OKTA_ORG_URL: base, OKTA_API_TOKEN: options.apiToken ?? 'fake-okta-token-not-a-secret', OKTA_APP_ID: org.app.id },
    get tenant() {
      return t;
    },
    get org() {
      return org;
    },
    get appId() {
      return org.app.id;
    },
    update(mutate) {
      const next = cloneTenant(t);
      mutate(next);
      t = next;
      org = buildOrg(t, base);
    },
  };
}
