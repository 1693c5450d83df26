import { canonicalHash, canonicalJson } from '../../model/canonical-json';
import { ChunkedHash, jsonString } from '../../model/chunked-hash';
import { memberFingerprints } from '../../model/members-fingerprint';
import type { OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { DirectorySnapshot } from '../../schemas/snapshot';
import { createEngineCache, type EngineCache } from '../../rules/engine-cache';

/** Code-point order (never `localeCompare`, whose order depends on the machine's ICU data). */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted copy, or the array itself when it is already in order (the common case: adapters page in id order). */
function sorted(xs: readonly string[]): readonly string[] {
  // Array#sort without a comparator orders strings by UTF-16 code units, as byCodePoint does, natively.
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return [...xs].sort();
  return xs;
}

function sortedById<T extends { id: string }>(xs: readonly T[]): readonly T[] {
  for (let i = 1; i < xs.length; i++)
    if (xs[i - 1]!.id > xs[i]!.id) return [...xs].sort((a, b) => byCodePoint(a.id, b.id));
  return xs;
}

/**
 * The hash of a snapshot as `plan` records it in `Plan.inputs.snapshot`: `sha256:` of a canonical
 * form that leaves out `capturedAt` (two reads of an unchanged IdP hash the same) and every order
 * that carries no meaning (users and groups by id, member lists, assignments and aliases sorted),
 * so an adapter that pages in another order does not change the fingerprint.
 *
 * Canonical form (version 1): the canonical JSON of the snapshot's other fields; a line `users`,
 * then one line per user: `id,email,login,status` as JSON strings, then each source field as
 * `,"name":value` with the value `=e` / `=l` when it equals the email / login (most do) or its JSON
 * string, then `,aliases` as a JSON array if any; a line `groups`, then one line per group:
 * `[id,name,[member ids],[nested group ids]]` as JSON. Written by hand and hashed in ~64 KiB
 * chunks: `canonicalHash` of the whole snapshot costs ~0.5 s at 100k people, this ~0.2 s (most of
 * it sorting member lists and quoting ids and addresses).
 */
export function snapshotFingerprint(snapshot: DirectorySnapshot): string {
  const { users, groups, assignments, capturedAt: _capturedAt, unavailable, ...rest } = snapshot;
  const q = JSON.stringify;
  const hash = new ChunkedHash();
  hash.add(
    canonicalJson({
      ...rest,
      assignments: { userIds: sorted(assignments.userIds), groupIds: sorted(assignments.groupIds) },
      unavailable: unavailable
        ? [...unavailable].sort((a, b) => byCodePoint(a.check, b.check) || byCodePoint(a.reason, b.reason))
        : undefined,
    }),
  );
  hash.add('\nusers\n');
  // JSON of strings: ids and addresses via `jsonString`; statuses and field names, a handful of
  // values repeated on every line, quoted once each.
  const str = (s: string | null) => (s === null ? 'null' : jsonString(s));
  const quotedNames = new Map<string, string>();
  const name = (s: string) => {
    let quoted = quotedNames.get(s);
    if (quoted === undefined) quotedNames.set(s, (quoted = q(s)));
    return quoted;
  };
  const field = (k: string, v: string | null, u: DirectorySnapshot['users'][number]) =>
    `,${name(k)}:${v !== null && v === u.email ? '=e' : v !== null && v === u.login ? '=l' : str(v)}`;
  const byId = sortedById(users);
  for (let i = 0; i < byId.length; i++) {
    const u = byId[i]!;
    let line = `${str(u.id)},${str(u.email)},${str(u.login)},${name(u.status)}`;
    // Usually in order already (adapters write the same fields in the same order): then they are
    // written as for-in walks them (Object.keys order, no array made); else again, sorted.
    const fields = u.fields;
    const head = line;
    let previous: string | null = null;
    let inOrder = true;
    for (const k in fields) {
      if (previous !== null && !(previous < k)) {
        inOrder = false;
        break;
      }
      previous = k;
      line += field(k, fields[k] ?? null, u);
    }
    if (!inOrder) {
      line = head;
      for (const k of [...Object.keys(fields)].sort()) line += field(k, fields[k] ?? null, u);
    }
    if (u.aliases?.length) line += `,${q(sorted(u.aliases))}`;
    hash.add(line);
    hash.add('\n');
  }
  hash.add('groups\n');
  for (const g of sortedById(groups)) {
    hash.add(q([g.id, g.name, sorted(g.memberUserIds), sorted(g.memberGroupIds)]));
    hash.add('\n');
  }
  return hash.digest();
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
  /** `orgMembersFingerprint(members, orgId)` per org of the config: one org's part, as its Admin API read shows it. */
  membersByOrg: Record<string, string>;
}

export function planInputs(
  snapshot: DirectorySnapshot,
  config: OrgConfig,
  members: readonly Member[],
  cache: EngineCache = createEngineCache(),
): PlanInputs {
  const fingerprints = memberFingerprints(
    members,
    config.organizations.map((o) => o.id),
    cache,
  );
  const membersByOrg: Record<string, string> = {};
  for (const org of config.organizations) membersByOrg[org.id] = fingerprints.byOrg[org.id]!;
  return {
    snapshot: snapshotFingerprint(snapshot),
    config: configFingerprint(config),
    members: fingerprints.members,
    membersByOrg,
  };
}

/** `Plan.fingerprint`: the hash of the three input hashes; apply refuses a plan whose inputs changed. */
export function planFingerprint(inputs: PlanInputs): string {
  return canonicalHash({ config: inputs.config, members: inputs.members, snapshot: inputs.snapshot });
}
