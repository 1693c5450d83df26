import { z } from 'zod';
import { ProvisioningModeSchema } from './config';

export const PLAN_ACTIONS = ['provision', 'changeRole', 'changeSeatTier', 'deprovision', 'none'] as const;
export const PlanActionKindSchema = z.enum(PLAN_ACTIONS);
export type PlanActionKind = z.infer<typeof PlanActionKindSchema>;
export const PLAN_WHENS = ['immediate', 'nextLogin', 'nextSyncCycle', 'manual'] as const;
export const PlanWhenSchema = z.enum(PLAN_WHENS);
export type PlanWhen = z.infer<typeof PlanWhenSchema>;

export const PlanActionSchema = z.object({
  email: z.string(),
  userId: z.string().optional(),
  action: PlanActionKindSchema,
  from: z.string().optional().describe('role or seat tier'),
  to: z.string().optional(),
  seatTier: z.string().optional().describe('provision: the seat tier the person gets (R-G2, R-A4)'),
  when: PlanWhenSchema,
  rule: z.string(),
  reason: z.string(),
});
export type PlanAction = z.infer<typeof PlanActionSchema>;

export const PlanSchema = z.object({
  schemaVersion: z.literal(1),
  fingerprint: z.string().describe('Hash of the inputs; apply refuses a plan whose inputs changed.'),
  complete: z.boolean().describe('false: no deprovision or downgrade may be applied.'),
  orgs: z.array(
    z.object({
      orgId: z.string(),
      mode: ProvisioningModeSchema,
      mappings: z.boolean(),
      actions: z.array(PlanActionSchema),
      totals: z.record(z.string(), z.number().int()),
    }),
  ),
  guards: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        /** The org the guard is about; absent for plan-wide guards (an incomplete read). Apply weighs only its org's guards and plan-wide ones. */
        orgId: z.string().optional(),
      }),
    )
    .describe('Why apply would refuse.'),
  /**
   * canonicalHash of each input, so `apply` can tell which one changed: it re-reads the members
   * from the target and refuses when their hash no longer equals `inputs.members`.
   */
  inputs: z
    .object({
      snapshot: z.string(),
      config: z.string(),
      members: z.string(),
      /** `orgMembersFingerprint` per org: what `apply` compares with a fresh read of the one org its key manages. */
      membersByOrg: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  generatedAt: z.string().optional(),
});
export type Plan = z.infer<typeof PlanSchema>;
