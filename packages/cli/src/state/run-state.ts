import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  canonicalHash,
  canonicalJson,
  VERSION,
  type DirectorySnapshot,
  type EngineCache,
  type Finding,
  type Member,
  type OrgConfig,
  type Plan,
  type Report,
} from '@claude-idp/core';
import { EXIT, UsageError } from '../cli-exit';
import { emit, type Io } from '../cli-io';
import type { CommandContext } from '../cli-program';
import { renderHtml, renderMarkdown, type OutputBundle } from '../format';
import type { NotifyEvent } from '../notify/payloads';
import { notifyAll, type NotifyResult } from '../notify/send';
import { parseNotifyTarget, type NotifyTarget } from '../notify/targets';
import { accessRows, resolvePeople } from './access';
import { changesHeadline, computeChanges, type PreviousRun, type RunSide } from './changes';
import { acquireLock, assertUnlocked } from './state-lock';
import { loadRuns, newRunId, pruneRuns, saveRun } from './state-store';
import type { AccessRow, RunChanges, RunCommand, RunScope } from './state-schema';

export const STATE_ENV = 'CLAUDE_IDP_STATE';
export const WEBHOOK_SECRET_ENV = 'CLAUDE_IDP_WEBHOOK_SECRET';
export const DEFAULT_KEEP = 30;

const SEVERITIES = ['error', 'warning', 'info'] as const;
type Severity = (typeof SEVERITIES)[number];

/** The options scheduled jobs and CI gates add to `audit` and `plan`. */
export interface RunStateOptions {
  state?: string;
  keep?: string;
  notify?: string[];
  reportDir?: string;
  failOnNew?: Severity;
}

/**
 * Adds `--state`, `--keep`, `--notify`, `--report-dir` (and for audit `--fail-on-new`) to a
 * command, and checks them before the command reads anything, so a bad URL or a locked state
 * directory fails before a long IdP read.
 */
export function withRunStateOptions(cmd: Command, ctx: CommandContext, options: { failOnNew?: boolean } = {}): Command {
  cmd
    .option('--state <dir>', `keep runs here and say what changed since the last one (env ${STATE_ENV})`)
    .option('--keep <n>', `with --state: how many runs to keep (default ${DEFAULT_KEEP})`)
    .option(
      '--notify <url>',
      'with --state: when something changed, POST to this webhook (https://…, slack+https://…, teams+https://…); repeatable',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--report-dir <dir>',
      'also write the JSON result, summary.md, report.html (and changes.json with --state) here',
    );
  if (options.failOnNew)
    cmd.addOption(
      new Option(
        '--fail-on-new <severity>',
        'with --state: exit 1 only for findings new since the last run, at or above this severity',
      ).choices(SEVERITIES),
    );
  cmd.hook('preAction', (_cmd, action) => checkRunStateOptions(action.opts() as RunStateOptions, ctx.io));
  return cmd;
}

interface Resolved {
  stateDir?: string;
  keep: number;
  targets: NotifyTarget[];
}

function resolveRunState(opts: RunStateOptions, io: Io): Resolved {
  const stateValue = opts.state ?? (io.env[STATE_ENV] || undefined);
  const stateDir = stateValue ? resolve(io.cwd, stateValue) : undefined;
  let keep = DEFAULT_KEEP;
  if (opts.keep !== undefined) {
    if (!/^\d+$/.test(opts.keep.trim()) || Number(opts.keep) < 1)
      throw new UsageError(`--keep takes a number of runs, 1 or more (got "${opts.keep}")`);
    keep = Number(opts.keep);
  }
  const targets = (opts.notify ?? []).map(parseNotifyTarget);
  if (!stateDir) {
    for (const [flag, given] of [
      ['--notify', targets.length > 0],
      ['--fail-on-new', opts.failOnNew !== undefined],
      ['--keep', opts.keep !== undefined],
    ] as const) {
      if (given)
        throw new UsageError(`${flag} needs --state DIR (or ${STATE_ENV}): it compares with the last run kept there`);
    }
  }
  return { stateDir, keep, targets };
}

/** Validates the options and fails fast when another live run holds the state directory. */
export function checkRunStateOptions(opts: RunStateOptions, io: Io): void {
  const r = resolveRunState(opts, io);
  if (r.stateDir) assertUnlocked(r.stateDir);
}

export interface FinishInput {
  command: RunCommand;
  cmd: Command;
  opts: RunStateOptions & { format: string; out?: string };
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  members?: Member[];
  report?: Report;
  plan?: Plan;
  bundle: OutputBundle;
  /** Prints the bundle as the command always has (stdout or --out). */
  print: (bundle: OutputBundle) => void;
  /** The command's own exit code before the state (1 for findings at --fail-on, plan --detailed-exitcode). */
  exit: number;
  /** The engine cache the command's audit or plan filled (its directory index is reused). */
  cache?: EngineCache;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
export function atOrAbove(findings: Finding[], severity: Severity): Finding[] {
  return findings.filter((f) => rank[f.severity] <= rank[severity]);
}

/** A snapshot's content without its capture time: two reads of an unchanged IdP have the same digest. */
export function snapshotDigest(snapshot: DirectorySnapshot): string {
  const { capturedAt: _capturedAt, ...rest } = snapshot;
  return canonicalHash(rest);
}

function previousRun(stateDir: string, scope: RunScope): PreviousRun | null {
  const runs = loadRuns(stateDir);
  const latest = runs[0];
  if (!latest) return null;
  const s = latest.record.scope;
  if (s.idp !== scope.idp || s.tenant !== scope.tenant || s.appId !== scope.appId) {
    throw new UsageError(
      `the state directory ${stateDir} holds runs of ${s.idp} ${s.tenant} (app ${s.appName}, ${s.appId}), but this run read ${scope.idp} ${scope.tenant} (app ${scope.appName}, ${scope.appId}); ` +
        'use one --state directory per tenant and app',
    );
  }
  const withReport = runs.find((r) => r.record.command === 'audit');
  const withPlan = runs.find((r) => r.record.command === 'plan');
  return {
    runId: latest.record.id,
    at: latest.record.at,
    command: latest.record.command,
    snapshot: latest.snapshot(),
    access: latest.access(),
    configDigest: s.configDigest,
    report: withReport?.report(),
    plan: withPlan?.plan(),
  };
}

/**
 * The end of an `audit` or `plan` run: prints the result, and with `--state` compares with the
 * last run, saves this one (atomically, under the directory's lock, before any notification, so
 * a failed notification never loses it), prunes to `--keep`, notifies when something changed, and
 * sets the exit code (1 for findings at --fail-on or new at --fail-on-new; 5 when a notification
 * could not be delivered).
 */
export async function finishRun(ctx: CommandContext, input: FinishInput): Promise<void> {
  const io = ctx.io;
  const { opts } = input;
  const r = resolveRunState(opts, io);
  const now = io.now();
  // Everyone's access: the state compares it, the HTML report shows it; other runs skip the work.
  const needPeople = Boolean(r.stateDir || opts.reportDir || opts.format === 'html');
  const { people, seats } = needPeople
    ? resolvePeople(input.snapshot, input.config, input.members, input.cache)
    : { people: undefined, seats: undefined };
  const bundle: OutputBundle = { ...input.bundle, people, seats };
  const scope = runScope(input.snapshot, input.config);
  let changes: RunChanges | undefined;
  let runId: string | undefined;
  const notes: string[] = [];
  if (r.stateDir) {
    mkdirSync(r.stateDir, { recursive: true });
    const lock = acquireLock(r.stateDir, input.command, now);
    try {
      if (lock.tookOver) notes.push(staleLockNote(lock.tookOver));
      const rows = accessRows(people ?? []);
      const compared = compareWithLastRun(r.stateDir, scope, {
        snapshot: input.snapshot,
        access: rows,
        report: input.report,
        plan: input.plan,
      });
      changes = compared.changes;
      bundle.changes = changes;
      if (changes.configChanged)
        notes.push(`the config differs from the one the last run in ${r.stateDir} used (${compared.previous?.runId})`);
      input.print(bundle);
      writeReportDir(opts.reportDir, io, input, bundle, changes);
      runId = saveRunInState(r.stateDir, {
        command: input.command,
        now,
        scope,
        snapshot: input.snapshot,
        access: rows,
        changes,
        report: input.report,
        plan: input.plan,
        keep: r.keep,
      });
    } finally {
      lock.release();
    }
  } else {
    input.print(bundle);
    writeReportDir(opts.reportDir, io, input, bundle, undefined);
  }

  let exit = input.exit;
  if (
    input.command === 'audit' &&
    opts.failOnNew !== undefined &&
    input.cmd.getOptionValueSource('failOn') === 'default'
  ) {
    // --fail-on-new alone: known findings no longer fail the job, only new ones do.
    exit = exit === EXIT.findings ? EXIT.ok : exit;
  }
  if (changes && opts.failOnNew && atOrAbove(changes.newFindings, opts.failOnNew).length > 0) exit = EXIT.findings;

  const humanOnStdout = !opts.out && (opts.format === 'text' || opts.format === 'markdown');
  if (changes && (changes.changed || !changes.since) && !humanOnStdout) notes.push(changesHeadline(changes));
  for (const n of notes) io.stderr(`claude-idp: ${n}\n`);

  if (changes?.changed && r.targets.length && runId) {
    const failed = await notifyRun(r.targets, {
      runId,
      command: input.command,
      at: now.toISOString(),
      scope,
      summary: input.report?.summary ?? null,
      changes,
      env: io.env,
      abortSignal: ctx.abortSignal,
    });
    for (const res of failed)
      io.stderr(
        `claude-idp: notification to ${res.target.label} failed: ${res.error}; the run is saved in ${r.stateDir} (${runId})\n`,
      );
    if (failed.length) exit = EXIT.notifyFailed;
  }
  ctx.setExit(exit);
}

/** Which tenant, app and config a run belongs to. */
export function runScope(snapshot: DirectorySnapshot, config: OrgConfig): RunScope {
  return {
    idp: snapshot.idp,
    tenant: snapshot.tenant,
    appId: snapshot.app.id,
    appName: snapshot.app.name,
    configDigest: canonicalHash(config),
  };
}

export function staleLockNote(holder: { pid: number; command: string; startedAt: string }): string {
  return `removed a stale lock of pid ${holder.pid} (claude-idp ${holder.command} since ${holder.startedAt}), whose process is gone`;
}

/**
 * What changed since the last run kept in `stateDir` (which must belong to the same tenant and
 * app: a UsageError otherwise). The caller holds the directory's lock.
 */
export function compareWithLastRun(
  stateDir: string,
  scope: RunScope,
  current: Omit<RunSide, 'configDigest'>,
): { previous: PreviousRun | null; changes: RunChanges } {
  const previous = previousRun(stateDir, scope);
  return { previous, changes: computeChanges({ ...current, configDigest: scope.configDigest }, previous) };
}

/** Saves one run (atomically) and prunes the directory to `keep` runs; returns the run's id. The caller holds the lock. */
export function saveRunInState(
  stateDir: string,
  run: {
    command: RunCommand;
    now: Date;
    scope: RunScope;
    snapshot: DirectorySnapshot;
    access: AccessRow[];
    changes: RunChanges;
    report?: Report;
    plan?: Plan;
    keep: number;
  },
): string {
  const runId = newRunId(stateDir, run.now, run.command);
  saveRun(stateDir, {
    record: {
      schemaVersion: 1,
      id: runId,
      command: run.command,
      at: run.now.toISOString(),
      tool: { name: 'claude-idp', version: VERSION },
      scope: run.scope,
      snapshotDigest: snapshotDigest(run.snapshot),
      summary: run.report ? run.report.summary : null,
      planChanges: run.plan
        ? run.plan.orgs.reduce((n, o) => n + o.actions.filter((a) => a.action !== 'none').length, 0)
        : null,
      changed: run.changes.changed,
    },
    snapshot: run.snapshot,
    access: run.access,
    changes: run.changes,
    report: run.report,
    plan: run.plan,
  });
  pruneRuns(stateDir, run.keep);
  return runId;
}

/**
 * Tells every `--notify` target about a run's changes (generic webhooks signed with
 * CLAUDE_IDP_WEBHOOK_SECRET when set); resolves with the deliveries that failed.
 */
export async function notifyRun(
  targets: NotifyTarget[],
  run: Omit<NotifyEvent, 'scope'> & {
    scope: RunScope;
    env: NodeJS.ProcessEnv;
    abortSignal?: AbortSignal;
  },
): Promise<NotifyResult[]> {
  const { env, abortSignal, scope, ...event } = run;
  const results = await notifyAll(
    targets,
    { ...event, scope: { idp: scope.idp, tenant: scope.tenant, appName: scope.appName } },
    // Signatures carry the wall-clock time (receivers refuse old ones), not the run's clock (`--now`).
    { secret: env[WEBHOOK_SECRET_ENV] || undefined, abortSignal },
  );
  return results.filter((x) => !x.ok);
}

function writeReportDir(
  dir: string | undefined,
  io: Io,
  input: FinishInput,
  bundle: OutputBundle,
  changes: RunChanges | undefined,
): void {
  if (!dir) return;
  const out = resolve(io.cwd, dir);
  mkdirSync(out, { recursive: true });
  if (input.report) emit(io, canonicalJson(input.report, 2), join(out, 'report.json'));
  if (input.plan) emit(io, canonicalJson(input.plan, 2), join(out, 'plan.json'));
  if (changes) emit(io, canonicalJson(changes, 2), join(out, 'changes.json'));
  emit(io, renderMarkdown(bundle), join(out, 'summary.md'));
  emit(io, renderHtml(bundle), join(out, 'report.html'));
}
