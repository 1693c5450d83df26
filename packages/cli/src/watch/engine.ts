import {
  ChangeQueue,
  RecentIds,
  type ChangeBatch,
  type ChangeTarget,
  type DirectorySnapshot,
  type ReceiveResult,
  type RefreshResult,
  type Report,
  type WatchEvent,
} from '@claude-idp/core';
import { findingKey } from '../state/changes';
import { formatDuration } from './watch-flags';

/** How a batch was read: only what the events named, the whole IdP, or the Claude side alone. */
export type ReadKind = 'targeted' | 'full' | 'claude' | 'none';

/** The last good read and its audit: what the next audit compares with. */
export interface WatchView<C> {
  snapshot: DirectorySnapshot;
  claude: C;
  report: Report;
}

/** What the engine needs from the command: reads, the audit, and what to do with an audit. */
export interface EngineDeps<C> {
  /** A full read of the IdP (and, with live Claude reads, of the Claude side). */
  readFull(signal: AbortSignal): Promise<{ snapshot: DirectorySnapshot; claude: C }>;
  /** A targeted re-read (the adapter's `refreshSnapshot`); absent: every IdP change is a full read. */
  refresh?: (previous: DirectorySnapshot, targets: ChangeTarget[], signal: AbortSignal) => Promise<RefreshResult>;
  /** Re-reads the Claude side (a `claude` target); absent when Claude is not read live. */
  readClaude?: (signal: AbortSignal) => Promise<C>;
  audit(snapshot: DirectorySnapshot, claude: C): Report;
  /** After each successful read and audit: compare, save, notify. Errors are logged, never fatal. */
  audited(args: { view: WatchView<C>; previous: WatchView<C>; batch: ChangeBatch; read: ReadKind }): Promise<void>;
  /** A lifecycle signal asked for the subscriptions to be renewed or re-created. */
  ensureSubscriptions?: () => Promise<void>;
  log(line: string, fields?: Record<string, unknown>): void;
  now(): Date;
}

export interface EngineOptions {
  /** Wait this long after the last event before reading (more events keep coming in a burst). */
  quietMs: number;
  /** ...but never longer than this after the first event of the batch. */
  maxWaitMs: number;
  /** A full read this often whatever the events (events can be lost); 0: never. */
  fullEveryMs: number;
  /** More distinct targets than this: a full read (ChangeQueue). */
  maxTargets?: number;
  /** Replay memory (RecentIds). */
  recentIds?: number;
}

export interface EngineStats {
  eventsReceived: number;
  replaysDropped: number;
  reads: { targeted: number; full: number; claude: number; failed: number };
  batches: number;
  maxPendingTargets: number;
  lastRead: { at: string; kind: ReadKind; ok: boolean; durationMs: number } | null;
}

/**
 * The watch loop. Events go into a ChangeQueue (replays dropped by id); a batch is read after a
 * quiet period since its last event, capped by a maximum wait since its first; one read runs at a
 * time (events arriving during it wait for the next). A batch re-reads only its targets when the
 * adapter can (`refreshSnapshot`), else the whole IdP; `claude` targets re-read the Claude side.
 * A full read also runs every `fullEveryMs`. A failed read keeps the last good view, makes the
 * engine not ready, and is retried (with a full read) after a growing delay; nothing is audited or
 * notified from it.
 */
export class WatchEngine<C> {
  private readonly queue: ChangeQueue;
  private readonly recent: RecentIds;
  private view: WatchView<C>;
  private timer: NodeJS.Timeout | null = null;
  private fullTimer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private readonly controller = new AbortController();
  private subscriptionsPending = false;
  /** The queued batch's first and last event times (ms), and whether a full read was asked outright. */
  private firstAt: number | null = null;
  private lastAt: number | null = null;
  private fullAsked = false;
  /** After a failed read: not before this time (ms). */
  private retryAt: number | null = null;
  nextFullAt: Date | null = null;
  /** False until `start`, and after a failed read until one succeeds. */
  readsOk = true;
  readonly stats: EngineStats = {
    eventsReceived: 0,
    replaysDropped: 0,
    reads: { targeted: 0, full: 0, claude: 0, failed: 0 },
    batches: 0,
    maxPendingTargets: 0,
    lastRead: null,
  };

  constructor(
    initial: WatchView<C>,
    private readonly deps: EngineDeps<C>,
    private readonly options: EngineOptions,
  ) {
    this.view = initial;
    this.queue = new ChangeQueue({ maxTargets: options.maxTargets });
    this.recent = new RecentIds(options.recentIds);
  }

  /** The last good view. */
  get latest(): WatchView<C> {
    return this.view;
  }

  /** Events waiting for the next read. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Starts the periodic full read. */
  start(): void {
    this.scheduleFull();
  }

  /** A receiver's accepted delivery (or the Claude poller's events). */
  accept(result: Pick<ReceiveResult, 'events' | 'lifecycle'>, at: Date): void {
    if (this.stopped) return;
    for (const event of result.events) this.add(event, at);
    for (const signal of result.lifecycle ?? []) {
      if (signal.kind === 'missed') {
        this.deps.log('the vendor says events were lost: a full read follows', { signal: signal.kind });
        this.queue.requestFull('events were lost');
        this.fullAsked = true;
      } else this.renewSubscriptions(signal.kind, signal.subscriptionId);
    }
    this.schedule();
  }

  private add(event: WatchEvent, at: Date): void {
    this.stats.eventsReceived++;
    if (event.id !== null && !this.recent.remember(`${event.source}:${event.id}`)) {
      this.stats.replaysDropped++;
      return;
    }
    this.queue.add(event, at);
    if (event.targets.length) {
      this.firstAt ??= at.getTime();
      this.lastAt = at.getTime();
    }
    if (event.targets.some((t) => t.kind === 'everything')) this.fullAsked = true;
  }

  private renewSubscriptions(kind: string, id: string | undefined): void {
    const ensure = this.deps.ensureSubscriptions;
    if (!ensure || this.subscriptionsPending) return;
    this.subscriptionsPending = true;
    this.deps.log(`subscription ${kind} asked${id ? ` (${id})` : ''}: renewing`);
    ensure()
      .catch((error: unknown) =>
        this.deps.log(`renewing the subscriptions failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.subscriptionsPending = false));
  }

  /** Asks for a full read now (or right after the current read). */
  requestFull(reason: string): void {
    if (this.stopped) return;
    this.queue.requestFull(reason);
    this.fullAsked = true;
    this.schedule();
  }

  private scheduleFull(): void {
    if (this.fullTimer) clearTimeout(this.fullTimer);
    this.fullTimer = null;
    if (!this.options.fullEveryMs || this.stopped) return;
    this.nextFullAt = new Date(this.deps.now().getTime() + this.options.fullEveryMs);
    this.fullTimer = setTimeout(() => this.requestFull('periodic'), this.options.fullEveryMs);
  }

  /** Sets the timer for the queued batch: quiet period after its last event, at most max wait after its first. */
  private schedule(): void {
    if (this.stopped || this.current || !this.queue.wantsRead) return;
    const now = this.deps.now().getTime();
    let due =
      this.fullAsked || this.firstAt === null || this.lastAt === null
        ? now
        : Math.min(this.lastAt + this.options.quietMs, this.firstAt + this.options.maxWaitMs);
    // After a failed read, the retry waits for its back-off whatever arrives meanwhile.
    if (this.retryAt !== null) due = Math.max(due, this.retryAt);
    this.flushSoon(Math.max(0, due - now));
  }

  private flushSoon(delayMs: number): void {
    if (this.stopped) return;
    if (this.current) return; // the read in progress re-schedules when it ends
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.runBatch().finally(() => {
        this.current = null;
        this.schedule();
      });
    }, delayMs);
  }

  /** Reads what the queued batch asks, audits, and hands the result on. Never throws. */
  private async runBatch(): Promise<void> {
    if (!this.queue.wantsRead) return;
    const batch = this.queue.take();
    this.firstAt = this.lastAt = null;
    this.fullAsked = false;
    // Pending targets are bounded by the queue: past `maxTargets` they collapse into one full read.
    const overflowed = batch.full && (batch.fullReason ?? '').startsWith('more than');
    const pendingTargets = overflowed ? (this.options.maxTargets ?? 200) : batch.targets.length;
    this.stats.maxPendingTargets = Math.max(this.stats.maxPendingTargets, pendingTargets);
    this.stats.batches++;
    const started = this.deps.now();
    const signal = this.controller.signal;
    const previous = this.view;
    let read: ReadKind = 'none';
    let detail = '';
    try {
      let snapshot = previous.snapshot;
      let claude = previous.claude;
      const idpTargets = batch.targets.filter((t) => t.kind !== 'claude');
      const claudeTarget = batch.targets.some((t) => t.kind === 'claude');
      if (batch.full || (idpTargets.length && !this.deps.refresh)) {
        ({ snapshot, claude } = await this.deps.readFull(signal));
        read = 'full';
        detail = batch.full ? `full read (${batch.fullReason})` : 'full read (no targeted re-read for this IdP)';
      } else {
        if (idpTargets.length) {
          const r = await this.deps.refresh!(previous.snapshot, idpTargets, signal);
          snapshot = r.snapshot;
          read = r.read;
          detail = r.detail;
        }
        if (claudeTarget && this.deps.readClaude) {
          claude = await this.deps.readClaude(signal);
          if (read === 'none') read = 'claude';
          detail = detail ? `${detail}; the Claude side` : 'the Claude side';
        }
      }
      if (read === 'none') return;
      const report = this.deps.audit(snapshot, claude);
      const view: WatchView<C> = { snapshot, claude, report };
      this.view = view;
      this.readsOk = true;
      this.failures = 0;
      this.retryAt = null;
      if (read === 'full') {
        this.stats.reads.full++;
        this.scheduleFull();
      } else this.stats.reads[read]++;
      const durationMs = this.deps.now().getTime() - started.getTime();
      this.stats.lastRead = { at: started.toISOString(), kind: read, ok: true, durationMs };
      const known = new Set(previous.report.findings.map(findingKey));
      const newFindings = report.findings.filter((f) => !known.has(findingKey(f))).length;
      this.deps.log(
        batch.fullReason === 'periodic'
          ? `full read (periodic) at ${started.toISOString()}; next at ${this.nextFullAt?.toISOString() ?? 'never'}`
          : `${batch.events} event${batch.events === 1 ? '' : 's'} → ${read} read: ${detail}`,
        {
          events: batch.events,
          sources: batch.sources,
          targets: batch.targets.length,
          read,
          durationMs,
          findings: report.findings.length,
          newFindings,
          ...(batch.summaries.length ? { first: batch.summaries[0] } : {}),
        },
      );
      try {
        await this.deps.audited({ view, previous, batch, read });
      } catch (error) {
        this.deps.log(`after the audit: ${error instanceof Error ? error.message : String(error)}`);
      }
    } catch (error) {
      if (signal.aborted) return;
      this.readsOk = false;
      this.failures++;
      this.stats.reads.failed++;
      const durationMs = this.deps.now().getTime() - started.getTime();
      this.stats.lastRead = { at: started.toISOString(), kind: read, ok: false, durationMs };
      const retryMs = Math.min(this.options.quietMs * 2 ** (this.failures - 1), 5 * 60_000);
      this.deps.log(
        `read failed (${batch.events} event${batch.events === 1 ? '' : 's'} waiting): ${error instanceof Error ? error.message : String(error)}; keeping the last good read of ${previous.snapshot.capturedAt}; a full read in ${formatDuration(retryMs)}`,
        { read: 'failed', durationMs },
      );
      this.queue.requestFull('retry after a failed read');
      this.fullAsked = true;
      this.retryAt = this.deps.now().getTime() + retryMs; // runBatch's caller schedules the retry
    }
  }

  /**
   * Stops: no new reads; the read in progress (and its audit and notification) finishes.
   * Events still queued are reported so the caller can log them.
   */
  async stop(): Promise<{ unread: number }> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.fullTimer) clearTimeout(this.fullTimer);
    this.timer = this.fullTimer = null;
    if (this.current) await this.current;
    return { unread: this.queue.pending };
  }

  /** Stops at once, aborting a read in progress (second signal). */
  abort(): void {
    this.controller.abort(new Error('interrupted'));
  }
}
