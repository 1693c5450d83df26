import { z } from 'zod';

export const MemberSchema = z.strictObject({
  email: z.string().min(3),
  role: z.string().min(1),
  seatTier: z.string().optional(),
  orgId: z.string().optional(),
  status: z.enum(['active', 'invited']).optional(),
  /** Vendor user or invite id, when read from the Admin API. */
  id: z.string().optional(),
});
export type Member = z.infer<typeof MemberSchema>;
export const MembersSchema = z
  .array(MemberSchema)
  .describe('Current members of the Claude orgs (JSON array, or CSV with these column names).');
