import { mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ProgressEvent } from '@claude-idp/core';
import { UsageError } from './cli-exit';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal (colours, aligned tables). */
  isTty: boolean;
  /** stderr is a terminal (progress lines). */
  isErrTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

export function processIo(): Io {
  const env = process.env;
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
    isErrTty: Boolean(process.stderr.isTTY),
    env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/**
 * The clock of a run: `--now ISO`, else `SOURCE_DATE_EPOCH` (seconds since 1970, the
 * reproducible-builds convention), else the real time. A fixed clock makes the same inputs give
 * byte-identical JSON (`generatedAt`, `capturedAt`, trail times).
 */
export function fixedClock(now: string | undefined, env: NodeJS.ProcessEnv): (() => Date) | undefined {
  if (now !== undefined) {
    const t = Date.parse(now);
    if (!/^\d{4}-\d{2}-\d{2}/.test(now.trim()) || Number.isNaN(t))
      throw new UsageError(`--now takes an ISO 8601 date-time (2026-12-01T09:00:00Z), got "${now}"`);
    return () => new Date(t);
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch.trim()) || !Number.isSafeInteger(Number(epoch) * 1000))
      throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got "${epoch}"`);
    const t = Number(epoch) * 1000;
    return () => new Date(t);
  }
  return undefined;
}

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), always with FORCE_COLOR=1. */
export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR === '0') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTty;
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/**
 * Writes to `--out` (creating folders) or to stdout. A path that cannot be a file (a folder, or
 * under a file) is a usage error naming the flag, never an internal EISDIR / EEXIST.
 */
export function emit(io: Io, text: string, out?: string, flag = '--out'): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!out) return void io.stdout(body);
  // Relative to the run's working folder (a caller of `run()` may give one other than the process's).
  const path = resolve(io.cwd, out);
  checkOutPath(path, flag);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'EISDIR' ||
      code === 'EEXIST' ||
      code === 'ENOTDIR' ||
      code === 'EACCES' ||
      code === 'EPERM' ||
      code === 'EROFS'
    ) {
      throw new UsageError(
        `${flag} ${out}: cannot write the file there (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : 'a folder is in the way, or a file where a folder should be'})`,
      );
    }
    throw error;
  }
}

/** `--out` must name a file: not an existing folder, and not under an existing file. */
export function checkOutPath(out: string, flag = '--out'): void {
  if (isDir(out))
    throw new UsageError(`${flag} ${out}: is a folder; give a file path (e.g. ${out.replace(/\/$/, '')}/report.json)`);
  for (let dir = dirname(out), prev = ''; dir !== prev; prev = dir, dir = dirname(dir)) {
    const st = stat(dir);
    if (!st) continue;
    if (!st.isDirectory()) throw new UsageError(`${flag} ${out}: ${dir} is a file, not a folder`);
    break;
  }
}

/** The entry at `p`, or undefined when there is none (also when a parent is a file: ENOTDIR). */
function stat(p: string): Stats | undefined {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  return stat(p)?.isDirectory() ?? false;
}

/**
 * Progress of a live read on stderr, never with --quiet, so stdout stays clean for JSON and
 * pipes. On a terminal: one line rewritten in place. Elsewhere (CI logs): no page counts, but one
 * line for every retry or rate-limit wait, so a slow read is never silent.
 */
export function progressReporter(
  io: Io,
  quiet: boolean,
): { onProgress?: (e: ProgressEvent) => void; done: () => void } {
  if (quiet) return { done: () => {} };
  if (!io.isErrTty) {
    return {
      onProgress(e) {
        if (e.type === 'retry' || e.type === 'throttle') io.stderr(`${waitLine(e)}\n`);
      },
      done: () => {},
    };
  }
  let pages = 0;
  let last = '';
  const people = new Map<string, number>();
  return {
    onProgress(e) {
      if (e.type === 'page') {
        pages++;
        people.set(e.resource, e.total);
        const total = [...people.entries()].filter(([r]) => /user|member/i.test(r)).reduce((a, [, n]) => a + n, 0);
        last = `reading ${e.resource}: ${e.total} so far (${pages} pages, ${total} people/members seen)`;
      } else if (e.type === 'throttle' || e.type === 'retry') {
        last = waitLine(e);
      } else return;
      io.stderr(`\r\u001b[2K${last.slice(0, 120)}`);
    },
    done() {
      if (last) io.stderr('\r\u001b[2K');
    },
  };
}

/** "retrying users (attempt 2, connection refused): waiting 1.2s" / "rate-limited groups (...): waiting 30s". */
function waitLine(e: Extract<ProgressEvent, { type: 'retry' | 'throttle' }>): string {
  // The reason is an error message: keep its cause ("connect ECONNREFUSED 127.0.0.1:9"), not the URL.
  const reason = (/reason: (.+)$/.exec(e.reason)?.[1] ?? e.reason).slice(0, 100);
  const why = [
    e.type === 'retry' ? `attempt ${e.attempt}` : '',
    e.type === 'retry' && e.status ? `HTTP ${e.status}` : '',
    reason,
  ]
    .filter(Boolean)
    .join(', ');
  return `${e.type === 'throttle' ? 'rate-limited' : 'retrying'} ${e.resource}${why ? ` (${why})` : ''}: waiting ${Math.round(e.delayMs / 100) / 10}s`;
}
