import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { InputError } from '@claude-idp/core';
import { z } from 'zod';

/**
 * What one notification channel watches. Directory `users.watch` takes one `event` per channel
 * (discovery doc `directory.users.watch`, parameter `event`: add, delete, makeAdmin, undelete,
 * update); Reports `activities.watch` watches one application's activities (here `admin`, whose
 * Group Settings events say which group changed).
 */
export const GOOGLE_WATCHES = [
  'users:add',
  'users:delete',
  'users:update',
  'users:undelete',
  'activities:admin',
] as const;
export type GoogleWatch = (typeof GOOGLE_WATCHES)[number];

/** One channel the watcher created. The token itself is never kept: only its SHA-256. */
export interface GoogleChannel {
  /** The channel id we chose (`X-Goog-Channel-ID`). */
  id: string;
  watch: GoogleWatch;
  /** Hex SHA-256 of the channel token (`X-Goog-Channel-Token`). */
  tokenDigest: string;
  /** Google's opaque id of the watched resource (`X-Goog-Resource-ID`), needed by channels.stop; null until the watch call answers. */
  resourceId: string | null;
  resourceUri: string | null;
  /** Expiration, ms since the epoch, as Google answered it; null until the watch call answers. */
  expiration: number | null;
  /** The address notifications go to. */
  address: string;
}

const ChannelSchema = z.strictObject({
  id: z.string().min(1),
  watch: z.enum(GOOGLE_WATCHES),
  tokenDigest: z.string().regex(/^[0-9a-f]{64}$/),
  resourceId: z.string().nullable(),
  resourceUri: z.string().nullable(),
  expiration: z.number().int().nullable(),
  address: z.string().url(),
});
const SavedSchema = z.strictObject({ version: z.literal(1), channels: z.array(ChannelSchema) });

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The most message numbers remembered per channel (replays of older ones are taken as new; the listener dedupes too). */
const SEEN_PER_CHANNEL = 2_000;

/**
 * The channels the watcher created, shared by the receiver (which authenticates each
 * notification against them) and the channel manager (which creates, renews and stops them).
 */
export class GoogleChannelBook {
  private readonly channels = new Map<string, GoogleChannel>();
  private readonly seen = new Map<string, Set<string>>();

  /** A new channel id and token; the channel is known (so its `sync` message is accepted) before the watch call returns. */
  open(watch: GoogleWatch, address: string, fixedToken: string | undefined): { channel: GoogleChannel; token: string } {
    const token = fixedToken || randomBytes(32).toString('base64url');
    const channel: GoogleChannel = {
      id: `claude-idp-${randomUUID()}`,
      watch,
      tokenDigest: digest(token),
      resourceId: null,
      resourceUri: null,
      expiration: null,
      address,
    };
    this.channels.set(channel.id, channel);
    return { channel, token };
  }

  get(id: string | undefined): GoogleChannel | undefined {
    return id ? this.channels.get(id) : undefined;
  }

  list(): GoogleChannel[] {
    return [...this.channels.values()];
  }

  remove(id: string): void {
    this.channels.delete(id);
    this.seen.delete(id);
  }

  /** Constant-time comparison of a presented token with the channel's (over SHA-256, so lengths leak nothing). */
  tokenMatches(channel: GoogleChannel, presented: string | undefined): boolean {
    if (!presented) return false;
    return timingSafeEqual(Buffer.from(digest(presented), 'hex'), Buffer.from(channel.tokenDigest, 'hex'));
  }

  /** True when this message number of the channel was processed already (Google re-sends what it takes for failed). */
  seenBefore(channelId: string, messageNumber: string): boolean {
    return this.seen.get(channelId)?.has(messageNumber) ?? false;
  }

  markSeen(channelId: string, messageNumber: string): void {
    let set = this.seen.get(channelId);
    if (!set) {
      set = new Set();
      this.seen.set(channelId, set);
    }
    set.add(messageNumber);
    if (set.size > SEEN_PER_CHANNEL) set.delete(set.values().next().value!);
  }

  save(): z.infer<typeof SavedSchema> {
    return { version: 1, channels: this.list().map((c) => ({ ...c })) };
  }

  restore(saved: unknown): void {
    const parsed = SavedSchema.safeParse(saved);
    if (!parsed.success) {
      throw new InputError({
        source: 'google channel state',
        issues: parsed.error.issues.map((i) => ({
          path: i.path.join('.') || '(root)',
          expected: i.message,
          received: i.code,
        })),
      });
    }
    this.channels.clear();
    this.seen.clear();
    for (const c of parsed.data.channels) this.channels.set(c.id, c);
  }
}
