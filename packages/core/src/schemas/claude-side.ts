import { z } from 'zod';
import { IsoDateTimeSchema } from './common';
import { MemberSchema } from './members';

/** The enforced `sso_provisioning_mode` values of Claude's Compliance settings. */
export const ClaudeProvisioningModeSchema = z.enum([
  'login_only',
  'jit_permissive',
  'jit_advanced',
  'scim_permissive',
  'scim_advanced',
]);
export type ClaudeProvisioningMode = z.infer<typeof ClaudeProvisioningModeSchema>;

/**
 * One org's enforced settings as Claude reports them. A field is absent when Claude showed no
 * row for it (a missing row means "not controllable by the org's admins", not "off").
 */
export const ClaudeOrgSettingsSchema = z.strictObject({
  /** False when the settings could not be read (`note` says why: not enabled, scope missing). */
  available: z.boolean(),
  note: z.string().optional(),
  provisioningMode: ClaudeProvisioningModeSchema.optional(),
  ssoEnabled: z.boolean().optional(),
  ssoClaudeAiEnforced: z.boolean().optional(),
  ssoConsoleEnforced: z.boolean().optional(),
  directorySyncEnabled: z.boolean().optional(),
  allowedInviteDomains: z.array(z.string()).optional(),
});
export type ClaudeOrgSettings = z.infer<typeof ClaudeOrgSettingsSchema>;

export const ClaudeOrgFactsSchema = z.strictObject({
  orgId: z.string().min(1),
  name: z.string().optional(),
  /** Console org, or Claude Enterprise (claude.ai) org; unknown when the API did not say. */
  kind: z.enum(['console', 'enterprise', 'unknown']),
  settings: ClaudeOrgSettingsSchema,
  /** Users (and pending invites, when `invitesRead`), roles as Claude lists them (`primary_owner`, `membership_admin`, `managed`, …). */
  members: z.array(MemberSchema),
  invitesRead: z.boolean(),
  /** Names of the RBAC groups with `source_type: scim` (R-G5 evidence); null when not read (`groupsNote`). */
  scimGroups: z.array(z.string()).nullable(),
  groupsNote: z.string().optional(),
});
export type ClaudeOrgFacts = z.infer<typeof ClaudeOrgFactsSchema>;

/** What the Admin and Compliance APIs report about the Claude side, per org. */
export const ClaudeSideFactsSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    readAt: IsoDateTimeSchema,
    /** Which key kind the API showed: a Console admin key (one Console org), or an Enterprise key (one or all linked orgs). */
    keyKind: z.enum(['console', 'enterprise', 'unknown']),
    orgs: z.array(ClaudeOrgFactsSchema),
  })
  .describe('The Claude side read live (Admin API + Compliance API).');
export type ClaudeSideFacts = z.infer<typeof ClaudeSideFactsSchema>;

/** Where one fact of a report came from. */
export const FactSourceSchema = z.strictObject({
  orgId: z.string().optional(),
  fact: z.string().describe('e.g. provisioning.mode, requireSso.claude, seenGroups, members'),
  value: z.string(),
  source: z.enum(['claude', 'config']),
});
export type FactSource = z.infer<typeof FactSourceSchema>;
