import { z } from 'zod';
import { IdpKindSchema, IsoDateTimeSchema } from './common';
import { FindingSchema } from './finding';

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('claude-idp'), version: z.string() }),
  generatedAt: IsoDateTimeSchema,
  snapshot: z.object({ idp: IdpKindSchema, tenant: z.string(), capturedAt: IsoDateTimeSchema, complete: z.boolean() }),
  findings: z.array(FindingSchema),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
});
export type Report = z.infer<typeof ReportSchema>;
