import { createRequire } from 'node:module';
import { join } from 'node:path';
import { canonicalJson, type DirectorySnapshot, type Member, type OrgConfig } from '@claude-idp/core';
import { stringify } from 'yaml';
import { UsageError } from './cli-exit';
import { emit, type Io } from './cli-io';

type Testing = typeof import('@claude-idp/core/testing');

/**
 * The demo's fake IdP APIs are msw handlers, and msw is an optional peer of the CLI: installing
 * the command for audits in CI should not pull in a test library (and its install script). The
 * demo loads them on demand and, without msw, says how to get it.
 */
export async function loadDemoKit(): Promise<Testing> {
  try {
    return await import('@claude-idp/core/testing');
  } catch (error) {
    if (isMissing(error, 'msw')) throw new UsageError(MSW_MISSING);
    throw error;
  }
}

export const MSW_MISSING =
  'the demo serves its fake IdP with msw, which is not installed (it is an optional peer of @claude-idp/cli).\n' +
  '  npm install --save-dev msw              # next to @claude-idp/cli, then run the demo again\n' +
  '  npx -p @claude-idp/cli -p msw claude-idp demo   # or try it without installing';

function isMissing(error: unknown, pkg: string): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    new RegExp(`['"]${pkg}(/[^'"]*)?['"]`).test(e.message)
  );
}

/**
 * How many people the demo tenant has, and how many of them the Claude app reaches where the IdP
 * does not resolve nested groups (Okta, OneLogin) and where it does (Entra ID, Google), for its
 * --help; computed from the demo tenant. Undefined when the demo kit cannot load (msw missing).
 */
export function demoPeopleCount(): { total: number; flat: number; nested: number } | undefined {
  try {
    // Synchronous (help text is): require, from the ESM bin as from the CJS library build.
    const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    const testing = req('@claude-idp/core/testing') as Testing;
    const tenant = testing.demoTenant();
    return {
      total: tenant.users.length,
      flat: testing.snapshotFromTenant(tenant, { idp: 'okta' }).users.length,
      nested: testing.snapshotFromTenant(tenant, { idp: 'entra' }).users.length,
    };
  } catch {
    return undefined;
  }
}

/** "36 people, 32 of them reached through the app in Okta and OneLogin, 33 in Entra ID and Google (nested groups)". */
export function demoPeopleText(): string {
  const n = demoPeopleCount();
  return n
    ? `${n.total} people, ${n.flat} of them reached through the app in Okta and OneLogin, ${n.nested} in Entra ID and Google (nested groups)`
    : 'a few dozen people';
}

/** Members as the CSV an export gives (`email,role,seatTier,orgId,status`). */
export function membersCsv(members: readonly Member[]): string {
  const cols = ['email', 'role', 'seatTier', 'orgId', 'status'] as const;
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [cols.join(','), ...members.map((m) => cols.map((c) => cell(m[c])).join(','))].join('\n');
}

/** The files `demo --save DIR` writes, for the README's offline examples. */
export const DEMO_FILES = {
  snapshot: 'snapshot.json',
  later: 'snapshot-later.json',
  config: 'claude-idp.config.yaml',
  members: 'members.csv',
} as const;

/** Writes the demo's inputs and a later, changed snapshot, so audit / plan / explain / diff run offline on them. */
export function saveDemoFiles(
  io: Io,
  dir: string,
  files: { snapshot: DirectorySnapshot; later: DirectorySnapshot; config: OrgConfig; members: Member[] },
): string[] {
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    emit(io, text, path, '--save');
    written.push(path);
  };
  write(DEMO_FILES.snapshot, canonicalJson(files.snapshot, 2));
  write(DEMO_FILES.later, canonicalJson(files.later, 2));
  write(DEMO_FILES.config, `# The demo's Claude-side config (claude-idp schema config)\n${stringify(files.config)}`);
  write(DEMO_FILES.members, membersCsv(files.members));
  return written;
}
