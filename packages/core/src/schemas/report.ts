import { z } from 'zod';
import { IdpKindSchema, IsoDateTimeSchema } from './common';
import { FindingSchema } from './finding';
import { FactSourceSchema } from './claude-side';

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('claude-idp'), version: z.string() }),
  generatedAt: IsoDateTimeSchema,
  snapshot: z.object({ idp: IdpKindSchema, tenant: z.string(), capturedAt: IsoDateTimeSchema, complete: z.boolean() }),
  findings: z.array(FindingSchema),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  /** Per fact, whether it came from Claude (read live) or from the config. */
  sources: z.array(FactSourceSchema).optional(),
});
export type Report = z.infer<typeof ReportSchema>;
