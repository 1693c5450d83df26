import { delay, type FetchLike } from '@claude-idp/core';

/** A wait the pacer imposed, for progress output ("waiting 12 s: 95 requests this minute"). */
export interface PaceEvent {
  type: 'pace';
  waitMs: number;
  reason: 'requests-per-minute' | 'invites-per-hour';
}

export interface PaceLimits {
  requestsPerMinute: number;
  invitesPerHour: number;
  windowMs: number;
  inviteWindowMs: number;
}

/**
 * A sliding-window pacer for the Admin API's documented limits (100 requests a minute per org,
 * 1,200 invites an hour): a request waits until fewer than the limit were sent in the last
 * window. Invites (`POST …/invites`) count against both windows. Applied as a fetch wrapper, so
 * every request the SDK makes (reads, writes, its own retries) is paced the same way.
 */
export function pacedFetch(
  inner: FetchLike,
  limits: PaceLimits,
  onWait?: (e: PaceEvent) => void,
  now: () => number = Date.now,
): FetchLike {
  const sent: number[] = [];
  const invites: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  const slot = async (isInvite: boolean, signal?: AbortSignal | null) => {
    for (;;) {
      const t = now();
      while (sent.length && sent[0]! <= t - limits.windowMs) sent.shift();
      while (invites.length && invites[0]! <= t - limits.inviteWindowMs) invites.shift();
      if (sent.length >= limits.requestsPerMinute) {
        const waitMs = sent[0]! + limits.windowMs - t;
        onWait?.({ type: 'pace', waitMs, reason: 'requests-per-minute' });
        await delay(waitMs, signal ?? undefined);
        continue;
      }
      if (isInvite && invites.length >= limits.invitesPerHour) {
        const waitMs = invites[0]! + limits.inviteWindowMs - t;
        onWait?.({ type: 'pace', waitMs, reason: 'invites-per-hour' });
        await delay(waitMs, signal ?? undefined);
        continue;
      }
      sent.push(t);
      if (isInvite) invites.push(t);
      return;
    }
  };

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
    const method = (
      init?.method ?? (typeof input === 'object' && 'method' in input ? (input as Request).method : 'GET')
    ).toUpperCase();
    const isInvite = method === 'POST' && new URL(url).pathname.endsWith('/organizations/invites');
    // One request takes its slot at a time, in order, so concurrent reads share the window fairly.
    const mine = queue.then(() => slot(isInvite, init?.signal));
    queue = mine.catch(() => undefined);
    await mine;
    return inner(input, init);
  };
}
