import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  IDP_KINDS,
  loadMembers,
  loadOrgConfig,
  loadSnapshot,
  type DirectorySnapshot,
  type IdpKind,
  type Member,
  type OrgConfig,
  type ProgressEvent,
} from '@claude-idp/core';
import { UsageError } from './cli-exit';
import { progressReporter, type Io } from './cli-io';
import { liveAdapter } from './cli-adapters';

export const CONFIG_NAMES = ['claude-idp.config.yaml', 'claude-idp.config.yml', 'claude-idp.config.json'];

/** `--config`, or the first `claude-idp.config.{yaml,yml,json}` in the working directory (for scheduled jobs). */
export function resolveConfigPath(io: Io, given?: string): string {
  if (given) return resolve(io.cwd, given);
  for (const name of CONFIG_NAMES) {
    const p = join(io.cwd, name);
    if (existsSync(p)) return p;
  }
  throw new UsageError(`no config: pass --config FILE or create ${CONFIG_NAMES[0]} in ${io.cwd}`);
}

export function readConfig(io: Io, given?: string): OrgConfig {
  return loadOrgConfig(resolveConfigPath(io, given));
}

export function readMembersFile(io: Io, path: string): Member[] {
  return loadMembers(resolve(io.cwd, path));
}

export function parseIdp(value: string | undefined): Exclude<IdpKind, 'generic'> {
  const kinds = IDP_KINDS.filter((k) => k !== 'generic');
  if (!value || !(kinds as readonly string[]).includes(value)) throw new UsageError(`--idp must be one of ${kinds.join(', ')}${value ? ` (got "${value}")` : ''}`);
  return value as Exclude<IdpKind, 'generic'>;
}

export interface SourceOptions {
  snapshot?: string;
  idp?: string;
  app?: string;
}

/** The snapshot from `--snapshot FILE` or from a live read of `--idp` (credentials from the environment). */
export async function obtainSnapshot(
  io: Io,
  opts: SourceOptions,
  ctx: { abortSignal?: AbortSignal; onProgress?: (e: ProgressEvent) => void },
): Promise<DirectorySnapshot> {
  if (opts.snapshot && opts.idp) throw new UsageError('pass either --snapshot FILE or --idp KIND, not both');
  if (opts.snapshot) return loadSnapshot(resolve(io.cwd, opts.snapshot));
  if (!opts.idp) throw new UsageError('pass --snapshot FILE (a saved snapshot) or --idp okta|entra|google|onelogin (a live read)');
  const adapter = await liveAdapter(parseIdp(opts.idp), io.env);
  return adapter.readSnapshot({ app: opts.app, abortSignal: ctx.abortSignal, onProgress: ctx.onProgress, now: io.now });
}

/** `obtainSnapshot` with the live read's progress on stderr (a TTY only, not with --quiet), cleared when done. */
export async function readSnapshotWithProgress(io: Io, opts: SourceOptions, ctx: { abortSignal?: AbortSignal; quiet: boolean }): Promise<DirectorySnapshot> {
  const progress = progressReporter(io, ctx.quiet);
  try {
    return await obtainSnapshot(io, opts, { abortSignal: ctx.abortSignal, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}

/** `--max-deprovision 25` or `--max-deprovision 5%`. */
export function parseLimit(value: string | undefined): number | `${number}%` | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?%$/.test(v)) return v as `${number}%`;
  if (/^\d+$/.test(v)) return Number(v);
  throw new UsageError(`--max-deprovision takes a count (25) or a percentage (5%), got "${value}"`);
}
