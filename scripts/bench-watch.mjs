// `claude-idp watch` under a burst of change events: the built CLI in a child process, Okta's fake
// on a loopback server (with Okta's per-minute rate limits), an event hook registered and
// verified as an admin would, then EVENTS tenant changes at a steady rate over DURATION, each
// delivered by the fake as Okta's own event hook request over real HTTP. Prints one JSON object:
// events received, reads done (targeted / full), IdP requests, peak RSS and heap of the watcher,
// the most targets pending at once, and whether Okta's rate limits were respected.
//
//   npm run build && node scripts/bench-watch.mjs                  # 5,000 events in one minute
//   node scripts/bench-watch.mjs --duration 10s --events 500        # a quick check
// Options: --duration 60s, --events 5000, --people 50 (added to the demo org), --latency 20 (ms
// per IdP request), --quiet-period 5s, --max-wait 30s (passed to watch).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { http } from 'msw';
import { cloneTenant, demoConfig, demoMembers, demoTenant, startLoopbackServer } from '@claude-idp/core/testing';
import { OKTA_EVENT_HOOK_EVENT_TYPES } from '@claude-idp/okta';
import { createOktaFake } from '@claude-idp/okta/testing';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60s' },
    events: { type: 'string', default: '5000' },
    'quiet-period': { type: 'string', default: '5s' },
    'max-wait': { type: 'string', default: '30s' },
    latency: { type: 'string', default: '20' },
    people: { type: 'string', default: '50' },
  },
});
const seconds = /^(\d+)s$/.exec(values.duration)?.[1] ?? /^(\d+)m$/.exec(values.duration)?.[1] * 60;
if (!seconds) throw new Error(`--duration takes seconds or minutes (60s, 1m), got ${values.duration}`);
const durationMs = Number(seconds) * 1000;
const events = Number(values.events);

// Okta's per-minute rate-limit buckets (developer.okta.com/docs/reference/rl-global-mgmt/):
// /api/v1/apps/{id}/* share 100/min; the other endpoints read here have 600/min.
const bucketOf = (path) =>
  /^\/api\/v1\/apps\/[^/]+$/.test(path)
    ? ['app', 600]
    : path.startsWith('/api/v1/apps')
      ? ['apps', 100]
      : path.startsWith('/api/v1/groups')
        ? ['groups', 600]
        : path.startsWith('/api/v1/users')
          ? ['users', 600]
          : ['other', 600];

const TOKEN = 'SSWS-bench-token-0000000000000000';
const HOOK_SECRET = 'bench-hook-secret-0000000000';
// The demo org plus `--people` more people in its user group, so a burst touches many users.
const tenant = cloneTenant(demoTenant());
for (const u of tenant.users) if (u.id === 'd01') u.status = 'active';
const people = Number(values.people);
const userGroup = tenant.groups.find((g) => /^anthropic-claudeai-.*-user$/.test(g.name));
for (let i = 0; i < people; i++) {
  const id = `b${String(i).padStart(5, '0')}`;
  const email = `bench.person${i}@northwind.example`;
  tenant.users.push({ id, email, login: email, givenName: 'Bench', familyName: `Person${i}`, status: 'active' });
  userGroup.memberUserIds.push(id);
}
const server = await startLoopbackServer({ latencyMs: Number(values.latency) });
const fake = createOktaFake(tenant, { baseUrl: server.url, apiToken: TOKEN });
const requests = []; // [time, path] of every request the fake answered
server.use([
  http.all('*', ({ request }) => {
    requests.push([Date.now(), new URL(request.url).pathname]);
  }),
  ...fake.handlers,
]);

const dir = mkdtempSync(join(tmpdir(), 'bench-watch-'));
writeFileSync(join(dir, 'config.json'), JSON.stringify(demoConfig('okta')));
writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@claude-idp/cli/package.json')), 'dist', 'bin.js');
const child = spawn(
  process.execPath,
  [
    bin,
    'watch',
    '--idp',
    'okta',
    '--config',
    'config.json',
    '--members',
    'members.json',
    '--listen',
    '127.0.0.1:0',
    '--quiet-period',
    values['quiet-period'],
    '--max-wait',
    values['max-wait'],
    '--log-format',
    'json',
  ],
  {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      OKTA_ORG_URL: server.url,
      OKTA_API_TOKEN: TOKEN,
      OKTA_APP_ID: fake.appId,
      OKTA_EVENT_HOOK_SECRET: HOOK_SECRET,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const lines = [];
let buffered = '';
const waiters = [];
child.stdout.on('data', (d) => {
  buffered += d;
  let i;
  while ((i = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    if (line.startsWith('{')) lines.push(JSON.parse(line));
    for (const w of [...waiters]) w();
  }
});
const exited = new Promise((r) => child.on('close', r));
const waitFor = (test) =>
  new Promise((resolve, reject) => {
    const check = () => {
      const found = lines.find(test);
      if (found) {
        waiters.splice(waiters.indexOf(check), 1);
        resolve(found);
      }
    };
    waiters.push(check);
    exited.then(() => reject(new Error('watch exited early')));
    check();
  });

const listening = await waitFor((l) => /^listening on /.test(l.msg));
const url = /listening on (\S+)/.exec(listening.msg)[1];
await waitFor((l) => /^next periodic full read/.test(l.msg));
const headers = { authorization: `SSWS ${TOKEN}`, 'content-type': 'application/json' };
const hook = await (
  await fetch(`${server.url}/api/v1/eventHooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'bench',
      events: { type: 'EVENT_TYPE', items: OKTA_EVENT_HOOK_EVENT_TYPES },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri: `${url}/events/okta`, authScheme: { type: 'HEADER', key: 'Authorization', value: HOOK_SECRET } },
      },
    }),
  })
).json();
await fetch(`${server.url}/api/v1/eventHooks/${hook.id}/lifecycle/verify`, { method: 'POST', headers });

// The burst, at a steady rate: four changes in five add or remove one person in one of the
// groups (Okta delivers group.user_membership.add / .remove), one in five suspends or
// reactivates a person (user.lifecycle.suspend / .unsuspend).
const baselineRequests = requests.length;
const groups = tenant.groups.map((g) => g.id);
const users = tenant.users.map((u) => u.id);
const started = Date.now();
for (let i = 0; i < events; i++) {
  const due = started + (i * durationMs) / events;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const u = users[(i * 7) % users.length];
  fake.update((t) => {
    if (i % 5 === 4) {
      const user = t.users.find((x) => x.id === u);
      user.status = user.status === 'active' ? 'suspended' : 'active';
      return;
    }
    const group = t.groups.find((x) => x.id === groups[i % groups.length]);
    group.memberUserIds = group.memberUserIds.includes(u)
      ? group.memberUserIds.filter((x) => x !== u)
      : [...group.memberUserIds, u];
  });
}
const deliveries = await fake.events.settled();
const sentMs = Date.now() - started;
// Let the last batch be read (its quiet period, at most max wait), then stop gracefully.
for (let idle = 0; idle < 2; ) {
  await new Promise((r) => setTimeout(r, 1000));
  const ready = await (await fetch(`${url}/readyz`)).json();
  idle = ready.pendingEvents === 0 ? idle + 1 : 0;
}
child.kill('SIGTERM');
await exited;
const stopped = lines.find((l) => /^stopped: /.test(l.msg));
await server.close();

const burst = requests.slice(baselineRequests);
const perBucket = {};
for (const [t, path] of burst) {
  const [bucket, limit] = bucketOf(path);
  const b = (perBucket[bucket] ??= { limit, times: [] });
  b.times.push(t);
}
const maxPerMinute = Object.fromEntries(
  Object.entries(perBucket).map(([bucket, { limit, times }]) => {
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 60_000) j++;
      max = Math.max(max, i - j + 1);
    }
    return [bucket, { maxInAnyMinute: max, limit }];
  }),
);
const delivered = deliveries.filter((d) => d.body.includes('com.okta.event_hook'));
console.log(
  JSON.stringify(
    {
      events: {
        sent: events,
        overMs: sentMs,
        deliveries: delivered.length,
        answered200: delivered.filter((d) => d.status === 200).length,
      },
      received: stopped?.events,
      replaysDropped: stopped?.replaysDropped,
      batches: stopped?.batches,
      reads: stopped?.reads,
      idpRequests: burst.length,
      idpRequestsByBucket: maxPerMinute,
      rateLimitsRespected: Object.values(maxPerMinute).every((b) => b.maxInAnyMinute <= b.limit),
      maxPendingTargets: stopped?.maxPendingTargets,
      peakRssMb: stopped?.peakRssMb,
      peakHeapMb: stopped?.peakHeapMb,
      watcherLogLines: lines.length,
      readLines: lines.filter((l) => l.read).map((l) => `${l.time} ${l.msg} (${l.durationMs} ms)`),
    },
    null,
    2,
  ),
);
