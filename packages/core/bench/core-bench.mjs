#!/usr/bin/env node
/**
 * Core benchmark: `audit` and `plan` over synthetic tenants of 10k and 100k people.
 *
 *   npm run build -w @claude-idp/core && node packages/core/bench/core-bench.mjs [--runs 5] [--sizes 10000,100000] [--inputs parsed|cloned] [--ids short|okta] [--baseline DIR] [--json]
 *
 * `--baseline DIR [--compare-only]`: also measure the core package built in DIR (a checkout of another commit with
 * `packages/core/dist` built, e.g. `git worktree add /tmp/core-base <commit>` then `npm ci` and
 * `npx turbo run build --filter=@claude-idp/core` there), on the same inputs, each size's baseline
 * and current children run back to back; then both builds run in one process, their audit + plan
 * runs alternating on the same inputs, which is the fair ratio on a busy machine.
 *
 * (the root `npm run bench` builds first). Imports the built package (`../dist`), so it measures
 * what users run. Each size runs in its own child process, so "peak RSS" is that size's alone.
 * Inputs (tenant, snapshot, config, members) are generated before timing; each measurement is
 * the median of --runs runs after one warm-up run. Wall time from performance.now(), CPU time
 * (user + system) from process.cpuUsage(). Target (2-core machine): audit + plan under 1 s at
 * 100k people, and 100k costing no more than ~11x 10k.
 *
 * Every run gets its own copy of all three inputs, made before the clock starts (core memoises
 * work per input object, which `audit` then `plan` over the same inputs share, but which a repeat
 * over the same objects must not reuse):
 * - `--inputs parsed` (default): parsed from their JSON text, as the CLI reads them from files and
 *   the adapters from API responses (V8's parser stores short repeated values such as roles and
 *   statuses once, internalised);
 * - `--inputs cloned`: structured clones of the generator's objects, as a caller that builds its
 *   inputs in code would pass them (no string is shared between rows: each is hashed anew).
 *
 * `--ids okta` gives people and groups Okta's 20-character ids (`00u…`, `00g…`) instead of the
 * short `u000001` (default `short`), with the snapshot's people in id order as the Okta adapter
 * writes them. JSON parsers store strings of up to 10 characters once and share them, so short
 * ids make every lookup by id cheaper than on a real tenant (Okta 20 characters, Entra 36,
 * Google 21; OneLogin's are short).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SHAPES = {
  1000: { users: 1000, groups: 40, memberships: 5000 },
  10000: { users: 10_000, groups: 200, memberships: 50_000 },
  50000: { users: 50_000, groups: 1000, memberships: 250_000 },
  100000: { users: 100_000, groups: 2000, memberships: 500_000 },
};
const NOW = '2026-02-10T12:00:00.000Z';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const runs = Number(flag('runs', '5'));
const sizes = String(flag('sizes', '10000,100000')).split(',').map(Number);
const inputsMode = String(flag('inputs', 'parsed'));
const idStyle = String(flag('ids', 'short'));
const baseline = flag('baseline', null);
const distDir = flag('dist', null);
if (idStyle !== 'short' && idStyle !== 'okta') throw new Error(`--ids must be short or okta, not ${idStyle}`);
if (inputsMode !== 'parsed' && inputsMode !== 'cloned')
  throw new Error(`--inputs must be parsed or cloned, not ${inputsMode}`);

if (args[0] === '--child') await child(Number(args[1]));
else if (args[0] === '--compare-child') await compareChild(Number(args[1]));
else parent();

function parent() {
  const self = fileURLToPath(import.meta.url);
  const results = [];
  const run = (size, dist) => {
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        self,
        '--child',
        String(size),
        '--runs',
        String(runs),
        '--inputs',
        inputsMode,
        '--ids',
        idStyle,
        ...(dist ? ['--dist', dist] : []),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    return JSON.parse(out.trim().split('\n').at(-1));
  };
  // `--compare-only`: with --baseline, skip the separate processes (no RSS figures).
  for (const size of args.includes('--compare-only') ? [] : sizes) {
    if (baseline) results.push({ ...run(size, resolve(baseline, 'packages/core/dist')), build: 'baseline' });
    results.push({ ...run(size, null), build: baseline ? 'this tree' : undefined });
  }
  // With a baseline, the fair comparison on a busy machine: both builds in one process, their runs
  // alternating (baseline, this tree, baseline, …) on the same inputs, so both see the same load.
  const compared = [];
  if (baseline) {
    for (const size of sizes) {
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          self,
          '--compare-child',
          String(size),
          '--runs',
          String(runs),
          '--inputs',
          inputsMode,
          '--ids',
          idStyle,
          '--dist',
          resolve(baseline, 'packages/core/dist'),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
      );
      compared.push(JSON.parse(out.trim().split('\n').at(-1)));
    }
  }
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;
  if (args.includes('--json')) {
    console.log(
      JSON.stringify(
        { machine, date: new Date().toISOString(), runs, inputs: inputsMode, ids: idStyle, results },
        null,
        2,
      ),
    );
    return;
  }
  const ms = (x) => (x === null ? 'n/a' : `${x.toFixed(0)} ms`);
  console.log(`claude-idp core bench — ${machine}`);
  console.log(
    `median of ${runs} runs after a warm-up; inputs generated before timing; each run on its own copy of the inputs, ${inputsMode === 'parsed' ? 'parsed from JSON text (--inputs parsed)' : 'structured clones (--inputs cloned)'}; ${idStyle} ids`,
  );
  console.log(
    `1-minute load average during the runs: ${results.map((r) => r.loadavg.toFixed(1)).join(', ')} (other processes on the machine inflate wall time)\n`,
  );
  const head = [
    ...(baseline ? ['build'] : []),
    'people',
    'groups',
    'memberships',
    'snapshot users/groups',
    'actions',
    'findings',
    'audit wall/cpu',
    'plan wall/cpu',
    'audit+plan wall/cpu',
    'peak RSS',
  ];
  const rows = results.map((r) =>
    [
      ...(baseline ? [r.build] : []),
      r.users,
      r.groups,
      r.memberships,
      `${r.snapshotUsers}/${r.snapshotGroups}`,
      r.actions,
      r.findings ?? 'n/a',
      r.audit ? `${ms(r.audit.wall)} / ${ms(r.audit.cpu)}` : 'n/a (no audit export yet)',
      `${ms(r.plan.wall)} / ${ms(r.plan.cpu)}`,
      `${ms(r.both.wall)} / ${ms(r.both.cpu)}`,
      `${r.peakRssMiB.toFixed(0)} MiB (inputs ${r.inputsRssMiB.toFixed(0)} MiB)`,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  if (baseline) {
    for (const size of sizes) {
      const b = results.find((r) => r.users === size && r.build === 'baseline');
      const c = results.find((r) => r.users === size && r.build === 'this tree');
      if (b && c)
        console.log(
          `${size}: separate processes, this tree / baseline: audit+plan wall ${(c.both.wall / b.both.wall).toFixed(2)}x, cpu ${(c.both.cpu / b.both.cpu).toFixed(2)}x, peak RSS ${(c.peakRssMiB / b.peakRssMiB).toFixed(2)}x`,
        );
    }
    for (const c of compared) {
      console.log(
        `${c.users}: alternating in one process (median of ${runs} each): audit+plan wall baseline ${ms(c.baseline.wall)}, this tree ${ms(c.current.wall)} (${(c.current.wall / c.baseline.wall).toFixed(2)}x); cpu baseline ${ms(c.baseline.cpu)}, this tree ${ms(c.current.cpu)} (${(c.current.cpu / c.baseline.cpu).toFixed(2)}x); load ${c.loadavg.toFixed(1)}`,
      );
    }
  }
  const small = results.find((r) => r.users === 10_000 && r.build !== 'baseline');
  const big = results.find((r) => r.users === 100_000 && r.build !== 'baseline');
  if (small && big) {
    const ratio = (k) =>
      big[k] && small[k]
        ? `${(big[k].wall / small[k].wall).toFixed(1)}x wall, ${(big[k].cpu / small[k].cpu).toFixed(1)}x cpu`
        : 'n/a';
    console.log(`\n100k / 10k: audit ${ratio('audit')}; plan ${ratio('plan')}; audit+plan ${ratio('both')}`);
    const ok = big.both.wall < 1000 && big.both.wall / small.both.wall <= 11;
    console.log(`target (audit+plan < 1 s at 100k, <= ~11x 10k): ${ok ? 'met' : 'NOT met'}`);
  }
}

async function child(size) {
  const shape = SHAPES[size] ?? { users: size, groups: Math.max(20, Math.round(size / 50)), memberships: size * 5 };
  const dist = distDir ? pathToFileURL(`${distDir}/`).href : new URL('../dist/', import.meta.url).href;
  const core = await import(`${dist}index.js`);
  // The inputs always come from this tree's generator, so both builds see the same tenant.
  const testing = await import('../dist/testing.js');
  const audit = typeof core.audit === 'function' ? core.audit : null;

  const inputs = (s) => {
    const tenant = testing.syntheticTenant({ ...s, seed: 42, ids: idStyle });
    const made = {
      snapshot: testing.snapshotFromTenant(tenant),
      config: testing.syntheticConfig(tenant),
      members: testing.syntheticMembers(tenant),
    };
    // People in id order, as the adapters write them (Okta, Entra); short ids are in that order already.
    made.snapshot.users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { tenant, ...made };
  };
  const runAudit = (x) =>
    audit({
      snapshot: x.snapshot,
      config: x.config,
      members: x.members,
      now: new Date(NOW),
      ...(x.cache ? { cache: x.cache } : {}),
    });
  const runPlan = (x) =>
    core.plan({
      snapshot: x.snapshot,
      config: x.config,
      members: x.members,
      now: NOW,
      ...(x.cache ? { cache: x.cache } : {}),
    });

  // Warm-up on a small tenant (JIT), then the real inputs.
  const warm = inputs(SHAPES[1000]);
  if (audit) runAudit(warm);
  runPlan(warm);
  const x = inputs(shape);
  delete x.tenant; // only the snapshot, config and members stay alive, as in a scheduled job
  globalThis.gc?.();
  const inputsRss = process.memoryUsage().rss;

  // Each run gets fresh copies of all three inputs (made before the clock starts): core memoises
  // work per input object (the directory index and access resolution per snapshot, addresses and
  // the split by org per member list), which `audit` and `plan` over the same inputs legitimately
  // share, but a repeated run over the same objects would not pay for it.
  const text =
    inputsMode === 'parsed' ? JSON.stringify({ snapshot: x.snapshot, config: x.config, members: x.members }) : null;
  const copy = () =>
    text !== null ? JSON.parse(text) : structuredClone({ snapshot: x.snapshot, config: x.config, members: x.members });
  const measure = (fn) => {
    const walls = [];
    const cpus = [];
    let result;
    fn(copy()); // warm-up at this size
    for (let i = 0; i < runs; i++) {
      const fresh = copy();
      globalThis.gc?.();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      result = fn(fresh);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      walls.push(wall);
      cpus.push((c.user + c.system) / 1000);
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { wall: median(walls), cpu: median(cpus), result };
  };

  const a = audit ? measure((y) => runAudit(y)) : null;
  const p = measure((y) => runPlan(y));
  // audit then plan over the same inputs, sharing one cache (`createEngineCache`; builds without
  // it shared their work through module-level caches).
  const both = measure((y) => {
    const cache = core.createEngineCache?.();
    const z = cache ? { ...y, cache } : y;
    return (audit ? [runAudit(z), runPlan(z)] : [null, runPlan(z)])[1];
  });
  const plan = p.result;
  const findings = a ? (a.result.findings?.length ?? null) : null;
  const loadavg = (await import('node:os')).loadavg()[0];
  console.log(
    JSON.stringify({
      ...shape,
      snapshotUsers: x.snapshot.users.length,
      snapshotGroups: x.snapshot.groups.length,
      members: x.members.length,
      actions: plan.orgs.reduce((n, o) => n + o.actions.length, 0),
      totals: plan.orgs.map((o) => o.totals),
      guards: plan.guards.map((g) => g.code),
      findings,
      audit: a && { wall: a.wall, cpu: a.cpu },
      plan: { wall: p.wall, cpu: p.cpu },
      both: { wall: both.wall, cpu: both.cpu },
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      inputsRssMiB: inputsRss / 2 ** 20,
      loadavg,
    }),
  );
}

/** Both builds in one process on the same inputs, runs alternating; prints one JSON line. */
async function compareChild(size) {
  const shape = SHAPES[size] ?? { users: size, groups: Math.max(20, Math.round(size / 50)), memberships: size * 5 };
  const current = await import('../dist/index.js');
  const base = await import(`${pathToFileURL(`${distDir}/`).href}index.js`);
  const testing = await import('../dist/testing.js');
  const tenant = testing.syntheticTenant({ ...shape, seed: 42, ids: idStyle });
  const made = {
    snapshot: testing.snapshotFromTenant(tenant),
    config: testing.syntheticConfig(tenant),
    members: testing.syntheticMembers(tenant),
  };
  made.snapshot.users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const text = JSON.stringify(made);
  const copy = () => (inputsMode === 'parsed' ? JSON.parse(text) : structuredClone(made));
  const both = (core, x) => {
    const cache = core.createEngineCache?.();
    const y = cache ? { ...x, cache } : x;
    core.audit({
      snapshot: y.snapshot,
      config: y.config,
      members: y.members,
      now: new Date(NOW),
      ...(cache ? { cache } : {}),
    });
    return core.plan({
      snapshot: y.snapshot,
      config: y.config,
      members: y.members,
      now: NOW,
      ...(cache ? { cache } : {}),
    });
  };
  const time = (core) => {
    const x = copy();
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    both(core, x);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 };
  };
  time(base);
  time(current); // warm-up of each
  const b = [];
  const c = [];
  for (let i = 0; i < runs; i++) {
    b.push(time(base));
    c.push(time(current));
  }
  const median = (xs, k) => xs.map((x) => x[k]).sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const loadavg = (await import('node:os')).loadavg()[0];
  console.log(
    JSON.stringify({
      users: shape.users,
      baseline: { wall: median(b, 'wall'), cpu: median(b, 'cpu') },
      current: { wall: median(c, 'wall'), cpu: median(c, 'cpu') },
      loadavg,
    }),
  );
}
