import { z } from 'zod';
import { PROVISIONING_MODES } from './anthropic-api-facts';

/** `GET /v1/compliance/organizations` rows (Compliance org data reference). */
export const ComplianceOrganizationSchema = z.looseObject({
  uuid: z.string().min(1),
  name: z.string(),
  created_at: z.string().optional(),
});
export type ComplianceOrganization = z.infer<typeof ComplianceOrganizationSchema>;

/** `GET /v1/compliance/organizations/{uuid}/users` rows. */
export const ComplianceUserSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  full_name: z.string().nullable().optional(),
  organization_role: z.string(),
});
export type ComplianceUser = z.infer<typeof ComplianceUserSchema>;

/** Cursor pages of the Compliance API and RBAC groups: `data`, `next_page` (null at the end). */
export const cursorPage = <T extends z.ZodType>(item: T) =>
  z.looseObject({ data: z.array(item), next_page: z.string().nullable().optional(), has_more: z.boolean().optional() });

/** One row of `settings[]`: `{ name, type, value }`. */
export const SettingRowSchema = z.looseObject({ name: z.string(), type: z.string().optional(), value: z.unknown() });

/** `GET /v1/compliance/organizations/{uuid}/settings`: the org's enforced settings. */
export const OrgSettingsSchema = z.looseObject({
  organization_id: z.string(),
  settings: z.array(SettingRowSchema),
});
export type OrgSettings = z.infer<typeof OrgSettingsSchema>;

export const ProvisioningModeValueSchema = z.enum(PROVISIONING_MODES);

/** An RBAC group. The docs name its roles `roles`, the SDK `role_ids`: both are read. */
export const RbacGroupSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  source_type: z.enum(['direct', 'scim']),
  role_ids: z.array(z.string()).nullable().optional(),
  roles: z.array(z.unknown()).nullable().optional(),
});
export type RbacGroup = z.infer<typeof RbacGroupSchema>;

/** A Compliance activity feed row; the type-specific fields are kept as they come. */
export const ActivitySchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  type: z.string(),
  organization_id: z.string().nullable().optional(),
  organization_uuid: z.string().nullable().optional(),
  actor: z.looseObject({ type: z.string() }).nullable().optional(),
});
export type Activity = z.infer<typeof ActivitySchema>;

/** The reference marks `first_id` / `last_id` optional (an empty page may carry neither): read as null. */
const optionalId = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

export const ActivityPageSchema = z.looseObject({
  data: z.array(ActivitySchema),
  has_more: z.boolean(),
  first_id: optionalId,
  last_id: optionalId,
});
