import type { Severity } from '../../schemas/finding';

/**
 * The finding-code catalogue (SPEC §4 plus the codes this engine adds). Codes are stable: add,
 * never rename. `severity` is the usual one; a check may raise or lower it where the message says
 * why (e.g. a mapping problem is an error once mappings are enabled, a warning before).
 */
export interface FindingCodeInfo {
  rule: string;
  severity: Severity;
  /** What it means, one line. */
  title: string;
  /** Which function emits it. */
  source:
    | 'audit'
    | 'audit.claudeSide'
    | 'preflight.enableMappings'
    | 'preflight.requireSso'
    | 'preflight.merge'
    | 'preflight.switchIdp'
    | 'audit+preflight';
}

export const FINDING_CODES = {
  // SPEC §4 minimum catalogue
  SCIM_NOT_AVAILABLE: {
    rule: 'R-V2',
    severity: 'error',
    title: 'The org is set to SCIM but its plan/parent cannot use SCIM',
    source: 'audit',
  },
  PARENT_ORG_MISSING: {
    rule: 'R-P1',
    severity: 'error',
    title: 'A Console org without a parent organization has no SSO, JIT or SCIM',
    source: 'audit',
  },
  IDP_MISMATCH: {
    rule: 'R-P4',
    severity: 'error',
    title: 'The snapshot comes from another IdP than the parent organization links to',
    source: 'audit',
  },
  DOMAIN_NOT_VERIFIED: {
    rule: 'R-S1',
    severity: 'error',
    title: 'SSO needs at least one verified domain',
    source: 'audit',
  },
  USER_DOMAIN_UNVERIFIED: {
    rule: 'R-S1',
    severity: 'warning',
    title: 'Assigned people whose email is not on a verified domain',
    source: 'audit',
  },
  EMAIL_MISSING: {
    rule: 'R-S4',
    severity: 'warning',
    title: 'An assigned person has no value in the email source field',
    source: 'audit',
  },
  DUPLICATE_EMAIL: {
    rule: 'R-S5',
    severity: 'error',
    title: 'Two active IdP people send the same email (case-insensitive)',
    source: 'audit',
  },
  NAMEID_FORMAT: {
    rule: 'R-S4',
    severity: 'warning',
    title: 'SAML NameID format is not EmailAddress',
    source: 'audit',
  },
  EMAIL_ATTRIBUTE_MISSING: {
    rule: 'R-S4',
    severity: 'warning',
    title: 'No SAML attribute statement `email`',
    source: 'audit',
  },
  EMAIL_SOURCE_MISMATCH: {
    rule: 'R-S5',
    severity: 'error',
    title: 'SAML and SCIM take the email from different fields whose values differ',
    source: 'audit',
  },
  SCIM_DISABLED_IN_IDP: {
    rule: 'R-K2',
    severity: 'error',
    title: 'An org uses SCIM but provisioning is off in the IdP app',
    source: 'audit',
  },
  SCIM_CAPABILITY_OFF: {
    rule: 'R-K2',
    severity: 'error',
    title: 'A SCIM capability (create, update, deactivate) is off in the IdP app',
    source: 'audit',
  },
  CHECK_UNAVAILABLE: {
    rule: 'R-S4',
    severity: 'warning',
    title: "A setting this IdP's API cannot show: check it by hand",
    source: 'audit',
  },
  MAPPED_GROUP_MISSING: {
    rule: 'R-G1',
    severity: 'error',
    title: 'A mapped group does not exist in the IdP (or was not read)',
    source: 'audit+preflight',
  },
  MAPPED_GROUP_NOT_ASSIGNED: {
    rule: 'R-G3',
    severity: 'warning',
    title: 'Members of a mapped group are not assigned to the app',
    source: 'audit+preflight',
  },
  GROUP_PREFIX: {
    rule: 'R-G4',
    severity: 'warning',
    title: 'A mapped group lacks the `anthropic-` prefix group propagation filters on',
    source: 'audit+preflight',
  },
  GROUP_ORG_MISMATCH: {
    rule: 'R-G4',
    severity: 'error',
    title: "A pre-defined group name carries another org's id or surface",
    source: 'audit+preflight',
  },
  GROUP_NOT_SEEN: {
    rule: 'R-G5',
    severity: 'error',
    title: 'A mapped group has not been seen by the vendor yet',
    source: 'audit+preflight',
  },
  OWNER_LOCKOUT: {
    rule: 'R-G6',
    severity: 'error',
    title: 'Nobody would hold the Owner (claude.ai) / Admin (Console) role',
    source: 'audit+preflight',
  },
  ACTOR_DOWNGRADE: {
    rule: 'R-G6',
    severity: 'error',
    title: 'The person saving the mappings would be downgraded or lose access',
    source: 'audit+preflight',
  },
  ACCESS_LOSS: {
    rule: 'R-G6',
    severity: 'error',
    title: 'Current members would lose access (deprovisioned)',
    source: 'audit+preflight',
  },
  SEAT_SHORTFALL: {
    rule: 'R-V5',
    severity: 'warning',
    title: 'More entitled people than seats bought in a tier',
    source: 'audit',
  },
  STALE_MEMBER: {
    rule: 'R-V3',
    severity: 'warning',
    title: 'JIT: listed as a member but no longer entitled (stays listed until removed)',
    source: 'audit',
  },
  ENTRA_SYNC_DELAY: {
    rule: 'R-V4',
    severity: 'info',
    title: 'Entra pushes SCIM changes about every 40 minutes',
    source: 'audit',
  },
  IDP_INITIATED_CONSOLE: {
    rule: 'R-S3',
    severity: 'warning',
    title: 'IdP-initiated login does not reach a Console org sharing a parent with Team/Enterprise',
    source: 'audit',
  },
  REQUIRE_SSO_LOCKOUT: {
    rule: 'R-S2',
    severity: 'error',
    title: 'People on a verified domain, not assigned to the app, lose their existing accounts under Require SSO',
    source: 'audit+preflight',
  },
  INACTIVE_ASSIGNED: {
    rule: 'R-V3',
    severity: 'info',
    title: 'An assigned person is not active in the IdP and cannot log in',
    source: 'audit',
  },
  NESTED_GROUP_CYCLE: { rule: 'R-V3', severity: 'warning', title: 'Nested groups form a cycle', source: 'audit' },
  MERGE_NOT_ALLOWED: { rule: 'R-M1', severity: 'error', title: 'The merge cannot proceed', source: 'preflight.merge' },
  MERGE_MEMBER_OFF_DOMAIN: {
    rule: 'R-M3',
    severity: 'error',
    title: 'A member of the invited org is not on a verified domain',
    source: 'preflight.merge',
  },
  DUPLICATE_ACCOUNT_RISK: {
    rule: 'R-W3',
    severity: 'error',
    title: 'The email the vendor would receive differs from the existing account: a duplicate account',
    source: 'audit+preflight',
  },
  // Added by this engine
  NESTED_GROUP_NOT_ASSIGNED: {
    rule: 'R-V3',
    severity: 'warning',
    title: 'Entra: members of a group nested in an assigned group do not get the app',
    source: 'audit',
  },
  NESTED_GROUP_IN_MAPPED_GROUP: {
    rule: 'R-G1',
    severity: 'warning',
    title: 'Direct-membership IdP: members of a group nested in a mapped group do not count as its members',
    source: 'audit+preflight',
  },
  GROUP_ROLE_MISMATCH: {
    rule: 'R-G4',
    severity: 'warning',
    title: 'A pre-defined group named for one role is mapped to another',
    source: 'audit+preflight',
  },
  GROUP_NOT_PUSHED: {
    rule: 'R-G5',
    severity: 'warning',
    title: 'SCIM: a mapped group is not among the IdP push groups, so it is never seen',
    source: 'audit+preflight',
  },
  PREDEFINED_GROUP_IMPLICIT: {
    rule: 'R-G4',
    severity: 'info',
    title: 'A pre-defined group is counted as mapped to its role without being in the config',
    source: 'audit',
  },
  UNKNOWN_ROLE: {
    rule: 'R-G1',
    severity: 'warning',
    title: 'A mapping names a role the catalogue does not know (ranks lowest)',
    source: 'audit+preflight',
  },
  ROLE_DOWNGRADE: {
    rule: 'R-G1',
    severity: 'warning',
    title: 'A current member would get a lower role from the mappings',
    source: 'audit+preflight',
  },
  MAPPINGS_IGNORED_MANUAL: {
    rule: 'R-V1',
    severity: 'info',
    title: 'Group mappings are enabled but the org is in Manual mode: they do nothing',
    source: 'audit',
  },
  SEAT_TIERS_CONSOLE: {
    rule: 'R-G2',
    severity: 'info',
    title: 'Seat-tier mappings exist only on claude.ai: ignored for a Console org',
    source: 'audit',
  },
  SHARED_APP_UNSCOPED: {
    rule: 'R-P5',
    severity: 'warning',
    title: 'Several orgs share the app, and this one provisions everybody assigned (no group mappings)',
    source: 'audit',
  },
  PARENT_SOURCE_AMBIGUOUS: {
    rule: 'R-P1',
    severity: 'warning',
    title: 'Cannot tell which parent a Console org joined: set its parentSource',
    source: 'audit',
  },
  DOMAIN_CLAIM_CONFLICT: {
    rule: 'R-P2',
    severity: 'warning',
    title: 'A domain is listed twice, both verified and pending, or is not a domain',
    source: 'audit',
  },
  RESTRICT_ORG_CREATION_UNAVAILABLE: {
    rule: 'R-D4',
    severity: 'warning',
    title: '"Restrict organization creation" is set but only exists once a domain is verified',
    source: 'audit',
  },
  DOMAIN_PENDING: { rule: 'R-D1', severity: 'info', title: 'A domain is still pending verification', source: 'audit' },
  SCIM_NOT_USED: {
    rule: 'R-V1',
    severity: 'info',
    title: 'SCIM is on in the IdP app but no org uses SCIM mode',
    source: 'audit',
  },
  SAML_SOURCE_MISMATCH: {
    rule: 'R-S4',
    severity: 'warning',
    title: 'SAML NameID and the `email` attribute come from different fields whose values differ',
    source: 'audit',
  },
  MEMBER_ORG_UNKNOWN: {
    rule: 'R-P5',
    severity: 'warning',
    title: 'A member row has no orgId and the config has several orgs',
    source: 'audit',
  },
  // Config vs what Claude reports (engine/audit/claude-side.ts), when the Claude side is read live
  CLAUDE_MODE_MISMATCH: {
    rule: 'R-A1',
    severity: 'error',
    title: "The config's provisioning mode (or group mappings) differs from the mode Claude enforces",
    source: 'audit.claudeSide',
  },
  CLAUDE_REQUIRE_SSO_MISMATCH: {
    rule: 'R-A2',
    severity: 'warning',
    title: "The config's Require SSO differs from what Claude enforces",
    source: 'audit.claudeSide',
  },
  CLAUDE_GROUP_NOT_FROM_SCIM: {
    rule: 'R-A3',
    severity: 'warning',
    title: 'A mapped group is not among the groups Claude has from SCIM',
    source: 'audit.claudeSide',
  },
  CLAUDE_SETTINGS_UNREADABLE: {
    rule: 'R-A4',
    severity: 'info',
    title: "Claude's enforced settings could not be read: the config's values were used",
    source: 'audit.claudeSide',
  },
  CLAUDE_ORG_UNCONFIGURED: {
    rule: 'R-A5',
    severity: 'info',
    title: 'The key reaches an org the config does not list',
    source: 'audit.claudeSide',
  },
  SNAPSHOT_INCOMPLETE: {
    rule: 'R-V3',
    severity: 'error',
    title: 'The snapshot is incomplete: access results may be wrong',
    source: 'audit+preflight',
  },
} as const satisfies Record<string, FindingCodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;
