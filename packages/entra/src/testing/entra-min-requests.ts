import type { GenericTenant } from '@claude-idp/core/testing';

const PAGE = 999; // Graph's maximum $top for users, groups, members, service principals
const BATCH = 20; // requests per JSON batch
const IN_LIMIT = 15; // ids per `id in (...)` filter

/**
 * The fewest HTTP requests a complete snapshot of `tenant` needs with the adapter's plan at
 * Graph's maximum page size (999) and with JSON batching (20 per `$batch`), for benchmarks.
 *
 * Reads depend on each other, so requests go in rounds: (1) find the service principal;
 * (2) one batch with the assignments, the `anthropic-` groups, the claims-mapping policies and the
 * provisioning jobs, plus the beta claims policy on its own (a beta request cannot share a v1.0
 * batch); (3) the job's schema, the first page of every group to read and the directly assigned
 * people (15 per request); then further pages and nested groups as they are discovered. A round
 * costs ceil(items / 20) requests. The count assumes answers of one round arrive together.
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
  for (const id of [...tenant.assignments.groupIds, ...prefix.map((g) => g.id)]) if (byId.has(id)) begins.set(id, start);
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
  let total = 0;
  for (const r of rounds.values()) total += Math.ceil(r.v1 / BATCH) + Math.ceil(r.beta / BATCH);
  return total;
}
