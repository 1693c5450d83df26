import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary name beside `path`: same directory (so the rename is atomic), never a name a reader looks for. */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${path.split(/[\\/]/).pop()}`);
}

/** Writes `data` to `path` through a temporary file, fsynced, then renamed over `path`: a reader sees the old file or the new one, never half a file. */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = tempNameFor(path);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/** Writes one file (not renamed: for files inside a directory that is itself renamed into place). */
export function writeFileSynced(path: string, data: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or a new file in `dir` durable (a no-op where directories cannot be opened, e.g. Windows). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR / EPERM on platforms without directory fsync: the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
