import type { Organization } from '../../schemas/config';
import type { PlanActionKind, PlanWhen } from '../../schemas/plan';
import type { DirectorySnapshot } from '../../schemas/snapshot';

/** Entra's SCIM cycle when the snapshot does not state one (R-V4: "about every 40 minutes"). */
export const ENTRA_SCIM_INTERVAL_MINUTES = 40;

export interface Timing {
  when: PlanWhen;
  /** One clause saying why it happens then, for the action's reason. */
  note: string;
  /** A rule beyond the action's own that decided the timing (R-V4, R-K2), if any. */
  rule?: string;
}

/**
 * The SCIM push interval that makes changes wait for the next cycle: the snapshot's
 * `scim.intervalMinutes`, or Entra's 40 minutes (R-V4). null: the IdP pushes on change.
 */
export function scimCycleMinutes(snapshot: Pick<DirectorySnapshot, 'idp' | 'app'>): number | null {
  const stated = snapshot.app.scim?.intervalMinutes ?? null;
  if (stated !== null) return stated;
  return snapshot.idp === 'entra' ? ENTRA_SCIM_INTERVAL_MINUTES : null;
}

const WHERE = {
  claude: 'claude.ai/admin-settings/organization',
  console: 'platform.claude.com/settings/members',
} as const;

/**
 * When a change happens under the org's provisioning mode (R-V3, the table in seed 001):
 *
 * | mode            | provision  | role / seat tier           | removal                                   |
 * |-----------------|------------|----------------------------|-------------------------------------------|
 * | Manual          | manual     | manual                     | manual                                    |
 * | JIT             | nextLogin  | manual (no IdP source)     | manual (stays listed until they try to log in or are removed) |
 * | JIT + mappings  | nextLogin  | nextLogin                  | manual (as JIT)                           |
 * | SCIM            | immediate  | manual (no IdP source)     | immediate                                 |
 * | SCIM + mappings | immediate  | immediate                  | immediate                                 |
 *
 * SCIM's `immediate` becomes `nextSyncCycle` where the IdP batches its pushes (Entra: about every
 * 40 minutes, R-V4), and `manual` where the IdP app does not push that kind of change at all
 * (SCIM off in the IdP, or Create / Update / Deactivate turned off: R-K2).
 */
export function timingFor(
  kind: Exclude<PlanActionKind, 'none'>,
  org: Organization,
  mappings: boolean,
  snapshot: Pick<DirectorySnapshot, 'idp' | 'app'>,
): Timing {
  const where = WHERE[org.surface];
  const mode = org.provisioning.mode;
  if (mode === 'manual') {
    const verb =
      kind === 'provision'
        ? 'add them'
        : kind === 'deprovision'
          ? 'remove them'
          : kind === 'changeRole'
            ? 'change the role'
            : 'change the seat tier';
    return { when: 'manual', note: `Manual mode: ${verb} by hand in ${where}` };
  }
  const roleLike = kind === 'changeRole' || kind === 'changeSeatTier';
  if (roleLike && !mappings) {
    return {
      when: 'manual',
      note: `${mode === 'jit' ? 'JIT' : 'SCIM'} without group mappings: roles change by hand in ${where}`,
    };
  }
  if (mode === 'jit') {
    if (kind === 'provision') return { when: 'nextLogin', note: 'JIT: created at their next SSO login' };
    if (roleLike)
      return {
        when: 'nextLogin',
        note: `JIT + group mappings: the ${kind === 'changeRole' ? 'role' : 'seat tier'} refreshes at their next login`,
      };
    return {
      when: 'manual',
      note: `JIT: they can no longer log in, but stay listed until they try to log in or are removed by hand in ${where}`,
    };
  }
  // SCIM
  const scim = snapshot.app.scim;
  if (scim && !scim.enabled)
    return {
      when: 'manual',
      note: 'SCIM mode, but provisioning is off in the IdP app: nothing is pushed, so do it by hand',
      rule: 'R-K2',
    };
  const switchOff = kind === 'provision' ? scim?.create : kind === 'deprovision' ? scim?.deactivate : scim?.update;
  if (switchOff === false) {
    const name =
      kind === 'provision' ? 'Create Users' : kind === 'deprovision' ? 'Deactivate Users' : 'Update User Attributes';
    return {
      when: 'manual',
      note: `the IdP app does not push "${name}" (R-K2), so do it by hand in ${where}`,
      rule: 'R-K2',
    };
  }
  const what =
    kind === 'provision'
      ? 'SCIM creates them on assignment'
      : kind === 'deprovision'
        ? 'SCIM removes them automatically'
        : 'SCIM pushes the change automatically';
  const cycle = scimCycleMinutes(snapshot);
  if (cycle !== null) {
    return {
      when: 'nextSyncCycle',
      note: `${what} at the next sync cycle (${snapshot.idp === 'entra' ? 'Microsoft Entra pushes SCIM changes' : 'the IdP pushes'} about every ${cycle} minutes, R-V4)`,
      rule: 'R-V4',
    };
  }
  return { when: 'immediate', note: what };
}
