import { z } from 'zod';
import { OrgConfigSchema } from './config';
import { MembersSchema } from './members';
import { PlanSchema } from './plan';
import { ReportSchema } from './report';
import { DirectorySnapshotSchema } from './snapshot';

export type SchemaName = 'snapshot' | 'config' | 'members' | 'report' | 'plan';

const sources = {
  snapshot: DirectorySnapshotSchema,
  config: OrgConfigSchema,
  members: MembersSchema,
  report: ReportSchema,
  plan: PlanSchema,
} as const;

/** The JSON Schema (draft 2020-12) of each public contract, generated from the zod schemas. */
export function jsonSchemas(): Record<SchemaName, Record<string, unknown>> {
  const out = {} as Record<SchemaName, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(sources) as [SchemaName, z.ZodType][]) {
    out[name] = {
      $id: `https://claude-idp.dev/schemas/${name}.schema.json`,
      title: `claude-idp ${name}`,
      ...(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<
        string,
        unknown
      >),
    };
  }
  return out;
}
