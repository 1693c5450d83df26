// What --state and the HTML report cost on a large tenant: runs the built CLI on a synthetic
// tenant and prints wall times, the state directory's size and the HTML report's size.
//   npm run build && node scripts/bench-state.mjs [people=20000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotFromTenant, syntheticConfig, syntheticMembers, syntheticTenant } from '@claude-idp/core/testing';

const users = Number(process.argv[2] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), 'claude-idp-bench-state-'));
const tenant = syntheticTenant({
  users,
  groups: Math.max(20, Math.round(users / 50)),
  memberships: users * 3,
  seed: 7,
});
writeFileSync(
  join(dir, 'snap.json'),
  JSON.stringify(snapshotFromTenant(tenant, { capturedAt: '2026-11-20T01:00:00.000Z' })),
);
writeFileSync(join(dir, 'config.json'), JSON.stringify(syntheticConfig(tenant)));
writeFileSync(join(dir, 'members.json'), JSON.stringify(syntheticMembers(tenant)));
const bin = new URL('../packages/cli/dist/bin.js', import.meta.url).pathname;
const base = [
  'audit',
  '--snapshot',
  'snap.json',
  '--config',
  'config.json',
  '--members',
  'members.json',
  '--fail-on',
  'never',
];

function time(label, args) {
  const t = performance.now();
  execFileSync(process.execPath, [bin, ...base, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = Math.round(performance.now() - t);
  console.log(`${label.padEnd(44)} ${String(ms).padStart(7)} ms`);
}
const size = (p) =>
  statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size;

console.log(`claude-idp audit, synthetic tenant of ${users} people (${dir})`);
time('json, no state', ['--format', 'json', '--out', 'a.json']);
time('json, --state (first run)', ['--format', 'json', '--out', 'a.json', '--state', 'state']);
time('json, --state (nothing changed)', ['--format', 'json', '--out', 'a.json', '--state', 'state']);
time('html, no state', ['--format', 'html', '--out', 'a.html']);
console.log(
  `state directory after 2 runs: ${(size(join(dir, 'state')) / 1e6).toFixed(1)} MB; HTML report: ${(size(join(dir, 'a.html')) / 1e6).toFixed(1)} MB`,
);
