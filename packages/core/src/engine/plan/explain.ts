import { normalizeEmail } from '../../model/email';
import type { EngineCache } from '../../rules/engine-cache';
import {
  nestingFor,
  type AccessReason,
  type DirectoryIndex,
  type NestingSemantics,
  type UserAccess,
} from '../../rules/access';
import type { IdpKind } from '../../schemas/common';
import type { OrgConfig, ProvisioningMode, Surface } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { PlanAction } from '../../schemas/plan';
import type { DirectorySnapshot, UserStatus } from '../../schemas/snapshot';
import { byCodePoint } from './fingerprint';
import type { PlanLimits } from './limits';
import { planCore, type PlannedOrg } from './plan';

export interface ExplainArgs {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  /** Any address the person is known by (email, login, alias, the SAML / SCIM source). */
  email: string;
  /** Current members; without them the planned actions assume the person is in no org yet. */
  members?: readonly Member[];
  limits?: PlanLimits;
  /** Work shared with other calls over the same inputs (`createEngineCache`); default: this call's own. */
  cache?: EngineCache;
}

export interface ExplainGroupRef {
  id: string;
  name: string;
}

export interface ExplainStep {
  rule: string;
  /** true: this step lets them through; false: it stops or limits them; null: information. */
  ok: boolean | null;
  text: string;
}

export interface ExplainedMappedGroup extends ExplainGroupRef {
  kind: 'role' | 'seatTier';
  /** The role or seat tier the group maps to. */
  target: string;
  /** Whether membership counts under this IdP's nesting (false: reached only through a nested group on Entra). */
  counted: boolean;
  /** How the person is in it: [the group they are directly in, ..., this group]. */
  path: ExplainGroupRef[];
}

export interface ExplainedOrg {
  orgId: string;
  name?: string;
  surface: Surface;
  mode: ProvisioningMode;
  mappings: boolean;
  /** null when the person is not in the snapshot. */
  access: null | {
    assigned: boolean;
    direct: boolean;
    /** Assigned groups that give the app, each with the path of groups from the person to it. */
    viaGroups: (ExplainGroupRef & { path: ExplainGroupRef[] })[];
    /** Assigned groups reached only through a nested group, which did NOT count (Entra: direct members only). */
    nestedNotCounted: (ExplainGroupRef & { path: ExplainGroupRef[] })[];
    entitled: boolean;
    reason: AccessReason;
  };
  /** The org's mapped groups the person is in (counted or not). */
  mappedGroups: ExplainedMappedGroup[];
  role: string | null;
  roleSource: UserAccess['roleSource'];
  seatTier: string | null;
  seatTierSource: UserAccess['seatTierSource'];
  withinSeats: boolean | null;
  member: Member | null;
  /** The planned actions for this person in this org (usually one). */
  actions: PlanAction[];
  steps: ExplainStep[];
}

export interface Explanation {
  query: string;
  /** The query, normalised; null when it is not an address. */
  email: string | null;
  idp: IdpKind;
  nesting: NestingSemantics;
  complete: boolean;
  person: null | { userId: string; email: string | null; login: string | null; status: UserStatus; aliases: string[] };
  /** Other IdP people known by the same address (a duplicate in the IdP). */
  otherMatches: string[];
  orgs: ExplainedOrg[];
  /** The explanation as text, one line each, for people. */
  lines: string[];
}

/**
 * Why one person has (or has not) access to each org, step by step with the rule behind each step:
 * how they reach the app (directly, or through which assigned group, and on Entra which nested
 * groups did NOT count), which mapped groups they are in, the winning role (R-G1) and seat tier
 * (R-G2, R-V5), their current membership, and the planned actions (the same `plan` computes).
 */
export function explain(args: ExplainArgs): Explanation {
  const members = args.members ?? [];
  const core = planCore({
    snapshot: args.snapshot,
    config: args.config,
    members,
    limits: args.limits,
    ...(args.cache ? { cache: args.cache } : {}),
  });
  const { index } = core;
  const query = args.email;
  const email = normalizeEmail(query);
  const ids = index.lookupEmail(query);
  const userId = ids[0];
  const user = userId ? index.usersById.get(userId) : undefined;
  const person = user
    ? { userId: user.id, email: user.email, login: user.login, status: user.status, aliases: [...(user.aliases ?? [])] }
    : null;
  const paths = user ? groupPaths(index, user.id) : new Map<string, string[]>();
  const ref = (id: string): ExplainGroupRef => ({ id, name: index.groupsById.get(id)?.name ?? id });
  const pathRefs = (id: string) => (paths.get(id) ?? [id]).map(ref);

  const orgs = core.orgs.map((planned) => explainOrg(planned));
  const out: Explanation = {
    query,
    email,
    idp: args.snapshot.idp,
    nesting: nestingFor(args.snapshot),
    complete: core.complete,
    person,
    otherMatches: ids.slice(1),
    orgs,
    lines: [],
  };
  out.lines = render(out);
  return out;

  function explainOrg(planned: PlannedOrg): ExplainedOrg {
    const { org, access } = planned;
    const ua = user ? access.byUserId.get(user.id) : undefined;
    const addresses = new Set<string>(
      [email, ...(user ? [user.email, user.login, ...(user.aliases ?? []), ua?.email] : [])]
        .map((x) => normalizeEmail(x))
        .filter((x): x is string => x !== null),
    );
    let member: Member | null = null;
    for (let i = 0; i < planned.members.length; i++) {
      const m = planned.members[i]!;
      const key = normalizeEmail(m.email) ?? m.email.trim().toLowerCase();
      const match = planned.matchedUserIds[i];
      if ((user && match === user.id) || (!match && addresses.has(key))) {
        member = m;
        break;
      }
    }
    const memberKey = member ? (normalizeEmail(member.email) ?? member.email.trim().toLowerCase()) : null;
    const actions = planned.actions.filter(
      (a) =>
        (user && a.userId === user.id) ||
        (memberKey !== null && a.email === memberKey) ||
        (!user && email !== null && a.email === email),
    );

    const mappedGroups: ExplainedMappedGroup[] = [];
    if (user) {
      for (const m of access.mappedGroups) {
        for (const gid of m.groupIds) {
          const counted = index.effectiveMembers(gid).has(user.id);
          if (!counted && !paths.has(gid)) continue;
          mappedGroups.push({ ...ref(gid), kind: m.kind, target: m.target, counted, path: pathRefs(gid) });
        }
      }
    }
    mappedGroups.sort((a, b) => byCodePoint(a.kind, b.kind) || byCodePoint(a.name, b.name) || byCodePoint(a.id, b.id));

    const steps: ExplainStep[] = [];
    const names = (xs: ExplainGroupRef[]) => xs.map((g) => g.name).join(', ');
    const via = (ua?.assignedViaGroupIds ?? []).map((id) => ({ ...ref(id), path: pathRefs(id) }));
    const nestedNotCounted = (ua?.nestedOnlyGroupIds ?? []).map((id) => ({ ...ref(id), path: pathRefs(id) }));
    if (!user || !ua) {
      steps.push({
        rule: 'R-V3',
        ok: false,
        text: `no IdP person with this address in the snapshot (it holds the people the app's assignments and anthropic- groups reach), so not assigned to the app`,
      });
    } else {
      if (ua.assignedDirectly) steps.push({ rule: 'R-V3', ok: true, text: 'assigned to the app directly' });
      for (const g of via)
        steps.push({ rule: 'R-V3', ok: true, text: `assigned to the app through the group ${describePath(g.path)}` });
      for (const g of nestedNotCounted) {
        steps.push({
          rule: 'R-V3',
          ok: false,
          text: `member of ${describePath(g.path)} (assigned) only through a nested group: on ${idpName(args.snapshot.idp)} nested-group members do NOT get the app; add them to ${g.name} directly or assign ${g.path[0]!.name}`,
        });
      }
      if (!ua.assigned && nestedNotCounted.length === 0)
        steps.push({ rule: 'R-V3', ok: false, text: 'not assigned to the app, directly or through an assigned group' });
      if (ua.assigned)
        steps.push(
          ua.inactive
            ? { rule: 'R-V3', ok: false, text: `${ua.status} in the IdP: cannot log in or be provisioned` }
            : { rule: 'R-V3', ok: true, text: 'active in the IdP' },
        );
      if (ua.reason === 'no-email')
        steps.push({
          rule: 'R-S4',
          ok: false,
          text: 'the IdP sends no email address for them, so no account can be created or matched',
        });
      const counted = mappedGroups.filter((g) => g.counted);
      for (const g of mappedGroups.filter((x) => !x.counted)) {
        steps.push({
          rule: 'R-G1',
          ok: false,
          text: `in mapped group ${g.name} only through ${describePath(g.path)}: nested membership does not count on ${idpName(args.snapshot.idp)}`,
        });
      }
      if (access.mappingsEnabled) {
        steps.push(
          counted.length
            ? { rule: 'R-G3', ok: true, text: `in mapped group(s): ${names(counted)}` }
            : { rule: 'R-G3', ok: false, text: 'in no mapped group: with group mappings on, no access' },
        );
      } else if (org.provisioning.mode === 'manual') {
        steps.push({
          rule: 'R-V3',
          ok: null,
          text: 'Manual mode: people are added, re-roled and removed by hand; group mappings do not apply',
        });
      } else {
        steps.push({
          rule: 'R-V3',
          ok: null,
          text: `${org.provisioning.mode.toUpperCase()} without group mappings: created with the User role; roles change by hand`,
        });
      }
      if (ua.roleSource === 'mapping')
        steps.push({
          rule: 'R-G1',
          ok: true,
          text: `highest mapped role: ${ua.role} (from ${ua.roleGroupIds.map((id) => ref(id).name).join(', ')})`,
        });
      else if (ua.roleSource === 'default')
        steps.push({ rule: 'R-V3', ok: null, text: `role at creation: ${ua.role}` });
      else if (ua.reason === 'primary-owner')
        steps.push({
          rule: 'R-A5',
          ok: true,
          text: 'the Primary Owner: exempt from SCIM reconciliation and not assignable through group mappings, so they keep their access and role',
        });
      if (org.surface === 'claude' && ua.entitled && org.provisioning.mode === 'manual') {
        if (ua.seatTier)
          steps.push({
            rule: 'R-A4',
            ok: true,
            text: `an invite takes the lowest tier with a free seat: ${ua.seatTier}`,
          });
        if (!ua.withinSeats)
          steps.push({
            rule: 'R-V5',
            ok: false,
            text: 'no seat left in any tier: an invite is refused until seats are bought',
          });
      }
      if (org.surface === 'claude' && ua.entitled && org.provisioning.mode !== 'manual') {
        if (ua.seatTierSource === 'mapping')
          steps.push({
            rule: 'R-G2',
            ok: true,
            text: `seat tier ${ua.seatTier} (from ${ua.seatTierGroupIds.map((id) => ref(id).name).join(', ')})`,
          });
        else if (ua.seatTier)
          steps.push({
            rule: 'R-G2',
            ok: true,
            text: `in no seat-tier group: the highest tier still available, ${ua.seatTier}`,
          });
        if (!ua.withinSeats)
          steps.push({
            rule: 'R-V5',
            ok: false,
            text: `no ${ua.seatTier ?? ''} seat left for them: nobody is provisioned past the seats bought`.replace(
              'no  seat',
              'no seat',
            ),
          });
      }
    }
    steps.push(
      member
        ? {
            rule: 'R-V3',
            ok: null,
            text: `currently ${member.status === 'invited' ? 'invited' : 'a member'} as ${member.role}${member.seatTier ? ` on a ${member.seatTier} seat` : ''}`,
          }
        : {
            rule: 'R-V3',
            ok: null,
            text: args.members
              ? 'not a member of this org'
              : 'membership unknown (no members given): actions assume they are not a member',
          },
    );
    for (const a of actions) steps.push({ rule: a.rule, ok: null, text: `plan: ${describeAction(a)}` });
    if (actions.length === 0) steps.push({ rule: 'R-V3', ok: null, text: 'plan: nothing for this org' });

    return {
      orgId: org.id,
      ...(org.name ? { name: org.name } : {}),
      surface: org.surface,
      mode: org.provisioning.mode,
      mappings: access.mappingsEnabled,
      access: ua
        ? {
            assigned: ua.assigned,
            direct: ua.assignedDirectly,
            viaGroups: via,
            nestedNotCounted,
            entitled: ua.entitled,
            reason: ua.reason,
          }
        : null,
      mappedGroups,
      role: ua?.role ?? null,
      roleSource: ua?.roleSource ?? null,
      seatTier: ua?.seatTier ?? null,
      seatTierSource: ua?.seatTierSource ?? null,
      withinSeats: ua ? ua.withinSeats : null,
      member,
      actions,
      steps,
    };
  }
}

function idpName(idp: IdpKind): string {
  return {
    okta: 'Okta',
    entra: 'Microsoft Entra',
    google: 'Google Workspace',
    onelogin: 'OneLogin',
    generic: 'this IdP',
  }[idp];
}

function describePath(path: ExplainGroupRef[]): string {
  return path.length <= 1 ? (path[0]?.name ?? '?') : path.map((g) => g.name).join(' → ');
}

export function describeAction(a: PlanAction): string {
  const change =
    a.action === 'provision'
      ? `provision as ${a.to}`
      : a.action === 'deprovision'
        ? `deprovision (now ${a.from})`
        : a.action === 'none'
          ? 'no change'
          : `${a.action === 'changeRole' ? 'role' : 'seat tier'} ${a.from} → ${a.to}`;
  const when =
    a.action === 'none'
      ? ''
      : ` (${{ immediate: 'immediately', nextLogin: 'at their next login', nextSyncCycle: 'at the next SCIM sync cycle', manual: 'by hand' }[a.when]})`;
  return `${change}${when} — ${a.reason}`;
}

/**
 * For one user: every group they are in (directly or through nesting, whatever the IdP's
 * semantics), with the shortest path [direct group, ..., group]. Walks up from the user's direct
 * groups through a child -> parents map; linear in groups + nestings, cycle-safe.
 */
function groupPaths(index: DirectoryIndex, userId: string): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  const paths = new Map<string, string[]>();
  const queue: string[] = [];
  const groups = [...index.groupsById.values()].sort((a, b) => byCodePoint(a.id, b.id));
  for (const g of groups) {
    for (const child of g.memberGroupIds) {
      const list = parents.get(child);
      if (list) list.push(g.id);
      else parents.set(child, [g.id]);
    }
    if (g.memberUserIds.includes(userId)) {
      paths.set(g.id, [g.id]);
      queue.push(g.id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const p of parents.get(id) ?? []) {
      if (paths.has(p)) continue;
      paths.set(p, [...paths.get(id)!, p]);
      queue.push(p);
    }
  }
  return paths;
}

function render(e: Explanation): string[] {
  const lines: string[] = [];
  const p = e.person;
  lines.push(
    p
      ? `${e.query}: IdP person ${p.userId} (${p.email ?? 'no email'}${p.login && p.login !== p.email ? `, login ${p.login}` : ''}, ${p.status}) on ${idpName(e.idp)}`
      : `${e.query}: no person with this address in the ${idpName(e.idp)} snapshot`,
  );
  if (e.otherMatches.length)
    lines.push(`  also known by this address: ${e.otherMatches.join(', ')} (duplicate in the IdP)`);
  if (!e.complete) lines.push('  the snapshot is incomplete: removals and downgrades are held back');
  for (const o of e.orgs) {
    const mode = `${o.mode === 'jit' ? 'JIT' : o.mode === 'scim' ? 'SCIM' : 'Manual'}${o.mappings ? ' + group mappings' : ''}`;
    lines.push(
      `${o.name ? `${o.name} ` : ''}[${o.orgId}] (${o.surface === 'claude' ? 'claude.ai' : 'Console'}, ${mode})`,
    );
    for (const s of o.steps) lines.push(`  ${s.ok === true ? '✓' : s.ok === false ? '✗' : '·'} ${s.text} [${s.rule}]`);
  }
  return lines;
}
