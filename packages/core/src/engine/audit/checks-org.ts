import type { Finding, Severity } from '../../schemas/finding';
import type { Organization } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import { memberAddresses } from '../../rules/member-addresses';
import { memoText } from '../../rules/memo';
import { normalizeEmail } from '../../model/email';
import { PRIMARY_OWNER, topRole } from '../../model/roles';
import { compareStrings, seatTierOrder, type OrgAccess, type UserAccess } from '../../rules/access';
import { decideMemberChange, type LossCause, type MemberChangeRules } from '../../rules/access/member-change';
import { addressRanges } from '../../rules/access/resolve';
import { isRoleDowngrade } from '../plan/plan';
import { checkGroupName, org8 } from '../../rules/group-names';
import { matchAmong, matchMember, orgLabel, type CheckContext } from './context';
import { finding } from './findings';
import { listSome, plural, vendorIdentity, vendorMembers } from './where';

/**
 * Mapping checks for one org (R-G1, R-G3, R-G4, R-G5). `live`: the mappings are (or are about to
 * be) in effect, so a broken mapping locks people out now (error), not later (warning).
 */
export function checkMappings(
  ctx: CheckContext,
  org: Organization,
  access: OrgAccess,
  live: boolean,
  members: readonly Member[] = [],
): Finding[] {
  const gm = org.provisioning.groupMappings;
  if (!gm) return [];
  const { index, people, snapshot } = ctx;
  const out: Finding[] = [];
  const identity = vendorIdentity(org.surface);
  const sev = (s: Severity): Severity => (live ? s : s === 'error' ? 'warning' : s);
  const seen = gm.seenGroups ? new Set(gm.seenGroups.map((g) => g.trim().toLowerCase())) : null;
  const pushed = snapshot.app.scim?.pushedGroupIds ? new Set(snapshot.app.scim.pushedGroupIds) : null;
  const known = ctx.catalogue.roles(org.surface);
  const prefix =
    org.surface === 'claude' ? `anthropic-claudeai-${org8(org.id)}-` : `anthropic-console-${org8(org.id)}-`;
  const reported = new Set<string>();

  for (const ref of access.mappedGroups) {
    const subject = { kind: 'group' as const, ...(ref.groupIds[0] ? { id: ref.groupIds[0] } : {}), name: ref.name };
    const mapping = ref.kind === 'role' ? `roles.${ref.target}` : `seatTiers.${ref.target}`;
    const key = `${ref.kind}:${ref.target}:${ref.name}`;
    if (reported.has(key)) continue;
    reported.add(key);

    if (ref.implicit) {
      out.push(
        finding('PREDEFINED_GROUP_IMPLICIT', {
          orgId: org.id,
          subject,
          message: `${ref.name} is a pre-defined group and counts as mapped to ${ref.target} (seed 001: default groups are provisioned with their role) though the config does not list it`,
          fix: `Confirm it under ${identity} → Role mappings and add it to provisioning.groupMappings.roles.${ref.target} in the config (the newer setup article maps every group explicitly)`,
        }),
      );
    }
    if (ref.groupIds.length === 0) {
      out.push(
        finding('MAPPED_GROUP_MISSING', {
          orgId: org.id,
          severity: sev('error'),
          subject,
          message: `${mapping} maps group "${ref.name}", which is not in ${snapshot.idp} (or was not read: it is neither assigned to the app nor named anthropic-…); ${live ? 'nobody gets access through it' : 'nobody would get access through it'}`,
          fix: `Create the group "${ref.name}" in ${ctx.where('groups')} (or fix the name in the config and at ${identity} → Role mappings), add the people, and assign it to the app in ${ctx.where('assignments')}`,
        }),
      );
      continue;
    }
    if (ref.kind === 'role' && !known.includes(ref.target)) {
      out.push(
        finding('UNKNOWN_ROLE', {
          orgId: org.id,
          subject,
          message: `${mapping} names role "${ref.target}", which is not in the ${org.surface === 'claude' ? 'claude.ai' : 'Console'} role catalogue (${known.join(' > ')}); it ranks below every known role`,
          fix: `Use one of ${known.join(', ')} in the config, or list the role in roles.${org.surface} (highest first) if the vendor added it`,
        }),
      );
    }
    if (!ref.implicit) {
      for (const issue of checkGroupName(ref.name, org, ref.kind === 'role' ? ref.target : undefined, known)) {
        if (issue.kind === 'prefix') {
          out.push(
            finding('GROUP_PREFIX', {
              orgId: org.id,
              subject,
              message: `Mapped group "${ref.name}" does not start with anthropic-: group propagation (the SAML group attribute statement for JIT, the push-groups rule for SCIM) filters on that prefix, so the vendor most likely never sees it`,
              fix: `Rename it in ${ctx.where('groups')} to something like ${prefix}${ref.target} (or anthropic-${org.surface === 'claude' ? 'claude' : 'console'}-…), or widen the propagation filter in ${ctx.where(org.provisioning.mode === 'scim' ? 'pushGroups' : 'attributes')} to include it; then update the mapping`,
            }),
          );
        } else if (issue.kind === 'org') {
          out.push(
            finding('GROUP_ORG_MISMATCH', {
              orgId: org.id,
              severity: sev('error'),
              subject,
              message: `Mapped group "${ref.name}" is named for ${issue.foundSurface === 'claude' ? 'claude.ai' : 'Console'} org ${issue.foundOrg8}, but this is ${issue.expectedSurface === 'claude' ? 'claude.ai' : 'Console'} org ${orgLabel(org)} (${issue.expectedOrg8}); it belongs to another org`,
              fix: `Map this org's own group (${prefix}<role>, the first 8 characters of its org id from Admin settings → Organization) at ${identity} → Role mappings and in the config`,
            }),
          );
        } else {
          out.push(
            finding('GROUP_ROLE_MISMATCH', {
              orgId: org.id,
              subject,
              message: `Group "${ref.name}" is named for role ${issue.namedRole} but mapped to ${issue.mappedRole}`,
              fix: `Map it to ${issue.namedRole} at ${identity} → Role mappings (and in the config), or rename the group`,
            }),
          );
        }
      }
    }
    if (seen && !seen.has(ref.name.trim().toLowerCase())) {
      out.push(
        finding('GROUP_NOT_SEEN', {
          orgId: org.id,
          severity: sev('error'),
          subject,
          message: `Group "${ref.name}" has not been seen by the vendor yet; ${live ? 'its members are locked out' : 'enabling mappings before it is seen can lock people out'}`,
          fix:
            org.provisioning.mode === 'scim'
              ? `Add a push-groups rule for groups starting with anthropic- in ${ctx.where('pushGroups')}, then click "Sync now" at ${identity} → Directory sync (SCIM) and wait for "seen"`
              : `Add a SAML group attribute statement sharing every group that starts with anthropic- in ${ctx.where('attributes')}, then log out and back in so the vendor sees the group`,
        }),
      );
    }
    if (pushed && org.provisioning.mode === 'scim' && !ref.groupIds.some((id) => pushed.has(id))) {
      out.push(
        finding('GROUP_NOT_PUSHED', {
          orgId: org.id,
          subject,
          message: `Group "${ref.name}" is not among the groups the ${snapshot.app.name} app pushes over SCIM, so the vendor never sees it or its members' roles`,
          fix: `Push it in ${ctx.where('pushGroups')} (a rule for groups starting with anthropic-), then "Sync now" at ${identity} → Directory sync (SCIM)`,
        }),
      );
    }
    // Members of the mapped group who are not on the app get nothing (R-G3: the app AND a mapped group).
    const unassigned: string[] = [];
    for (const gid of ref.groupIds) {
      const positions = people.membersOf(gid);
      for (let k = 0; k < positions.length; k++) {
        const p = positions[k]!;
        const u = index.usersSorted[p]!;
        if (!people.isAssigned(p) && u.status === 'active') unassigned.push(u.id);
      }
    }
    if (unassigned.length > 0) {
      const people = [...new Set(unassigned)].sort(compareStrings).map((id) => ctx.label(id));
      out.push(
        finding('MAPPED_GROUP_NOT_ASSIGNED', {
          orgId: org.id,
          subject,
          message: `${plural(people.length, 'active member')} of mapped group "${ref.name}" ${people.length === 1 ? 'is' : 'are'} not assigned to the app and get${people.length === 1 ? 's' : ''} no access (${listSome(people)})`,
          fix: `Assign the group "${ref.name}" to the app in ${ctx.where('assignments')}`,
        }),
      );
    }
    if (index.nesting === 'direct') {
      const nested = ref.groupIds.flatMap((gid) => index.groupsById.get(gid)?.memberGroupIds ?? []);
      if (nested.length > 0) {
        const names = [...new Set(nested)].sort(compareStrings).map((id) => index.groupsById.get(id)?.name ?? id);
        out.push(
          finding('NESTED_GROUP_IN_MAPPED_GROUP', {
            orgId: org.id,
            subject,
            message: `Mapped group "${ref.name}" contains nested group${names.length === 1 ? '' : 's'} ${listSome(names)}; ${snapshot.idp === 'entra' ? 'Entra' : 'this IdP'} sends direct members only, so their members do not count as members of "${ref.name}"`,
            fix: `Add those people to "${ref.name}" directly in ${ctx.where('groups')}, or map the nested group${names.length === 1 ? '' : 's'} too`,
          }),
        );
      }
    }
  }
  if (!seen && access.mappedGroups.length > 0) {
    out.push(
      finding('CHECK_UNAVAILABLE', {
        orgId: org.id,
        rule: 'R-G5',
        subject: { kind: 'org', id: org.id, ...(org.name ? { name: org.name } : {}) },
        message: `Not checked: whether the vendor has seen the mapped groups of ${orgLabel(org)} — the config has no groupMappings.seenGroups`,
        fix: `Copy the groups marked "seen" at ${identity} → Role mappings into provisioning.groupMappings.seenGroups`,
      }),
    );
  }
  if (live) out.push(...checkOwnerLockout(org, access, members));
  return out;
}

/**
 * R-G6: with mappings in effect somebody must hold the top role. When the only holders get it from
 * a pre-defined group counted implicitly (seed 001), it is still reported, as a warning: the newer
 * article (002) maps every group explicitly, and a wrong guess here is a lockout.
 */
export function checkOwnerLockout(
  org: Organization,
  access: OrgAccess,
  members: readonly Pick<Member, 'email' | 'role'>[] = [],
): Finding[] {
  if (!access.mappingsEnabled) return [];
  const top = topRole(org.surface);
  const holders = access.users.filter((u) => u.entitled && u.role === top);
  // R-A5: the Primary Owner keeps access and role under SCIM and mappings, so the org keeps one
  // owner; every other Owner is still downgraded, which stays worth a warning.
  const primaryOwners =
    org.surface === 'claude'
      ? members.filter((m) => m.role.trim().toLowerCase() === PRIMARY_OWNER).map((m) => m.email.trim().toLowerCase())
      : [];
  const implicitIds = new Set(access.mappedGroups.filter((r) => r.implicit).flatMap((r) => r.groupIds));
  const onlyImplicit = holders.length > 0 && holders.every((u) => u.roleGroupIds.every((g) => implicitIds.has(g)));
  if (holders.length > 0 && !onlyImplicit) return [];
  const topGroups = access.mappedGroups.filter((r) => r.kind === 'role' && r.target === top);
  const identity = vendorIdentity(org.surface);
  const label = top === 'owner' ? 'Owner' : 'Admin';
  const fix = `Before saving, put at least one person (yourself included) in a group mapped to ${top} — e.g. ${org.surface === 'claude' ? 'anthropic-claudeai' : 'anthropic-console'}-${org8(org.id)}-${top} — assigned to the app, and map it at ${identity} → Role mappings`;
  const subject = { kind: 'org' as const, id: org.id, ...(org.name ? { name: org.name } : {}) };
  if (holders.length === 0 && primaryOwners.length > 0) {
    return [
      finding('OWNER_LOCKOUT', {
        orgId: org.id,
        severity: 'warning',
        subject,
        message: `Nobody assigned to the app is in a group mapped to ${label} in ${orgLabel(org)}: every ${label} is downgraded to User except the Primary Owner (${primaryOwners.join(', ')}), who is exempt from SCIM reconciliation and keeps access (R-A5)`,
        fix,
      }),
    ];
  }
  if (onlyImplicit) {
    const names = topGroups.filter((r) => r.implicit).map((r) => r.name);
    return [
      finding('OWNER_LOCKOUT', {
        orgId: org.id,
        severity: 'warning',
        subject,
        message: `The only ${label}s of ${orgLabel(org)} get the role from ${names.join(', ')}, which the config does not map (counted as a default group, seed 001); if it is not mapped at ${identity}, every ${label} is downgraded to User`,
        fix: `Check ${names.join(', ')} is listed under ${label} at ${identity} → Role mappings and add it to provisioning.groupMappings.roles.${top} in the config`,
      }),
    ];
  }
  return [
    finding('OWNER_LOCKOUT', {
      orgId: org.id,
      subject,
      message: `Nobody assigned to the app is in a group mapped to ${label} in ${orgLabel(org)}${topGroups.length ? ` (${topGroups.map((g) => g.name).join(', ')} ${topGroups.every((g) => g.groupIds.length === 0) ? 'missing' : 'has no entitled member'})` : ' (no group is mapped to it)'}: every ${label} is downgraded to User`,
      fix,
    }),
  ];
}

export interface Loser {
  email: string;
  userId?: string;
  role: string;
  /** Why: the access reason, or `not-in-idp` (see `LossCause`). */
  reason: Exclude<LossCause, 'duplicate-account'>;
}
export interface Downgrade {
  email: string;
  userId?: string;
  from: string;
  to: string;
}
export interface MemberImpact {
  findings: Finding[];
  losers: Loser[];
  downgrades: Downgrade[];
  /** What happens to the actor, when one was given. */
  actor: null | {
    email: string;
    currentRole: string | null;
    resolvedRole: string | null;
    entitled: boolean;
    downgraded: boolean;
  };
}

const REASON_TEXT: Record<Loser['reason'], string> = {
  'not-assigned': 'not assigned to the app',
  inactive: 'not active in the IdP',
  'no-mapped-group': 'in no mapped group',
  'no-email': 'without an email in the IdP',
  'not-in-idp': 'not found in the IdP (no person there sends this email)',
};

/**
 * What the IdP state does to the current members of one org (R-V3, R-G1, R-G6, R-V5).
 * `phase: 'audit'`: JIT members who lost entitlement are STALE_MEMBER (listed until they try to log
 * in or are removed); SCIM ones are ACCESS_LOSS (removed automatically). `phase: 'preflight'`:
 * every loss is ACCESS_LOSS (what saving the change would do).
 */
export function checkMemberImpact(
  ctx: CheckContext,
  org: Organization,
  access: OrgAccess,
  members: readonly Member[],
  actorEmail: string | undefined,
  phase: 'audit' | 'preflight',
): MemberImpact {
  const out: Finding[] = [];
  const losers: Loser[] = [];
  const downgrades: Downgrade[] = [];
  const mode = org.provisioning.mode;
  const surface = org.surface;
  const idp = ctx.snapshot.idp;
  const identity = vendorIdentity(surface);
  const top = topRole(surface);
  const actor = normalizeEmail(actorEmail);
  let actorResult: MemberImpact['actor'] = null;
  // Manual: nothing is removed automatically; the audit still lists the members the IdP no longer
  // grants (the plan removes them by hand). Saving settings (preflight) changes nothing in Manual.
  if (mode === 'manual' && phase === 'preflight') return { findings: out, losers, downgrades, actor: actorResult };

  const rank = (r: string) => ctx.catalogue.rank(surface, r);
  const tiers = seatTierOrder(org, ctx.catalogue);
  const changeRules: MemberChangeRules = {
    surface,
    complete: ctx.snapshot.complete === true,
    isRoleDowngrade: (from, to) => isRoleDowngrade(ctx.catalogue, org, from, to),
    tierRank: (t) => {
      const i = tiers.indexOf(t);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    },
  };
  // Member order does not matter: findings are sorted by the caller, losers/downgrades below.
  // Duplicate rows for one address: the highest role wins, whatever the row order.
  // One row per address, in order of first appearance. While the rows come in address order
  // (member lists usually do), a repeat can only be the previous row; once they do not, `rowOf`
  // maps every address to its row.
  let rowOf: Map<string, number> | null = null;
  const rowEmails: string[] = [];
  const rowMembers: Member[] = [];
  /** The row's address was normal as given: normalising it again (as `matchMember` does) changes nothing. */
  const rowNormal: boolean[] = [];
  /** The row's index in `members` (where its address and the people known by it are looked up). */
  const rowAt: number[] = [];
  const addresses = memberAddresses(members, ctx.people.cache);
  const ranges = addressRanges(ctx.index, addresses);
  const exact = ranges.knownByExactly(mode);
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if ((m.status ?? 'active') !== 'active') continue;
    const normal = addresses[i] ?? null;
    const email = normal ?? m.email.trim();
    const last = rowEmails.length - 1;
    let row: number | undefined;
    if (!rowOf && last >= 0 && !(rowEmails[last]! < email)) {
      if (rowEmails[last] === email) row = last;
      else rowOf = new Map(rowEmails.map((e, r) => [e, r]));
    }
    if (rowOf) row = rowOf.get(email);
    if (row === undefined) {
      rowOf?.set(email, rowEmails.length);
      rowEmails.push(email);
      rowMembers.push(m);
      rowNormal.push(normal === m.email);
      rowAt.push(i);
      continue;
    }
    const prev = rowMembers[row]!;
    if (rank(m.role) < rank(prev.role) || (rank(m.role) === rank(prev.role) && m.role < prev.role)) rowMembers[row] = m;
  }
  // Roles are a handful of strings across 100k rows: each is lower-cased once.
  const lower = memoText((role) => role.toLowerCase());
  for (let row = 0; row < rowEmails.length; row++) {
    const email = rowEmails[row]!;
    const m = rowMembers[row]!;
    const at = rowAt[row]!;
    const match = rowNormal[row]
      ? matchAmong(access, email, ranges.positions, ranges.start[at]!, ranges.end[at]!, exact)
      : matchMember(ctx.index, access, email, ctx.norm);
    const r: UserAccess | null = match.access;
    const isActor = actor !== null && email === actor;
    const subject = { kind: 'user' as const, id: r?.userId, name: email }; // `finding` drops an undefined id
    const role = lower(m.role);
    // The same decision the plan makes for this member (rules/access/member-change.ts).
    const change = decideMemberChange(
      { role, seatTier: m.seatTier == null ? undefined : lower(m.seatTier.trim()) },
      { access: r },
      changeRules,
    );
    const reason: Loser['reason'] | null = change.kind === 'remove' ? (change.cause as Loser['reason']) : null;
    const downgrade =
      change.kind === 'update' && change.role !== null && rank(change.role.to) > rank(change.role.from)
        ? change.role
        : null;

    if (isActor)
      actorResult = {
        email,
        currentRole: role,
        resolvedRole: r?.entitled ? r.role : null,
        entitled: reason === null,
        downgraded: false,
      };
    // R-A5: the Primary Owner keeps access and role, in the IdP or not: nothing to report.
    if (change.kind === 'keepPrimaryOwner') continue;

    if (reason !== null) {
      losers.push({ email, ...(r ? { userId: r.userId } : {}), role, reason });
      const why = REASON_TEXT[reason];
      const fixAccess =
        reason === 'no-mapped-group'
          ? `If ${email} should keep access, add them in ${ctx.where('groups')} to a group mapped in ${orgLabel(org)}${access.mappedGroups[0] ? ` (e.g. ${access.mappedGroups.find((g) => g.kind === 'role')?.name ?? access.mappedGroups[0].name})` : ''}`
          : reason === 'not-assigned'
            ? `If ${email} should keep access, assign them (or a group they are in) to the app in ${ctx.where('assignments')}`
            : reason === 'inactive'
              ? `Nothing to do if they left; otherwise reactivate them in ${ctx.where('users')}`
              : `If ${email} should keep access, make sure ${idp} has a person with exactly this email in the field the app sends, assigned to the app`;
      if (isActor && access.mappingsEnabled) {
        actorResult!.downgraded = true;
        out.push(
          finding('ACTOR_DOWNGRADE', {
            orgId: org.id,
            subject,
            message: `You (${email}, ${role}) would lose access to ${orgLabel(org)}: you are ${why}`,
            fix: `Before saving, add yourself to a group mapped to ${top} and assigned to the app in ${ctx.where('groups')}; if it already happened, ask another ${top === 'owner' ? 'Owner' : 'Admin'} to restore your role at ${vendorMembers(surface)}`,
          }),
        );
      } else if (mode === 'manual') {
        out.push(
          finding('STALE_MEMBER', {
            orgId: org.id,
            subject,
            message: `${email} (${role}) is listed in ${orgLabel(org)} but is ${why}: in Manual mode nobody is removed automatically, so they stay until removed by hand`,
            fix: `${fixAccess}; otherwise remove them at ${vendorMembers(surface)}`,
          }),
        );
      } else if (mode === 'jit' && phase === 'audit') {
        out.push(
          finding('STALE_MEMBER', {
            orgId: org.id,
            subject,
            message: `${email} (${role}) is listed in ${orgLabel(org)} but is ${why}: under JIT they can no longer log in, yet stay listed until they try or are removed by hand`,
            fix: `${fixAccess}; otherwise remove them at ${vendorMembers(surface)}`,
          }),
        );
      } else {
        out.push(
          finding('ACCESS_LOSS', {
            orgId: org.id,
            severity: reason === 'inactive' ? 'info' : 'error',
            subject,
            message:
              mode === 'scim'
                ? `${email} (${role}) ${phase === 'audit' ? 'is' : 'would be'} removed from ${orgLabel(org)} automatically by SCIM: they are ${why}`
                : `${email} (${role}) would no longer be able to log in to ${orgLabel(org)} (JIT; they stay listed): they are ${why}`,
            fix: fixAccess,
          }),
        );
      }
      continue;
    }

    if (!match.exact) {
      out.push(
        finding('DUPLICATE_ACCOUNT_RISK', {
          orgId: org.id,
          rule: 'R-S5',
          subject,
          message: `The member account is ${email} but ${idp} sends ${r!.email} for this person: their next ${mode === 'scim' ? 'SCIM push' : 'login'} creates a second account instead of reaching the existing one`,
          fix: `Make the field the app sends equal ${email} for this person in ${ctx.where('users')} (or change the member's email to ${r!.email} first)`,
        }),
      );
    }

    if (downgrade) {
      downgrades.push({ email, userId: r!.userId, from: role, to: downgrade.to });
      if (isActor) {
        actorResult!.downgraded = true;
        out.push(
          finding('ACTOR_DOWNGRADE', {
            orgId: org.id,
            subject,
            message: `You (${email}) are ${role} in ${orgLabel(org)} but the mappings give you ${r!.role}: saving downgrades you and you lose the settings`,
            fix: `Before saving, add yourself to a group mapped to ${top} (e.g. ${org.surface === 'claude' ? 'anthropic-claudeai' : 'anthropic-console'}-${org8(org.id)}-${top}) in ${ctx.where('groups')}; if it already happened, ask another ${top === 'owner' ? 'Owner' : 'Admin'} to change your role back at ${vendorMembers(surface)}`,
          }),
        );
      } else {
        out.push(
          finding('ROLE_DOWNGRADE', {
            orgId: org.id,
            subject,
            message: `${email} is ${role} in ${orgLabel(org)} but the mapped groups give ${r!.role}${mode === 'jit' ? ' (applied at their next login)' : ' (pushed by SCIM)'}`,
            fix: `If ${email} should stay ${role}, add them to a group mapped to ${role} in ${ctx.where('groups')}`,
          }),
        );
      }
    }
  }

  // The actor is not in the member list (or no list was given): they are the Owner/Admin saving the mappings.
  if (actor !== null && actorResult === null && access.mappingsEnabled) {
    const match = matchMember(ctx.index, access, actor, ctx.norm);
    const r = match.access;
    const resolved = r?.entitled ? r.role : null;
    const downgraded = resolved === null || rank(resolved) > rank(top);
    actorResult = { email: actor, currentRole: null, resolvedRole: resolved, entitled: !!r?.entitled, downgraded };
    if (downgraded) {
      out.push(
        finding('ACTOR_DOWNGRADE', {
          orgId: org.id,
          subject: { kind: 'user', ...(r ? { id: r.userId } : {}), name: actor },
          message: `You (${actor}) ${resolved ? `would get ${resolved}` : `would get no access (${r ? REASON_TEXT[r.reason as Loser['reason']] : REASON_TEXT['not-in-idp']})`} in ${orgLabel(org)}: the person saving the mappings must be in a group mapped to ${top}, or they are downgraded`,
          fix: `Before saving, add yourself to a group mapped to ${top} and assigned to the app in ${ctx.where('groups')}`,
        }),
      );
    }
  }
  losers.sort((a, b) => compareStrings(a.email, b.email));
  downgrades.sort((a, b) => compareStrings(a.email, b.email));
  return { findings: out, losers, downgrades, actor: actorResult };
}

/** R-V5 / R-G2: seat shortfalls per tier (claude.ai, when the config gives seat counts). */
export function checkSeats(org: Organization, access: OrgAccess): Finding[] {
  const out: Finding[] = [];
  const subjectBase = { kind: 'org' as const, id: org.id };
  const billing = 'claude.ai/admin-settings/billing';
  for (const row of access.seats) {
    if (row.bought === null) continue;
    if (row.shortfall > 0) {
      out.push(
        finding('SEAT_SHORTFALL', {
          orgId: org.id,
          subject: { ...subjectBase, name: `${org.name ?? org.id}: ${row.tier}` },
          message: `${row.mapped + row.shortfall} entitled people are mapped to ${row.tier} in ${orgLabel(org)} but only ${row.bought} ${row.tier} seats are bought: ${row.shortfall} will not be provisioned`,
          fix: `Buy ${row.shortfall} more ${row.tier} seats at ${billing}, then click "Sync now" at claude.ai/admin-settings/identity → Directory sync (SCIM) (JIT: they are added at their next login)`,
        }),
      );
    }
  }
  if (access.unseated > 0 && access.seats.some((s) => s.bought !== null)) {
    out.push(
      finding('SEAT_SHORTFALL', {
        orgId: org.id,
        subject: { ...subjectBase, name: `${org.name ?? org.id}: any tier` },
        message: `${plural(access.unseated, 'entitled person', 'entitled people')} in no seat-tier group find no seat in any tier of ${orgLabel(org)} (${access.seats.map((s) => `${s.tier} ${s.mapped + s.fallback}/${s.bought}`).join(', ')}): they will not be provisioned`,
        fix: `Buy ${access.unseated} more seats at ${billing} (the highest tier with room is given first), then "Sync now" at claude.ai/admin-settings/identity`,
      }),
    );
  }
  return out;
}
