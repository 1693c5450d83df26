import {
  parseJsonBody,
  refuse,
  type ChangeTarget,
  type IdpEventReceiverV1,
  type ReceiveResult,
  type WatchEvent,
  type WatchRequest,
} from '@claude-idp/core';
import { z } from 'zod';
import { GoogleChannelBook } from './google-channel-book';
import { createGoogleChannelManager, type GoogleChannelSettings } from './google-channels';

export const GOOGLE_EVENTS_PATH = '/events/google';

export type GoogleEventReceiverSettings = GoogleChannelSettings;

/*
 * Google push notifications (developers.google.com/admin-sdk/directory/v1/guides/push and
 * .../reports/v1/guides/push): a POST to the channel's address with
 *   X-Goog-Channel-ID          the channel id the watcher chose
 *   X-Goog-Channel-Token       the token the watcher set on the channel (echoed back; our only proof of origin)
 *   X-Goog-Channel-Expiration  when the channel expires (RFC 1123 date)
 *   X-Goog-Resource-ID         Google's opaque id of the watched resource
 *   X-Goog-Resource-URI        the watched listing's URI (users?...&event=add)
 *   X-Goog-Resource-State      `sync` first (no body), then the event (`add`, `delete`, `update`, `makeAdmin`, `undelete`)
 *   X-Goog-Message-Number      1 for sync, then increasing per channel (not consecutive)
 * The body of a Directory notification is the user (`{"kind":"admin#directory#user","id","etag","primaryEmail"}`);
 * a Reports notification carries the activity (`{"kind":"admin#reports#activity","id":{...},"events":[{"type","name","parameters":[{"name","value"}]}]}`).
 */

const UserBody = z.looseObject({ id: z.string().min(1), primaryEmail: z.string().optional() });
const ActivityBody = z.looseObject({
  id: z.looseObject({ time: z.string().optional(), uniqueQualifier: z.string().optional() }).optional(),
  events: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        type: z.string().optional(),
        parameters: z.array(z.looseObject({ name: z.string().optional(), value: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});

/**
 * Admin audit "Group Settings" events (type GROUP_SETTINGS, application `admin`) that change a
 * group's name, address, existence or members: each names the group by `GROUP_EMAIL`
 * (developers.google.com/admin-sdk/reports/v1/appendix/activity/admin-group-settings).
 */
const GROUP_EVENTS = new Set([
  'CREATE_GROUP',
  'DELETE_GROUP',
  'CHANGE_GROUP_NAME',
  'CHANGE_GROUP_EMAIL',
  'ADD_GROUP_MEMBER',
  'REMOVE_GROUP_MEMBER',
  'UPDATE_GROUP_MEMBER',
]);

/**
 * The receiver for Google push notifications at `/events/google`. Authenticates each POST by
 * its channel (one the watcher created) and the channel's token (constant time), acks `sync`
 * messages, and maps user notifications to user targets and group activities to group targets.
 * Its `subscriptions` create, renew and stop the channels (`users.watch`, `activities.watch`).
 */
export function createGoogleEventReceiver(settings: GoogleEventReceiverSettings = {}): IdpEventReceiverV1 {
  const book = new GoogleChannelBook();
  const subscriptions = createGoogleChannelManager(settings, book);
  return {
    specificationVersion: 'v1',
    idp: 'google',
    paths: [GOOGLE_EVENTS_PATH],
    subscriptions,
    handle: (request) => receive(book, request),
  };
}

function receive(book: GoogleChannelBook, request: WatchRequest): ReceiveResult {
  if (request.method !== 'POST') return refuse(405, `google: refused a ${request.method} (notifications are POSTs)`);
  const h = request.headers;
  const channelId = h['x-goog-channel-id'];
  if (!channelId) return refuse(401, 'google: refused a notification without X-Goog-Channel-ID');
  const channel = book.get(channelId);
  // The channel id is not a secret (it travels in the clear to the listener), but it is never echoed whole.
  const shown = shortId(channelId);
  if (!channel)
    return refuse(403, `google: refused a notification for channel ${shown}, which this watcher did not create`);
  if (!h['x-goog-channel-token'])
    return refuse(401, `google: refused a notification for channel ${shown} without X-Goog-Channel-Token`);
  if (!book.tokenMatches(channel, h['x-goog-channel-token']))
    return refuse(403, `google: refused a notification for channel ${shown}: X-Goog-Channel-Token does not match`);
  const resourceId = h['x-goog-resource-id'];
  if (channel.resourceId && resourceId !== channel.resourceId)
    return refuse(
      403,
      `google: refused a notification for channel ${shown}: X-Goog-Resource-ID is not the watched resource`,
    );
  const state = h['x-goog-resource-state'];
  const number = h['x-goog-message-number'];
  if (!state || !number || !/^\d+$/.test(number))
    return refuse(
      400,
      `google: refused a notification for channel ${shown} without X-Goog-Resource-State or a numeric X-Goog-Message-Number`,
    );

  const what = channel.watch === 'activities:admin' ? 'admin activities' : `users ${channel.watch.slice(6)}`;
  if (state === 'sync') {
    // "sync" opens every channel and carries no body; nothing changed.
    return { answer: { status: 200 }, events: [], log: `google: channel ${shown} (${what}) is open (sync)` };
  }
  if (book.seenBefore(channel.id, number)) {
    // A message already processed (Google re-sends what it thinks failed): acknowledge, no event.
    return {
      answer: { status: 200 },
      events: [],
      log: `google: channel ${shown} message ${number} was already received; ignored`,
    };
  }
  const parsed = parseJsonBody(request, 'google');
  if (!parsed.ok) return parsed.result;
  const id = `${channel.id}:${number}`;
  const at = new Date(request.receivedAt).toISOString();
  if (channel.watch !== 'activities:admin') {
    const user = UserBody.safeParse(parsed.value);
    if (!user.success)
      return refuse(
        400,
        `google: refused a ${state} notification on channel ${shown}: the body is not a Directory user`,
      );
    book.markSeen(channel.id, number);
    const event: WatchEvent = {
      source: 'google',
      id,
      type: state,
      at,
      targets: [{ kind: 'user', id: user.data.id }],
      summary: `google: user ${user.data.primaryEmail ?? user.data.id} ${USER_VERBS[state] ?? state}`,
    };
    return { answer: { status: 200 }, events: [event], log: event.summary };
  }
  const activity = ActivityBody.safeParse(parsed.value);
  if (!activity.success)
    return refuse(400, `google: refused a notification on channel ${shown}: the body is not a Reports activity`);
  // Marked only once the body is accepted: Google's retry of a refused message is then processed.
  book.markSeen(channel.id, number);
  const events = activityEvents(activity.data, id, request.receivedAt);
  return {
    answer: { status: 200 },
    events,
    log: events.length ? events.map((e) => e.summary).join('; ') : `google: admin activity ${state} touches no group`,
  };
}

const USER_VERBS: Record<string, string> = {
  add: 'was created',
  delete: 'was deleted',
  update: 'was updated',
  undelete: 'was restored',
  makeAdmin: 'had its admin status changed',
};

/** A channel id for the log: at most 20 characters, anything but letters, digits and `-_.:` shown as `?` (no log injection). */
const shortId = (id: string) => {
  const safe = id.replace(/[^\w.:-]/g, '?');
  return safe.length > 20 ? `${safe.slice(0, 20)}…` : safe;
};

/**
 * Group targets from one admin activity. Google names the group by address (`GROUP_EMAIL`); the
 * group target carries it (groups.get takes an address as `groupKey`) and the adapter's
 * `refreshSnapshot` resolves it to the group's id. `CHANGE_GROUP_EMAIL` targets the old and the
 * new address. Other admin events (settings, users: users.watch covers those) touch no group.
 */
function activityEvents(activity: z.infer<typeof ActivityBody>, deliveryId: string, receivedAt: Date): WatchEvent[] {
  const at = activity.id?.time ?? new Date(receivedAt).toISOString();
  const out: WatchEvent[] = [];
  const list = activity.events ?? [];
  list.forEach((e, i) => {
    if (!e.name || !GROUP_EVENTS.has(e.name)) return;
    const param = (n: string) =>
      e.parameters
        ?.find((p) => p.name === n)
        ?.value?.trim()
        .toLowerCase();
    const group = param('GROUP_EMAIL');
    const targets: ChangeTarget[] = [];
    if (group) targets.push({ kind: 'group', id: group });
    const renamedTo = e.name === 'CHANGE_GROUP_EMAIL' ? param('NEW_VALUE') : undefined;
    if (renamedTo && renamedTo !== group) targets.push({ kind: 'group', id: renamedTo });
    if (!targets.length)
      targets.push({ kind: 'everything', reason: `google: a ${e.name} activity names no GROUP_EMAIL` });
    const user = param('USER_EMAIL');
    out.push({
      source: 'google',
      // One delivery may carry several events; each gets its own id under the delivery's.
      id: list.length > 1 ? `${deliveryId}#${i}` : deliveryId,
      type: e.name,
      at,
      targets,
      summary: `google: ${e.name}${group ? ` ${group}` : ''}${user ? ` (${user})` : ''}`,
    });
  });
  return out;
}
