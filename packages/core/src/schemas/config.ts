import { z } from 'zod';
import { IdpKindSchema } from './common';

export const SurfaceSchema = z.enum(['claude', 'console']);
export type Surface = z.infer<typeof SurfaceSchema>;
export const PlanKindSchema = z.enum(['team', 'enterprise', 'console']);
export type PlanKind = z.infer<typeof PlanKindSchema>;
export const ProvisioningModeSchema = z.enum(['manual', 'jit', 'scim']);
export type ProvisioningMode = z.infer<typeof ProvisioningModeSchema>;

/** Which seat tiers a claude.ai org's plan has (R-A4); see `seatPlanOf` for the default. */
export const SeatPlanSchema = z.enum(['team', 'enterprise-usage', 'enterprise-legacy', 'enterprise-legacy-chat']);
export type SeatPlan = z.infer<typeof SeatPlanSchema>;

export const GroupMappingsSchema = z.strictObject({
  enabled: z.boolean(),
  roles: z.record(z.string(), z.array(z.string())).describe('role -> IdP group names'),
  seatTiers: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe("claude only: 'premium' | 'standard' -> groups"),
  seenGroups: z.array(z.string()).optional().describe('Groups the vendor has seen (R-G5).'),
});
export type GroupMappings = z.infer<typeof GroupMappingsSchema>;

export const OrganizationSchema = z
  .strictObject({
    id: z.string().min(1),
    name: z.string().optional(),
    surface: SurfaceSchema,
    plan: PlanKindSchema,
    parentSource: z.enum(['default', 'sso', 'sales', 'merged-team', 'merged-enterprise']).optional(),
    provisioning: z.strictObject({
      mode: ProvisioningModeSchema,
      groupMappings: GroupMappingsSchema.optional(),
    }),
    seats: z
      .record(z.string(), z.number().int().nonnegative())
      .optional()
      .describe("Seats bought, per tier ('premium', 'standard'; 'enterprise' on usage-based Enterprise plans)."),
    seatPlan: SeatPlanSchema.optional().describe(
      "claude.ai only: the plan's seat tiers (R-A4): 'team' (premium, standard), 'enterprise-usage' (one enterprise seat), 'enterprise-legacy' (premium, standard), 'enterprise-legacy-chat' (chat_claude_code, chat). Default: from the plan and the tiers the org names.",
    ),
  })
  .superRefine((org, ctx) => {
    if (org.surface === 'console' && org.plan !== 'console') {
      ctx.addIssue({ code: 'custom', path: ['plan'], message: "a 'console' surface org has plan 'console'" });
    }
    if (org.surface === 'claude' && org.plan === 'console') {
      ctx.addIssue({
        code: 'custom',
        path: ['plan'],
        message: "a 'claude' surface org has plan 'team' or 'enterprise'",
      });
    }
  });
export type Organization = z.infer<typeof OrganizationSchema>;

export const OrgConfigSchema = z
  .strictObject({
    parent: z.strictObject({
      id: z.string().optional(),
      idp: IdpKindSchema,
      verifiedDomains: z.array(z.string()),
      pendingDomains: z.array(z.string()).optional(),
      requireSso: z.strictObject({ claude: z.boolean().optional(), console: z.boolean().optional() }).optional(),
      restrictOrgCreation: z.boolean().optional(),
    }),
    organizations: z.array(OrganizationSchema),
    roles: z
      .strictObject({ claude: z.array(z.string()).optional(), console: z.array(z.string()).optional() })
      .optional()
      .describe('Override the role catalogue, highest first.'),
    seatTiers: z
      .strictObject({
        team: z.array(z.string()).optional(),
        'enterprise-usage': z.array(z.string()).optional(),
        'enterprise-legacy': z.array(z.string()).optional(),
        'enterprise-legacy-chat': z.array(z.string()).optional(),
      })
      .optional()
      .describe('Override the seat tiers of a seat plan, highest first (R-A4).'),
  })
  .describe('The Claude side of the setup: parent organization, its orgs, their provisioning and mappings.');
export type OrgConfig = z.infer<typeof OrgConfigSchema>;
