import { diff, type DirectorySnapshot, type Finding, type Plan, type Report } from '@claude-idp/core';
import {
  STATE_SCHEMA_VERSION,
  type AccessChange,
  type AccessRow,
  type PlanActionRef,
  type RunChanges,
  type RunCommand,
} from './state-schema';

/**
 * A finding's identity across runs: its code, org and subject — not its message, whose counts and
 * wording may change while the problem stays the same (a known issue must not come back as "new").
 */
export function findingKey(f: Finding): string {
  return JSON.stringify([f.code, f.orgId ?? '', f.subject.kind, f.subject.id ?? '', f.subject.name ?? '']);
}

/** A plan action's identity: who, where, what, from and to (its reason text may change). */
export function planActionKey(a: PlanActionRef): string {
  return JSON.stringify([a.orgId, a.email.toLowerCase(), a.action, a.from ?? '', a.to ?? '']);
}

export function planActionRefs(plan: Plan): PlanActionRef[] {
  return plan.orgs.flatMap((o) =>
    o.actions
      .filter((a) => a.action !== 'none')
      .map((a) => ({
        orgId: o.orgId,
        email: a.email,
        action: a.action,
        when: a.when,
        ...(a.from === undefined ? {} : { from: a.from }),
        ...(a.to === undefined ? {} : { to: a.to }),
      })),
  );
}

function minus<T>(items: T[], other: T[], key: (t: T) => string): T[] {
  const seen = new Set(other.map(key));
  return items.filter((t) => !seen.has(key(t)));
}

/** People whose access, role or seat tier differs between two runs, keyed by org and IdP user id. */
export function compareAccess(before: AccessRow[], after: AccessRow[]): AccessChange[] {
  const key = (r: AccessRow) => `${r.orgId}\u0000${r.userId}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const state = (r: AccessRow | undefined) => (r ? { access: r.access, role: r.role, seatTier: r.seatTier } : null);
  const same = (a: AccessRow | undefined, b: AccessRow | undefined) =>
    (a?.access ?? false) === (b?.access ?? false) &&
    (a?.access ? a.role === b?.role && a.seatTier === b?.seatTier : true);
  const out: AccessChange[] = [];
  for (const k of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(k);
    const b = now.get(k);
    if (same(a, b)) continue;
    const r = (b ?? a)!;
    out.push({ orgId: r.orgId, userId: r.userId, email: b?.email ?? a?.email ?? null, from: state(a), to: state(b) });
  }
  return out.sort((x, y) =>
    x.orgId === y.orgId
      ? (x.email ?? '\uffff').localeCompare(y.email ?? '\uffff') || x.userId.localeCompare(y.userId)
      : x.orgId.localeCompare(y.orgId),
  );
}

export interface RunSide {
  snapshot: DirectorySnapshot;
  access: AccessRow[];
  report?: Report;
  plan?: Plan;
  configDigest: string;
}

export interface PreviousRun {
  runId: string;
  at: string;
  command: RunCommand;
  /** The latest run's snapshot and access (any command). */
  snapshot: DirectorySnapshot;
  access: AccessRow[];
  configDigest: string;
  /** The latest audit run's report, if any run in the directory had one. */
  report?: Report;
  /** The latest plan run's plan, if any. */
  plan?: Plan;
}

/**
 * What changed since the previous run: new and resolved findings (against the last audit), people
 * whose access changed and the IdP drift (against the last run), plan actions added or gone
 * (against the last plan). With no previous run everything current is new. Pure and deterministic.
 */
export function computeChanges(current: RunSide, previous: PreviousRun | null): RunChanges {
  const findings = current.report?.findings ?? [];
  const findingsCompared = Boolean(current.report);
  const newFindings = findingsCompared
    ? previous?.report
      ? minus(findings, previous.report.findings, findingKey)
      : findings
    : [];
  const resolvedFindings =
    findingsCompared && previous?.report ? minus(previous.report.findings, findings, findingKey) : [];
  const planCompared = Boolean(current.plan);
  const actions = current.plan ? planActionRefs(current.plan) : [];
  const before = previous?.plan ? planActionRefs(previous.plan) : [];
  const planAdded = planCompared ? minus(actions, before, planActionKey) : [];
  const planGone = planCompared && previous?.plan ? minus(before, actions, planActionKey) : [];
  const access = previous ? compareAccess(previous.access, current.access) : [];
  const drift = previous
    ? (diff(previous.snapshot, current.snapshot).summary as unknown as Record<string, number>)
    : null;
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    since: previous ? { runId: previous.runId, at: previous.at, command: previous.command } : null,
    configChanged: previous ? previous.configDigest !== current.configDigest : false,
    findingsCompared,
    newFindings,
    resolvedFindings,
    access,
    drift,
    planCompared,
    planAdded,
    planGone,
    changed: newFindings.length + resolvedFindings.length + access.length + planAdded.length + planGone.length > 0,
  };
}

/** One line: what changed, for stderr and notification titles. */
export function changesHeadline(c: RunChanges): string {
  if (!c.changed) return c.since ? `nothing changed since ${c.since.at}` : 'first run: nothing to compare';
  const parts: string[] = [];
  const sev = (list: Finding[]) => {
    const errors = list.filter((f) => f.severity === 'error').length;
    return errors ? ` (${errors} error${errors === 1 ? '' : 's'})` : '';
  };
  if (c.findingsCompared) {
    parts.push(`${c.newFindings.length} new finding${c.newFindings.length === 1 ? '' : 's'}${sev(c.newFindings)}`);
    if (c.since) parts.push(`${c.resolvedFindings.length} resolved`);
  }
  if (c.since) parts.push(`${c.access.length} ${c.access.length === 1 ? 'person' : 'people'} with changed access`);
  if (c.planCompared)
    parts.push(
      `plan: ${c.planAdded.length} action${c.planAdded.length === 1 ? '' : 's'} added, ${c.planGone.length} gone`,
    );
  return `${c.since ? `since ${c.since.at}` : 'first run in this state directory'}: ${parts.join(', ')}`;
}
