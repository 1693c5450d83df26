import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  canonicalJson,
  DirectorySnapshotSchema,
  InputError,
  PlanSchema,
  ReportSchema,
  type DirectorySnapshot,
  type Plan,
  type Report,
} from '@claude-idp/core';
import { fsyncDir, writeFileSynced } from './atomic-write';
import {
  AccessRowsSchema,
  RunChangesSchema,
  RunRecordSchema,
  type AccessRow,
  type RunChanges,
  type RunRecord,
} from './state-schema';

export const RUNS_DIR = 'runs';

/** What one run leaves in the state directory. */
export interface RunFiles {
  record: RunRecord;
  snapshot: DirectorySnapshot;
  access: AccessRow[];
  changes: RunChanges;
  report?: Report;
  plan?: Plan;
}

/** A saved run, its files read on demand (a run's snapshot can be large). */
export interface StoredRun {
  record: RunRecord;
  dir: string;
  snapshot(): DirectorySnapshot;
  access(): AccessRow[];
  report(): Report | undefined;
  plan(): Plan | undefined;
}

/**
 * A state file read back with its schema: an InputError naming the file (and, for unreadable
 * JSON, what to do: `damaged`) rather than a silent default.
 */
export function readJson<T>(
  path: string,
  schema: z.ZodType<T>,
  damaged = `the state directory is damaged — move this run's folder out of ${RUNS_DIR}/ to continue`,
): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError({
      source: path,
      issues: [{ path: '', expected: 'a JSON state file', received: (error as Error).message.slice(0, 80) }],
      message: `${path}: not readable JSON; ${damaged}`,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), expected: i.message }));
    throw new InputError({
      source: path,
      issues,
      message: `${InputError.describe(path, issues)} (not a claude-idp state file of schema version 1)`,
    });
  }
  return parsed.data;
}

/** The run directories, oldest first (run ids start with their UTC time, so names sort by time). */
export function listRunIds(stateDir: string): string[] {
  const runs = join(stateDir, RUNS_DIR);
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((n) => !n.startsWith('.') && statSync(join(runs, n)).isDirectory())
    .sort();
}

export function loadRun(stateDir: string, id: string): StoredRun {
  const dir = join(stateDir, RUNS_DIR, id);
  const record = readJson(join(dir, 'run.json'), RunRecordSchema);
  const optional = <T>(name: string, schema: z.ZodType<T>) =>
    existsSync(join(dir, name)) ? readJson(join(dir, name), schema) : undefined;
  return {
    record,
    dir,
    snapshot: () => readJson(join(dir, 'snapshot.json'), DirectorySnapshotSchema) as DirectorySnapshot,
    access: () => readJson(join(dir, 'access.json'), AccessRowsSchema),
    report: () => optional('report.json', ReportSchema) as Report | undefined,
    plan: () => optional('plan.json', PlanSchema) as Plan | undefined,
  };
}

/** The saved runs, newest first. */
export function loadRuns(stateDir: string): StoredRun[] {
  return listRunIds(stateDir)
    .reverse()
    .map((id) => loadRun(stateDir, id));
}

/** A run id: its UTC time (sortable, safe in file names) and command; unique within the directory. */
export function newRunId(stateDir: string, at: Date, command: string): string {
  const base = `${at.toISOString().replace(/[:.]/g, '-')}-${command}`;
  const taken = new Set(listRunIds(stateDir));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * Saves a run: every file is written and fsynced in a hidden temporary folder, which is then
 * renamed to `runs/<id>` in one step — a crash leaves either the whole run or none of it.
 */
export function saveRun(stateDir: string, files: RunFiles): string {
  const runs = join(stateDir, RUNS_DIR);
  mkdirSync(runs, { recursive: true });
  const tmp = join(runs, `.tmp-${files.record.id}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const write = (name: string, value: unknown) => writeFileSynced(join(tmp, name), `${canonicalJson(value, 2)}\n`);
  write('snapshot.json', files.snapshot);
  write('access.json', AccessRowsSchema.parse(files.access));
  write('changes.json', RunChangesSchema.parse(files.changes));
  if (files.report) write('report.json', files.report);
  if (files.plan) write('plan.json', files.plan);
  // run.json last: its presence marks the run complete even to a reader of the temporary folder.
  write('run.json', RunRecordSchema.parse(files.record));
  fsyncDir(tmp);
  const final = join(runs, files.record.id);
  renameSync(tmp, final);
  fsyncDir(runs);
  return final;
}

/** Keeps the newest `keep` runs and removes the rest, plus temporary folders left by a crash. Returns the removed run ids. */
export function pruneRuns(stateDir: string, keep: number): string[] {
  const runs = join(stateDir, RUNS_DIR);
  if (!existsSync(runs)) return [];
  for (const name of readdirSync(runs))
    if (name.startsWith('.tmp-')) rmSync(join(runs, name), { recursive: true, force: true });
  const ids = listRunIds(stateDir);
  const gone = ids.slice(0, Math.max(0, ids.length - keep));
  for (const id of gone) rmSync(join(runs, id), { recursive: true, force: true });
  return gone;
}
