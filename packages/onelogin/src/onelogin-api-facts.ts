/**
 * OneLogin API facts the client and the fake share, each with where it comes from
 * (developers.onelogin.com "api-docs", the official onelogin-python-sdk / onelogin-go-sdk and the
 * official onelogin-mcp server, which documents behaviour it "verified live").
 */

export const VENDOR = 'onelogin';

/** Token endpoint (api-docs/2/oauth20-tokens/generate-tokens-2). Tokens live 36 000 s (10 h). */
export const TOKEN_PATH = '/auth/oauth2/v2/token';

/**
 * The largest `limit` each listing accepts.
 * - apps, apps/{id}/users: "Max page limit is 1000" (api-docs/2/apps/list-apps, list-users; onelogin-mcp).
 * - roles: "Max page limit is 650" (api-docs/2/roles/list-roles; onelogin-mcp).
 * - users, roles/{id}/users: no maximum is published on the endpoint pages ("returns up to 50
 *   users per page" is the default); the official OpenAPI-generated python SDK documents `limit`
 *   as "How many items to return at one time (max 100)". We ask for 100: if a tenant caps lower,
 *   the After-Cursor walk still reads every page, and Total-Count still checks the total.
 * - v1 groups: "returns up to 50 groups per page"; no `limit` parameter is documented, so none is sent.
 */
export const PAGE_LIMITS = {
  apps: 1000,
  appUsers: 1000,
  roles: 650,
  roleUsers: 100,
  users: 100,
  groupsV1: 50,
} as const;

/** The scope to grant: app endpoints need Read All (or Manage All); users/roles/groups accept Read Users too. */
export const READ_SCOPE = 'Read All';

/** `auth_method` (api-docs/2/apps/app-resource): 2 SAML, 1 OpenId, 8 OpenId Connect. */
export const AUTH_METHOD_SAML = 2;
export const AUTH_METHODS_OIDC: readonly number[] = [1, 8];

/** App parameter keys (python SDK SamlAppAllOfParameters; OneLogin KB0013904 for scimusername). */
export const NAME_ID_PARAMETER = 'saml_username';
export const SCIM_USERNAME_PARAMETER = 'scimusername';
/** "The scimusername parameter uses the Username attribute by default." (KB0013904) */
export const SCIM_USERNAME_DEFAULT = 'username';
/** Parameter keys read as "the email attribute" when sent in the SAML assertion. */
export const EMAIL_ATTRIBUTE_KEYS: readonly string[] = [
  'email',
  'mail',
  'emailaddress',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];

/**
 * User `status` codes (onelogin-python-sdk models/user.py enum (0,1,2,3,4,5,7,8); meanings from
 * api-docs/1/users and onelogin-go-sdk models/user.go): there is no 6.
 */
export const USER_STATUS_CODES = {
  0: 'Unactivated',
  1: 'Active',
  2: 'Suspended',
  3: 'Locked',
  4: 'Password expired',
  5: 'Awaiting password reset',
  7: 'Password pending',
  8: 'Security questions required',
} as const;
export type OneLoginStatusCode = keyof typeof USER_STATUS_CODES;
