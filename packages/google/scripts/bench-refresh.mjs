// Targeted re-read vs full read for Google, against the fake over a real loopback HTTP server
// with a fixed latency per request: prints one JSON line (requests and wall time of a full read,
// of a one-group refresh and of a one-user refresh). Build first: npx turbo run build --filter=@claude-idp/google
// Usage: node packages/google/scripts/bench-refresh.mjs [users=10000] [latencyMs=20]
import { performance } from 'node:perf_hooks';
import { startLoopbackServer, syntheticTenant } from '@claude-idp/core/testing';
import { createGoogleAdapter } from '@claude-idp/google';
import { createGoogleFake } from '@claude-idp/google/testing';

const users = Number(process.argv[2] ?? 10_000);
const latencyMs = Number(process.argv[3] ?? 20);
const tenant = syntheticTenant({
  users,
  groups: Math.max(20, Math.round(users / 50)),
  memberships: users * 5,
  seed: 42,
});
const server = await startLoopbackServer({ latencyMs });
const fake = createGoogleFake(tenant, { baseUrl: server.url });
server.use(fake.handlers);
const env = { ...fake.env };
const adapter = createGoogleAdapter({ env });

const timed = async (run) => {
  fake.kit.requests.length = 0;
  const t0 = performance.now();
  const out = await run();
  return { out, requests: fake.kit.requests.length, wallMs: Math.round(performance.now() - t0) };
};

const full = await timed(() => adapter.readSnapshot({ app: tenant.app.name }));
const previous = full.out;
// One member leaves the biggest group the snapshot holds.
const group = [...previous.groups].sort((a, b) => b.memberUserIds.length - a.memberUserIds.length)[0];
const generic = tenant.groups.find((g) => g.name === group.name);
fake.update((t) => {
  const g = t.groups.find((x) => x.id === generic.id);
  g.memberUserIds = g.memberUserIds.slice(1);
});
const oneGroup = await timed(() =>
  adapter.refreshSnapshot(previous, { targets: [{ kind: 'group', id: group.id }], app: tenant.app.name }),
);
const user = previous.users.find((u) => u.status === 'active');
const oneUser = await timed(() =>
  adapter.refreshSnapshot(oneGroup.out.snapshot, { targets: [{ kind: 'user', id: user.id }], app: tenant.app.name }),
);
await server.close();
console.log(
  JSON.stringify({
    users,
    latencyMs,
    snapshotUsers: previous.users.length,
    snapshotGroups: previous.groups.length,
    full: { requests: full.requests, wallMs: full.wallMs },
    oneGroup: {
      members: group.memberUserIds.length,
      read: oneGroup.out.read,
      requests: oneGroup.requests,
      wallMs: oneGroup.wallMs,
    },
    oneUser: { read: oneUser.out.read, requests: oneUser.requests, wallMs: oneUser.wallMs },
  }),
);
