import type { DirectorySnapshot, SnapshotUser } from '../../schemas/snapshot';
import { byCodePoint } from './fingerprint';

export interface DiffUserRef {
  id: string;
  email: string | null;
}

export interface DiffGroupRef {
  id: string;
  name: string;
}

export interface DiffFieldChange {
  /** `email`, `login`, `status`, `aliases`, `fields.user.mail`, `sso.nameIdSource`, `scim.pushedGroupIds`... */
  field: string;
  from: unknown;
  to: unknown;
}

export interface DiffUserChange extends DiffUserRef {
  changes: DiffFieldChange[];
}

export interface DiffGroupChange extends DiffGroupRef {
  /** Set when the group was renamed: same IdP id, new name. */
  renamed?: { from: string; to: string };
  membersAdded: DiffUserRef[];
  membersRemoved: DiffUserRef[];
  nestedAdded: DiffGroupRef[];
  nestedRemoved: DiffGroupRef[];
}

export interface SnapshotDiff {
  schemaVersion: 1;
  from: { idp: string; tenant: string; capturedAt: string; complete: boolean };
  to: { idp: string; tenant: string; capturedAt: string; complete: boolean };
  /** Snapshot-level changes (idp, tenant, complete, nesting, app id / name). */
  snapshot: DiffFieldChange[];
  /** The app's SSO and SCIM settings, flattened to dotted paths. */
  app: DiffFieldChange[];
  users: { added: DiffUserRef[]; removed: DiffUserRef[]; changed: DiffUserChange[] };
  groups: { added: DiffGroupRef[]; removed: DiffGroupRef[]; changed: DiffGroupChange[] };
  assignments: {
    usersAdded: DiffUserRef[];
    usersRemoved: DiffUserRef[];
    groupsAdded: DiffGroupRef[];
    groupsRemoved: DiffGroupRef[];
  };
  summary: {
    usersAdded: number;
    usersRemoved: number;
    usersChanged: number;
    statusChanges: number;
    emailChanges: number;
    loginChanges: number;
    groupsAdded: number;
    groupsRemoved: number;
    groupsRenamed: number;
    membershipsAdded: number;
    membershipsRemoved: number;
    nestingAdded: number;
    nestingRemoved: number;
    assignmentsAdded: number;
    assignmentsRemoved: number;
    appSettingChanges: number;
    /** Everything above that is a change (the `*Changes` counts are part of `usersChanged`, not added twice). */
    total: number;
  };
}

/**
 * Drift between two snapshots of the same IdP app (two scheduled runs): people and groups added
 * and removed, status / email / login / field changes, group renames, membership and nesting
 * changes, assignment changes, and app SSO / SCIM setting changes. Keyed by the IdP's immutable ids
 * (SPEC §4), so a renamed group or a changed email is a change, never a delete + add.
 *
 * Deterministic: every list sorted by id (code-point order); member lists and pushed group ids are
 * compared as sets. Emails are compared as stored (a case-only change is reported; it does not
 * break matching, which normalises). Linear in the size of both snapshots.
 */
export function diff(oldSnapshot: DirectorySnapshot, newSnapshot: DirectorySnapshot): SnapshotDiff {
  const a = oldSnapshot;
  const b = newSnapshot;
  const usersA = byId(a.users);
  const usersB = byId(b.users);
  const groupsA = byId(a.groups);
  const groupsB = byId(b.groups);
  // A reference shows the newest known email / name (the old one for things that are gone).
  const userRef = (id: string): DiffUserRef => ({ id, email: (usersB.get(id) ?? usersA.get(id))?.email ?? null });
  const groupRef = (id: string): DiffGroupRef => ({ id, name: (groupsB.get(id) ?? groupsA.get(id))?.name ?? id });

  const users = { added: [] as DiffUserRef[], removed: [] as DiffUserRef[], changed: [] as DiffUserChange[] };
  let statusChanges = 0;
  let emailChanges = 0;
  let loginChanges = 0;
  for (const id of sortedKeys(usersA, usersB)) {
    const ua = usersA.get(id);
    const ub = usersB.get(id);
    if (!ua) users.added.push(userRef(id));
    else if (!ub) users.removed.push(userRef(id));
    else {
      const changes = userChanges(ua, ub);
      if (changes.length) {
        users.changed.push({ ...userRef(id), changes });
        for (const c of changes) {
          if (c.field === 'status') statusChanges++;
          else if (c.field === 'email') emailChanges++;
          else if (c.field === 'login') loginChanges++;
        }
      }
    }
  }

  const groups = { added: [] as DiffGroupRef[], removed: [] as DiffGroupRef[], changed: [] as DiffGroupChange[] };
  let renamed = 0;
  let membershipsAdded = 0;
  let membershipsRemoved = 0;
  let nestingAdded = 0;
  let nestingRemoved = 0;
  for (const id of sortedKeys(groupsA, groupsB)) {
    const ga = groupsA.get(id);
    const gb = groupsB.get(id);
    if (!ga) groups.added.push(groupRef(id));
    else if (!gb) groups.removed.push(groupRef(id));
    else {
      const [mAdded, mRemoved] = setDiff(ga.memberUserIds, gb.memberUserIds);
      const [nAdded, nRemoved] = setDiff(ga.memberGroupIds, gb.memberGroupIds);
      const rename = ga.name !== gb.name ? { from: ga.name, to: gb.name } : undefined;
      if (rename || mAdded.length || mRemoved.length || nAdded.length || nRemoved.length) {
        if (rename) renamed++;
        membershipsAdded += mAdded.length;
        membershipsRemoved += mRemoved.length;
        nestingAdded += nAdded.length;
        nestingRemoved += nRemoved.length;
        groups.changed.push({
          ...groupRef(id),
          ...(rename ? { renamed: rename } : {}),
          membersAdded: mAdded.map(userRef),
          membersRemoved: mRemoved.map(userRef),
          nestedAdded: nAdded.map(groupRef),
          nestedRemoved: nRemoved.map(groupRef),
        });
      }
    }
  }

  const [auAdded, auRemoved] = setDiff(a.assignments.userIds, b.assignments.userIds);
  const [agAdded, agRemoved] = setDiff(a.assignments.groupIds, b.assignments.groupIds);
  const assignments = {
    usersAdded: auAdded.map(userRef),
    usersRemoved: auRemoved.map(userRef),
    groupsAdded: agAdded.map(groupRef),
    groupsRemoved: agRemoved.map(groupRef),
  };

  const snapshot: DiffFieldChange[] = [];
  for (const field of ['idp', 'tenant', 'complete', 'nesting'] as const) {
    if (a[field] !== b[field]) snapshot.push({ field, from: a[field] ?? null, to: b[field] ?? null });
  }
  if (a.app.id !== b.app.id) snapshot.push({ field: 'app.id', from: a.app.id, to: b.app.id });
  if (a.app.name !== b.app.name) snapshot.push({ field: 'app.name', from: a.app.name, to: b.app.name });
  const app = flatDiff({ sso: a.app.sso, scim: a.app.scim }, { sso: b.app.sso, scim: b.app.scim });

  const summary = {
    usersAdded: users.added.length,
    usersRemoved: users.removed.length,
    usersChanged: users.changed.length,
    statusChanges,
    emailChanges,
    loginChanges,
    groupsAdded: groups.added.length,
    groupsRemoved: groups.removed.length,
    groupsRenamed: renamed,
    membershipsAdded,
    membershipsRemoved,
    nestingAdded,
    nestingRemoved,
    assignmentsAdded: auAdded.length + agAdded.length,
    assignmentsRemoved: auRemoved.length + agRemoved.length,
    appSettingChanges: app.length + snapshot.length,
    total: 0,
  };
  summary.total =
    summary.usersAdded +
    summary.usersRemoved +
    summary.usersChanged +
    summary.groupsAdded +
    summary.groupsRemoved +
    summary.groupsRenamed +
    summary.membershipsAdded +
    summary.membershipsRemoved +
    summary.nestingAdded +
    summary.nestingRemoved +
    summary.assignmentsAdded +
    summary.assignmentsRemoved +
    summary.appSettingChanges;

  return {
    schemaVersion: 1,
    from: { idp: a.idp, tenant: a.tenant, capturedAt: a.capturedAt, complete: a.complete },
    to: { idp: b.idp, tenant: b.tenant, capturedAt: b.capturedAt, complete: b.complete },
    snapshot,
    app,
    users,
    groups,
    assignments,
    summary,
  };
}

function byId<T extends { id: string }>(xs: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) if (!m.has(x.id)) m.set(x.id, x);
  return m;
}

function sortedKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string[] {
  const keys = new Set(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort(byCodePoint);
}

/** [added, removed], each sorted, comparing as sets. */
function setDiff(before: readonly string[], after: readonly string[]): [string[], string[]] {
  const a = new Set(before);
  const b = new Set(after);
  const added: string[] = [];
  const removed: string[] = [];
  for (const x of b) if (!a.has(x)) added.push(x);
  for (const x of a) if (!b.has(x)) removed.push(x);
  return [added.sort(byCodePoint), removed.sort(byCodePoint)];
}

function userChanges(a: SnapshotUser, b: SnapshotUser): DiffFieldChange[] {
  const out: DiffFieldChange[] = [];
  if (a.email !== b.email) out.push({ field: 'email', from: a.email, to: b.email });
  if (a.login !== b.login) out.push({ field: 'login', from: a.login, to: b.login });
  if (a.status !== b.status) out.push({ field: 'status', from: a.status, to: b.status });
  const aliasesA = [...(a.aliases ?? [])].sort(byCodePoint);
  const aliasesB = [...(b.aliases ?? [])].sort(byCodePoint);
  if (aliasesA.join('\u0000') !== aliasesB.join('\u0000')) out.push({ field: 'aliases', from: aliasesA, to: aliasesB });
  const keys = [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort(byCodePoint);
  for (const k of keys) {
    const va = a.fields[k];
    const vb = b.fields[k];
    // A source field that only mirrors email / login would report the same change twice.
    if (va === vb) continue;
    if (
      (k === 'user.email' && va === a.email && vb === b.email) ||
      (k === 'user.login' && va === a.login && vb === b.login)
    )
      continue;
    out.push({ field: `fields.${k}`, from: va ?? null, to: vb ?? null });
  }
  return out;
}

/** Flattens two plain objects to dotted paths and lists the paths whose values differ (arrays compared as sorted sets). */
function flatDiff(a: unknown, b: unknown): DiffFieldChange[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const out: DiffFieldChange[] = [];
  for (const k of sortedKeys(fa, fb)) {
    const va = fa.has(k) ? fa.get(k) : null;
    const vb = fb.has(k) ? fb.get(k) : null;
    if (JSON.stringify(va) !== JSON.stringify(vb)) out.push({ field: k, from: va, to: vb });
  }
  return out;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    out.set(prefix, [...value].map(String).sort(byCodePoint));
    return;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>);
    if (keys.length === 0) out.set(prefix, {});
    for (const k of keys) flatten((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value === undefined ? null : value);
}

/** The drift as text, one line each: summary first, then each change. */
export function diffLines(d: SnapshotDiff): string[] {
  const lines: string[] = [];
  const s = d.summary;
  lines.push(`Drift ${d.from.capturedAt} → ${d.to.capturedAt} (${d.to.idp} ${d.to.tenant}): ${s.total} change(s)`);
  if (!d.from.complete || !d.to.complete)
    lines.push(
      `  warning: ${!d.to.complete ? 'the new' : 'the old'} snapshot is incomplete; removals may be read failures`,
    );
  const u = (r: DiffUserRef) => `${r.email ?? '(no email)'} [${r.id}]`;
  const g = (r: DiffGroupRef) => `${r.name} [${r.id}]`;
  const v = (x: unknown) => JSON.stringify(x);
  for (const c of d.snapshot) lines.push(`  ~ ${c.field}: ${v(c.from)} → ${v(c.to)}`);
  for (const c of d.app) lines.push(`  ~ app.${c.field}: ${v(c.from)} → ${v(c.to)}`);
  for (const r of d.users.added) lines.push(`  + person ${u(r)}`);
  for (const r of d.users.removed) lines.push(`  - person ${u(r)}`);
  for (const r of d.users.changed)
    for (const c of r.changes) lines.push(`  ~ person ${u(r)} ${c.field}: ${v(c.from)} → ${v(c.to)}`);
  for (const r of d.groups.added) lines.push(`  + group ${g(r)}`);
  for (const r of d.groups.removed) lines.push(`  - group ${g(r)}`);
  for (const r of d.groups.changed) {
    if (r.renamed) lines.push(`  ~ group [${r.id}] renamed ${v(r.renamed.from)} → ${v(r.renamed.to)}`);
    for (const m of r.membersAdded) lines.push(`  + ${u(m)} in group ${g(r)}`);
    for (const m of r.membersRemoved) lines.push(`  - ${u(m)} from group ${g(r)}`);
    for (const m of r.nestedAdded) lines.push(`  + group ${g(m)} nested in ${g(r)}`);
    for (const m of r.nestedRemoved) lines.push(`  - group ${g(m)} no longer nested in ${g(r)}`);
  }
  for (const r of d.assignments.usersAdded) lines.push(`  + assigned to the app: ${u(r)}`);
  for (const r of d.assignments.usersRemoved) lines.push(`  - unassigned from the app: ${u(r)}`);
  for (const r of d.assignments.groupsAdded) lines.push(`  + group assigned to the app: ${g(r)}`);
  for (const r of d.assignments.groupsRemoved) lines.push(`  - group unassigned from the app: ${g(r)}`);
  return lines;
}
