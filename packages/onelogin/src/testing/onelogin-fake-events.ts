import { randomUUID } from 'node:crypto';
import { EventDelivery, type GenericTenant, type TenantChange, type FakeEvents } from '@claude-idp/core/testing';
import { WEBHOOK_BATCH_SIZE, type OneLoginEventTypeId } from '../onelogin-event-types';
import { numericId } from './onelogin-fake-ids';

/** One webhook as an admin would configure it in Developers → Webhooks (OneLogin has no API for it). */
export interface OneLoginWebhookSubscription {
  /** The webhook's Listener URL. */
  url: string;
  /** The webhook's Custom Headers, sent with every delivery as given. */
  headers?: Record<string, string>;
  /** Shorthand for one custom header carrying a secret: `header: secret`. */
  secret?: string;
  /** The shorthand's header name. Default `Authorization`. */
  header?: string;
}

/** A OneLogin event as the webhook sends it (JSON Array format): the documented fields, the rest null. */
export type OneLoginFakeEvent = Record<string, unknown> & { uuid: string; event_type_id: number };

export interface OneLoginFakeEvents extends FakeEvents {
  /**
   * Adds a webhook: from now on every `fake.update()` POSTs OneLogin's events for the change to
   * `url`, in batches of at most 10, as `application/json` with the custom headers.
   */
  subscribe(subscription: OneLoginWebhookSubscription): { unsubscribe(): void };
  /** Every event generated so far, in order (also those no webhook received). */
  readonly events: readonly OneLoginFakeEvent[];
  // deliveries, settled(), replay(i) (OneLogin retrying a batch) and sendRaw() (default: the
  // first webhook's URL) are FakeEvents'.
  /** Delivers hand-made events (a login, an unknown type), each completed with OneLogin's fields. */
  emit(events: (Partial<OneLoginFakeEvent> & { event_type_id: number })[]): void;
}

/** The fields of OneLogin's webhook sample and Event resource, in the sample's order (see `complete`). */
const SAMPLE_FIELDS = [
  'create',
  'error_description',
  'login_name',
  'app_name',
  'authentication_factor_description',
  'certificate_name',
  'certificate_id',
  'event_timestamp',
  'assumed_by_superadmin_or_reseller',
  'directory_name',
  'actor_user_id',
  'user_name',
  'mapping_id',
  'radius_config_id',
  'risk_score',
  'otp_device_id',
  'imported_user_id',
  'resolution',
  'directory_id',
  'authentication_factor_id',
  'param',
  'risk_cookie_id',
  'app_id',
  'custom_message',
  'browser_fingerprint',
  'actor_system',
  'uuid',
  'otp_device_name',
  'actor_user_name',
  'user_field_name',
  'assuming_acting_user_id',
  'adc_id',
  'solved',
  'api_credential_name',
  'imported_user_name',
  'note_title',
  'trusted_idp_name',
  'policy_id',
  'role_name',
  'service_directory_id',
  'object_id',
  'account_id',
  'user_field_id',
  'resolved_by_user_id',
  // The Event resource's, past where the sample's copy ends.
  'event_type_id',
  'user_id',
  'role_id',
  'group_id',
  'group_name',
  'ipaddr',
  'notes',
  'client_id',
  'directory_sync_run_id',
  'policy_name',
  'created_at',
] as const;

/** Event type ids the fake sends (onelogin-event-types.ts has the sources). */
const SENT = {
  userCreated: 13,
  userUpdated: 14,
  userDeleted: 17,
  userSuspended: 21,
  userReactivated: 32,
  addedToRole: 147,
  removedFromRole: 148,
  appAddedToRole: 1,
  appRemovedFromRole: 2,
  appGivenByHand: 206,
  appTakenByHand: 207,
} as const satisfies Record<string, OneLoginEventTypeId>;

/**
 * The fake's event webhooks. `publish` turns a tenant diff into the events OneLogin records for
 * it. Changes OneLogin documents no event type for send nothing, as OneLogin would not tell a
 * webhook either: a role created, renamed or deleted, nested groups (roles do not nest) and the
 * app's SAML / SCIM parameters.
 */
export function createFakeEvents(options: { fetch?: typeof fetch; appId: () => number; accountId: number }) {
  const delivery = new EventDelivery(options.fetch);
  const subscriptions = new Set<
    Required<Pick<OneLoginWebhookSubscription, 'url'>> & { headers: Record<string, string> }
  >();
  const events: OneLoginFakeEvent[] = [];

  const complete = (e: Partial<OneLoginFakeEvent> & { event_type_id: number }): OneLoginFakeEvent => {
    const uuid = e.uuid ?? randomUUID();
    const now = new Date();
    // Every field of the webhook sample (api-docs/1/events/webhooks, in its order) and the Event
    // resource's (api-docs/1/events/event-resource); what the change does not set is null.
    return {
      ...Object.fromEntries(SAMPLE_FIELDS.map((k) => [k, null])),
      create: { _id: uuid },
      uuid,
      event_timestamp: `${now.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
      created_at: now.toISOString(),
      account_id: options.accountId,
      actor_system: '',
      ...e,
    };
  };

  const deliver = (batch: OneLoginFakeEvent[]) => {
    events.push(...batch);
    for (const s of subscriptions) {
      for (let i = 0; i < batch.length; i += WEBHOOK_BATCH_SIZE) {
        void delivery.send(s.url, {
          headers: { ...s.headers, 'content-type': 'application/json' },
          body: JSON.stringify(batch.slice(i, i + WEBHOOK_BATCH_SIZE)),
        });
      }
    }
  };

  const api: OneLoginFakeEvents = {
    subscribe(sub) {
      if (!/^https?:$/.test(URL.canParse(sub.url) ? new URL(sub.url).protocol : ''))
        throw new Error(`onelogin fake: a webhook's listener URL must be http(s), not "${sub.url}"`);
      const headers = { ...(sub.headers ?? {}) };
      if (sub.secret !== undefined) headers[sub.header ?? 'Authorization'] = sub.secret;
      const entry = { url: sub.url, headers };
      subscriptions.add(entry);
      return { unsubscribe: () => void subscriptions.delete(entry) };
    },
    get events() {
      return events;
    },
    get deliveries() {
      return delivery.deliveries;
    },
    settled: () => delivery.settled(),
    replay(index) {
      const d = delivery.deliveries[index];
      if (!d) throw new Error(`onelogin fake: no delivery #${index} (${delivery.deliveries.length} so far)`);
      return delivery.send(d.url, { headers: d.headers, body: d.body });
    },
    sendRaw({ headers, body, method, url }) {
      const target = url ?? [...subscriptions][0]?.url;
      if (!target) throw new Error('onelogin fake: sendRaw needs a url or a webhook (events.subscribe)');
      return delivery.send(target, { method, headers, body });
    },
    emit: (list) => deliver(list.map(complete)),
  };

  /** The events OneLogin records for the changes from `before` to `after`. */
  const publish = (changes: TenantChange[], after: GenericTenant) => {
    const appId = options.appId();
    const user = (u: { id: string; givenName: string; familyName: string }) => ({
      user_id: numericId('user', u.id),
      user_name: `${u.givenName} ${u.familyName}`,
    });
    const role = (g: { id: string; name: string }) => ({ role_id: numericId('role', g.id), role_name: g.name });
    const app = { app_id: appId, app_name: after.app.name };
    const out: (Partial<OneLoginFakeEvent> & { event_type_id: number })[] = [];
    for (const c of changes) {
      switch (c.type) {
        case 'user.created':
          out.push({ event_type_id: SENT.userCreated, ...user(c.user) });
          break;
        case 'user.deleted':
          out.push({ event_type_id: SENT.userDeleted, ...user(c.user) });
          break;
        case 'user.updated': {
          const type =
            c.user.status === 'suspended' && c.previous.status !== 'suspended'
              ? SENT.userSuspended
              : c.previous.status === 'suspended' && c.user.status === 'active'
                ? SENT.userReactivated
                : SENT.userUpdated;
          out.push({ event_type_id: type, ...user(c.user) });
          break;
        }
        case 'group.member.added':
          out.push({ event_type_id: SENT.addedToRole, ...user(c.user), ...role(c.group) });
          break;
        case 'group.member.removed':
          out.push({ event_type_id: SENT.removedFromRole, ...user(c.user), ...role(c.group) });
          break;
        case 'app.group.assigned':
          out.push({ event_type_id: SENT.appAddedToRole, ...role(c.group), ...app });
          break;
        case 'app.group.unassigned':
          out.push({ event_type_id: SENT.appRemovedFromRole, ...role(c.group), ...app });
          break;
        case 'app.user.assigned':
          out.push({ event_type_id: SENT.appGivenByHand, ...user(c.user), ...app });
          break;
        case 'app.user.unassigned':
          out.push({ event_type_id: SENT.appTakenByHand, ...user(c.user), ...app });
          break;
        default:
          // group.created / renamed / deleted, group.nested.*, app.settings.updated: no documented OneLogin event.
          break;
      }
    }
    if (out.length) deliver(out.map(complete));
  };

  return { api, publish };
}
