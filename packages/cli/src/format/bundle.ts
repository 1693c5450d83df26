import type { Finding, Plan, Report } from '@claude-idp/core';
import type { OrgSeats, PersonAccess } from '../state/access';
import type { RunChanges } from '../state/state-schema';

/** Who ends up with which role / seat tier in one org (the chart in the HTML report). */
export interface OrgAccessSummary {
  orgId: string;
  name?: string;
  surface: 'claude' | 'console';
  roles: Record<string, number>;
  seatTiers: Record<string, number>;
  noAccess: number;
}

/** Everything a rendered report may show; each format picks what it needs. */
export interface OutputBundle {
  title: string;
  report?: Report;
  plan?: Plan;
  access?: OrgAccessSummary[];
  explain?: { email: string; lines: string[] }[];
  /** The severity at which the command fails (`--fail-on`, default error): JUnit fails those findings. */
  failOn?: FailOn;
  /** Every person the app or a mapped group reaches, per org (the HTML access table). */
  people?: PersonAccess[];
  /** Seats bought and used per tier (claude.ai orgs). */
  seats?: OrgSeats[];
  /** With `--state`: what changed since the last run. */
  changes?: RunChanges;
}

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Does this finding fail the command under `--fail-on`? (`never`: nothing does.) */
export function failsUnder(f: Finding, failOn: FailOn = 'error'): boolean {
  if (failOn === 'never') return false;
  return SEVERITY_ORDER.indexOf(f.severity) <= SEVERITY_ORDER.indexOf(failOn);
}

export type Format = 'text' | 'json' | 'markdown' | 'html' | 'junit';
export const FORMATS: Format[] = ['text', 'json', 'markdown', 'html', 'junit'];

export const SEVERITY_ORDER: Finding['severity'][] = ['error', 'warning', 'info'];

export function bySeverity(findings: Finding[]): Record<Finding['severity'], Finding[]> {
  const out: Record<Finding['severity'], Finding[]> = { error: [], warning: [], info: [] };
  for (const f of findings) out[f.severity].push(f);
  return out;
}

export function subjectLabel(f: Finding): string {
  const s = f.subject;
  return `${s.kind}${s.name ? ` ${s.name}` : s.id ? ` ${s.id}` : ''}`;
}

export function planTotals(plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const org of plan.orgs) for (const [k, v] of Object.entries(org.totals)) out[k] = (out[k] ?? 0) + v;
  return out;
}
