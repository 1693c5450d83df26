import { randomUUID } from 'node:crypto';
import { HttpResponse } from 'msw';
import { EventDelivery, type Delivery, type TenantChange, type FakeEvents } from '@claude-idp/core/testing';
import { graphError, notModelled } from './entra-fake-odata';
import { graphNotifications } from './entra-fake-notifications';

/**
 * Microsoft Graph subscriptions and webhook delivery, as the Entra fake serves them. Sources
 * (microsoftgraph/microsoft-graph-docs-contrib):
 * - api-reference/v1.0/resources/subscription.md and concepts/change-notifications-delivery-webhooks.md:
 *   POST /subscriptions answers 201 with the subscription; GET lists them; PATCH
 *   `{expirationDateTime}` renews (200); DELETE answers 204; POST /subscriptions/{id}/reauthorize
 *   answers 204 (api-reference/v1.0/api/subscription-reauthorize.md).
 * - concepts/includes/change-notifications-delivery-notificationurl-validation.md: before creating,
 *   Graph POSTs `?validationToken=…` (text/plain) to the notification URL and to the lifecycle URL
 *   and needs 200, text/plain and the decoded token within 10 seconds; otherwise the subscription
 *   is not created. The 400 body is Graph's `ValidationError` ("Subscription validation request
 *   failed. …", as Graph reports it, learn.microsoft.com/answers/questions/416427).
 * - api-reference/beta/resources/subscription.md: users and groups support changeType `updated`
 *   (creation, changes, soft deletion) and `deleted` (permanent deletion) only; clientState at
 *   most 255 characters.
 * - concepts/includes/change-notifications-subscription-lifetime.md: users and groups at most
 *   41,760 minutes ahead.
 * - The notifications' shape: entra-fake-notifications.ts.
 * Graph requires an https notificationUrl; the fake also takes http on loopback, so tests run
 * without certificates. Resources other than `users` and `groups` are not modelled (501).
 */
export const MAX_MINUTES = 41_760;
const CLIENT_STATE_MAX = 255;

export interface FakeSubscription {
  id: string;
  resource: 'users' | 'groups';
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  clientState: string | null;
  applicationId: string;
  creatorId: string;
  includeResourceData: boolean;
  latestSupportedTlsVersion: string;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
  notificationQueryOptions: string | null;
  notificationUrlAppId: string | null;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** What a test (or a user's test) drives the fake's deliveries with. */
export interface EntraFakeEvents extends FakeEvents {
  /** Every delivery made so far (validation requests, notifications, lifecycle notifications), in order. */
  readonly deliveries: readonly Delivery[];
  /** The subscriptions the fake holds. */
  readonly subscriptions: readonly FakeSubscription[];
  /** Waits for every queued delivery. */
  settled(): Promise<Delivery[]>;
  /** Sends delivery `i` again, byte for byte (Graph delivers at least once). */
  replay(i: number): Promise<Delivery>;
  /** Sends any request to a subscriber (default: the first subscription's notification URL). */
  sendRaw(request: { url?: string; headers: Record<string, string>; body: string }): Promise<Delivery>;
  /** Sends a lifecycle notification for a subscription to its lifecycleNotificationUrl, as Graph does. */
  lifecycle(subscriptionId: string, event: LifecycleEvent): Promise<Delivery>;
}

export class FakeSubscriptions {
  readonly delivery: EventDelivery;
  readonly byId = new Map<string, FakeSubscription>();
  constructor(
    private readonly options: {
      tenantId: () => string;
      applicationId: string;
      graphId: (kind: 'user' | 'group', genericId: string) => string;
      validationTimeoutMs: number;
      fetch?: typeof fetch;
    },
  ) {
    this.delivery = new EventDelivery(options.fetch);
  }

  /** Answers `/v1.0/subscriptions[/{id}[/reauthorize]]`; the bearer token was checked by the caller. */
  async route(request: Request, seg: string[]): Promise<Response> {
    const now = Date.now();
    this.expire(now);
    const [, id, action, ...rest] = seg;
    if (rest.length) return notModelled(`${request.method} /v1.0/${seg.join('/')}`);
    if (new URL(request.url).search) return notModelled(`query options on /v1.0/${seg.join('/')}`);
    if (id === undefined) {
      if (request.method === 'GET')
        return HttpResponse.json({
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions',
          value: [...this.byId.values()].map(render),
        } as never);
      if (request.method === 'POST') return this.create(request, now);
      return methodNotAllowed();
    }
    const sub = this.byId.get(id);
    if (action === 'reauthorize') {
      if (request.method !== 'POST') return methodNotAllowed();
      if (!sub) return notFound(id);
      return new HttpResponse(null, { status: 204 });
    }
    if (action !== undefined) return notModelled(`${request.method} /v1.0/subscriptions/{id}/${action}`);
    if (!sub) return notFound(id);
    if (request.method === 'GET') return HttpResponse.json(render(sub) as never);
    if (request.method === 'DELETE') {
      this.byId.delete(id);
      return new HttpResponse(null, { status: 204 });
    }
    if (request.method === 'PATCH') {
      const body = await readJson(request);
      if (body instanceof Response) return body;
      const keys = Object.keys(body);
      const unmodelled = keys.filter((k) => k !== 'expirationDateTime' && k !== 'notificationUrl');
      if (unmodelled.length) return notModelled(`PATCH of subscription properties ${unmodelled.join(', ')}`);
      if ('notificationUrl' in body) return notModelled('PATCH of notificationUrl (it validates the new URL)');
      const bad = checkExpiration(body.expirationDateTime, now);
      if (bad) return bad;
      sub.expirationDateTime = new Date(Date.parse(String(body.expirationDateTime))).toISOString();
      return HttpResponse.json(render(sub) as never);
    }
    return methodNotAllowed();
  }

  private async create(request: Request, now: number): Promise<Response> {
    const body = await readJson(request);
    if (body instanceof Response) return body;
    const known = [
      'changeType',
      'notificationUrl',
      'lifecycleNotificationUrl',
      'resource',
      'expirationDateTime',
      'clientState',
      'latestSupportedTlsVersion',
      '@odata.type',
    ];
    const unmodelled = Object.keys(body).filter((k) => !known.includes(k));
    if (unmodelled.length) return notModelled(`subscription properties ${unmodelled.join(', ')}`);
    for (const k of ['changeType', 'notificationUrl', 'resource', 'expirationDateTime'])
      if (typeof body[k] !== 'string' || !body[k])
        return graphError(400, 'InvalidRequest', `The property '${k}' is required and must be a non-empty string.`);
    const resource = String(body.resource).replace(/^\/+/, '');
    if (resource !== 'users' && resource !== 'groups')
      return notModelled(`subscriptions on '${String(body.resource)}' (the fake models users and groups)`);
    const types = String(body.changeType)
      .split(',')
      .map((t) => t.trim());
    if (types.some((t) => !['created', 'updated', 'deleted'].includes(t)))
      return graphError(400, 'InvalidRequest', `Invalid changeType '${String(body.changeType)}'.`);
    // Users and groups support `updated` and `deleted` only (subscription resource type).
    if (types.includes('created'))
      return graphError(
        400,
        'InvalidRequest',
        `changeType 'created' is not supported for resource '${resource}'; use 'updated'.`,
      );
    const clientState = body.clientState === undefined || body.clientState === null ? null : String(body.clientState);
    if (clientState !== null && clientState.length > CLIENT_STATE_MAX)
      return graphError(400, 'InvalidRequest', `clientState cannot be longer than ${CLIENT_STATE_MAX} characters.`);
    const bad = checkExpiration(body.expirationDateTime, now);
    if (bad) return bad;
    const urls = [String(body.notificationUrl)];
    if (body.lifecycleNotificationUrl !== undefined && body.lifecycleNotificationUrl !== null)
      urls.push(String(body.lifecycleNotificationUrl));
    for (const url of urls) {
      const problem = urlProblem(url);
      if (problem) return graphError(400, 'InvalidRequest', problem);
    }
    for (const url of urls) {
      const failed = await this.validate(url);
      if (failed) return graphError(400, 'ValidationError', failed);
    }
    const sub: FakeSubscription = {
      id: randomUUID(),
      resource,
      changeType: types.join(','),
      notificationUrl: urls[0]!,
      lifecycleNotificationUrl: urls[1] ?? null,
      expirationDateTime: new Date(Date.parse(String(body.expirationDateTime))).toISOString(),
      clientState,
      applicationId: this.options.applicationId,
      creatorId: this.options.applicationId,
      includeResourceData: false,
      latestSupportedTlsVersion: String(body.latestSupportedTlsVersion ?? 'v1_2'),
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationQueryOptions: null,
      notificationUrlAppId: null,
    };
    this.byId.set(sub.id, sub);
    return HttpResponse.json(
      { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity', ...render(sub) } as never,
      { status: 201 },
    );
  }

  /** The validation handshake over real HTTP; the failure message Graph gives, or null. */
  private async validate(url: string): Promise<string | null> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    // Sent directly rather than through the delivery queue: the answer's content type matters
    // here, and a validation must not wait behind notifications queued for a slow subscriber.
    const headers = { 'content-type': 'text/plain; charset=utf-8' };
    const record: Delivery = { url: target, headers, body: '', status: null, answer: '' };
    let type = '';
    try {
      const res = await (this.options.fetch ?? fetch)(target, {
        method: 'POST',
        headers,
        body: '',
        signal: AbortSignal.timeout(this.options.validationTimeoutMs),
      });
      record.status = res.status;
      type = res.headers.get('content-type') ?? '';
      record.answer = await res.text();
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.delivery.deliveries.push(record);
    if (record.status !== 200)
      return 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';
    if (!/^text\/plain\b/i.test(type))
      return 'Subscription validation request failed. Response must be of Content-Type text/plain.';
    if (record.answer !== token)
      return 'Subscription validation request failed. Response must exactly match validationToken query parameter.';
    return null;
  }

  /** Graph notifications for a tenant change, to every live subscription whose resource and changeType match. */
  deliver(changes: TenantChange[]): void {
    this.expire(Date.now());
    const eventTime = new Date().toISOString();
    const byUrl = new Map<string, object[]>();
    for (const change of changes) {
      for (const n of graphNotifications(change, {
        graphId: this.options.graphId,
        tenantId: this.options.tenantId(),
        eventTime,
        sequence: () => ++this.sequence,
      })) {
        for (const sub of this.byId.values()) {
          if (sub.resource !== n.resource || !sub.changeType.split(',').includes(n.changeType)) continue;
          const list = byUrl.get(sub.notificationUrl) ?? [];
          list.push({
            subscriptionId: sub.id,
            subscriptionExpirationDateTime: sub.expirationDateTime,
            changeType: n.changeType,
            resource: n.path,
            resourceData: n.resourceData,
            ...(sub.clientState !== null ? { clientState: sub.clientState } : {}),
            tenantId: this.options.tenantId(),
          });
          byUrl.set(sub.notificationUrl, list);
        }
      }
    }
    // One POST per notification URL and change batch, as Graph batches notifications.
    for (const [url, value] of byUrl)
      void this.delivery.send(url, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
  }

  private sequence = 0;

  events(): EntraFakeEvents {
    const self = this;
    return {
      get deliveries() {
        return self.delivery.deliveries;
      },
      get subscriptions() {
        return [...self.byId.values()];
      },
      settled: () => self.delivery.settled(),
      replay(i) {
        const d = self.delivery.deliveries[i];
        if (!d) throw new RangeError(`entra fake: no delivery ${i} (${self.delivery.deliveries.length} so far)`);
        return self.delivery.send(d.url, { headers: d.headers, body: d.body });
      },
      sendRaw({ url, headers, body }) {
        const target = url ?? [...self.byId.values()][0]?.notificationUrl;
        if (!target) throw new Error('entra fake: sendRaw needs a url when there is no subscription');
        return self.delivery.send(target, { headers, body });
      },
      lifecycle(subscriptionId, event) {
        const sub = self.byId.get(subscriptionId);
        if (!sub) throw new Error(`entra fake: no subscription ${subscriptionId}`);
        if (!sub.lifecycleNotificationUrl)
          throw new Error(
            `entra fake: subscription ${subscriptionId} has no lifecycleNotificationUrl (Graph sends it no lifecycle notification)`,
          );
        const value = [
          {
            subscriptionId: sub.id,
            subscriptionExpirationDateTime: sub.expirationDateTime,
            tenantId: self.options.tenantId(),
            ...(sub.clientState !== null ? { clientState: sub.clientState } : {}),
            lifecycleEvent: event,
          },
        ];
        // Graph has removed the subscription when it says so.
        if (event === 'subscriptionRemoved') self.byId.delete(subscriptionId);
        return self.delivery.send(sub.lifecycleNotificationUrl, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value }),
        });
      },
    };
  }

  private expire(now: number): void {
    for (const [id, s] of this.byId) if (Date.parse(s.expirationDateTime) <= now) this.byId.delete(id);
  }
}

function render(s: FakeSubscription): Record<string, unknown> {
  return { ...s };
}

function notFound(id: string): Response {
  return graphError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}'.`);
}

function methodNotAllowed(): Response {
  return graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}

async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    return graphError(415, 'UnsupportedMediaType', `The content type '${type}' is not supported.`);
  try {
    const body = (await request.json()) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
    return body as Record<string, unknown>;
  } catch {
    return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
}

function checkExpiration(value: unknown, now: number): Response | null {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return graphError(400, 'InvalidRequest', 'expirationDateTime must be a DateTimeOffset.');
  if (at <= now) return graphError(400, 'InvalidRequest', 'Subscription expiration must be in the future.');
  if (at > now + MAX_MINUTES * 60_000)
    return graphError(
      400,
      'InvalidRequest',
      `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`,
    );
  return null;
}

function urlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `The notificationUrl '${url}' is not a valid URL.`;
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) return null;
  return 'The notification URL must use https.';
}
