// `npm run bench`: prints the figures of docs/performance.md.
// 1. core: audit + plan at 10k and 100k people (packages/core/bench/core-bench.mjs);
// 2. each adapter reading a synthetic tenant at 1k, 10k and 50k people from its fake over
//    loopback HTTP with 20 ms added latency per request: requests made vs the minimum
//    (what a correct reader must ask: see docs/performance.md), wall and CPU time, peak RSS.
// Options: --only core|adapters, --sizes 1000,10000 (adapters), --idps okta,entra, --latency 20,
// --inputs parsed|cloned and --ids short|okta (core; by default both id styles, parsed inputs)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const only = opt('only', 'all');
const sizes = opt('sizes', '1000,10000,50000').split(',').map(Number);
const idps = opt('idps', 'okta,entra,google,onelogin').split(',');
const latency = opt('latency', '20');
const root = fileURLToPath(new URL('..', import.meta.url));

console.log(
  `claude-idp bench · ${new Date().toISOString().slice(0, 10)} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB`,
);

if (only === 'all' || only === 'core') {
  console.log('\n## core: audit + plan');
  const inputs = [
    '--inputs',
    opt('inputs', 'parsed'),
    ...(opt('baseline') ? ['--baseline', opt('baseline')] : []),
    ...(opt('runs') ? ['--runs', opt('runs')] : []),
  ];
  for (const ids of opt('ids', 'short,okta').split(',')) {
    console.log(`\n### ${ids} ids`);
    execFileSync(process.execPath, ['--expose-gc', 'packages/core/bench/core-bench.mjs', ...inputs, '--ids', ids], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}

if (only === 'all' || only === 'adapters') {
  console.log(`\n## adapters: synthetic tenant over loopback HTTP, ${latency} ms latency per request`);
  const header = [
    'idp',
    'people',
    'groups',
    'memberships',
    'requests',
    'minimum',
    'ratio',
    'wall ms',
    'cpu ms',
    'peak RSS MB',
    'req/s',
    'vendor limit',
  ];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  let failed = false;
  for (const idp of idps) {
    for (const size of sizes) {
      const r = spawnSync(process.execPath, ['scripts/bench-adapter.mjs', idp, String(size), latency], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 16 * 2 ** 20,
      });
      if (r.status !== 0) {
        failed = true;
        console.log(`| ${idp} | ${size} | failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')} |`);
        continue;
      }
      const x = JSON.parse(r.stdout.trim().split('\n').pop());
      console.log(
        `| ${x.idp} | ${x.users} | ${x.groups} | ${x.memberships} | ${x.requests} | ${x.minimum} | ${x.ratio} | ${x.wallMs} | ${x.cpuMs} | ${x.peakRssMb} | ${x.reqPerSec} | ${x.vendorLimit} |`,
      );
    }
  }
  if (failed) process.exitCode = 1;
}
