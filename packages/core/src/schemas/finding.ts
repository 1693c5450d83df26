import { z } from 'zod';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const FindingSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .describe('Stable SCREAMING_SNAKE code.'),
  severity: SeveritySchema,
  rule: z.string().describe('R-* id'),
  orgId: z.string().optional(),
  subject: z.object({
    kind: z.enum(['user', 'group', 'app', 'org', 'domain', 'parent']),
    id: z.string().optional(),
    name: z.string().optional(),
  }),
  message: z.string().describe('One line.'),
  fix: z.string().describe('What to do, concretely.'),
});
export type Finding = z.infer<typeof FindingSchema>;
