import type { GenericGroup, GenericTenant, GenericUser } from './generic-tenant';

/**
 * One change between two versions of a generic tenant, in the vendor-neutral form each fake
 * turns into its vendor's own events (an Okta `group.user_membership.remove`, a Graph
 * `members@delta`, a Google `update` notification, a OneLogin event).
 */
export type TenantChange =
  | { type: 'user.created'; user: GenericUser }
  | { type: 'user.deleted'; user: GenericUser }
  /** Profile fields or status changed; `fields` names them (`email`, `login`, `status`, ...). */
  | { type: 'user.updated'; user: GenericUser; previous: GenericUser; fields: string[] }
  | { type: 'group.created'; group: GenericGroup }
  | { type: 'group.deleted'; group: GenericGroup }
  | { type: 'group.renamed'; group: GenericGroup; previousName: string }
  | { type: 'group.member.added'; group: GenericGroup; user: GenericUser }
  | { type: 'group.member.removed'; group: GenericGroup; user: GenericUser }
  | { type: 'group.nested.added'; group: GenericGroup; member: GenericGroup }
  | { type: 'group.nested.removed'; group: GenericGroup; member: GenericGroup }
  | { type: 'app.user.assigned'; user: GenericUser }
  | { type: 'app.user.unassigned'; user: GenericUser }
  | { type: 'app.group.assigned'; group: GenericGroup }
  | { type: 'app.group.unassigned'; group: GenericGroup }
  /** SSO or SCIM settings of the Claude app changed. */
  | { type: 'app.settings.updated' };

const USER_FIELDS = ['email', 'login', 'givenName', 'familyName', 'status', 'aliases', 'guest'] as const;

/**
 * What changed from `before` to `after`, in a stable order (users, groups, memberships,
 * assignments, app). Fakes call it in `update()` to deliver change events.
 */
export function diffTenants(before: GenericTenant, after: GenericTenant): TenantChange[] {
  const out: TenantChange[] = [];
  const usersBefore = new Map(before.users.map((u) => [u.id, u]));
  const usersAfter = new Map(after.users.map((u) => [u.id, u]));
  const groupsBefore = new Map(before.groups.map((g) => [g.id, g]));
  const groupsAfter = new Map(after.groups.map((g) => [g.id, g]));
  const userOf = (id: string) => usersAfter.get(id) ?? usersBefore.get(id);
  const groupOf = (id: string) => groupsAfter.get(id) ?? groupsBefore.get(id);

  for (const u of after.users) {
    const prev = usersBefore.get(u.id);
    if (!prev) out.push({ type: 'user.created', user: u });
    else {
      const fields = USER_FIELDS.filter((f) => JSON.stringify(prev[f]) !== JSON.stringify(u[f]));
      if (fields.length) out.push({ type: 'user.updated', user: u, previous: prev, fields: [...fields] });
    }
  }
  for (const u of before.users) if (!usersAfter.has(u.id)) out.push({ type: 'user.deleted', user: u });

  for (const g of after.groups) {
    const prev = groupsBefore.get(g.id);
    if (!prev) out.push({ type: 'group.created', group: g });
    else if (prev.name !== g.name) out.push({ type: 'group.renamed', group: g, previousName: prev.name });
  }
  for (const g of before.groups) if (!groupsAfter.has(g.id)) out.push({ type: 'group.deleted', group: g });

  for (const g of after.groups) {
    const prev = groupsBefore.get(g.id);
    const was = new Set(prev?.memberUserIds ?? []);
    const is = new Set(g.memberUserIds);
    for (const id of g.memberUserIds) {
      const user = userOf(id);
      if (!was.has(id) && user) out.push({ type: 'group.member.added', group: g, user });
    }
    for (const id of prev?.memberUserIds ?? []) {
      const user = userOf(id);
      if (!is.has(id) && user) out.push({ type: 'group.member.removed', group: g, user });
    }
    const wasG = new Set(prev?.memberGroupIds ?? []);
    const isG = new Set(g.memberGroupIds);
    for (const id of g.memberGroupIds) {
      const member = groupOf(id);
      if (!wasG.has(id) && member) out.push({ type: 'group.nested.added', group: g, member });
    }
    for (const id of prev?.memberGroupIds ?? []) {
      const member = groupOf(id);
      if (!isG.has(id) && member) out.push({ type: 'group.nested.removed', group: g, member });
    }
  }

  const assigned = <T>(a: string[], b: string[], of: (id: string) => T | undefined) => ({
    added: b.filter((id) => !a.includes(id)).flatMap((id) => of(id) ?? []),
    removed: a.filter((id) => !b.includes(id)).flatMap((id) => of(id) ?? []),
  });
  const au = assigned(before.assignments.userIds, after.assignments.userIds, userOf);
  for (const user of au.added) out.push({ type: 'app.user.assigned', user });
  for (const user of au.removed) out.push({ type: 'app.user.unassigned', user });
  const ag = assigned(before.assignments.groupIds, after.assignments.groupIds, groupOf);
  for (const group of ag.added) out.push({ type: 'app.group.assigned', group });
  for (const group of ag.removed) out.push({ type: 'app.group.unassigned', group });

  if (JSON.stringify(before.app) !== JSON.stringify(after.app)) out.push({ type: 'app.settings.updated' });
  return out;
}

/** One HTTP delivery a fake made to a subscriber, for assertions. */
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The subscriber's status, or null when it could not be reached (`error` says why). */
  status: number | null;
  error?: string;
  /** The subscriber's answer body (handshakes echo a value in it). */
  answer: string;
}

/**
 * The HTTP client side of a fake's event delivery: POSTs (or GETs, for verification handshakes)
 * to subscriber URLs over real HTTP, records each delivery, and lets a test await them all.
 * Deliveries run one at a time per fake, in order, as vendors deliver a subscriber's events in
 * order.
 */
export class EventDelivery {
  readonly deliveries: Delivery[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  /** Injected fetch (tests); the global one by default. */
  constructor(private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {}

  /** Queues one delivery; resolves with it when it is done (never rejects). */
  send(
    url: string,
    init: { method?: 'POST' | 'GET'; headers: Record<string, string>; body?: string; timeoutMs?: number },
  ): Promise<Delivery> {
    const run = async (): Promise<Delivery> => {
      const delivery: Delivery = { url, headers: init.headers, body: init.body ?? '', status: null, answer: '' };
      try {
        const res = await this.fetchImpl(url, {
          method: init.method ?? 'POST',
          headers: init.headers,
          body: init.method === 'GET' ? undefined : (init.body ?? ''),
          signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
        });
        delivery.status = res.status;
        delivery.answer = await res.text();
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
      }
      this.deliveries.push(delivery);
      return delivery;
    };
    const p = this.chain.then(run, run);
    this.chain = p;
    return p;
  }

  /** Resolves when every queued delivery is done. */
  async settled(): Promise<Delivery[]> {
    await this.chain;
    return this.deliveries;
  }
}

/**
 * What every vendor fake's `events` offers a test driving its own watcher (each fake adds its
 * vendor's own parts: Okta's hooks, Graph's subscriptions and lifecycle notifications, Google's
 * channels, OneLogin's webhook subscriptions). `update()` delivers the vendor's events for the
 * change to every live subscriber.
 */
export interface FakeEvents {
  /** Every request made to a subscriber so far (handshakes and deliveries), in order, with its answer. */
  readonly deliveries: readonly Delivery[];
  /** Resolves when every delivery queued so far is answered. */
  settled(): Promise<Delivery[]>;
  /** Sends delivery `i` again, byte for byte: what the vendor does when an answer is late or lost. */
  replay(i: number): Promise<Delivery>;
  /**
   * Sends a hand-made request to a subscriber (by default the first one), with only the headers
   * given: malformed, unauthenticated, forged or wrongly typed deliveries.
   */
  sendRaw(args: {
    headers: Record<string, string>;
    body?: string;
    method?: 'POST' | 'GET';
    url?: string;
  }): Promise<Delivery>;
}
