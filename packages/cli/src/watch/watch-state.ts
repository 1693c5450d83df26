import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { IdpKindSchema } from '@claude-idp/core';
import { fsyncDir, writeFileSynced } from '../state/atomic-write';
import { readJson } from '../state/state-store';

export const WATCH_FILE = 'watch.json';
export const WATCH_SCHEMA_VERSION = 1 as const;

/**
 * `DIR/watch.json`: what a restarted `watch` picks up from the last one: the vendor's
 * subscriptions (Graph subscriptions, Google channels: ids, expiry, verification secrets as the
 * receiver's manager saves them) and the last Claude activity seen, so polling resumes there.
 */
export const WatchStateSchema = z
  .object({
    schemaVersion: z.literal(WATCH_SCHEMA_VERSION),
    idp: IdpKindSchema,
    savedAt: z.string(),
    /** The receiver's `subscriptions.save()`, as it returned it; null when the IdP has none. */
    subscriptions: z.unknown().nullable(),
    claude: z.object({ lastActivityId: z.string().nullable() }).strict(),
  })
  .strict();
export type WatchState = z.infer<typeof WatchStateSchema>;

/** Reads `DIR/watch.json`: null when absent, an InputError naming the file when damaged. */
export function loadWatchState(stateDir: string): WatchState | null {
  const path = join(stateDir, WATCH_FILE);
  if (!existsSync(path)) return null;
  return readJson(path, WatchStateSchema, 'move it away to start without the saved subscriptions');
}

/** Writes `DIR/watch.json` atomically (a temporary file fsynced, renamed over the old one). */
export function saveWatchState(stateDir: string, state: WatchState): void {
  const checked = WatchStateSchema.parse(state);
  const path = join(stateDir, WATCH_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSynced(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, path);
  fsyncDir(stateDir);
}
