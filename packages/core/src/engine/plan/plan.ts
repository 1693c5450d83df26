import { InputError } from '../../errors/input-error';
import { DEFAULT_ROLE, roleCatalogue, topRole, type RoleCatalogue } from '../../model/roles';
import { memberAddresses, membersByOrg } from '../../rules/member-addresses';
import { innerMap, memoText } from '../../rules/memo';
import {
  buildDirectoryIndex,
  resolveOrgAccess,
  seatTierOrder,
  type DirectoryIndex,
  type OrgAccess,
  type UserAccess,
} from '../../rules/access';
import { decideMemberChange, type MemberChangeRules } from '../../rules/access/member-change';
import { createEngineCache, type EngineCache } from '../../rules/engine-cache';
import { addressRanges, peopleOf } from '../../rules/access/resolve';
import type { Organization, OrgConfig } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import { PLAN_ACTIONS, type Plan, type PlanAction, type PlanActionKind } from '../../schemas/plan';
import type { DirectorySnapshot } from '../../schemas/snapshot';
import { byCodePoint, planFingerprint, planInputs } from './fingerprint';
import {
  allowedDeprovisions,
  describeLimit,
  parseDeprovisionLimit,
  type DeprovisionLimit,
  type PlanLimits,
} from './limits';
import { timingFor } from './timing';

export interface PlanArgs {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  /** Current members of the Claude orgs (export or Admin API read). Rows without `orgId` belong to the config's only org. */
  members: readonly Member[];
  /** The plan's `generatedAt` (core has no clock). */
  now: Date | string;
  limits?: PlanLimits;
  /** Work shared with other calls over the same inputs (`createEngineCache`); default: this call's own. */
  cache?: EngineCache;
}

/** Plan guard codes: while any is listed, apply refuses (unless the code is explicitly overridden). */
export const PLAN_GUARDS = Object.freeze({
  /** The snapshot is incomplete: its deprovisions and downgrades were turned into `none` (SPEC §5). */
  INCOMPLETE: 'INCOMPLETE',
  /** An org would lose more members than `limits.maxDeprovision` (default 10%, SPEC §5). */
  BREAKER: 'BREAKER',
  /** An org would be left with no Owner (claude.ai) / Admin (Console) (R-G6, SPEC §5). */
  LAST_OWNER: 'LAST_OWNER',
  /** Members without `orgId` while the config has several orgs: the current state is ambiguous. */
  MEMBERS_WITHOUT_ORG: 'MEMBERS_WITHOUT_ORG',
} as const);

/**
 * Roles provisioning never touches: the claude.ai Primary Owner is one person and not mappable
 * (SPEC §3), so a plan neither removes nor re-roles them, and they count as an Owner.
 */
export const UNMANAGED_ROLES: readonly string[] = Object.freeze(['primary_owner']);

/** Order of action kinds for one person (a role change and a seat-tier change of the same person sort role first). */
const KIND_ORDER: Record<PlanActionKind, number> = {
  deprovision: 0,
  provision: 1,
  changeRole: 2,
  changeSeatTier: 3,
  none: 4,
};

/** The rule id for "nothing is deprovisioned from an incomplete read" (SPEC §5; not an R-* rule). */
export const INCOMPLETE_RULE = 'SPEC-5';

/** A plan's org with the access resolution it came from (for `explain`). */
export interface PlannedOrg {
  org: Organization;
  access: OrgAccess;
  /** Current members of this org, one per normalised email (first row wins). */
  members: Member[];
  actions: PlanAction[];
  /** Per member (same index as `members`): the IdP user id it was matched to, or null. */
  matchedUserIds: (string | null)[];
}

export interface PlanCore {
  complete: boolean;
  orgs: PlannedOrg[];
  guards: { code: string; message: string }[];
  index: DirectoryIndex;
}

/**
 * The plan (SPEC §4 `Plan`): per org and person, the one change that brings the Claude org in line
 * with the IdP, and *when* the vendor makes it under the org's mode (see `timingFor`), plus the
 * guards that make `apply` refuse. Pure and deterministic: the same inputs give byte-identical
 * `canonicalJson` (orgs in config order, actions sorted by email, then kind, then IdP id).
 *
 * - People: every current member of the org, every person the IdP entitles to it, and every person
 *   the org's gate reaches but who is not entitled (assigned with mappings off, in a mapped group
 *   with mappings on, or reaching an assigned group only through nesting on Entra) — each once.
 *   A person whose role and seat tier both change gets two actions (one of each kind).
 * - Matching: a member is the IdP person whose identity email (SCIM's source in SCIM mode, SAML's
 *   otherwise) equals theirs, else the person known by that address as a login, alias or other
 *   source (the reason then warns about R-S5 duplicates). Emails compare after `normalizeEmail`.
 * - Roles (R-G1) and seat tiers (R-G2) only change when mappings are in effect; without them the
 *   IdP says nothing about roles and members keep theirs ("roles change by hand", R-V3). A member
 *   with no seat tier on record, or whose tier comes from the fallback, keeps their tier.
 * - Seats (R-V5), from `resolveOrgAccess`: people with a seat-tier group are seated before those
 *   who fall back to the highest tier left; within each, current members first, then by identity
 *   email, then IdP id. Someone left without a seat gets `none` (rule R-V5) instead of `provision`.
 * - Incomplete snapshot (SPEC §5): every deprovision and every downgrade (lower role or seat
 *   tier; an unknown role counts as lower) becomes `none` with rule `SPEC-5`, `complete` is
 *   false and the `INCOMPLETE` guard is listed. Provisions and upgrades stay.
 * - Guards: `INCOMPLETE`; `BREAKER` when an org's deprovisions exceed `limits.maxDeprovision`
 *   (default 10% of its current members; exactly at the limit passes); `LAST_OWNER` when the plan
 *   takes an org's last Owner (claude.ai; Primary Owner counts) / Admin (Console) away — only
 *   current members count, since provisioned people may never log in; `MEMBERS_WITHOUT_ORG`.
 */
export function plan(args: PlanArgs): Plan {
  const generatedAt = toIso(args.now);
  const cache = args.cache ?? createEngineCache();
  const core = planCore({ ...args, cache });
  const inputs = planInputs(args.snapshot, args.config, args.members, cache);
  return {
    schemaVersion: 1,
    fingerprint: planFingerprint(inputs),
    complete: core.complete,
    orgs: core.orgs.map((o) => ({
      orgId: o.org.id,
      mode: o.org.provisioning.mode,
      mappings: o.access.mappingsEnabled,
      actions: o.actions,
      totals: totalsOf(o.actions),
    })),
    guards: core.guards,
    inputs,
    generatedAt,
  };
}

const canonicalName = (text: string) => text.trim().toLowerCase();

function toIso(now: Date | string): string {
  const d = typeof now === 'string' ? new Date(now) : now;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new InputError({
      source: 'plan({ now })',
      issues: [{ path: 'now', expected: 'a Date or an ISO 8601 timestamp', received: JSON.stringify(String(now)) }],
    });
  }
  return d.toISOString();
}

export function totalsOf(actions: readonly PlanAction[]): Record<PlanActionKind, number> {
  const totals = Object.fromEntries(PLAN_ACTIONS.map((k) => [k, 0])) as Record<PlanActionKind, number>;
  for (let i = 0; i < actions.length; i++) totals[actions[i]!.action]++;
  return totals;
}

/** The plan's orgs and guards without the hashing (what `explain` uses). */
export function planCore(args: Omit<PlanArgs, 'now'> & { index?: DirectoryIndex }): PlanCore {
  const { snapshot, config } = args;
  const limit = parseDeprovisionLimit(args.limits?.maxDeprovision);
  const cache = args.index ? peopleOf(args.index).cache : (args.cache ?? createEngineCache());
  const index = args.index ?? buildDirectoryIndex(snapshot, cache);
  const catalogue = roleCatalogue(config);
  const complete = snapshot.complete === true;
  const guards: { code: string; message: string }[] = [];

  // Members by org (rows without orgId belong to the only org, if there is exactly one): the
  // split `audit` over the same list and config uses too, with each address normalised once.
  // Roles and seat tiers are a handful of strings across 100k rows: each is trimmed and lower-cased once.
  const canonicalRole = memoText(canonicalName);
  const canonicalTier = memoText(canonicalName);
  const split = membersByOrg(config, args.members, cache);
  let unplaced = 0;
  for (let i = 0; i < split.unknown.length; i++) if (split.unknown[i]!.orgId === undefined) unplaced++; // an org this config does not describe: left out
  const byOrg = new Map<string, MemberRow[]>();
  for (const [orgId, members] of split.byOrg) {
    const normalised = memberAddresses(members, cache);
    const list: MemberRow[] = [];
    // One row per address, the first. While the rows come in address order (member lists
    // usually do), a repeat can only be the previous row; once they do not, a set tracks them all.
    // Loops over people and actions are indexed: they run once per plan, mostly before the
    // optimiser has compiled them, where for-of allocates an iterator result per element.
    let addresses: Set<string> | undefined;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const email = normalised[i] ?? m.email.trim().toLowerCase();
      const last = list.length > 0 ? list[list.length - 1]!.email : undefined;
      if (!addresses && last !== undefined && !(last < email)) {
        if (last === email) continue;
        addresses = new Set(list.map((r) => r.email));
      }
      if (addresses) {
        if (addresses.has(email)) continue;
        addresses.add(email);
      }
      list.push({
        member: m,
        at: i,
        email,
        role: canonicalRole(m.role),
        seatTier: m.seatTier == null ? undefined : canonicalTier(m.seatTier),
      });
    }
    byOrg.set(orgId, list);
  }

  if (!complete) {
    guards.push({
      code: PLAN_GUARDS.INCOMPLETE,
      message:
        'the snapshot is incomplete (a read failed part-way): nothing is deprovisioned or downgraded from it; those changes are listed as none. Re-read the IdP and plan again',
    });
  }
  if (unplaced > 0) {
    guards.push({
      code: PLAN_GUARDS.MEMBERS_WITHOUT_ORG,
      message: `${unplaced} member row(s) have no orgId and the config has ${config.organizations.length} orgs, so they could not be placed; add orgId to the members file`,
    });
  }

  const orgs: PlannedOrg[] = [];
  for (const org of config.organizations) {
    const rows = byOrg.get(org.id)!;
    const planned = planOrg({
      org,
      config,
      rows,
      members: split.byOrg.get(org.id)!,
      index,
      snapshot,
      catalogue,
      complete,
    });
    orgs.push(planned);
    guards.push(...orgGuards(planned, rows, limit));
  }
  return { complete, orgs, guards, index };
}

/** A current member with its normalised email and lower-case role, computed once. */
interface MemberRow {
  member: Member;
  /** Its index in the org's member array (`OrgContext.members`). */
  at: number;
  /** Normalised (else trimmed and lower-cased). */
  email: string;
  /** Trimmed and lower-cased. */
  role: string;
  seatTier: string | undefined;
}

interface OrgContext {
  org: Organization;
  config: OrgConfig;
  rows: MemberRow[];
  /** This org's rows as given (the array `audit` resolves the org with: its seat order is shared). */
  members: readonly Member[];
  index: DirectoryIndex;
  snapshot: DirectorySnapshot;
  catalogue: RoleCatalogue;
  complete: boolean;
}

function planOrg(ctx: OrgContext): PlannedOrg {
  const { org, rows, index, catalogue } = ctx;
  // Rows have no orgId: all of them are this org's.
  const access = resolveOrgAccess(index, ctx.config, org, { currentMembers: ctx.members, catalogue });
  const mappings = access.mappingsEnabled;
  const tiers = seatTierOrder(org, catalogue);
  const changeRules: MemberChangeRules = {
    surface: org.surface,
    complete: ctx.complete,
    isRoleDowngrade: (from, to) => isRoleDowngrade(catalogue, org, from, to),
    tierRank: (t) => tierRank(tiers, t),
  };
  // People already matched to a member, by index position.
  const people = peopleOf(index);
  const claimed = new Uint8Array(index.usersSorted.length);
  const matchedUserIds: (string | null)[] = new Array(rows.length).fill(null);
  const actions: PlanAction[] = [];
  const groupName = (id: string) => index.groupsById.get(id)?.name ?? id;

  // Actions are built field by field (no spreads): a plan at 100k people makes ~120k of them.
  // Their reasons repeat ("already a member as user on a standard seat; …" for most members), and
  // a reason built from pieces is a tree of string fragments several times its length: each
  // distinct reason is kept once and shared, so the plan holds a few thousand strings, not 120k trees.
  const reasons = new Map<string, string>();
  const shared = (reason: string): string => {
    const kept = reasons.get(reason);
    if (kept !== undefined) return kept;
    reasons.set(reason, reason);
    return reason;
  };
  const alreadyReasons = new Map<string, Map<string | undefined, (string | undefined)[]>>();
  const provisionReasons = new Map<string, Map<string, Map<string, string>>>();
  const groupLists = new Map<string, Map<readonly string[], string>>();
  const timings = new Map<string, ReturnType<typeof timingFor>>();
  /** Per kind: a reason -> that reason with the timing note, made once per distinct reason. */
  const timedReasons = new Map<string, Map<string, string>>();
  const timed = (
    kind: Exclude<PlanActionKind, 'none'>,
    email: string,
    userId: string | undefined,
    from: string | undefined,
    to: string | undefined,
    rule: string,
    reason: string,
  ): PlanAction => {
    let t = timings.get(kind);
    if (!t) timings.set(kind, (t = timingFor(kind, org, mappings, ctx.snapshot)));
    const withNote = innerMap(timedReasons, kind);
    let text = withNote.get(reason);
    if (text === undefined) withNote.set(reason, (text = shared(`${reason}; ${t.note}`)));
    return action(email, userId, kind, from, to, t.when, rule, text);
  };
  const none = (
    email: string,
    userId: string | undefined,
    from: string | undefined,
    to: string | undefined,
    rule: string,
    reason: string,
  ): PlanAction => action(email, userId, 'none', from, to, 'manual', rule, shared(reason));
  const blocked = (
    email: string,
    userId: string | undefined,
    from: string | undefined,
    to: string | undefined,
    what: string,
  ): PlanAction =>
    none(
      email,
      userId,
      from,
      to,
      INCOMPLETE_RULE,
      `would ${what}, but the snapshot is incomplete: nothing is deprovisioned or downgraded from an incomplete read`,
    );

  // Candidates are found by position in the index (no per-org email map): the people known by
  // an address (`sameEmail`: only those this org knows by it), in `access.users` order (email, then IdP id).
  const byUserId = (a: number, b: number) => byCodePoint(access.atPosition(a)!.userId, access.atPosition(b)!.userId);
  const candidates = (positions: readonly number[], sameEmail: string | null): readonly number[] => {
    if (positions.length === 1)
      return sameEmail === null || access.atPosition(positions[0]!)!.email === sameEmail ? positions : [];
    const out =
      sameEmail === null ? [...positions] : positions.filter((p) => access.atPosition(p)!.email === sameEmail);
    return out.length > 1 ? out.sort(byUserId) : out;
  };

  // 1. Current members, matched to IdP people. The people known by each member's address are
  // looked up once for the member list (`addressRanges`, shared with `audit`); an address that
  // does not normalise is nobody's.
  const ranges = addressRanges(index, memberAddresses(ctx.members, people.cache));
  // Whether a person at entry k is known to this org by exactly that address: a flag, else their email compared.
  const exact = ranges.knownByExactly(org.provisioning.mode);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const email = row.email;
    let matched = -1;
    let by: 'email' | 'alias' = 'email';
    let duplicateOf: string | undefined;
    const from = ranges.start[row.at]!;
    const to = ranges.end[row.at]!;
    // First the people this org knows by exactly this address (one, mostly: no array made)...
    if (to - from === 1) {
      const p = ranges.positions[from]!;
      if (exact ? exact[from] === 1 : access.atPosition(p)!.email === email) {
        if (!claimed[p]) matched = p;
        else duplicateOf = access.atPosition(p)!.userId;
      }
    } else if (to > from) {
      for (const p of candidates(ranges.positions.slice(from, to), email)) {
        if (!claimed[p]) {
          matched = p;
          break;
        }
        duplicateOf ??= access.atPosition(p)!.userId;
      }
    }
    // ...else anyone the IdP knows by it (login, alias, the other source).
    if (matched < 0 && to > from) {
      for (const p of candidates(ranges.positions.slice(from, to), null)) {
        if (!claimed[p]) {
          matched = p;
          by = 'alias';
          break;
        }
        duplicateOf ??= access.atPosition(p)!.userId;
      }
    }
    const ua = matched < 0 ? undefined : access.atPosition(matched)!;
    if (ua) {
      claimed[matched] = 1;
      matchedUserIds[i] = ua.userId;
    }
    memberActions(row, ua, by, duplicateOf);
  }

  // 2. People the IdP entitles who are not members yet, and the ones the org's gate reaches but refuses.
  for (let i = 0; i < access.users.length; i++) {
    const position = access.positions[i]!;
    if (claimed[position]) continue;
    const ua = access.users[i]!;
    const email = ua.email ?? index.usersSorted[position]!.email ?? `(no email: ${ua.userId})`;
    if (ua.entitled) {
      // An IdP duplicate (two people, one address) whose twin is already the member: not a second account.
      const twinAt = ua.email
        ? candidates(people.usersKnownBy(ua.email), ua.email).find((p) => p !== position && claimed[p])
        : undefined;
      const twin = twinAt === undefined ? undefined : access.atPosition(twinAt)!;
      if (twin) {
        actions.push(
          none(
            email,
            ua.userId,
            undefined,
            undefined,
            'R-S5',
            `the IdP has another person (${twin.userId}) with this address, already matched to the member: fix the duplicate in the IdP`,
          ),
        );
        continue;
      }
      actions.push(provisionAction(ua, email));
      continue;
    }
    const relevant = (mappings ? ua.inMappedGroup : ua.assigned) || ua.nestedOnlyGroupIds.length > 0;
    if (!relevant) continue;
    const why = denial(ua);
    actions.push(none(email, ua.userId, undefined, undefined, why.rule, `no access: ${why.text}`));
  }

  actions.sort(
    (a, b) =>
      byCodePoint(a.email, b.email) ||
      KIND_ORDER[a.action] - KIND_ORDER[b.action] ||
      byCodePoint(a.userId ?? '', b.userId ?? ''),
  );
  return { org, access, members: rows.map((r) => r.member), actions, matchedUserIds };

  // ---------------------------------------------------------------------------------------------

  function memberActions(
    row: MemberRow,
    ua: UserAccess | undefined,
    by: 'email' | 'alias',
    duplicateOf: string | undefined,
  ): void {
    const { member: m, email, role } = row;
    const userId = ua?.userId;
    const aliasNote =
      ua && by === 'alias'
        ? `; matched through another address of the IdP person (the IdP sends ${ua.email ?? 'no email'}): the addresses must match or SSO/SCIM creates a duplicate account (R-S5)`
        : '';
    const change = decideMemberChange(row, { access: ua ?? null, duplicateOf }, changeRules);
    switch (change.kind) {
      case 'keepPrimaryOwner':
        actions.push(
          none(
            email,
            userId,
            role,
            undefined,
            change.rule,
            'the Primary Owner is exempt from SCIM reconciliation and not assignable through group mappings: provisioning neither removes nor re-roles them (transfer primary ownership by hand)',
          ),
        );
        return;
      case 'remove': {
        const text =
          change.cause === 'duplicate-account'
            ? `a second account for the IdP person ${duplicateOf}, who is already matched to another member of this org`
            : change.cause === 'not-in-idp'
              ? 'no person with this address is assigned to the app in the IdP'
              : denial(ua!).text;
        const invited = m.status === 'invited' ? ' (pending invite: withdraw it)' : '';
        if (change.blocked) actions.push(blocked(email, userId, role, undefined, `deprovision (${text})`));
        else
          actions.push(
            timed('deprovision', email, userId, role, undefined, change.rule, `${text}${invited}${aliasNote}`),
          );
        return;
      }
      case 'update': {
        const r = change.role;
        if (r) {
          if (r.blocked) actions.push(blocked(email, userId, r.from, r.to, `change the role ${r.from} → ${r.to}`));
          else
            actions.push(
              timed(
                'changeRole',
                email,
                userId,
                r.from,
                r.to,
                'R-G1',
                `highest mapped role is ${r.to} (from ${r.groupIds.map(groupName).join(', ')})${aliasNote}`,
              ),
            );
        }
        const t = change.seatTier;
        if (t) {
          const groups = t.groupIds.map(groupName).join(', ');
          if (t.blocked) actions.push(blocked(email, userId, t.from, t.to, `move the seat tier ${t.from} → ${t.to}`));
          else if (t.waitsForSeat)
            actions.push(
              none(
                email,
                userId,
                t.from,
                t.to,
                'R-V5',
                `mapped to the ${t.to} tier (from ${groups}) but no ${t.to} seat is left: buy seats, then "Sync now"`,
              ),
            );
          else
            actions.push(
              timed(
                'changeSeatTier',
                email,
                userId,
                t.from,
                t.to,
                'R-G2',
                `mapped seat tier is ${t.to} (from ${groups})`,
              ),
            );
        }
        return;
      }
      case 'keep':
        if (aliasNote)
          actions.push(
            none(
              email,
              userId,
              role,
              undefined,
              change.rule,
              `${alreadyReason(m.status === 'invited', role, row.seatTier, change.mapped)}${aliasNote}`,
            ),
          );
        else
          actions.push(
            action(
              email,
              userId,
              'none',
              role,
              undefined,
              'manual',
              change.rule,
              alreadyReason(m.status === 'invited', role, row.seatTier, change.mapped),
            ),
          );
        return;
    }
  }

  /**
   * "already a member as user on a standard seat; …", the reason of most actions (members who stay
   * as they are), made once per (invited, role, seat tier, role source) and looked up without
   * building the text: roles and seat tiers are the canonical strings of `planCore`, a handful.
   */
  function alreadyReason(invited: boolean, role: string, tier: string | undefined, mapped: boolean): string {
    const byTier = innerMap(alreadyReasons, role);
    let slots = byTier.get(tier);
    if (!slots) byTier.set(tier, (slots = []));
    const slot = (invited ? 1 : 0) + (mapped ? 2 : 0);
    let reason = slots[slot];
    if (reason === undefined) {
      const seat = tier ? ` on a ${tier} seat` : '';
      const how = mapped
        ? `; role ${role} matches the mapped groups`
        : org.provisioning.mode === 'manual'
          ? '; Manual mode: roles are set by hand'
          : '; roles change by hand without group mappings';
      slots[slot] = reason = shared(`already a ${invited ? 'pending invitee' : 'member'} as ${role}${seat}${how}`);
    }
    return reason;
  }

  function provisionAction(ua: UserAccess, email: string): PlanAction {
    const role = ua.role ?? DEFAULT_ROLE;
    const how = ua.assignedDirectly
      ? 'assigned to the app directly'
      : groupList('assigned through ', ua.assignedViaGroupIds, '');
    if (!ua.withinSeats) {
      const wanted = ua.seatTierSource === 'mapping' ? `no ${ua.seatTier} seat is left` : 'no seat is left in any tier';
      return none(
        email,
        ua.userId,
        undefined,
        role,
        'R-V5',
        `${how}, but ${wanted} (seats bought: ${seatsText(org)}): buy seats, then "Sync now" provisions the rest`,
      );
    }
    const roleWhy =
      ua.roleSource === 'mapping'
        ? groupList(`highest mapped role ${role} (from `, ua.roleGroupIds, ')')
        : `the ${role} role`;
    let tierWhy = '';
    // R-G2: IdP provisioning gives the highest tier left; R-A4: an invite (Manual) the lowest.
    const fallbackWhy =
      org.provisioning.mode === 'manual'
        ? 'an invite takes the lowest tier with a free seat, R-A4'
        : 'no seat-tier group: the highest tier left, R-G2';
    if (ua.seatTier)
      tierWhy =
        ua.seatTierSource === 'mapping'
          ? groupList(`, ${ua.seatTier} seat (from `, ua.seatTierGroupIds, ')')
          : `, ${ua.seatTier} seat (${fallbackWhy})`;
    // 16k people are provisioned at 100k, with a few thousand distinct reasons: each is looked up
    // by its parts (strings kept per group list, so their hashes are computed once) and made once,
    // instead of being built and hashed whole for every person.
    const byTier = innerMap(innerMap(provisionReasons, how), roleWhy);
    let reason = byTier.get(tierWhy);
    if (reason === undefined) byTier.set(tierWhy, (reason = `${how}; ${roleWhy}${tierWhy}`));
    const provision = timed(
      'provision',
      email,
      ua.userId,
      undefined,
      role,
      ua.roleSource === 'mapping' ? 'R-G1' : 'R-V3',
      reason,
    );
    if (ua.seatTier) provision.seatTier = ua.seatTier;
    return provision;
  }

  /**
   * `${before}${group names, comma-separated}${after}`, made once per (before, group list). Group
   * lists are shared arrays (interned by the index and the access resolution): told apart by identity.
   */
  function groupList(before: string, ids: readonly string[], after: string): string {
    const byList = innerMap(groupLists, before);
    let text = byList.get(ids);
    if (text === undefined) byList.set(ids, (text = `${before}${ids.map(groupName).join(', ')}${after}`));
    return text;
  }
}

/** A plan action with only the fields that are set (the JSON has no `undefined` members). */
function action(
  email: string,
  userId: string | undefined,
  kind: PlanActionKind,
  from: string | undefined,
  to: string | undefined,
  when: PlanAction['when'],
  rule: string,
  reason: string,
): PlanAction {
  const a: PlanAction = { email, action: kind, when, rule, reason };
  if (userId !== undefined) a.userId = userId;
  if (from !== undefined) a.from = from;
  if (to !== undefined) a.to = to;
  return a;
}

function denial(ua: UserAccess): { rule: string; text: string } {
  switch (ua.reason) {
    case 'not-assigned':
      return ua.nestedOnlyGroupIds.length
        ? {
            rule: 'R-V3',
            text: 'reaches an assigned group only through a nested group, which does not grant the app on this IdP',
          }
        : { rule: 'R-V3', text: 'not assigned to the app in the IdP' };
    case 'inactive':
      return { rule: 'R-V3', text: `${ua.status} in the IdP, so they cannot log in` };
    case 'no-mapped-group':
      return { rule: 'R-G3', text: 'in no mapped group while group mappings are on' };
    case 'no-email':
      return { rule: 'R-S4', text: 'the IdP sends no email address for them' };
    default:
      return { rule: 'R-V3', text: 'not entitled' };
  }
}

function seatsText(org: Organization): string {
  const s = org.seats;
  if (!s) return 'unlimited';
  const entries = Object.entries(s).sort(([a], [b]) => byCodePoint(a, b));
  return entries.length ? entries.map(([t, n]) => `${t} ${n}`).join(', ') : 'none';
}

/** A change to a lower role per the catalogue; an unknown role on either side counts as lower (the safe side). */
export function isRoleDowngrade(
  catalogue: RoleCatalogue,
  org: Pick<Organization, 'surface'>,
  from: string,
  to: string,
): boolean {
  if (!catalogue.isKnown(org.surface, from) || !catalogue.isKnown(org.surface, to)) return true;
  return catalogue.rank(org.surface, to) > catalogue.rank(org.surface, from);
}

function tierRank(tiers: readonly string[], tier: string): number {
  const i = tiers.indexOf(tier);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
}

function orgGuards(
  planned: PlannedOrg,
  rows: readonly MemberRow[],
  limit: DeprovisionLimit,
): { code: string; message: string; orgId: string }[] {
  const out: { code: string; message: string; orgId: string }[] = [];
  const { org, actions } = planned;
  const label = org.name ? `${org.name} (${org.id})` : org.id;
  const size = rows.length;

  // Breaker: removals against the org's current size.
  let removals = 0;
  for (let i = 0; i < actions.length; i++) if (actions[i]!.action === 'deprovision') removals++;
  if (removals > allowedDeprovisions(limit, size)) {
    out.push({
      code: PLAN_GUARDS.BREAKER,
      orgId: org.id,
      message: `${label}: the plan removes ${removals} of ${size} current members, more than the limit (${describeLimit(limit, size)}); check the IdP read and mappings, or raise limits.maxDeprovision / override BREAKER if this is intended`,
    });
  }

  // Last Owner / Admin: among current members, after this plan's removals and role changes.
  const top = topRole(org.surface);
  const counts = (role: string) => role === top || (org.surface === 'claude' && UNMANAGED_ROLES.includes(role));
  const holders = new Set<string>();
  for (let i = 0; i < rows.length; i++) if (counts(rows[i]!.role)) holders.add(rows[i]!.email);
  const before = holders.size;
  if (before > 0) {
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (a.action === 'deprovision') holders.delete(a.email);
      else if (a.action === 'changeRole' && a.to) {
        if (counts(a.to)) holders.add(a.email);
        else holders.delete(a.email);
      }
    }
    if (holders.size === 0) {
      const who = org.surface === 'claude' ? 'Owner' : 'Admin';
      out.push({
        code: PLAN_GUARDS.LAST_OWNER,
        orgId: org.id,
        message: `${label}: the plan leaves no ${who} (it removes or downgrades all ${before}); put at least one person in a group mapped to ${top} before applying (R-G6)`,
      });
    }
  }
  return out;
}
