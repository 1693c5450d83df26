/**
 * Okta Management API facts this package relies on, each with its source (Okta OpenAPI spec
 * `oas-spec/management.yaml` in okta/okta-sdk-nodejs; developer.okta.com rate-limit pages).
 * The fake serves the same limits, so the two cannot drift apart silently.
 */

/** Largest `limit` each listing accepts (spec `maximum`), the smallest where Okta sets one. */
export const PAGE = {
  /** GET /api/v1/apps: maximum 200. */
  apps: { max: 200, min: 1 },
  /** GET /api/v1/apps/{id}/users: `queryAppLimit` min 1, max 500, default 50. */
  appUsers: { max: 500, min: 1 },
  /** GET /api/v1/apps/{id}/groups: `queryGroupAssignmentLimit` min 20, max 200, default 20. */
  appGroups: { max: 200, min: 20 },
  /**
   * GET /api/v1/groups: spec maximum 10000, but Okta "recommends using a specific value other than
   * the default or maximum" and 200 in its guides; the `anthropic-` groups are few, so 200 costs nothing.
   */
  groups: { max: 200, min: 1 },
  /** GET /api/v1/groups/{id}/users: default 1000, no maximum in the spec (Okta suggests 200 for slow orgs). */
  groupUsers: { max: 1000, min: 1 },
  /** GET /api/v1/users: default (and, per Okta's pagination guide, maximum) 200. */
  users: { max: 200, min: 1 },
  /** GET /api/v1/mappings: default 20, maximum 200. */
  mappings: { max: 200, min: 1 },
  /** GET /api/v1/apps/{id}/group-push/mappings: default 100, maximum 1000. */
  groupPush: { max: 1000, min: 1 },
} as const;

/** How many `id eq "…"` clauses go in one `filter` (the URL stays ~2 KB; a 400 halves the batch). */
export const IDS_PER_FILTER = 50;

/** Scope each API family needs (OAuth service app), named in PermissionError. */
export function scopeFor(pathname: string, method = 'GET'): string[] {
  // Event hooks (spec EventHookApi): listing and reading need okta.eventHooks.read, the rest .manage.
  if (pathname.startsWith('/api/v1/eventHooks'))
    return method === 'GET' ? ['okta.eventHooks.read'] : ['okta.eventHooks.manage'];
  if (/\/group-push\//.test(pathname)) return ['okta.apps.read', 'okta.groups.read'];
  if (pathname.startsWith('/api/v1/apps')) return ['okta.apps.read'];
  if (pathname.startsWith('/api/v1/groups')) return ['okta.groups.read'];
  if (pathname.startsWith('/api/v1/users')) return ['okta.users.read'];
  if (pathname.startsWith('/api/v1/mappings')) return ['okta.profileMappings.read'];
  return [];
}

/** Every scope a snapshot needs, least privilege (read-only). */
export const OKTA_SCOPES = [
  'okta.apps.read',
  'okta.groups.read',
  'okta.users.read',
  'okta.profileMappings.read',
] as const;

/** The least-privileged standard admin role that can read all of the above. */
export const OKTA_ADMIN_ROLE = 'Read-Only Administrator';

export type RateBucket = 'apps' | 'app' | 'groups' | 'users' | 'mappings' | 'oauth' | 'other';

/**
 * Okta's per-minute org buckets (developer.okta.com/docs/reference/rl-global-mgmt):
 * `/api/v1/apps` and everything under `/api/v1/apps/*` (users, groups, features, push mappings)
 * share ONE small bucket (100/min, 20 on free orgs); `/api/v1/apps/{id}` exactly has its own.
 * `/api/v1/groups/{id}/users` and `/api/v1/mappings` are not in the table: they are kept in the
 * groups / their own bucket here, and the pacer trusts whatever X-Rate-Limit-* headers come back.
 */
export function rateBucket(pathname: string): RateBucket {
  if (/^\/api\/v1\/apps\/[^/]+$/.test(pathname)) return 'app';
  if (pathname.startsWith('/api/v1/apps')) return 'apps';
  if (pathname.startsWith('/api/v1/groups')) return 'groups';
  if (pathname.startsWith('/api/v1/users')) return 'users';
  if (pathname.startsWith('/api/v1/mappings')) return 'mappings';
  if (pathname.startsWith('/oauth2/')) return 'oauth';
  return 'other';
}

/** Enterprise-org per-minute limits from the same table (the fake's defaults). */
export const RATE_LIMITS: Readonly<Record<RateBucket, number>> = {
  apps: 100,
  app: 600,
  groups: 600,
  users: 600,
  mappings: 600,
  oauth: 600,
  other: 600,
};

/** Okta ids: three-letter type prefix + 17 base62 characters (00u users, 00g groups, 0oa apps). */
export const OKTA_ID = /^[0-9a-z]{3}[0-9A-Za-z]{17}$/;
