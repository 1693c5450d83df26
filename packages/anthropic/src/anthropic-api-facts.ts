/**
 * Every Anthropic Admin API fact this package relies on, in one place, with where it was checked.
 * Sources (read 2026): the Admin API reference pages for Users and Invites
 * (platform.claude.com/docs/en/api/admin/users/*, .../invites/*, and the beta/organization pages
 * that describe Claude Enterprise), the Errors page (docs.anthropic.com .../errors), the Admin API
 * guide (platform.claude.com/docs/en/build-with-claude/administration-api) and the help-center
 * article "Managing members on Team and Enterprise plans".
 *
 * Anything marked UNVERIFIED could not be confirmed in those pages; the code treats it
 * conservatively (as a manual step, or as a refusal) and the fake reproduces the assumption so
 * tests show what happens if it holds.
 */

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** Verified: every request carries `anthropic-version: 2023-06-01` and the key in `x-api-key`. */
export const ANTHROPIC_VERSION = '2023-06-01';
/**
 * Verified: Console admin keys start with `sk-ant-admin01-`; Claude Enterprise keys (made in
 * claude.ai > Organization settings > API) start with `sk-ant-api01-`. The prefix is never used to
 * refuse a key: which orgs a key reaches, and their kind, are asked from the API.
 */
export const ADMIN_KEY_PREFIX = 'sk-ant-admin';
export const ENTERPRISE_KEY_PREFIX = 'sk-ant-api';

/** Verified: `limit` "Defaults to 20. Ranges from 1 to 1000" on both listings. */
export const MAX_PAGE_SIZE = 1000;

/** Verified endpoint paths. */
export const PATHS = {
  me: '/v1/organizations/me',
  users: '/v1/organizations/users',
  invites: '/v1/organizations/invites',
  rbacGroups: '/v1/organizations/rbac_groups',
  complianceOrganizations: '/v1/compliance/organizations',
  complianceGroups: '/v1/compliance/groups',
  complianceActivities: '/v1/compliance/activities',
} as const;

/** Verified (Compliance org data): the enforced `sso_provisioning_mode` values. */
export const PROVISIONING_MODES = [
  'login_only',
  'jit_permissive',
  'jit_advanced',
  'scim_permissive',
  'scim_advanced',
] as const;
export type ProvisioningModeValue = (typeof PROVISIONING_MODES)[number];

/**
 * Verified: Enterprise key scopes, fixed when the key is made. `read:org_audit` covers every
 * user-management GET and every Compliance read, so it alone serves every read path here.
 */
export const SCOPES = {
  readMembers: 'read:members',
  writeMembers: 'write:members',
  readRbacGroups: 'read:rbac_groups',
  writeRbacGroups: 'write:rbac_groups',
  readActivities: 'read:compliance_activities',
  readUserData: 'read:compliance_user_data',
  readOrgData: 'read:compliance_org_data',
  readOrgAudit: 'read:org_audit',
} as const;

/** Where the Primary Owner makes a key with more scopes (verified: compliance-api-access). */
export const SCOPE_SCREEN =
  'claude.ai > Organization settings > API (the Primary Owner creates a new key with the scope; scopes are fixed when a key is made)';

/** Verified (user-management guide): 100 requests per minute per org; 1,200 invites per hour. */
export const RATE_LIMITS = { requestsPerMinute: 100, invitesPerHour: 1200 } as const;

/** Where a free seat is bought when an invite finds none (400, nothing bought). */
export const BILLING_SCREEN = 'claude.ai > Settings > Billing (buy seats), then re-run apply';

/**
 * Verified: Console orgs accept `user`, `developer`, `billing`, `claude_code_user` for update and
 * invite; "`admin` cannot be assigned through the API". Claude Enterprise orgs accept `user` and
 * `managed`.
 */
export const ASSIGNABLE_ROLES = {
  console: ['user', 'developer', 'billing', 'claude_code_user'],
  enterprise: ['user', 'managed'],
} as const;

/** Verified: the role values a listed user can carry (the union over both org kinds). */
export const LISTED_ROLES = [
  'admin',
  'billing',
  'claude_code_user',
  'developer',
  'managed',
  'membership_admin',
  'owner',
  'primary_owner',
  'user',
] as const;

/** Verified: roles only Claude Enterprise orgs use; seeing one in a listing identifies the org kind. */
export const ENTERPRISE_ONLY_ROLES = ['managed', 'membership_admin', 'owner', 'primary_owner'] as const;

/**
 * UNVERIFIED: that a user who already holds one of these roles can neither be re-roled nor
 * removed through the API (the issue states it for `admin`; the reference only says `admin`
 * cannot be *assigned*). Treated as manual steps, never attempted.
 */
export const PROTECTED_ROLES = {
  console: ['admin'],
  enterprise: ['admin', 'membership_admin', 'owner', 'primary_owner'],
} as const;

/** Verified: invite statuses. Only `pending` invites are members-to-be. */
export const INVITE_STATUSES = ['accepted', 'deleted', 'expired', 'pending'] as const;

/**
 * Verified for claude.ai (help center: "The invitation expires after 21 days"); the API reference
 * example shows `invited_at` 2024-10-30 and `expires_at` 2024-11-20, also 21 days. Whether every
 * Console API invite uses the same period is UNVERIFIED; the client always trusts `expires_at`.
 */
export const INVITE_TTL_DAYS = 21;

/**
 * Verified error body: `{"type":"error","error":{"type":...,"message":...}}` (newer pages add a
 * top-level `request_id`), with 400 invalid_request_error, 401 authentication_error,
 * 403 permission_error, 404 not_found_error, 429 rate_limit_error (with `retry-after`),
 * 500 api_error, 529 overloaded_error.
 */
export const ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
} as const;

/**
 * UNVERIFIED: the exact message texts for refusals (admin role, duplicate invite, invite to an
 * existing member). The fake uses these wordings; the client never parses messages, only statuses.
 */
export const FAKE_MESSAGES = {
  adminAssign: 'role: admin cannot be assigned through the API',
  adminProtected: 'Users with the admin role cannot be modified or removed through the API',
  duplicateInvite: 'A pending invite already exists for this email',
  alreadyMember: 'This email already belongs to a member of the organization',
  noSeat: 'No seat is available for this invite',
} as const;

/**
 * Verified: `GET /v1/organizations/me` returns `{ id, name, type: "organization" }` for Console
 * keys. UNVERIFIED: whether a Claude Enterprise key may call it (the user-management guide lists
 * only members, invites, groups, roles and spend limits for Enterprise), so a refusal there
 * becomes a ConfigurationError asking for `ANTHROPIC_ORG_ID`.
 */
/**
 * Where a person does by hand what the API cannot. Screen names are verified (Console settings,
 * claude.ai "Settings > Members"); the exact URLs are UNVERIFIED.
 */
export const MANUAL_SCREENS = {
  console: 'Claude Console → Settings → Members (https://platform.claude.com/settings/members)',
  enterprise: 'claude.ai → Settings → Members (https://claude.ai/settings/members)',
  unknown: "the organization's member settings: claude.ai → Settings → Members, or Claude Console → Settings → Members",
} as const;

/**
 * Verified (newer reference): on plans with a finite seat pool an invite takes a seat from the
 * lowest tier available, with no seat-tier parameter, and fails with 400 when no seat is free.
 * So seat-tier changes are always manual steps.
 */
/** Key permissions. Verified: Console keys are created by an org admin; Enterprise keys need scopes. */
export const REQUIRED_PERMISSIONS = {
  console: 'a Console admin key (sk-ant-admin01-…) created by a Console organization admin',
  enterprise:
    'a Claude Enterprise key (sk-ant-api01-…) with read:org_audit (reads) and write:members (apply), created by the Primary Owner in claude.ai > Organization settings > API',
} as const;

/** Every fact above that could not be confirmed, in one list. */
export const UNVERIFIED_FACTS = [
  'Holders of admin (Enterprise: owner, primary_owner, membership_admin) cannot be re-roled or removed through the API (handled as manual steps; the fake refuses with 400).',
  'The exact messages, and statuses other than 400, of refusals: admin role, duplicate pending invite, invite to an existing member, no free seat.',
  "Whether an Enterprise key made for all linked orgs can call GET /v1/organizations/me and the user endpoints, and which org they address (the client tries /me and the Compliance org list; other orgs' members are read through the Compliance API).",
  'Whether Enterprise keys are accepted as Authorization: Bearer (the client sends x-api-key, as the guides do).',
  'What permissive vs advanced modes mean exactly (read as: advanced = group mappings on).',
  "The exact messages of the provisioning-mode refusals (the fake uses the guide's sentences; the client never parses them: it decides by mode before sending).",
  'That every Console API invite expires after 21 days (verified for claude.ai and by the reference example; the client trusts expires_at).',
  'What the API answers for an unknown after_id / before_id, for deleting a non-pending invite, and for a request without anthropic-version.',
  'The URLs of the Console and claude.ai members pages named in manual steps (the screen names are verified).',
  'How the rate limits are counted exactly (documented: 100 requests a minute per org, 1,200 invites an hour; the client paces under both and honours retry-after on 429).',
  'Whether the users listing order is stable between pages (after_id paging assumes it, as the reference implies).',
] as const;
