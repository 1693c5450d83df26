import type { ScimSettings } from '@claude-idp/core';
import { canonicalEntraField } from './entra-fields';

export interface AttributeMappingSource {
  expression?: string | null;
  name?: string | null;
  type?: string | null;
  parameters?: { key?: string; value?: AttributeMappingSource }[] | null;
}
interface AttributeMapping {
  source?: AttributeMappingSource | null;
  targetAttributeName?: string;
  defaultValue?: string | null;
  matchingPriority?: number;
}
interface ObjectMapping {
  enabled?: boolean;
  flowTypes?: string;
  sourceObjectName?: string;
  targetObjectName?: string;
  attributeMappings?: AttributeMapping[];
}
export interface SynchronizationSchema {
  synchronizationRules?: { sourceDirectoryName?: string; objectMappings?: ObjectMapping[] }[];
}
export interface SynchronizationJob {
  id: string;
  templateId?: string;
  schedule?: { interval?: string | null; state?: string | null } | null;
  status?: { code?: string } | null;
}

/**
 * A provisioning mapping's source as a canonical field. `[userPrincipalName]` (type Attribute) is
 * `user.userPrincipalName`; `ToLower([mail], )` is still `user.mail` (SCIM emails compare without
 * case); anything else (Join, Mid, Switch, a constant) is `expr:<expression>`.
 */
export function mappingSource(mapping: Pick<AttributeMapping, 'source' | 'defaultValue'> | undefined): string | null {
  const s = mapping?.source;
  if (!s) return mapping?.defaultValue != null ? `expr:"${mapping.defaultValue}"` : null;
  if (s.type === 'Attribute' && s.name) return canonicalEntraField(s.name);
  if (s.type === 'Function' && /^to(lower|upper)$/i.test(s.name ?? '')) {
    const inner = s.parameters?.find((p) => (p.key ?? '').toLowerCase() === 'source')?.value;
    if (inner?.type === 'Attribute' && inner.name) return canonicalEntraField(inner.name);
  }
  return `expr:${s.expression ?? s.name ?? ''}`;
}

/**
 * ISO 8601 duration (`PT40M`, `P1D`) in whole minutes. Disabled jobs carry .NET's
 * TimeSpan.MaxValue (`P10675199DT2H48M5.4775807S`), which means "never": null.
 */
export function intervalMinutes(interval: string | null | undefined): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(interval ?? '');
  if (!m) return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  const days = Number(d);
  if (days >= 10_000_000) return null;
  const total = Math.round(days * 1440 + Number(h) * 60 + Number(min) + Number(s) / 60);
  return total > 0 ? total : null;
}

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, '').toLowerCase();
const USER_NAME = norm('userName');
const WORK_EMAIL = norm('emails[type eq "work"].value');

/** The job that provisions to the SCIM app: custom apps use template `scim` (legacy `customappsso`); else the first. */
export function pickJob(jobs: SynchronizationJob[]): SynchronizationJob | undefined {
  return jobs.find((j) => /^(scim|customappsso)$/i.test(j.templateId ?? '')) ?? jobs[0];
}

/**
 * SCIM settings from the provisioning job and its schema. On = the job's schedule is `Active`
 * (the portal's Provisioning Status toggle); interval from the schedule (`PT40M`); the user
 * object mapping's `flowTypes` ("Add, Update, Delete") are the Create / Update / Delete target
 * actions; the sources of `userName` and `emails[type eq "work"].value` are the fields Entra sends.
 * Groups are pushed when the group object mapping is enabled; Entra then pushes the groups assigned
 * to the app (with "sync only assigned users and groups"), so those are the pushed groups.
 */
export function scimFromSynchronization(
  job: SynchronizationJob | undefined,
  schema: SynchronizationSchema | null,
  assignedGroupIds: string[],
): ScimSettings {
  if (!job)
    return {
      enabled: false,
      emailSource: null,
      userNameSource: null,
      create: null,
      update: null,
      deactivate: null,
      pushedGroupIds: null,
      intervalMinutes: null,
    };
  const mappings = (schema?.synchronizationRules ?? []).flatMap((r) => r.objectMappings ?? []);
  const users = mappings.find((m) => norm(m.sourceObjectName) === 'user' && m.enabled !== false);
  const groups = mappings.find((m) => norm(m.sourceObjectName) === 'group');
  const target = (name: string) => users?.attributeMappings?.find((a) => norm(a.targetAttributeName) === name);
  const flows = new Set(
    (users?.flowTypes ?? '')
      .split(',')
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean),
  );
  const has = (f: string) => (users ? flows.has(f) : schema ? false : null);
  return {
    enabled: (job.schedule?.state ?? '').toLowerCase() === 'active',
    emailSource: mappingSource(target(WORK_EMAIL)),
    userNameSource: mappingSource(target(USER_NAME)),
    create: has('add'),
    update: has('update'),
    deactivate: has('delete'),
    pushedGroupIds: schema ? (groups?.enabled ? [...assignedGroupIds].sort() : []) : null,
    intervalMinutes: intervalMinutes(job.schedule?.interval),
  };
}
