import { http, HttpResponse } from 'msw';
import {
  cloneTenant,
  diffTenants,
  FakeKit,
  PagingFaults,
  type GenericTenant,
  type IdpFake,
  type RecordedRequest,
} from '@claude-idp/core/testing';
import { graphErrorAnswer } from './entra-fake-errors';
import { graphError, graphThrottle, notModelled } from './entra-fake-odata';
import { routeGraph } from './entra-fake-routes';
import { FakeSubscriptions, type EntraFakeEvents } from './entra-fake-subscriptions';
import { buildStore, entraGuid, type EntraStore, type FakeClaimsMode } from './entra-fake-store';

export interface EntraFakeOptions {
  /** Caps every page below Graph's maximum (999), so a small tenant pages. */
  pageSizeCap?: number;
  /** Graph root the handlers answer; default `https://graph.microsoft.com` (a loopback URL for `startLoopbackServer`). */
  baseUrl?: string;
  /**
   * Where the app's claims live: `customClaimsPolicy` (default; what the portal's Attributes &
   * Claims blade writes), `none` (nothing customised: Entra's defaults, and the claims policy
   * answers 404), or `claimsMappingPolicy` (a v1.0 claims-mapping policy that overrides the rest).
   */
  claims?: FakeClaimsMode;
  /** How long a subscriber has to echo the validation token (Graph: 10 seconds). */
  validationTimeoutMs?: number;
  /** The fetch deliveries and validation requests go out with (default: the global one). */
  deliveryFetch?: typeof fetch;
}

export interface EntraFake extends IdpFake {
  /** The Claude app's service principal object id (what `readSnapshot({ app })` and the snapshot's `app.id` use). */
  readonly appId: string;
  /** Its application (client) id, the other id Graph addresses a service principal by. */
  readonly applicationId: string;
  readonly tenantId: string;
  /** Requests made inside `$batch` calls, one record per batch item (`kit` records the HTTP requests). */
  readonly batchKit: FakeKit;
  /** The Graph-shaped store currently served. */
  readonly store: EntraStore;
  /** The Graph id the fake gives a generic user or group id. */
  graphId(kind: 'user' | 'group', genericId: string): string;
  /**
   * Change notifications: `update` delivers Graph's notifications to every matching subscription
   * (created through POST /v1.0/subscriptions); deliveries, replays, raw and lifecycle sends.
   */
  readonly events: EntraFakeEvents;
}

const BATCH_LIMIT = 20;

/**
 * An msw fake of the Microsoft Graph endpoints the Entra adapter reads, over an in-memory generic
 * tenant: service principals (by id, `(appId='…')` or `$filter`), `appRoleAssignedTo`, users and
 * groups with Graph's `$filter` / `$search` / `$orderby` / `$expand` / `$select` rules, direct and
 * transitive members and memberships with their `@odata.type` and casts, synchronization jobs and
 * schema, the beta `claimsPolicy` and `claimsMappingPolicies`, and JSON `$batch` (each item under
 * the same rules). Pages carry `@odata.nextLink` with `$skiptoken`; `$top` (1..999) and `$count`
 * (with `ConsistencyLevel: eventual`) behave as Graph's do. What Graph refuses gets Graph's 400;
 * what the fake does not model gets a 501 naming it, never a 200 (see entra-fake-routes.ts).
 * Every request is recorded in `kit`, every batch item in `batchKit`; faults injected in either
 * apply there (`throttle` is Graph's 429 with Retry-After). The store is rebuilt lazily after
 * `update`, so a change shows on the next request.
 *
 * Change notifications (`watch`): `/v1.0/subscriptions` with Graph's validation handshake over
 * real HTTP, and `update` delivering Graph's notifications to matching subscriptions; see
 * entra-fake-subscriptions.ts and `fake.events`.
 */
export function createEntraFake(tenant: GenericTenant, options: EntraFakeOptions = {}): EntraFake {
  const root = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const kit = new FakeKit({ pageSizeCap: options.pageSizeCap, throttle: graphThrottle, error: graphErrorAnswer });
  const batchKit = new FakeKit({ pageSizeCap: options.pageSizeCap, throttle: graphThrottle, error: graphErrorAnswer });
  let current = cloneTenant(tenant);
  let store: EntraStore | null = null;
  const getStore = () => (store ??= buildStore(current, options.claims ?? 'customClaimsPolicy'));
  getStore();
  const split = (request: Request) => {
    const path = new URL(request.url).pathname.slice(new URL(root).pathname.replace(/\/+$/, '').length);
    const [, version = '', ...rest] = path.split('/');
    return { version, path: `/${rest.join('/')}` };
  };

  const batch = async (request: Request, version: string, outer: PagingFaults): Promise<Response> => {
    let body: {
      requests?: {
        id?: unknown;
        method?: unknown;
        url?: unknown;
        headers?: Record<string, string>;
        dependsOn?: unknown;
      }[];
    };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    const items = body?.requests;
    if (!Array.isArray(items) || items.length === 0)
      return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (items.length > BATCH_LIMIT)
      return graphError(
        400,
        'BadRequest',
        `The number of requests in the batch exceeds the maximum of ${BATCH_LIMIT}.`,
      );
    if (new Set(items.map((i) => String(i.id).toLowerCase())).size !== items.length)
      return graphError(400, 'BadRequest', 'Batch request ids must be unique.');
    const responses: Exclude<Awaited<ReturnType<typeof batchItem>>, Response>[] = [];
    for (const item of items) {
      const rel = String(item.url ?? '');
      let res: Response;
      if (item.dependsOn !== undefined) {
        res = notModelled('dependsOn in $batch (the fake answers the items in order, independently)');
      } else {
        const sub = new Request(`${root}/${version}${rel.startsWith('/') ? '' : '/'}${rel}`, {
          method: String(item.method ?? 'GET'),
          headers: { ...item.headers, authorization: request.headers.get('authorization') ?? '' },
          signal: request.signal,
        });
        res = await batchKit.handle(({ request: r, faults }) => {
          const { path } = split(r);
          return routeGraph(
            { store: getStore(), kit: batchKit, root },
            r,
            version,
            path,
            new EitherFaults(batchKit, outer, faults),
          );
        })({ request: sub, params: {}, cookies: {}, requestId: `batch-item-${String(item.id)}` });
        // A network failure or an unreadable body inside the batch fails the whole batch response.
        if (res.type === 'error') return HttpResponse.error();
        // How Graph encloses a text/plain answer (`/$count`) in a batch is not documented: not modelled.
        if ((res.headers.get('content-type') ?? '').startsWith('text/plain'))
          res = notModelled(`${rel} inside $batch (a text/plain answer)`);
      }
      const answer = await batchItem(String(item.id), res);
      if (answer instanceof Response) return answer;
      responses.push(answer);
    }
    return HttpResponse.json({ responses } as never);
  };

  const resolver = kit.handle(async ({ request, faults }) => {
    const { version, path } = split(request);
    if (request.method === 'POST' && path === '/$batch') return batch(request, version, faults);
    const seg = path.split('/').filter(Boolean);
    if (seg[0] === 'subscriptions') {
      if (!/^Bearer \S+/.test(request.headers.get('authorization') ?? ''))
        return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      if (version !== 'v1.0') return notModelled(`${request.method} /${version}${path}`);
      return subscriptions.route(request, seg);
    }
    return routeGraph({ store: getStore(), kit, root }, request, version, path, faults);
  });
  const handlers = () => [http.all(`${root}/v1.0/*`, resolver), http.all(`${root}/beta/*`, resolver)];
  const guid = (kind: string, id: string) => entraGuid(`${current.name}:${kind}`, id);
  const sp = getStore().servicePrincipals[0]!;
  const subscriptions = new FakeSubscriptions({
    tenantId: () => getStore().tenantId,
    applicationId: String(sp.appId),
    graphId: (kind, id) => guid(kind, id),
    validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
    fetch: options.deliveryFetch,
  });
  const events = subscriptions.events();

  return {
    get handlers() {
      return handlers();
    },
    kit,
    batchKit,
    baseUrl: root,
    get env() {
      return {
        ENTRA_GRAPH_URL: root,
        ENTRA_ACCESS_TOKEN: 'fake-graph-token',
        ENTRA_TENANT_ID: getStore().tenantId,
        ENTRA_APP_ID: sp.id,
      };
    },
    get tenant() {
      return current;
    },
    get store() {
      return getStore();
    },
    appId: sp.id,
    applicationId: String(sp.appId),
    tenantId: getStore().tenantId,
    graphId: (kind, id) => guid(kind, id),
    events,
    update(mutate) {
      const next = cloneTenant(current);
      mutate(next);
      const changes = diffTenants(current, next);
      current = next;
      store = null;
      subscriptions.deliver(changes);
    },
  };
}

/** One `$batch` answer item, or the whole batch's answer when the item's body is not JSON (a truncated-body fault). */
async function batchItem(
  id: string,
  res: Response,
): Promise<{ id: string; status: number; headers: Record<string, string>; body: unknown } | Response> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    return new HttpResponse(text, { status: 200, headers: { 'content-type': 'application/json' } });
  }
  return { id, status: res.status, headers: itemHeaders(res.headers), body: parsed };
}

/** An item's headers as Graph writes them in a batch answer (`Content-Type`, `Retry-After`, `x-ms-*`). */
function itemHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [k, v] of headers.entries()) {
    if (k === 'retry-after') out['Retry-After'] = v;
    else if (k.startsWith('x-ms-')) out[k] = v;
  }
  return out;
}

/** Paging faults from either kit: those injected for the whole `$batch` request, then those for the item. */
class EitherFaults extends PagingFaults {
  constructor(
    kit: FakeKit,
    private readonly outer: PagingFaults,
    private readonly inner: PagingFaults,
  ) {
    super(kit, {} as RecordedRequest);
  }
  override take(applies: Parameters<PagingFaults['take']>[0]) {
    return this.outer.take(applies) ?? this.inner.take(applies);
  }
}
