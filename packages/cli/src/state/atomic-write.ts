import { closeSync, fsyncSync, openSync, writeFileSync } from 'node:fs';

// Durable writes for the state directory. A run is written file by file (each fsynced) into a
// temporary folder, which is then renamed into place and its parent fsynced (state-store.ts).

/** Writes one file and fsyncs it (inside a folder that is itself renamed into place). */
export function writeFileSynced(path: string, data: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeFileSync(fd, data); // loops until every byte is written (writeSync may write part)
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
