// `npm test`: every package's tests through turbo, then their total as one plain last line:
// "tests: N passed, N failed, N skipped". `node scripts/test-summary.mjs` alone prints the total of
// the last run. Exit 1 when a test failed or a package left no results.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

const run = process.argv.includes('--run');
let turboStatus = 0;
if (run) {
  // Results of an earlier run must not count (turbo restores them on a cache hit).
  for (const name of readdirSync('packages')) rmSync(`packages/${name}/.vitest-results.json`, { force: true });
  const turbo = spawnSync('turbo', ['run', 'test', '--concurrency=2', '--continue'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  turboStatus = turbo.status ?? 1;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const name of readdirSync('packages')) {
  const file = `packages/${name}/.vitest-results.json`;
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (missing.length) console.log(`no test results for: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (turboStatus !== 0 || failed > 0 || missing.length > 0 || passed === 0) process.exitCode = 1;
