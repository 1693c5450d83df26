import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli-exit';
import { fsyncDir } from './atomic-write';
import { LockFileSchema, STATE_SCHEMA_VERSION, type LockFile } from './state-schema';

export const LOCK_NAME = '.lock';

/** Another run holds the state directory (exit 2, with who holds it and how to clear it). */
export class StateLockedError extends UsageError {
  constructor(
    readonly path: string,
    readonly holder: LockFile | null,
  ) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.hostname} (claude-idp ${holder.command}, since ${holder.startedAt})`
      : 'an unreadable lock file';
    super(
      `the state directory is in use: ${path} is held by ${who}. Two runs on one state directory would interleave; ` +
        `wait for it to finish. If that process is gone (e.g. a container on another host was killed), delete ${path}.`,
    );
    this.name = 'StateLockedError';
  }
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockFile | null | 'absent' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const parsed = LockFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A lock left by a process that is gone from this host: safe to take over. Locks from other hosts are never assumed stale. */
function isStale(lock: LockFile | null): lock is LockFile {
  return lock !== null && lock.hostname === hostname() && lock.pid !== process.pid && !pidAlive(lock.pid);
}

/** Throws StateLockedError when a live run holds `dir` (checked before a long read, so a second run fails fast). */
export function assertUnlocked(dir: string): void {
  const path = join(dir, LOCK_NAME);
  const lock = readLock(path);
  if (lock === 'absent' || isStale(lock)) return;
  throw new StateLockedError(path, lock);
}

export interface HeldLock {
  release(): void;
  /** Set when a stale lock (its process gone) was taken over. */
  tookOver: LockFile | null;
}

/**
 * Takes `dir/.lock` (created exclusively: O_EXCL), or throws StateLockedError naming the holder.
 * A lock whose process is gone from this host is stale and taken over.
 */
export function acquireLock(dir: string, command: string, now: Date): HeldLock {
  const path = join(dir, LOCK_NAME);
  const mine: LockFile = {
    schemaVersion: STATE_SCHEMA_VERSION,
    pid: process.pid,
    hostname: hostname(),
    command,
    startedAt: now.toISOString(),
  };
  let tookOver: LockFile | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      fsyncDir(dir);
      let released = false;
      return {
        tookOver,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = readLock(path);
      if (held === 'absent') continue;
      if (attempt === 0 && isStale(held)) {
        // Moved aside (rename is atomic, so of two runs taking over the same stale lock only one
        // moves it), then checked: if what was moved is not the stale lock but a fresh one another
        // run took meanwhile, it is put back and this run stops.
        const aside = `${path}.stale-${process.pid}`;
        try {
          renameSync(path, aside);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
        const moved = readLock(aside);
        if (moved !== 'absent' && moved !== null && moved.pid === held.pid && moved.startedAt === held.startedAt) {
          rmSync(aside, { force: true });
          tookOver = held;
          continue;
        }
        renameSync(aside, path);
        throw new StateLockedError(path, moved === 'absent' ? null : moved);
      }
      throw new StateLockedError(path, held);
    }
  }
  throw new StateLockedError(path, null);
}
