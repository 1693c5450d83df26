import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  parseJsonBody,
  refuse,
  type ChangeTarget,
  type IdpEventReceiverV1,
  type ReceiveResult,
  type WatchEvent,
  type WatchRequest,
} from '@claude-idp/core';
import { resolveEntraSettings, type EntraAdapterSettings } from './entra-settings';
import {
  createEntraSubscriptionManager,
  ENTRA_EVENT_PATH,
  ENTRA_LIFECYCLE_PATH,
  type EntraSubscriptionManager,
} from './entra-subscriptions';

/**
 * Microsoft Graph change notifications, as delivered to a webhook. Sources (Microsoft Graph
 * documentation, microsoftgraph/microsoft-graph-docs-contrib):
 * - concepts/includes/change-notifications-delivery-notificationurl-validation.md: on creation
 *   Graph POSTs `?validationToken=…` (Content-Type text/plain) and wants, within 10 seconds, 200
 *   with Content-Type text/plain and the URL-decoded token as the body; the lifecycle URL too.
 * - concepts/change-notifications-delivery-webhooks.md: a delivery is a POST of a
 *   changeNotificationCollection `{ value: [changeNotification] }`; answer 202 (or 200) within 3
 *   seconds, else Graph retries for up to 4 hours; `clientState` must equal the subscription's.
 * - api-reference/v1.0/resources/changenotification.md: `subscriptionId`, `clientState`,
 *   `changeType` (created / updated / deleted), `resource` (`Users/{id}`), `resourceData`
 *   (`@odata.type`, `@odata.id`, `id`; group membership changes add `members@delta`),
 *   `subscriptionExpirationDateTime`, `tenantId`, `lifecycleEvent`; `id` is optional.
 * - Azure docs, articles/event-grid/azure-active-directory-events.md (the same Graph payload on the
 *   Event Grid channel): user and group `resourceData` carry `organizationId`, `eventTime` and
 *   `sequenceNumber`; a (soft) deleted user or group is an `updated` notification, `deleted` is
 *   permanent deletion.
 * - concepts/change-notifications-lifecycle-events.md: lifecycle notifications carry
 *   `lifecycleEvent` (`reauthorizationRequired`, `subscriptionRemoved`, `missed`) and no resource.
 */
const resourceData = z
  .object({
    '@odata.type': z.string().optional(),
    '@odata.id': z.string().optional(),
    id: z.string().min(1).optional(),
    eventTime: z.string().optional(),
    sequenceNumber: z.union([z.number(), z.string()]).optional(),
    'members@delta': z
      .array(z.object({ id: z.string(), '@removed': z.object({}).passthrough().optional() }).passthrough())
      .optional(),
  })
  .passthrough();

const changeNotification = z
  .object({
    id: z.string().optional(),
    subscriptionId: z.string().min(1),
    clientState: z.string().nullish(),
    changeType: z.enum(['created', 'updated', 'deleted']).optional(),
    resource: z.string().optional(),
    resourceData: resourceData.optional(),
    lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']).optional(),
    subscriptionExpirationDateTime: z.string().optional(),
    tenantId: z.string().optional(),
  })
  .passthrough();

const collection = z
  .object({ value: z.array(changeNotification).min(1), validationTokens: z.array(z.string()).optional() })
  .passthrough();

type Notification = z.infer<typeof changeNotification>;

/** Longest validation token echoed; Graph's are opaque but short. Longer is refused, not reflected. */
const MAX_TOKEN = 2048;

export interface EntraEventReceiverSettings extends EntraAdapterSettings {}

/** The Entra change-event endpoint of `watch`, with the Graph subscriptions it needs. */
export interface EntraEventReceiver extends IdpEventReceiverV1 {
  readonly subscriptions: EntraSubscriptionManager;
}

/**
 * `/events/entra` (notificationUrl) and `/events/entra/lifecycle` (lifecycleNotificationUrl):
 * answers Graph's validation handshake, accepts only notifications for subscriptions this
 * receiver's manager created (or restored) whose `clientState` matches (constant time), and turns
 * them into user and group targets. Settings are the adapter's (connection and credentials, used
 * by `subscriptions`); `ENTRA_WEBHOOK_CLIENT_STATE` optionally fixes the clientState.
 */
export function createEntraEventReceiver(settings: EntraAdapterSettings = {}): EntraEventReceiver {
  const env = () => settings.env ?? process.env;
  const subscriptions = createEntraSubscriptionManager(() => resolveEntraSettings(settings), env);
  return {
    specificationVersion: 'v1',
    idp: 'entra',
    paths: [ENTRA_EVENT_PATH, ENTRA_LIFECYCLE_PATH],
    subscriptions,
    handle: (request) => handleEntra(request, subscriptions),
  };
}

function handleEntra(request: WatchRequest, subs: EntraSubscriptionManager): ReceiveResult {
  const lifecyclePath = request.url.pathname === ENTRA_LIFECYCLE_PATH;
  const where = lifecyclePath ? 'entra lifecycle' : 'entra';
  if (request.method !== 'POST') return refuse(405, `${where}: refused a ${request.method}`);

  // The validation handshake: echo the decoded token, as plain text only.
  const token = request.url.searchParams.get('validationToken');
  if (token !== null) {
    // Control characters never occur in Graph's tokens; refusing them keeps the echo inert.
    if (token.length === 0 || token.length > MAX_TOKEN || /[\u0000-\u001f\u007f<>]/.test(token))
      return refuse(400, `${where}: refused a validation request with an unusable token (${token.length} characters)`);
    return {
      answer: {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
        body: token,
      },
      events: [],
      log: `${where}: answered Microsoft Graph's validation request`,
    };
  }

  const json = parseJsonBody(request, where);
  if (!json.ok) return json.result;
  const parsed = collection.safeParse(json.value);
  if (!parsed.success)
    return refuse(
      400,
      `${where}: refused a body that is not a Graph notification collection (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`,
    );
  const notifications = parsed.data.value;

  // Every notification must come from one of our subscriptions with its clientState.
  for (const n of notifications) {
    if (!subs.lookup(n.subscriptionId))
      return refuse(
        403,
        `${where}: refused a notification for subscription ${short(n.subscriptionId)}, which this watcher did not create`,
      );
    if (!subs.clientStateMatches(n.subscriptionId, n.clientState ?? undefined))
      return refuse(
        403,
        `${where}: refused a notification for subscription ${short(n.subscriptionId)} whose clientState ${n.clientState ? 'does not match' : 'is missing'}`,
      );
  }

  const events: WatchEvent[] = [];
  const lifecycle: NonNullable<ReceiveResult['lifecycle']> = [];
  let changes = 0;
  for (const n of notifications) {
    if (n.lifecycleEvent) {
      const kind =
        n.lifecycleEvent === 'reauthorizationRequired'
          ? 'renew'
          : n.lifecycleEvent === 'subscriptionRemoved'
            ? 'recreate'
            : 'missed';
      if (kind === 'renew') subs.flag(n.subscriptionId, 'reauthorize');
      if (kind === 'recreate') {
        subs.flag(n.subscriptionId, 'recreate');
        // Changes between the removal and the new subscription are never notified: read everything.
        events.push({
          source: 'entra',
          id: null,
          type: 'subscriptionRemoved',
          at: null,
          targets: [{ kind: 'everything', reason: `Microsoft Graph removed subscription ${short(n.subscriptionId)}` }],
          summary: `Microsoft Graph removed subscription ${short(n.subscriptionId)}`,
        });
      }
      lifecycle.push({ kind, subscriptionId: n.subscriptionId });
      continue;
    }
    if (lifecyclePath) return refuse(400, `${where}: refused a change notification sent to the lifecycle URL`);
    events.push(toWatchEvent(n));
    changes++;
  }
  const parts = [
    changes ? `${changes} change notification(s)` : '',
    lifecycle.length ? `lifecycle ${lifecycle.map((l) => l.kind).join(', ')}` : '',
  ].filter(Boolean);
  return {
    answer: { status: 202 },
    events,
    log: `${where}: accepted ${parts.join(' and ')}`,
    ...(lifecycle.length ? { lifecycle } : {}),
  };
}

/**
 * One notification as a WatchEvent. `resource` is `Users/{id}` or `Groups/{id}` (Graph's casing
 * varies); `resourceData.id` wins when present. A deleted user or group has the same target: the
 * re-read finds it gone.
 *
 * Replay dedupe: `id` is optional on changeNotification and absent on directory notifications.
 * When there is one it is used; otherwise, when `resourceData.eventTime` (when the change
 * happened) is present, a SHA-256 of the subscription, change type, resource and resource data
 * (eventTime, sequenceNumber and members@delta included): Graph's retries resend the same
 * notification, and two changes differ at least in their eventTime. Without either, null.
 */
export function toWatchEvent(n: Notification): WatchEvent {
  const [kind, pathId] = (n.resource ?? '').replace(/^\/+/, '').split('/');
  const type = (n.resourceData?.['@odata.type'] ?? '').toLowerCase();
  const id = n.resourceData?.id ?? pathId ?? '';
  const isUser = type.endsWith('graph.user') || kind?.toLowerCase() === 'users';
  const isGroup = type.endsWith('graph.group') || kind?.toLowerCase() === 'groups';
  const changeType = n.changeType ?? 'updated';
  const targets: ChangeTarget[] = [];
  let summary: string;
  if (id && isUser) {
    targets.push({ kind: 'user', id });
    summary = `user ${id} ${changeType}`;
  } else if (id && isGroup) {
    targets.push({ kind: 'group', id });
    const delta = n.resourceData?.['members@delta'] ?? [];
    const removed = delta.filter((m) => m['@removed']).length;
    summary = delta.length
      ? `group ${id} members changed (${delta.length - removed} added, ${removed} removed)`
      : `group ${id} ${changeType}`;
  } else {
    targets.push({ kind: 'everything', reason: `a Graph notification on an unexpected resource (${kind || 'none'})` });
    summary = `notification on ${kind || 'an unnamed resource'} ${changeType}`;
  }
  const eventTime = n.resourceData?.eventTime;
  return {
    source: 'entra',
    id: n.id
      ? `${n.subscriptionId}:${n.id}`
      : eventTime
        ? `sha256:${createHash('sha256')
            .update(JSON.stringify([n.subscriptionId, changeType, n.resource ?? '', n.resourceData]))
            .digest('hex')}`
        : null,
    type: changeType,
    at: eventTime && !Number.isNaN(Date.parse(eventTime)) ? eventTime : null,
    targets,
    summary,
  };
}

/** Subscription ids are not secrets, but a forged one can be long or carry control characters: logged shortened and plain. */
function short(id: string): string {
  const plain = id.replace(/[^\w.-]/g, '?');
  return plain.length > 40 ? `${plain.slice(0, 40)}…` : plain;
}
