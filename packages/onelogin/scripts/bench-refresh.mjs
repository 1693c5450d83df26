// Targeted re-reads against full reads, for OneLogin: serve a synthetic tenant from the fake over
// a real loopback HTTP server (fixed latency per request), read it in full once, then for each kind
// of change apply it to the fake, turn the fake's own webhook events into targets as the receiver
// does, coalesce them (core's ChangeQueue) and refresh. Prints one JSON line per case: requests and
// wall time of the refresh against a full read of the same tenant, and whether the refreshed
// snapshot equals that full read (capturedAt and group order aside).
//
//   npm run build --workspace @claude-idp/onelogin   (and its dependencies)
//   node packages/onelogin/scripts/bench-refresh.mjs [users=10000] [latencyMs=20]
import { performance } from 'node:perf_hooks';
import { ChangeQueue } from '@claude-idp/core';
import { startLoopbackServer, syntheticTenant } from '@claude-idp/core/testing';
import { createOneLoginAdapter, oneLoginEventTargets, OneLoginWebhookEventSchema } from '@claude-idp/onelogin';
import { createOneLoginFake } from '@claude-idp/onelogin/testing';

const users = Number(process.argv[2] ?? 10_000);
const latencyMs = Number(process.argv[3] ?? 20);
const tenant = syntheticTenant({
  users,
  groups: Math.max(20, Math.round(users / 50)),
  memberships: users * 5,
  seed: 42,
});
const server = await startLoopbackServer({ latencyMs });
const fake = createOneLoginFake(tenant, { baseUrl: server.url });
server.use(fake.handlers);
const adapter = createOneLoginAdapter({ env: { ...fake.env, ONELOGIN_APP_ID: fake.appId } });

const timed = async (run) => {
  fake.kit.reset();
  const t0 = performance.now();
  const value = await run();
  return { value, ms: Math.round(performance.now() - t0), requests: fake.kit.requests.length };
};
const comparable = (s) => ({ ...s, capturedAt: '', groups: [...s.groups].sort((a, b) => a.id.localeCompare(b.id)) });

let previous = (await timed(() => adapter.readSnapshot())).value;
const assigned = () => fake.tenant.groups.filter((g) => fake.tenant.assignments.groupIds.includes(g.id));
const unassigned = () => fake.tenant.groups.filter((g) => !fake.tenant.assignments.groupIds.includes(g.id));
const outsider = (g) => fake.tenant.users.find((u) => !g.memberUserIds.includes(u.id));

const cases = {
  'one member added to an assigned role': (t) => {
    const g = t.groups.find((x) => x.id === assigned()[0].id);
    g.memberUserIds.push(outsider(g).id);
  },
  'one member removed from an assigned role': (t) => {
    t.groups.find((x) => x.id === assigned()[1].id).memberUserIds.shift();
  },
  'one person suspended': (t) => {
    const email = previous.users.find((u) => u.status === 'active').email;
    t.users.find((x) => x.email === email).status = 'suspended';
  },
  'the app assigned to one more role': (t) => {
    t.assignments.groupIds.push(unassigned()[0].id);
  },
  '50 members added across 10 roles': (t) => {
    for (const a of assigned().slice(0, 10)) {
      const g = t.groups.find((x) => x.id === a.id);
      for (const u of t.users.filter((x) => !g.memberUserIds.includes(x.id)).slice(0, 5)) g.memberUserIds.push(u.id);
    }
  },
};

const full = await timed(() => adapter.readSnapshot());
console.log(JSON.stringify({ case: 'full read', users, latencyMs, requests: full.requests, ms: full.ms }));
for (const [name, change] of Object.entries(cases)) {
  const from = fake.events.events.length;
  fake.update(change);
  const queue = new ChangeQueue();
  for (const e of fake.events.events.slice(from)) {
    const event = OneLoginWebhookEventSchema.parse(e);
    queue.add(
      {
        source: 'onelogin',
        id: event.uuid ?? null,
        type: '',
        at: null,
        summary: '',
        targets: oneLoginEventTargets(event, Number(fake.appId)),
      },
      new Date(),
    );
  }
  const batch = queue.take();
  const refreshed = await timed(() => adapter.refreshSnapshot(previous, { targets: batch.targets }));
  const fresh = await timed(() => adapter.readSnapshot());
  const equal = JSON.stringify(comparable(refreshed.value.snapshot)) === JSON.stringify(comparable(fresh.value));
  console.log(
    JSON.stringify({
      case: name,
      events: batch.events,
      targets: batch.targets.length,
      read: refreshed.value.read,
      requests: refreshed.requests,
      ms: refreshed.ms,
      fullReadRequests: fresh.requests,
      fullReadMs: fresh.ms,
      equal,
    }),
  );
  previous = fresh.value;
}
await server.close();
