import { existsSync } from 'node:fs';
import { Option } from 'commander';
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

export interface MembersFileOptions {
  /** The flag that named the file, for messages (`--members`, `--invited-members`). */
  flag?: string;
  /** `--allow-empty-members`: an empty file really means "nobody is a member yet". */
  allowEmpty?: boolean;
}

/**
 * Reads a members file. An empty or header-only file is an error unless `--allow-empty-members`:
 * read as "nobody is a member", it would silently switch off every access-loss check.
 */
export function readMembersFile(io: Io, path: string, options: MembersFileOptions = {}): Member[] {
  const members = loadMembers(resolve(io.cwd, path));
  if (members.length === 0 && !options.allowEmpty) {
    throw new UsageError(
      `${options.flag ?? '--members'} ${path}: the file lists no members (empty, or a header row only). If the org really has nobody yet, pass --allow-empty-members; otherwise export the members again.`,
    );
  }
  return members;
}

export const allowEmptyMembersOption = () =>
  new Option(
    '--allow-empty-members',
    'accept a members file that lists nobody (otherwise an error: it would hide every access-loss check)',
  );

/**
 * `--org`: an org id from the config, or its first 8 characters (as reports show it) when only one
 * org starts with them. Anything else is a usage error listing the valid ids.
 */
export function resolveOrgId(config: OrgConfig, given: string, flag = '--org'): string {
  const ids = config.organizations.map((o) => o.id);
  const want = given.trim().toLowerCase();
  const exact = ids.find((id) => id.toLowerCase() === want);
  if (exact) return exact;
  const prefixed = want.length >= 8 ? ids.filter((id) => id.toLowerCase().startsWith(want)) : [];
  if (prefixed.length === 1) return prefixed[0]!;
  const list = config.organizations.map((o) => `${o.id}${o.name ? ` (${o.name})` : ''}`).join(', ');
  const why =
    prefixed.length > 1
      ? 'matches more than one org'
      : want.length < 8
        ? 'is not an org id in the config (give the full id or its first 8 characters)'
        : 'is not an org id in the config';
  throw new UsageError(`${flag} ${given} ${why}; the config's orgs: ${list || 'none'}`);
}

export function parseIdp(value: string | undefined): Exclude<IdpKind, 'generic'> {
  const kinds = IDP_KINDS.filter((k) => k !== 'generic');
  if (!value || !(kinds as readonly string[]).includes(value))
    throw new UsageError(`--idp must be one of ${kinds.join(', ')}${value ? ` (got "${value}")` : ''}`);
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
  if (!opts.idp)
    throw new UsageError('pass --snapshot FILE (a saved snapshot) or --idp okta|entra|google|onelogin (a live read)');
  const adapter = await liveAdapter(parseIdp(opts.idp), io.env);
  return adapter.readSnapshot({ app: opts.app, abortSignal: ctx.abortSignal, onProgress: ctx.onProgress, now: io.now });
}

/** `obtainSnapshot` with the live read's progress on stderr (a TTY only, not with --quiet), cleared when done. */
export async function readSnapshotWithProgress(
  io: Io,
  opts: SourceOptions,
  ctx: { abortSignal?: AbortSignal; quiet: boolean },
): Promise<DirectorySnapshot> {
  const progress = progressReporter(io, ctx.quiet);
  try {
    return await obtainSnapshot(io, opts, { abortSignal: ctx.abortSignal, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}

/**
 * `--max-deprovision 25` or `--max-deprovision 5%`: a whole count up to the largest safe integer, or
 * a percentage from 0% to 100%. Anything else is a usage error naming the flag: a value that
 * silently turned into "no limit" would switch the breaker off.
 */
export function parseLimit(value: string | undefined, flag = '--max-deprovision'): number | `${number}%` | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const usage = (why: string) =>
    new UsageError(`${flag} ${why}; give a count of people (25) or a percentage of the org from 0% to 100% (5%)`);
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct) {
    if (Number(pct[1]) > 100) throw usage(`${value} is above 100%`);
    return v as `${number}%`;
  }
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n))
      throw usage(`${value} is above the largest count it can check exactly (${Number.MAX_SAFE_INTEGER})`);
    return n;
  }
  if (/^-\d/.test(v)) throw usage(`${value} is negative`);
  throw usage(`"${value}" is not a number`);
}
