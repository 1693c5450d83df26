import type { ChangeTarget, WatchEvent } from './events';

export interface ChangeQueueOptions {
  /**
   * More distinct targets than this and the next read is a full read (one read of everything is
   * cheaper than hundreds of targeted ones, and memory stays bounded). Default 200.
   */
  maxTargets?: number;
}

/** What one coalesced batch asks to re-read. */
export interface ChangeBatch {
  /** Distinct targets, in arrival order; empty when `full`. */
  targets: ChangeTarget[];
  /** A full read: an event said `everything`, or there were more than `maxTargets` targets. */
  full: boolean;
  /** Why a full read, when `full`. */
  fullReason: string | null;
  /** Events coalesced into this batch, and the distinct sources they came from. */
  events: number;
  sources: string[];
  /** The first few event summaries (at most 20), for the log and the notification. */
  summaries: string[];
  /** When the first and the last event of the batch arrived. */
  firstAt: Date | null;
  lastAt: Date | null;
}

const MAX_SUMMARIES = 20;

/**
 * The events received since the last read, coalesced: each distinct target once, collapsed to a
 * full read past `maxTargets`. Memory is bounded by `maxTargets` whatever the event rate.
 */
export class ChangeQueue {
  private readonly maxTargets: number;
  private keys = new Map<string, ChangeTarget>();
  private full: string | null = null;
  private events = 0;
  private sources = new Set<string>();
  private summaries: string[] = [];
  private firstAt: Date | null = null;
  private lastAt: Date | null = null;

  constructor(options: ChangeQueueOptions = {}) {
    this.maxTargets = options.maxTargets ?? 200;
  }

  /** Events waiting for a read. */
  get pending(): number {
    return this.events;
  }

  /** Adds an event's targets. An event with no target is counted but asks for no read. */
  add(event: WatchEvent, at: Date): void {
    this.events++;
    this.sources.add(event.source);
    this.firstAt ??= at;
    this.lastAt = at;
    if (this.summaries.length < MAX_SUMMARIES) this.summaries.push(event.summary);
    for (const t of event.targets) this.addTarget(t);
  }

  /** Asks for a full read (the periodic one, a lost-events signal). */
  requestFull(reason: string): void {
    this.full ??= reason;
    this.keys.clear();
  }

  /** True when a read is wanted: a full read or at least one target. */
  get wantsRead(): boolean {
    return this.full !== null || this.keys.size > 0;
  }

  /** Takes the batch and empties the queue. */
  take(): ChangeBatch {
    const batch: ChangeBatch = {
      targets: this.full ? [] : [...this.keys.values()],
      full: this.full !== null,
      fullReason: this.full,
      events: this.events,
      sources: [...this.sources],
      summaries: this.summaries,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
    };
    this.keys = new Map();
    this.full = null;
    this.events = 0;
    this.sources = new Set();
    this.summaries = [];
    this.firstAt = null;
    this.lastAt = null;
    return batch;
  }

  private addTarget(t: ChangeTarget): void {
    if (this.full) return;
    if (t.kind === 'everything') {
      this.requestFull(t.reason);
      return;
    }
    const key = t.kind === 'app' || t.kind === 'claude' ? t.kind : `${t.kind}:${t.id}`;
    if (this.keys.has(key)) return;
    if (this.keys.size >= this.maxTargets) this.requestFull(`more than ${this.maxTargets} users and groups changed`);
    else this.keys.set(key, t);
  }
}

/**
 * The ids of the last `capacity` events seen, to drop replays (vendors deliver at least once, and
 * a replayed delivery must not cost a read). Bounded: the oldest id is forgotten first.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 10_000) {}

  /** True the first time an id is seen; false for a replay. */
  remember(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
