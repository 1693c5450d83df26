import { usersToRead, type GenericTenant } from '@claude-idp/core/testing';
import { PAGE_LIMITS } from '../onelogin-api-facts';

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/**
 * The fewest requests a complete read of `tenant` can take at OneLogin's maximum page sizes, for
 * the benchmark (what `createOneLoginAdapter` does, with client credentials and the app by id):
 * 1 token, 1 app, the roles listing (with `fields=users`, it carries each role's member ids), the
 * app's users, the v1 groups listing, and the reached users in chunks of `user_ids`. A generic tenant has no v1 groups, so no
 * full user listing is needed.
 */
export function oneloginMinimumRequests(tenant: GenericTenant): number {
  const roles = tenant.groups.length;
  const assigned = new Set(tenant.assignments.groupIds);
  const viaRoles = new Set(tenant.groups.filter((g) => assigned.has(g.id)).flatMap((g) => g.memberUserIds));
  const appUsers = new Set([...viaRoles, ...tenant.assignments.userIds]).size;
  const users = usersToRead(tenant, { nesting: false }).length;
  return (
    1 + // POST /auth/oauth2/v2/token
    1 + // GET /api/2/apps/{id}
    pages(roles, PAGE_LIMITS.roles) +
    pages(appUsers, PAGE_LIMITS.appUsers) +
    1 + // GET /api/1/groups (none in a generic tenant)
    Math.ceil(users / PAGE_LIMITS.users)
  );
}
