import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  cloneTenant,
  FakeKit,
  type GenericTenant,
  type IdpFake,
  type PagingFaults,
  type ResolverArgs,
} from '@claude-idp/core/testing';
import type { GoogleDeclarationFile } from '../google-declaration';
import { GOOGLE_PAGE_SIZES } from '../google-limits';
import { googleDeclarationFor } from './google-declaration-for';
import { buildGoogleStore, type GoogleStore } from './google-fake-store';
import { applyFields, parseFields, type FieldTree } from './google-fields-mask';
import { GOOGLE_SCHEMAS, unknownField } from './google-fake-schema';
import { GOOGLE_TOKEN_URL, googleError, TokenIssuer, type GoogleFakeDelegation } from './google-fake-auth';
import { googleErrorAnswer } from './google-fake-errors';
import { createGoogleWatchFake, type GoogleFakeEvents } from './google-fake-watch';
import { filterGroups, filterUsers, invalidInput, notModelled, sortItems } from './google-fake-query';
import {
  GROUPS_LIST_PARAMS,
  MEMBERS_LIST_PARAMS,
  STANDARD_PARAMS,
  unmodelledParams,
  USERS_GET_PARAMS,
  USERS_LIST_PARAMS,
} from './google-fake-params';

export interface GoogleFakeOptions {
  /** Caps every page below Google's maximum, so small tenants page. */
  pageSizeCap?: number;
  /** Where the Directory API is served (default https://admin.googleapis.com; a loopback server's URL for `GOOGLE_API_URL`). */
  baseUrl?: string;
  /** The reason of the fake's `throttle` fault (default `userRateLimitExceeded`). */
  throttleReason?: 'userRateLimitExceeded' | 'rateLimitExceeded' | 'quotaExceeded';
  /** Domain-wide delegation at the token endpoint: the scopes authorized, or false for none. Default: the read-only directory scopes. */
  delegation?: GoogleFakeDelegation;
}

export interface GoogleFake extends IdpFake {
  appId: string;
  /** The customer id the fake answers for (besides `my_customer`). */
  readonly customerId: string;
  /** A bearer token the fake accepts with every read-only directory scope (also in `env`). */
  readonly accessToken: string;
  /** Requests to the token endpoint (service-account sign-ins), kept apart from `kit.requests`. */
  readonly tokenRequests: { subject: string | null; scopes: string[]; granted: boolean }[];
  /** The declaration the admin would write for a tenant (default: the one served). */
  declarationFor(tenant?: GenericTenant): GoogleDeclarationFile;
  /**
   * Push notifications: the channels opened through `users.watch` / `activities.watch`, every
   * notification sent (each channel's `sync`, then what `update()` changes), replays and raw sends.
   */
  readonly events: GoogleFakeEvents;
}

const THROTTLE_MESSAGE = {
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  rateLimitExceeded: 'Rate Limit Exceeded',
  quotaExceeded: 'Quota Exceeded',
} as const;
const API = '/admin/directory/v1';

/**
 * An msw fake of the Admin SDK Directory API over a generic tenant: users.list (the documented
 * query grammar, `orderBy` / `sortOrder`), users.get, groups.list (queries, `userKey`, `orderBy`),
 * groups.get, members.list and members.get in Google's shapes (`kind`, `etag`, `nextPageToken`
 * paging, `maxResults` caps, the `fields` partial response, Google's error JSON), the OAuth token
 * endpoint for service accounts with domain-wide delegation, request recording and faults. What
 * Google refuses gets Google's 400; a parameter, value or path the fake does not model gets a 501
 * naming it, never a 200.
 */
export function createGoogleFake(tenant: GenericTenant, options: GoogleFakeOptions = {}): GoogleFake {
  const baseUrl = (options.baseUrl ?? 'https://admin.googleapis.com').replace(/\/+$/, '');
  const reason = options.throttleReason ?? 'userRateLimitExceeded';
  // Quirk: Google throttles with 403 and a reason, and no Retry-After header.
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    error: googleErrorAnswer,
    throttle: () => ({
      status: 403,
      headers: {},
      body: googleError(403, reason, THROTTLE_MESSAGE[reason], 'usageLimits'),
    }),
  });
  let t = cloneTenant(tenant);
  let store: GoogleStore = buildGoogleStore(t);
  const tokens = new TokenIssuer(() => store, options.delegation);
  const watch = createGoogleWatchFake({ baseUrl, kit, tokens, store: () => store });

  /**
   * Auth, the parameters the method takes (anything else is a 501 naming it), the `fields` mask,
   * and the resolver; state is read when the request arrives.
   */
  const api = (
    scope: 'user' | 'group' | 'member',
    params: readonly string[],
    schema: keyof typeof GOOGLE_SCHEMAS,
    resolve: (args: ResolverArgs & { url: URL; faults: PagingFaults }) => Response | object,
  ) =>
    kit.handle((args) => {
      const denied = tokens.check(args.request.headers.get('authorization'), scope);
      if (denied) return denied;
      const url = new URL(args.request.url);
      const unknown = unmodelledParams(url, params);
      if (unknown) return unknown;
      const fields = url.searchParams.get('fields');
      let mask: FieldTree | null = null;
      if (fields) {
        try {
          mask = parseFields(fields);
        } catch {
          return invalidFields(fields);
        }
        const unknown = unknownField(mask, GOOGLE_SCHEMAS[schema]);
        if (unknown) return invalidFields(unknown);
      }
      const out = resolve({ ...args, url });
      if (out instanceof Response) return out;
      return HttpResponse.json((mask ? applyFields(out, mask) : out) as object);
    });

  const invalidFields = (what: string) =>
    HttpResponse.json(googleError(400, 'invalidParameter', `Invalid field selection ${what}`), { status: 400 });
  const customerOk = (url: URL) => {
    const c = url.searchParams.get('customer');
    if (!c && !url.searchParams.get('domain'))
      return HttpResponse.json(googleError(400, 'badRequest', 'Bad Request'), { status: 400 });
    if (c && c !== 'my_customer' && c !== store.customerId)
      return HttpResponse.json(googleError(403, 'forbidden', 'Not Authorized to access this resource/api'), {
        status: 403,
      });
    const d = url.searchParams.get('domain');
    if (d && d.toLowerCase() !== t.domain.toLowerCase())
      return HttpResponse.json(googleError(403, 'forbidden', 'Not Authorized to access this resource/api'), {
        status: 403,
      });
    return null;
  };
  const pageSize = (url: URL, max: number, dflt: number) => {
    const raw = url.searchParams.get('maxResults');
    if (raw === null) return dflt;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= max
      ? n
      : HttpResponse.json(
          googleError(400, 'invalid', `Invalid value '${raw}'. Values must be within the range: [1, ${max}]`),
          { status: 400 },
        );
  };
  const findGroup = (key: string) => {
    const k = decodeURIComponent(key).toLowerCase();
    return store.groups.find((g) =>
      [g.id, g.email, ...((g.aliases as string[]) ?? [])].some((x) => String(x).toLowerCase() === k),
    );
  };
  const findUser = (key: string) => {
    const k = decodeURIComponent(key).toLowerCase();
    return store.users.find((u) =>
      [u.id, u.primaryEmail, ...((u.aliases as string[]) ?? [])].some((x) => String(x).toLowerCase() === k),
    );
  };
  const notFound = (what: string) =>
    HttpResponse.json(googleError(404, 'notFound', `Resource Not Found: ${what}`), { status: 404 });
  /**
   * A page at `pageToken`. A token the fake did not issue (the kit's cursors read `offset:sequence`)
   * would otherwise restart at the first page; Google's answer to one is not documented, so it is a 501.
   */
  const pageOf = <T>(items: T[], url: URL, size: number, faults: PagingFaults) => {
    const token = url.searchParams.get('pageToken');
    if (token && !/^\d+:\d+$/.test(Buffer.from(token, 'base64url').toString('utf8')))
      return notModelled('a pageToken the fake did not issue');
    return kit.page(items, token, size, faults);
  };
  const etagOf = (kind: string) => `"${store.customerId}/${kind}"`;
  /** users.list / users.get view parameters the fake serves (`projection`, `customFieldMask`, `viewType=admin_view`). */
  const userView = (url: URL) => {
    const projection = url.searchParams.get('projection');
    if (projection !== null && !/^(basic|custom|full)$/i.test(projection)) return invalidInput();
    if (url.searchParams.has('customFieldMask') && projection?.toLowerCase() !== 'custom')
      return notModelled('customFieldMask without projection=custom');
    const view = url.searchParams.get('viewType');
    if (view !== null && view.toLowerCase() !== 'admin_view')
      return view.toLowerCase() === 'domain_public'
        ? notModelled('viewType=domain_public (the non-administrator view)')
        : invalidInput();
    return null;
  };
  /** The ids and addresses a user or group key stands for (its primary address, aliases and id), lower-cased. */
  const identities = (key: string) => {
    const found = findUser(key) ?? findGroup(key);
    return new Set(
      [key, ...(found ? [found.id, found.email, found.primaryEmail] : [])]
        .filter(Boolean)
        .map((x) => String(x).toLowerCase()),
    );
  };
  /** groups.list `userKey`: the groups the user (by primary email, alias or id, or an outside address) is a direct member of. */
  const groupsOf = (key: string) => {
    const user = findUser(key);
    const ids = new Set(user ? [String(user.id)] : []);
    const emails = new Set([key.toLowerCase(), ...(user ? [String(user.primaryEmail).toLowerCase()] : [])]);
    if (!user && !key.includes('@')) return notFound('userKey');
    return store.groups.filter((g) =>
      (store.members.get(String(g.id)) ?? []).some(
        (m) => m.type !== 'GROUP' && (ids.has(String(m.id)) || emails.has(String(m.email).toLowerCase())),
      ),
    );
  };

  const handlers = (): RequestHandler[] => [
    http.post(GOOGLE_TOKEN_URL, async ({ request }) => tokens.token(await request.text())),
    ...watch.handlers(),
    http.get(
      `${baseUrl}${API}/users`,
      api('user', USERS_LIST_PARAMS, 'users', ({ url, faults }) => {
        const bad = customerOk(url) ?? userView(url);
        if (bad) return bad;
        if (url.searchParams.has('event')) return notModelled('the event parameter (it belongs to users.watch)');
        if (/^true$/i.test(url.searchParams.get('showDeleted') ?? ''))
          return notModelled('showDeleted=true (the fake holds no deleted users)');
        const size = pageSize(url, GOOGLE_PAGE_SIZES.users, 100);
        if (size instanceof Response) return size;
        const found = filterUsers(store.users, url.searchParams.get('query'));
        if (found instanceof Response) return found;
        const users = sortItems(found, url, {
          email: (u) => u.primaryEmail,
          familyName: (u) => (u.name as { familyName?: string })?.familyName,
          givenName: (u) => (u.name as { givenName?: string })?.givenName,
        });
        if (users instanceof Response) return users;
        const page = pageOf(users, url, size, faults);
        if (page instanceof Response) return page;
        return {
          kind: 'admin#directory#users',
          etag: etagOf('users'),
          ...(page.items.length ? { users: page.items } : {}),
          ...(page.next ? { nextPageToken: page.next } : {}),
        };
      }),
    ),
    http.get(
      `${baseUrl}${API}/users/:userKey`,
      api(
        'user',
        USERS_GET_PARAMS,
        'user',
        ({ url, params }) => userView(url) ?? findUser(String(params.userKey)) ?? notFound('userKey'),
      ),
    ),
    http.get(
      `${baseUrl}${API}/groups`,
      api('group', GROUPS_LIST_PARAMS, 'groups', ({ url, faults }) => {
        const userKey = url.searchParams.get('userKey');
        // "Cannot be used with the customer parameter."
        const bad =
          userKey === null
            ? customerOk(url)
            : url.searchParams.has('customer')
              ? HttpResponse.json(googleError(400, 'badRequest', 'Bad Request'), { status: 400 })
              : url.searchParams.has('domain')
                ? customerOk(url)
                : null;
        if (bad) return bad;
        const size = pageSize(url, GOOGLE_PAGE_SIZES.groups, 200);
        if (size instanceof Response) return size;
        const scope = userKey !== null ? groupsOf(userKey) : store.groups;
        if (scope instanceof Response) return scope;
        const found = filterGroups(scope, url.searchParams.get('query'), store.members, identities);
        if (found instanceof Response) return found;
        const groups = sortItems(found, url, { email: (g) => g.email });
        if (groups instanceof Response) return groups;
        const page = pageOf(groups, url, size, faults);
        if (page instanceof Response) return page;
        return {
          kind: 'admin#directory#groups',
          etag: etagOf('groups'),
          ...(page.items.length ? { groups: page.items } : {}),
          ...(page.next ? { nextPageToken: page.next } : {}),
        };
      }),
    ),
    http.get(
      `${baseUrl}${API}/groups/:groupKey`,
      api(
        'group',
        STANDARD_PARAMS,
        'group',
        ({ params }) => findGroup(String(params.groupKey)) ?? notFound('groupKey'),
      ),
    ),
    http.get(
      `${baseUrl}${API}/groups/:groupKey/members`,
      api('member', MEMBERS_LIST_PARAMS, 'members', ({ url, params, faults }) => {
        const g = findGroup(String(params.groupKey));
        if (!g) return notFound('groupKey');
        const size = pageSize(url, GOOGLE_PAGE_SIZES.members, 200);
        if (size instanceof Response) return size;
        const derivedParam = url.searchParams.get('includeDerivedMembership');
        if (derivedParam !== null && !/^(true|false)$/.test(derivedParam)) return invalidInput();
        let list = derivedParam === 'true' ? derived(store, String(g.id)) : (store.members.get(String(g.id)) ?? []);
        const roles = url.searchParams.get('roles');
        if (roles) {
          const wanted = roles
            .toUpperCase()
            .split(',')
            .map((r) => r.trim());
          if (wanted.some((r) => !['OWNER', 'MANAGER', 'MEMBER'].includes(r))) return invalidInput();
          list = list.filter((m) => wanted.includes(String(m.role)));
        }
        const page = pageOf(list, url, size, faults);
        if (page instanceof Response) return page;
        return {
          kind: 'admin#directory#members',
          etag: etagOf(`members/${g.id}`),
          ...(page.items.length ? { members: page.items } : {}),
          ...(page.next ? { nextPageToken: page.next } : {}),
        };
      }),
    ),
    http.get(
      `${baseUrl}${API}/groups/:groupKey/members/:memberKey`,
      api('member', STANDARD_PARAMS, 'member', ({ params }) => {
        const g = findGroup(String(params.groupKey));
        if (!g) return notFound('groupKey');
        const key = decodeURIComponent(String(params.memberKey)).toLowerCase();
        return (
          (store.members.get(String(g.id)) ?? []).find(
            (m) => String(m.id) === key || String(m.email).toLowerCase() === key,
          ) ?? notFound('memberKey')
        );
      }),
    ),
    // Every other Directory API path or method: loud, never a 200 or msw's unhandled-request warning.
    http.all(`${baseUrl}${API}/*`, ({ request }) => notModelled(`${request.method} ${new URL(request.url).pathname}`)),
  ];

  return {
    get handlers() {
      return handlers();
    },
    kit,
    baseUrl,
    get env() {
      return {
        GOOGLE_API_URL: baseUrl,
        GOOGLE_ACCESS_TOKEN: tokens.staticToken,
        GOOGLE_CUSTOMER: 'my_customer',
        GOOGLE_APP_DECLARATION: JSON.stringify(googleDeclarationFor(t)),
      };
    },
    get tenant() {
      return t;
    },
    appId: t.app.id,
    get customerId() {
      return store.customerId;
    },
    accessToken: tokens.staticToken,
    tokenRequests: tokens.requests,
    declarationFor: (x?: GenericTenant) => googleDeclarationFor(x ?? t),
    events: watch.events,
    /** Changes the tenant and sends Google's notifications for the change to every open channel (await `events.settled()`). */
    update(mutate: (x: GenericTenant) => void) {
      const before = t;
      const beforeStore = store;
      const next = cloneTenant(t);
      mutate(next);
      t = next;
      store = buildGoogleStore(t);
      watch.notify(before, beforeStore, t, store);
    },
  };
}

/**
 * `includeDerivedMembership=true`: direct members plus, transitively, the members of nested
 * groups ("Whether to list indirect memberships"), each once. The nested groups themselves are
 * listed too (an assumption: Google's page does not say either way).
 */
function derived(store: GoogleStore, groupId: string): Record<string, unknown>[] {
  const out = new Map<string, Record<string, unknown>>();
  const seen = new Set<string>([groupId]);
  const queue = [groupId];
  while (queue.length) {
    for (const m of store.members.get(queue.shift()!) ?? []) {
      if (!out.has(String(m.id))) out.set(String(m.id), m);
      if (m.type === 'GROUP' && !seen.has(String(m.id))) seen.add(String(m.id)), queue.push(String(m.id));
    }
  }
  return [...out.values()];
}
