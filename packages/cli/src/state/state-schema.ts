import { z } from 'zod';
import { FindingSchema, IdpKindSchema, PlanActionKindSchema } from '@claude-idp/core';

/**
 * The files a `--state DIR` holds, as zod schemas with `schemaVersion` (read back with these, so a
 * damaged or foreign file is a typed error naming the file, never a silent default):
 *
 *   DIR/.lock                     who holds the directory (LockFile)
 *   DIR/runs/<run id>/run.json    one run (RunRecord)
 *   DIR/runs/<run id>/access.json who had which access in that run (AccessRow[])
 *   DIR/runs/<run id>/changes.json what changed since the run before (RunChanges)
 *   DIR/runs/<run id>/snapshot.json, report.json, plan.json   the run's inputs and results
 *
 * A run directory is written under a temporary name and renamed into place, so it is complete
 * or absent.
 */
export const STATE_SCHEMA_VERSION = 1 as const;

export const LockFileSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  pid: z.number().int(),
  hostname: z.string(),
  command: z.string(),
  startedAt: z.string(),
});
export type LockFile = z.infer<typeof LockFileSchema>;

/** Which tenant and config a state directory belongs to. */
export const RunScopeSchema = z.object({
  idp: IdpKindSchema,
  tenant: z.string(),
  appId: z.string(),
  appName: z.string(),
  /** canonicalHash of the config the run used. */
  configDigest: z.string(),
});
export type RunScope = z.infer<typeof RunScopeSchema>;

export const RunCommandSchema = z.enum(['audit', 'plan']);
export type RunCommand = z.infer<typeof RunCommandSchema>;

export const RunRecordSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  id: z.string(),
  command: RunCommandSchema,
  at: z.string(),
  tool: z.object({ name: z.literal('claude-idp'), version: z.string() }),
  scope: RunScopeSchema,
  /** canonicalHash of the snapshot without its capture time: equal digests, same IdP state. */
  snapshotDigest: z.string(),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }).nullable(),
  /** Plan actions other than `none` (plan runs). */
  planChanges: z.number().int().nullable(),
  /** Whether this run found anything changed since the run before (what notifications were sent for). */
  changed: z.boolean(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** One person's access to one org, as the rules resolve it. */
export const AccessRowSchema = z.object({
  orgId: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  /** Entitled and seated: the person can use the org. */
  access: z.boolean(),
  role: z.string().nullable(),
  seatTier: z.string().nullable(),
});
export type AccessRow = z.infer<typeof AccessRowSchema>;
export const AccessRowsSchema = z.array(AccessRowSchema);

export const AccessChangeSchema = z.object({
  orgId: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  from: z.object({ access: z.boolean(), role: z.string().nullable(), seatTier: z.string().nullable() }).nullable(),
  to: z.object({ access: z.boolean(), role: z.string().nullable(), seatTier: z.string().nullable() }).nullable(),
});
export type AccessChange = z.infer<typeof AccessChangeSchema>;

export const PlanActionRefSchema = z.object({
  orgId: z.string(),
  email: z.string(),
  action: PlanActionKindSchema,
  from: z.string().optional(),
  to: z.string().optional(),
  when: z.string(),
});
export type PlanActionRef = z.infer<typeof PlanActionRefSchema>;

export const RunChangesSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  /** The run compared with; null on the first run in a directory (everything is new). */
  since: z.object({ runId: z.string(), at: z.string(), command: RunCommandSchema }).nullable(),
  /** The config differs from the one the previous run used. */
  configChanged: z.boolean(),
  /** Findings compared (audit runs only; plan runs leave both empty). */
  findingsCompared: z.boolean(),
  newFindings: z.array(FindingSchema),
  resolvedFindings: z.array(FindingSchema),
  /** People whose access, role or seat tier changed. */
  access: z.array(AccessChangeSchema),
  /** IdP drift (core's snapshot diff summary); null when there is no previous snapshot. */
  drift: z.record(z.string(), z.number().int()).nullable(),
  /** Plan runs only: actions that appeared or went away since the previous plan. */
  planCompared: z.boolean(),
  planAdded: z.array(PlanActionRefSchema),
  planGone: z.array(PlanActionRefSchema),
  /** Anything above worth telling someone about (what triggers notifications). */
  changed: z.boolean(),
});
export type RunChanges = z.infer<typeof RunChangesSchema>;
