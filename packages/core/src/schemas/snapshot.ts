import { z } from 'zod';
import { IdpKindSchema, IsoDateTimeSchema } from './common';

export const USER_STATUSES = ['active', 'suspended', 'deprovisioned', 'staged', 'locked'] as const;
export const UserStatusSchema = z.enum(USER_STATUSES);
export type UserStatus = z.infer<typeof UserStatusSchema>;

export const SsoSettingsSchema = z
  .object({
    protocol: z.enum(['saml', 'oidc']).nullable(),
    nameIdFormat: z.string().nullable().describe("e.g. 'emailAddress', 'unspecified', 'persistent'"),
    nameIdSource: z.string().nullable().describe("canonical field, e.g. 'user.email', 'user.login'"),
    emailAttribute: z.object({ name: z.string(), source: z.string() }).nullable(),
    /** Which of these values came from the admin's declaration rather than the IdP's API (Google). */
    declared: z.boolean().optional(),
  })
  .describe('SAML / OIDC settings of the app; null when this IdP cannot show them.');

export const ScimSettingsSchema = z.object({
  enabled: z.boolean(),
  emailSource: z.string().nullable(),
  userNameSource: z.string().nullable(),
  create: z.boolean().nullable(),
  update: z.boolean().nullable(),
  deactivate: z.boolean().nullable(),
  pushedGroupIds: z.array(z.string()).nullable(),
  intervalMinutes: z.number().int().positive().nullable().describe('Entra: 40'),
});

export const SnapshotUserSchema = z.object({
  id: z.string().min(1).describe("The IdP's immutable id: the key, never the email."),
  email: z.string().nullable(),
  login: z.string().nullable(),
  status: UserStatusSchema,
  fields: z
    .record(z.string(), z.string().nullable())
    .describe('Source fields the app mappings read, by canonical name (user.email, user.login, ...).'),
  /** Other addresses the IdP knows for this person (Google aliases, Entra proxyAddresses / otherMails). */
  aliases: z.array(z.string()).optional(),
});
export type SnapshotUser = z.infer<typeof SnapshotUserSchema>;

export const SnapshotGroupSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  memberUserIds: z.array(z.string()).describe('Users who are direct members.'),
  memberGroupIds: z.array(z.string()).describe('Groups that are direct members (nested groups).'),
});
export type SnapshotGroup = z.infer<typeof SnapshotGroupSchema>;

export const DirectorySnapshotSchema = z
  .object({
    schemaVersion: z.literal(1),
    idp: IdpKindSchema,
    tenant: z.string().describe('Org URL, tenant id, customer id or subdomain.'),
    capturedAt: IsoDateTimeSchema,
    complete: z.boolean().describe('True only when every page of every read succeeded.'),
    app: z.object({
      id: z.string(),
      name: z.string(),
      sso: SsoSettingsSchema.nullable(),
      scim: ScimSettingsSchema.nullable(),
    }),
    users: z.array(SnapshotUserSchema),
    groups: z.array(SnapshotGroupSchema),
    assignments: z.object({ userIds: z.array(z.string()), groupIds: z.array(z.string()) }),
    /**
     * Group-nesting semantics for app access: `direct` (Entra: members of an assigned group only),
     * `transitive` (members of nested groups too). Defaults per IdP when absent.
     */
    nesting: z.enum(['direct', 'transitive']).optional(),
    /** Checks this IdP's API cannot answer, by name (e.g. `sso.nameIdSource`), with why. */
    unavailable: z.array(z.object({ check: z.string(), reason: z.string() })).optional(),
  })
  .describe('What an IdP adapter returns and `claude-idp snapshot` writes.');
export type DirectorySnapshot = z.infer<typeof DirectorySnapshotSchema>;
export type SsoSettings = z.infer<typeof SsoSettingsSchema>;
export type ScimSettings = z.infer<typeof ScimSettingsSchema>;
