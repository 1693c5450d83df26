import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson } from '../../model/canonical-json';
import { membersFingerprint } from '../../model/members-fingerprint';
import type { OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { DirectorySnapshot } from '../../schemas/snapshot';

/** Code-point order (never `localeCompare`, whose order depends on the machine's ICU data). */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sorted = (xs: readonly string[]) => [...xs].sort(byCodePoint);

/**
 * The hash of a snapshot as `plan` records it in `Plan.inputs.snapshot`: `sha256:` of a canonical
 * form that leaves out `capturedAt` (two reads of an unchanged IdP hash the same) and every order
 * that carries no meaning (users and groups by id, member lists, assignments and aliases sorted),
 * so an adapter that pages in another order does not change the fingerprint.
 *
 * Canonical form: the canonical JSON of the snapshot's other fields, then one line per user and
 * per group (a JSON array of its fields in a fixed order). Written out by hand, not through
 * `canonicalJson` of the whole snapshot, because that costs ~0.5 s at 100k people.
 */
export function snapshotFingerprint(snapshot: DirectorySnapshot): string {
  const { users, groups, assignments, capturedAt: _capturedAt, unavailable, ...rest } = snapshot;
  const h = createHash('sha256');
  h.update(
    canonicalJson({
      ...rest,
      assignments: { userIds: sorted(assignments.userIds), groupIds: sorted(assignments.groupIds) },
      unavailable: unavailable ? [...unavailable].sort((a, b) => byCodePoint(a.check, b.check) || byCodePoint(a.reason, b.reason)) : undefined,
    }),
  );
  h.update('\nusers');
  const us = [...users].sort((a, b) => byCodePoint(a.id, b.id));
  for (const u of us) {
    const keys = Object.keys(u.fields).sort(byCodePoint);
    const fields: (string | null)[] = [];
    for (const k of keys) fields.push(k, u.fields[k] ?? null);
    h.update('\n');
    h.update(JSON.stringify([u.id, u.email, u.login, u.status, fields, u.aliases ? sorted(u.aliases) : null]));
  }
  h.update('\ngroups');
  const gs = [...groups].sort((a, b) => byCodePoint(a.id, b.id));
  for (const g of gs) {
    h.update('\n');
    h.update(JSON.stringify([g.id, g.name, sorted(g.memberUserIds), sorted(g.memberGroupIds)]));
  }
  return `sha256:${h.digest('hex')}`;
}

/** The hash of a config as `plan` records it in `Plan.inputs.config`: `canonicalHash` (key order free). */
export function configFingerprint(config: OrgConfig): string {
  return canonicalHash(config);
}

export interface PlanInputs {
  snapshot: string;
  config: string;
  /** `membersFingerprint(members)`: what the Anthropic apply recomputes from a fresh read. */
  members: string;
}

export function planInputs(snapshot: DirectorySnapshot, config: OrgConfig, members: readonly Member[]): PlanInputs {
  return { snapshot: snapshotFingerprint(snapshot), config: configFingerprint(config), members: membersFingerprint(members) };
}

/** `Plan.fingerprint`: the hash of the three input hashes; apply refuses a plan whose inputs changed. */
export function planFingerprint(inputs: PlanInputs): string {
  return canonicalHash({ config: inputs.config, members: inputs.members, snapshot: inputs.snapshot });
}
