// One adapter, one tenant size: serve the synthetic tenant from the adapter's fake over a real
// loopback HTTP server with a fixed latency per request, read it through the real adapter, and
// print one JSON line of figures. Run by scripts/bench.mjs in a fresh process per case, so peak
// RSS belongs to this case alone.
import { performance } from 'node:perf_hooks';
import { startLoopbackServer, syntheticTenant } from '@claude-idp/core/testing';
import { connectToFake } from '@claude-idp/cli';

const [idp, usersArg, latencyArg] = process.argv.slice(2);
const users = Number(usersArg);
const latencyMs = Number(latencyArg ?? 20);
const groups = Math.max(20, Math.round(users / 50));
const memberships = users * 5;

const minimumOf = {
  okta: async () => (await import('@claude-idp/okta/testing')).oktaMinimumRequests,
  entra: async () => (await import('@claude-idp/entra/testing')).entraMinimumRequests,
  google: async () => (await import('@claude-idp/google/testing')).googleMinimumRequests,
  onelogin: async () => (await import('@claude-idp/onelogin/testing')).oneloginMinimumRequests,
};
// Published rate limits, requests per second (see each adapter's README for the source).
// The budgets as the adapters' READMEs give them, with what the adapter does about each.
const vendorLimit = {
  okta: '/api/v1/apps/* share one bucket of 100/min; paced by X-Rate-Limit-* headers',
  entra: 'Graph throttles per app and tenant (429 + Retry-After); 20 requests per $batch',
  google: '2,400 queries/min per user (default quota); paced by a limiter',
  onelogin: '5,000 calls/hour per account (v1); X-RateLimit-* honoured',
};

const genStart = performance.now();
const tenant = syntheticTenant({ users, groups, memberships, seed: 42 });
const genMs = performance.now() - genStart;
const server = await startLoopbackServer({ latencyMs });
const { fake, adapter } = await connectToFake(idp, tenant, server.url);
server.use(fake.handlers);
const minimum = (await minimumOf[idp]())(tenant);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const snapshot = await adapter.readSnapshot({ app: tenant.app.name });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await server.close();
const requests = fake.kit.requests.length;
console.log(
  JSON.stringify({
    idp,
    users,
    groups,
    memberships,
    snapshotUsers: snapshot.users.length,
    snapshotGroups: snapshot.groups.length,
    requests,
    minimum,
    ratio: Math.round((requests / minimum) * 1000) / 1000,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    reqPerSec: Math.round((requests / wallMs) * 1000 * 10) / 10,
    latencyMs,
    generateMs: Math.round(genMs),
    vendorLimit: vendorLimit[idp],
  }),
);
