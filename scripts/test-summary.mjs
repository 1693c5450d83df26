// Prints the total of every package's vitest run as one plain line: "N passed, N failed, N skipped".
import { existsSync, readFileSync, readdirSync } from 'node:fs';

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
if (failed > 0 || missing.length > 0 || passed === 0) process.exitCode = 1;
