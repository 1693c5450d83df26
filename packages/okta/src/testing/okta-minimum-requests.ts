import { groupsToRead, type GenericTenant } from '@claude-idp/core/testing';
import { IDS_PER_FILTER, PAGE } from '../okta-api-facts';

const pages = (items: number, max: number) => Math.max(1, Math.ceil(items / max));

/**
 * The requests a snapshot of `tenant` takes at Okta's maximum page sizes, read by app id — the
 * adapter's exact plan, for the benchmark: Σ ceil(items / max page) over the listings, plus the
 * fixed calls (the app, its features, the To-App mapping list and the mapping itself, the Group
 * Push listing when the app pushes groups) and the end checks (`after=<last id>` on the app-user and
 * `anthropic-` group listings). Group member listings are checked against `usersCount` at no cost.
 */
/**
 * A listing checked with `after=<last id>` needs that extra request only when its last page is
 * full: a shorter last page already proves the end (Okta fills every page up to the limit asked).
 */
const endCheck = (n: number, size: number) => (n > 0 && n % size === 0 ? 1 : 0);

export function oktaMinimumRequests(tenant: GenericTenant): number {
  const groups = groupsToRead(tenant, { nesting: false });
  const anthropic = tenant.groups.filter((g) => g.name.toLowerCase().startsWith('anthropic-'));
  const anthropicIds = new Set(anthropic.map((g) => g.id));
  const assigned = new Set(tenant.assignments.groupIds);
  const viaGroups = new Set(tenant.groups.filter((g) => assigned.has(g.id)).flatMap((g) => g.memberUserIds));
  const appUsers = new Set([...tenant.assignments.userIds, ...viaGroups]).size;
  const covered = new Set(groups.flatMap((g) => g.memberUserIds));
  const uncovered = new Set(tenant.assignments.userIds.filter((u) => !covered.has(u))).size;
  const otherAssigned = tenant.assignments.groupIds.filter((g) => !anthropicIds.has(g)).length;
  // Group Push is read only when provisioning is on and the app has the GROUP_PUSH feature.
  const pushes = tenant.app.scim?.enabled ? tenant.app.scim.pushedGroupIds : undefined;
  const pushed = pushes ? pages(pushes.length, PAGE.groupPush.max) : 0;
  return (
    1 + // GET /api/v1/apps/{id}
    1 + // GET /api/v1/apps/{id}/features
    2 + // GET /api/v1/mappings?targetId= and GET /api/v1/mappings/{id}
    pushed +
    pages(appUsers, PAGE.appUsers.max) +
    endCheck(appUsers, PAGE.appUsers.max) +
    pages(tenant.assignments.groupIds.length, PAGE.appGroups.max) +
    pages(anthropic.length, PAGE.groups.max) +
    endCheck(anthropic.length, PAGE.groups.max) +
    Math.ceil(otherAssigned / IDS_PER_FILTER) +
    groups.reduce((n, g) => n + pages(g.memberUserIds.length, PAGE.groupUsers.max), 0) +
    Math.ceil(uncovered / IDS_PER_FILTER)
  );
}
