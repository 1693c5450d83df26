import { InputError } from '../../errors/input-error';

export interface PlanLimits {
  /**
   * The most people one org may lose in one plan before the `BREAKER` guard makes apply refuse
   * (SPEC §5): a count (`25`) or a percentage of the org's current members (`'10%'`). Default `'10%'`.
   * Exactly at the limit passes; one over trips.
   */
  maxDeprovision?: number | `${number}%` | `${number}`;
}

export interface DeprovisionLimit {
  kind: 'count' | 'percent';
  value: number;
}

export const DEFAULT_MAX_DEPROVISION: DeprovisionLimit = Object.freeze({ kind: 'percent', value: 10 });

/** Parses `limits.maxDeprovision` (same grammar as apply's `--max-deprovision N|N%`). */
export function parseDeprovisionLimit(
  value: PlanLimits['maxDeprovision'] | string | undefined,
  source = 'limits.maxDeprovision',
): DeprovisionLimit {
  if (value === undefined) return DEFAULT_MAX_DEPROVISION;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'count', value };
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value) : null;
  if (m) {
    const n = Number(m[1]);
    if (m[2] === '%' && n <= 100) return { kind: 'percent', value: n };
    if (m[2] === '' && Number.isInteger(n)) return { kind: 'count', value: n };
  }
  throw new InputError({
    source,
    issues: [
      {
        path: '',
        expected: 'a whole number of people (5) or a percentage of the org from 0% to 100% (10%)',
        received: JSON.stringify(value),
      },
    ],
  });
}

/** How many removals the limit allows in an org of `orgSize` current members (may be fractional for a percentage). */
export function allowedDeprovisions(limit: DeprovisionLimit, orgSize: number): number {
  return limit.kind === 'count' ? limit.value : (orgSize * limit.value) / 100;
}

export function describeLimit(limit: DeprovisionLimit, orgSize: number): string {
  return limit.kind === 'count'
    ? `${limit.value}`
    : `${limit.value}% of ${orgSize} = ${formatNumber(allowedDeprovisions(limit, orgSize))}`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}
