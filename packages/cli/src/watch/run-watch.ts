import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  audit,
  checkBaseUrl,
  createEngineCache,
  registerSecret,
  type DirectorySnapshot,
  type IdpAdapterV1,
  type IdpEventReceiverV1,
  type OrgConfig,
  type Report,
} from '@claude-idp/core';
import { liveAdapter, type LiveIdp } from '../cli-adapters';
import { UsageError } from '../cli-exit';
import type { Io } from '../cli-io';
import { progressReporter } from '../cli-io';
import { claudeInputs, withClaudeReport, type ClaudeInputs } from '../claude/claude-live';
import { findingLine } from '../notify/payloads';
import type { NotifyTarget } from '../notify/targets';
import { accessRows, resolvePeople } from '../state/access';
import { computeChanges, type PreviousRun } from '../state/changes';
import {
  compareWithLastRun,
  notifyRun,
  runScope,
  saveRunInState,
  staleLockNote,
  WEBHOOK_SECRET_ENV,
} from '../state/run-state';
import { acquireLock, type HeldLock } from '../state/state-lock';
import type { RunChanges } from '../state/state-schema';
import { WatchEngine, type WatchView } from './engine';
import { startListener, watchReadiness, type WatchListener } from './listener';
import { loadClaudeActivity, loadEventReceiver, type ClaudeActivityPoll } from './vendor-pieces';
import { formatDuration, type ListenAddress } from './watch-flags';
import type { WatchLog } from './watch-log';
import { loadWatchState, saveWatchState } from './watch-state';

/** Environment variables that hold secrets `watch` may see: registered for redaction before anything is logged. */
export const WATCH_SECRET_ENVS = [
  WEBHOOK_SECRET_ENV,
  'OKTA_EVENT_HOOK_SECRET',
  'ENTRA_WEBHOOK_CLIENT_STATE',
  'GOOGLE_WEBHOOK_TOKEN',
  'ONELOGIN_WEBHOOK_SECRET',
  'ANTHROPIC_ADMIN_KEY',
  'OKTA_API_TOKEN',
  'ENTRA_CLIENT_SECRET',
  'ONELOGIN_CLIENT_SECRET',
];

export interface WatchSettings {
  idp: LiveIdp;
  app?: string;
  config: OrgConfig;
  members?: string;
  allowEmptyMembers?: boolean;
  listen: ListenAddress;
  publicUrl?: string;
  stateDir?: string;
  keep: number;
  targets: NotifyTarget[];
  quietMs: number;
  maxWaitMs: number;
  fullEveryMs: number;
  claudePollMs: number;
  maxBodyBytes: number;
  quiet: boolean;
}

/** Pieces a test may put in place of the vendor packages' own. */
export interface WatchPieces {
  adapter?: IdpAdapterV1;
  receiver?: IdpEventReceiverV1 | null;
  claudeActivity?: ClaudeActivityPoll | null;
  /** Called once the listener is up (tests learn the port). */
  onListening?: (listener: WatchListener) => void;
}

/** What one full read gives: the IdP snapshot and the Claude-side inputs. */
type Side = ClaudeInputs;

/**
 * `claude-idp watch`: a full read and audit, then the listener, the subscriptions and the Claude
 * poller; each batch of change events re-read, audited and notified (new findings only) until
 * `stop` fires; then the current read finishes, the state is saved, and it returns.
 */
export async function runWatch(
  io: Io,
  log: WatchLog,
  settings: WatchSettings,
  stop: AbortSignal,
  pieces: WatchPieces = {},
): Promise<number> {
  for (const name of WATCH_SECRET_ENVS) registerSecret(io.env[name]);
  for (const t of settings.targets) registerSecret(t.url);

  const receiver =
    pieces.receiver !== undefined ? pieces.receiver : await loadEventReceiver(settings.idp, { env: io.env });
  if (receiver?.subscriptions && !settings.publicUrl)
    throw new UsageError(
      `--public-url is required for ${settings.idp}: the watcher subscribes to change notifications, and the vendor must reach the listener at a public https URL (e.g. --public-url https://claude-idp-watch.example.com)`,
    );
  const publicUrl = settings.publicUrl ? checkBaseUrl(settings.publicUrl, '--public-url') : undefined;
  const adapter = pieces.adapter ?? (await liveAdapter(settings.idp, io.env));
  const liveClaude = !settings.members && Boolean(io.env.ANTHROPIC_ADMIN_KEY);

  // The state directory is held for the whole run: no second watcher or scheduled run interleaves with it.
  let lock: HeldLock | null = null;
  if (settings.stateDir) {
    mkdirSync(settings.stateDir, { recursive: true });
    lock = acquireLock(settings.stateDir, 'watch', io.now());
    if (lock.tookOver) log(staleLockNote(lock.tookOver));
  }
  const saved = settings.stateDir ? loadWatchState(settings.stateDir) : null;
  if (saved && saved.idp !== settings.idp) {
    lock?.release();
    throw new UsageError(
      `${resolve(settings.stateDir!, 'watch.json')} belongs to a watcher of ${saved.idp}, not ${settings.idp}; use one --state directory per tenant`,
    );
  }
  try {
    return await watchLoop();
  } finally {
    lock?.release();
  }

  async function watchLoop(): Promise<number> {
    const controller = new AbortController();
    const readSignal = controller.signal;
    const readIdp = async (signal: AbortSignal): Promise<DirectorySnapshot> => {
      const progress = progressReporter(io, settings.quiet);
      try {
        return await adapter.readSnapshot({
          app: settings.app,
          abortSignal: signal,
          onProgress: progress.onProgress,
          now: io.now,
        });
      } finally {
        progress.done();
      }
    };
    const readClaude = (signal: AbortSignal): Promise<Side> =>
      claudeInputs(io, settings.config, {
        members: settings.members,
        allowEmptyMembers: settings.allowEmptyMembers,
        abortSignal: signal,
        quiet: settings.quiet,
      });
    let membersInputs: Side | null = null;
    const readFull = async (signal: AbortSignal) => {
      // A members file is read once; live Claude facts on every full read.
      const claude = liveClaude ? await readClaude(signal) : (membersInputs ??= await readClaude(signal));
      return { snapshot: await readIdp(signal), claude };
    };
    const runAudit = (snapshot: DirectorySnapshot, claude: Side): Report =>
      withClaudeReport(
        audit({ snapshot, config: claude.config, members: claude.members, now: io.now(), cache: createEngineCache() }),
        claude,
      );

    // Memory, for the operator (and the benchmark): peak RSS from the OS, peak heap sampled.
    let peakHeap = 0;
    const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
    const heapSampler = setInterval(sampleHeap, 1000);
    heapSampler.unref();

    // 1. The first full read and its audit: the baseline.
    const started = io.now();
    log(`watch ${settings.idp}: first full read`);
    let first: Awaited<ReturnType<typeof readFull>>;
    try {
      first = await readFull(AbortSignal.any([readSignal, stop]));
    } catch (error) {
      if (!stop.aborted) throw error;
      log('stopped during the first read: nothing was read, nothing saved');
      return 0;
    }
    const initial: WatchView<Side> = { ...first, report: runAudit(first.snapshot, first.claude) };
    let lastRun: PreviousRun | null = null;
    const record = async (view: WatchView<Side>, trigger: string[] | undefined, notifyFirst: boolean) => {
      const now = io.now();
      const scope = runScope(view.snapshot, view.claude.config);
      const rows = accessRows(resolvePeople(view.snapshot, view.claude.config, view.claude.members).people);
      let changes: RunChanges;
      let runId: string;
      if (settings.stateDir) {
        changes = compareWithLastRun(settings.stateDir, scope, {
          snapshot: view.snapshot,
          access: rows,
          report: view.report,
        }).changes;
        runId = saveRunInState(settings.stateDir, {
          command: 'audit',
          now,
          scope,
          snapshot: view.snapshot,
          access: rows,
          changes,
          report: view.report,
          keep: settings.keep,
        });
      } else {
        changes = computeChanges(
          { snapshot: view.snapshot, access: rows, report: view.report, configDigest: scope.configDigest },
          lastRun,
        );
        runId = `watch-${now.toISOString().replace(/[:.]/g, '-')}`;
      }
      lastRun = {
        runId,
        at: now.toISOString(),
        command: 'audit',
        snapshot: view.snapshot,
        access: rows,
        configDigest: scope.configDigest,
        report: view.report,
      };
      const fresh = changes.newFindings;
      if (!changes.since && !notifyFirst && view.report.findings.length)
        log(
          `no earlier run${settings.stateDir ? ` in ${settings.stateDir}` : ''}: the ${view.report.findings.length} current findings are the baseline, not notified (claude-idp audit lists them); from now on only new ones are`,
        );
      if (fresh.length && (changes.since || notifyFirst))
        log(
          `${fresh.length} new finding${fresh.length === 1 ? '' : 's'}: ${fresh.slice(0, 5).map(findingLine).join(' | ')}`,
          {
            newFindings: fresh.length,
            run: runId,
          },
        );
      // Only findings new since the last audit are worth waking someone for.
      if (fresh.length && settings.targets.length && (notifyFirst || changes.since)) {
        const failed = await notifyRun(settings.targets, {
          runId,
          command: 'audit',
          at: now.toISOString(),
          scope,
          summary: view.report.summary,
          changes,
          ...(trigger?.length ? { trigger } : {}),
          env: io.env,
        });
        for (const f of failed) log(`notification to ${f.target.label} failed: ${f.error}`);
        const told = settings.targets.filter((t) => !failed.some((f) => f.target === t));
        if (told.length) log(`notified ${told.map((t) => t.label).join(', ')}`, { run: runId });
      }
    };
    // With --state: compared with the last run kept there (a scheduled audit's or a previous
    // watch's), and what is new since then is notified. Without an earlier run, what is there now
    // is the baseline: a watcher tells what breaks while it watches.
    await record(initial, undefined, false);
    const s = initial.report.summary;
    log(
      `baseline: ${initial.snapshot.users.length} users, ${initial.snapshot.groups.length} groups; ${s.errors} errors, ${s.warnings} warnings, ${s.infos} info (${io.now().getTime() - started.getTime()} ms)`,
    );

    // 2. The engine.
    let subscriptionsOk = !receiver?.subscriptions;
    let claudeFeedOk = true; // false while polling the Claude activity feed fails
    let firstSubscriptionsDone = !receiver?.subscriptions;
    let subscriptionTimer: NodeJS.Timeout | null = null;
    const ensureSubscriptions = async () => {
      const subs = receiver?.subscriptions;
      if (!subs || !publicUrl || stop.aborted) return;
      if (subscriptionTimer) clearTimeout(subscriptionTimer);
      let nextMs = 60_000;
      try {
        const r = await subs.ensure({ publicUrl, now: io.now(), abortSignal: readSignal });
        for (const line of r.lines) log(line);
        subscriptionsOk = true;
        nextMs = Math.max(1000, r.nextRunAt.getTime() - io.now().getTime());
        log(`subscriptions ready; next renewal at ${r.nextRunAt.toISOString()}`);
        if (settings.stateDir) saveState();
      } catch (error) {
        subscriptionsOk = false;
        log(`subscriptions failed: ${error instanceof Error ? error.message : String(error)}; retrying in 1m`);
      }
      firstSubscriptionsDone = true;
      if (!stop.aborted) {
        subscriptionTimer = setTimeout(() => void ensureSubscriptions(), nextMs);
      }
    };

    const engine = new WatchEngine<Side>(
      initial,
      {
        readFull,
        refresh: adapter.refreshSnapshot
          ? (previous, targets, signal) =>
              adapter.refreshSnapshot!(previous, { targets, app: settings.app, abortSignal: signal, now: io.now })
          : undefined,
        readClaude: liveClaude ? readClaude : undefined,
        audit: runAudit,
        audited: async ({ view, batch }) => {
          await record(view, batch.summaries, true);
          saveState(); // the Claude activity position and the subscriptions, after every run saved
        },
        ensureSubscriptions: receiver?.subscriptions ? ensureSubscriptions : undefined,
        log,
        now: io.now,
      },
      { quietMs: settings.quietMs, maxWaitMs: settings.maxWaitMs, fullEveryMs: settings.fullEveryMs },
    );

    let claudeActivity: ClaudeActivityPoll | null = null;
    const saveState = () => {
      if (!settings.stateDir) return;
      saveWatchState(settings.stateDir, {
        schemaVersion: 1,
        idp: settings.idp,
        savedAt: io.now().toISOString(),
        subscriptions: receiver?.subscriptions ? (receiver.subscriptions.save() ?? null) : null,
        claude: { lastActivityId: claudeActivity?.lastId ?? saved?.claude.lastActivityId ?? null },
      });
    };

    // 3. The listener.
    if (saved?.subscriptions != null && receiver?.subscriptions) {
      receiver.subscriptions.restore(saved.subscriptions);
      log(`restored the saved subscriptions from ${saved.savedAt}`);
    }
    const listener: WatchListener = await startListener({
      host: settings.listen.host,
      port: settings.listen.port,
      receiver,
      maxBodyBytes: settings.maxBodyBytes,
      // Ready means "send me events": it stays true while reads or subscriptions fail (those are
      // in the body, as `degraded`), because an orchestrator that took the pod out of its Service
      // would cut off the vendor's deliveries, and Graph's validation request, that recover them.
      readiness: () => {
        const { ready, degraded } = watchReadiness({
          stopping: stop.aborted,
          readsOk: engine.readsOk,
          subscriptionsOk,
          subscriptionsTried: firstSubscriptionsDone,
        });
        return {
          ready,
          detail: {
            degraded: claudeFeedOk ? degraded : [...degraded, 'Claude activity feed failing'],
            idp: settings.idp,
            events: receiver ? 'received' : 'none (periodic full reads only)',
            subscriptions: receiver?.subscriptions ? (subscriptionsOk ? 'ok' : 'failing') : 'none',
            lastRead: engine.stats.lastRead,
            pendingEvents: engine.pending,
            nextFullReadAt: engine.nextFullAt?.toISOString() ?? null,
          },
        };
      },
      onResult: (result, at) => engine.accept(result, at),
      log,
      now: io.now,
    });
    log(
      `listening on ${listener.url} (${[...(receiver?.paths ?? []), '/healthz', '/readyz'].join(', ')})${settings.listen.exposed ? '' : ' — loopback only'}`,
    );
    if (settings.listen.exposed)
      log(
        `warning: ${settings.listen.host} is reachable from other machines; put a TLS-terminating reverse proxy in front (docs/watch.md)`,
      );
    if (!receiver)
      log(
        `the installed @claude-idp/${settings.idp} has no event receiver: no events are received; the IdP is read in full every ${formatDuration(settings.fullEveryMs)}`,
      );
    pieces.onListening?.(listener);
    let pollTimer: NodeJS.Timeout | null = null;
    try {
      return await running();
    } finally {
      // Also when something after start-up fails: no listener, timer or read is left behind.
      if (subscriptionTimer) clearTimeout(subscriptionTimer);
      if (pollTimer) clearTimeout(pollTimer);
      clearInterval(heapSampler);
      await Promise.all([listener.close(), engine.stop()]);
      controller.abort(new Error('stopped'));
    }

    async function running(): Promise<number> {
      engine.start();
      if (engine.nextFullAt) log(`next periodic full read at ${engine.nextFullAt.toISOString()}`);

      // 4. Subscriptions, then the Claude poller.
      await ensureSubscriptions();
      if (liveClaude) {
        claudeActivity =
          pieces.claudeActivity !== undefined
            ? pieces.claudeActivity
            : await loadClaudeActivity({
                env: io.env,
                orgIds: settings.config.organizations.map((o) => o.id),
                lastId: saved?.claude.lastActivityId ?? null,
              });
        if (claudeActivity) {
          const activity = claudeActivity;
          const poll = async () => {
            try {
              const r = await activity.poll({ abortSignal: readSignal });
              claudeFeedOk = true;
              if (r.events.length) engine.accept({ events: r.events }, io.now());
            } catch (error) {
              claudeFeedOk = false;
              if (!readSignal.aborted)
                log(
                  `polling the Claude activity feed failed: ${error instanceof Error ? error.message : String(error)}`,
                );
            }
            if (!stop.aborted) pollTimer = setTimeout(() => void poll(), settings.claudePollMs);
          };
          // The first poll sets the position (after the saved id, else the newest activity).
          await poll();
          log(
            `polling the Claude activity feed every ${formatDuration(settings.claudePollMs)}, after ${activity.lastId ?? 'the newest activity'}`,
          );
        }
      }
      saveState();

      // 5. Until stopped.
      await new Promise<void>((res) => {
        if (stop.aborted) return res();
        stop.addEventListener('abort', () => res(), { once: true });
      });
      log('stopping: no new requests; finishing the current read');
      if (subscriptionTimer) clearTimeout(subscriptionTimer);
      if (pollTimer) clearTimeout(pollTimer);
      const closing = listener.close();
      const { unread } = await engine.stop();
      await closing;
      controller.abort(new Error('stopped'));
      if (unread) log(`${unread} event${unread === 1 ? '' : 's'} not read yet; the next start reads everything`);
      if (settings.stateDir) {
        saveState();
        log(`state saved in ${settings.stateDir}; subscriptions kept for the next start`);
      } else if (receiver?.subscriptions) {
        for (const line of await receiver.subscriptions.close().catch((e: unknown) => [`closing: ${String(e)}`]))
          log(line);
      }
      clearInterval(heapSampler);
      sampleHeap();
      const st = engine.stats;
      log(
        `stopped: ${st.eventsReceived} events (${st.replaysDropped} replays dropped), reads: ${st.reads.targeted} targeted, ${st.reads.full} full, ${st.reads.claude} Claude, ${st.reads.failed} failed`,
        {
          events: st.eventsReceived,
          replaysDropped: st.replaysDropped,
          batches: st.batches,
          reads: st.reads,
          maxPendingTargets: st.maxPendingTargets,
          peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
          peakHeapMb: Math.round(peakHeap / 104_857.6) / 10,
        },
      );
      return 0;
    }
  }
}
