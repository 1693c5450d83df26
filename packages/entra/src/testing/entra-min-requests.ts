import type { GenericTenant } from '@claude-idp/core/testing';

const PAGE = 999; // Graph's maximum $top for users, groups, members, service principals
const BATCH = 20; // requests per JSON batch
const IN_LIMIT = 15; // ids per `id in (...)` filter

/**
 * A lower bound on the HTTP requests a complete snapshot of `tenant` needs at Graph's maximum
 * page size (999) and with JSON batching (20 per `$batch`), for benchmarks.
 *
 * The reads form dependent rounds: (1) find the service principal; (2) the assignments, the
 * `anthropic-` groups, the claims-mapping policies and the provisioning jobs (v1.0), and the beta
 * claims policy, which cannot share a v1.0 batch; (3) the job's schema, the first page of every
 * group to read and the directly assigned people (15 ids per request); then next pages (999
 * members each) and nested groups as they are discovered. The v1.0 part costs at least one request
 * per round on the longest chain and at least ceil(items / 20) overall; the bound is
 * 1 (service principal) + 1 (beta claims policy) + the larger of the two.
 */
export function entraMinimumRequests(tenant: GenericTenant): number {
  const rounds = new Map<number, { v1: number; beta: number }>();
  const add = (round: number, version: 'v1' | 'beta' = 'v1') => {
    const r = rounds.get(round) ?? { v1: 0, beta: 0 };
    r[version]++;
    rounds.set(round, r);
  };
  /** A paged listing: one item per round, starting at `start`; returns the round after its last page. */
  const listing = (start: number, items: number) => {
    const pages = Math.max(1, Math.ceil(items / PAGE));
    for (let i = 0; i < pages; i++) add(start + i);
    return start + pages;
  };
  add(1); // servicePrincipals?$filter=...
  add(2, 'beta'); // claimsPolicy
  listing(2, 0); // claimsMappingPolicies
  listing(2, 0); // synchronization/jobs
  if (tenant.app.scim) add(3); // the job's schema
  const prefix = tenant.groups.filter((g) => g.name.toLowerCase().startsWith('anthropic-'));
  const afterAssignments = listing(2, tenant.assignments.userIds.length + tenant.assignments.groupIds.length);
  const afterPrefix = listing(2, prefix.length);
  const start = Math.max(afterAssignments, afterPrefix);
  for (let i = 0; i < Math.ceil(tenant.assignments.userIds.length / IN_LIMIT); i++) add(start);
  // Groups: assigned ones and `anthropic-` ones from `start`; a nested group once its parent's listing ends.
  const byId = new Map(tenant.groups.map((g) => [g.id, g]));
  const begins = new Map<string, number>();
  for (const id of [...tenant.assignments.groupIds, ...prefix.map((g) => g.id)])
    if (byId.has(id)) begins.set(id, start);
  const queue = [...begins.keys()];
  while (queue.length) {
    queue.sort((a, b) => begins.get(a)! - begins.get(b)!);
    const g = byId.get(queue.shift()!)!;
    const nested = g.memberGroupIds.filter((id) => byId.has(id));
    const end = listing(begins.get(g.id)!, g.memberUserIds.length + nested.length);
    for (const child of nested) {
      if (!begins.has(child)) {
        begins.set(child, end);
        queue.push(child);
      }
    }
  }
  const v1Rounds = [...rounds.entries()].filter(([round, r]) => round > 1 && r.v1 > 0);
  const items = v1Rounds.reduce((n, [, r]) => n + r.v1, 0);
  const depth = v1Rounds.length ? Math.max(...v1Rounds.map(([round]) => round)) - 1 : 0;
  return 1 + 1 + Math.max(depth, Math.ceil(items / BATCH));
}
