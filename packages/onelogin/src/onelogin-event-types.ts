import { z } from 'zod';

/**
 * OneLogin's event webhooks (the "Event Broadcaster"), as far as public sources document them:
 *
 * - Configured only in the admin portal (Developers → Webhooks → New Webhook): "We don't have an
 *   API for setting up the Webhook endpoint subscription yet" (developers.onelogin.com/api-docs/1/
 *   events/webhooks). The admin enters a name, the listener URL, a format and **Custom Headers**,
 *   free `Name: value` lines sent with every delivery; vendors that receive OneLogin webhooks
 *   authenticate them with an `Authorization` custom header (docs.hunters.ai/wiki/onelogin:
 *   "Authorization:Bearer …"; docs.cyderes.cloud/integrations/onelogin: "Authorization:
 *   <Authorization Value>"). OneLogin signs nothing: the custom header is the only
 *   authentication, so the receiver compares it in constant time.
 * - Format: "We recommend that you use the JSON Array format type" — "An array of Event objects is
 *   sent to your registered endpoint as a POST request" (api-docs/1/events/webhooks). The other
 *   format, "SIEM (NDJSON)", is one event per line and is refused here (choose JSON Array).
 * - Batching: "It will make a POST whenever there are 10 events or every 10 seconds, whichever
 *   comes first" (docs.hunters.ai/wiki/onelogin).
 * - Every event type of the account is sent: "All possible Event Types are sent in the payload so
 *   you will need to filter out the events that you are interested in" (same page).
 */

/** Events per POST when OneLogin batches (docs.hunters.ai/wiki/onelogin: "whenever there are 10 events"). */
export const WEBHOOK_BATCH_SIZE = 10;

/**
 * The event type ids `watch` acts on, with OneLogin's name for them. Ids 1–5 and their names are
 * verbatim from the Get Event Types sample (api-docs/1/events/event-types: APP_ADDED_TO_ROLE 1,
 * APP_REMOVED_FROM_ROLE 2, USER_ASSIGNED_ROLE 4); the others are the ids of OneLogin's .NET SDK
 * `EventType` enum (`User_created = 13`, `User_manually_added_to_role = 147`,
 * `Added_role_to_a_user = 513`, ...), named here in the same upper-case style. A live tenant's
 * full list is `GET /api/1/events/types`.
 */
export const ONELOGIN_EVENT_TYPES = {
  1: 'APP_ADDED_TO_ROLE',
  2: 'APP_REMOVED_FROM_ROLE',
  4: 'USER_ASSIGNED_ROLE',
  12: 'USER_UNLOCKED',
  13: 'USER_CREATED',
  14: 'USER_UPDATED',
  15: 'USER_DEACTIVATED',
  16: 'USER_ACTIVATED',
  17: 'USER_DELETED',
  19: 'USER_LOCKED',
  21: 'USER_SUSPENDED',
  32: 'USER_REACTIVATED',
  147: 'USER_MANUALLY_ADDED_TO_ROLE',
  148: 'USER_MANUALLY_REMOVED_FROM_ROLE',
  149: 'USER_AUTOMATICALLY_ADDED_TO_ROLE',
  150: 'USER_AUTOMATICALLY_REMOVED_FROM_ROLE',
  // "Login manually added / removed" (.NET SDK) is read as the admin portal's "Actor_user manually
  // added user to app" / "... removed user from app" (KB0010422): a hand assignment of an app.
  206: 'LOGIN_MANUALLY_ADDED',
  207: 'LOGIN_MANUALLY_REMOVED',
  513: 'API_ADDED_ROLE_TO_USER',
  514: 'API_REMOVED_ROLE_FROM_USER',
  529: 'API_UPDATED_USER',
  530: 'API_DESTROYED_USER',
  531: 'API_LOCKED_USER',
  533: 'API_CREATED_USER',
} as const;

export type OneLoginEventTypeId = keyof typeof ONELOGIN_EVENT_TYPES;

/** How `watch` reads each kind of event (the mapping rule, one place: see `oneLoginEventTargets`). */
export const EVENT_KINDS = {
  /** An app was added to or removed from a role: the app's assignments and that role. */
  appRole: [1, 2],
  /** Someone joined or left a role: that role's members. */
  roleMembership: [4, 147, 148, 149, 150, 513, 514],
  /** A person's profile or status: that person. */
  user: [12, 13, 14, 15, 16, 17, 19, 21, 32, 529, 530, 531, 533],
  /** An app given to or taken from one person by hand: the app's assignments. */
  appLogin: [206, 207],
} as const satisfies Record<string, readonly OneLoginEventTypeId[]>;

const id = z.number().int().nonnegative();
const optionalId = id.nullable().optional();
const text = z.string().nullable().optional();

/**
 * One event of a webhook delivery: the fields `watch` reads, named as in the Event resource
 * (api-docs/1/events/event-resource: `event_type_id`, `user_id`, `role_id`, `group_id`, `app_id`,
 * `created_at`, ...) and the webhook sample (api-docs/1/events/webhooks: `uuid`, `create._id`,
 * `event_timestamp` "2017-12-05 19:13:06 UTC"). OneLogin sends some 80 fields, mostly null; the
 * others are ignored.
 */
export const OneLoginWebhookEventSchema = z
  .object({
    uuid: z.string().min(1).optional(),
    create: z
      .object({ _id: z.string().min(1) })
      .partial()
      .nullable()
      .optional(),
    event_type_id: id,
    event_timestamp: text,
    created_at: text,
    account_id: optionalId,
    user_id: optionalId,
    user_name: text,
    role_id: optionalId,
    role_name: text,
    group_id: optionalId,
    group_name: text,
    app_id: optionalId,
    app_name: text,
    actor_user_id: optionalId,
    actor_user_name: text,
  })
  .catchall(z.unknown());
export type OneLoginWebhookEvent = z.infer<typeof OneLoginWebhookEventSchema>;

/** `2017-12-05 19:13:06 UTC` (webhook sample) or an ISO 8601 `created_at`, as ISO 8601; null when neither parses. */
export function eventTime(e: Pick<OneLoginWebhookEvent, 'created_at' | 'event_timestamp'>): string | null {
  for (const raw of [e.created_at, e.event_timestamp]) {
    if (!raw) continue;
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/.exec(raw);
    const d = new Date(m ? `${m[1]}T${m[2]}Z` : raw);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return null;
}
