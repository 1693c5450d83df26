import type { GenericTenant } from '@claude-idp/core/testing';
import { GOOGLE_PAGE_SIZES } from '../google-limits';
import { orgUnitOf, CLAUDE_ORG_UNIT } from './google-fake-store';

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/**
 * The fewest Directory API requests that read `tenant` (served by the fake, declared by
 * `googleDeclarationFor`) at the maximum page sizes: the user list (500 a page), the declared
 * org unit's users, the two `anthropic-` group queries (200), one get per declared or nested
 * group the queries did not return, and each group's direct members (200). For the benchmark.
 */
export function googleMinimumRequests(t: GenericTenant): number {
  const prefixed = (s: string) => s.toLowerCase().startsWith('anthropic-');
  const byPrefix = t.groups.filter((g) => prefixed(g.name));
  let requests = pages(t.users.length, GOOGLE_PAGE_SIZES.users);
  if (t.assignments.userIds.length)
    requests += pages(t.users.filter((u) => orgUnitOf(t, u) === CLAUDE_ORG_UNIT).length, GOOGLE_PAGE_SIZES.users);
  requests += 2 * pages(byPrefix.length, GOOGLE_PAGE_SIZES.groups);
  const read = new Set(byPrefix.map((g) => g.id));
  const byId = new Map(t.groups.map((g) => [g.id, g]));
  let frontier = [...new Set(t.assignments.groupIds)].filter((id) => !read.has(id) && byId.has(id));
  requests += frontier.length;
  frontier.forEach((id) => read.add(id));
  frontier = [...read];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      const g = byId.get(id)!;
      requests += pages(g.memberUserIds.length + g.memberGroupIds.length, GOOGLE_PAGE_SIZES.members);
      for (const child of g.memberGroupIds)
        if (!read.has(child) && byId.has(child)) read.add(child), next.push(child), requests++;
    }
    frontier = next;
  }
  return requests;
}
