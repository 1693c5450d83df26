import type { Finding } from '../../schemas/finding';
import { compareStrings, samlEmailSource, scimEmailSource } from '../../rules/access';
import { domainClassifier } from '../../rules/parent';
import type { CheckContext } from './context';
import { finding } from './findings';
import { listSome, plural, vendorIdentity } from './where';

/** People and groups in the snapshot: emails, domains, status, nesting (R-S1, R-S4, R-S5, R-V3). */
export function checkUsers(ctx: CheckContext): Finding[] {
  const { snapshot, config, index, people } = ctx;
  const out: Finding[] = [];
  const scimInUse = config.organizations.some((o) => o.provisioning.mode === 'scim');
  const samlSource = samlEmailSource(snapshot) ?? 'user.email';
  const scimSource = scimEmailSource(snapshot) ?? 'user.email';
  const identity = vendorIdentity(
    config.organizations.some((o) => o.surface === 'claude') || config.organizations.length === 0
      ? 'claude'
      : 'console',
  );

  if (!snapshot.complete) {
    out.push(
      finding('SNAPSHOT_INCOMPLETE', {
        subject: { kind: 'app', id: snapshot.app.id, name: snapshot.app.name },
        message: `The snapshot of ${snapshot.tenant} is marked incomplete: some pages were not read, so people may be missing and access results below can be wrong`,
        fix: `Take the snapshot again (claude-idp snapshot --idp ${snapshot.idp}) until it completes; never deprovision from an incomplete read`,
      }),
    );
  }

  const classify = domainClassifier(config.parent);
  const offDomain = new Map<string, { status: string; parentDomain?: string; people: string[] }>();
  const users = index.usersSorted;
  const statuses = people.statuses;
  for (let i = 0; i < users.length; i++) {
    if (!people.isAssigned(i)) continue;
    const saml = people.samlEmails[i] ?? null;
    const scim = people.scimEmails[i] ?? null;
    // The common case (active, with an email, on a verified domain) reads only the index's arrays.
    if (statuses[i] !== 'active') {
      const u = users[i]!;
      const permanent = u.status === 'deprovisioned';
      out.push(
        finding('INACTIVE_ASSIGNED', {
          severity: permanent ? 'warning' : 'info',
          subject: { kind: 'user', id: u.id, name: saml ?? u.email ?? u.login ?? u.id },
          message: `${ctx.label(u.id)} is assigned to the app but ${u.status} in ${snapshot.idp}: they cannot log in${scimInUse ? ' and SCIM deactivates them' : ''}${permanent ? '' : ' until reactivated'}`,
          fix: permanent
            ? `Remove the leftover assignment in ${ctx.where('assignments')} (or from the group that grants it)`
            : `Nothing to do if intended; reactivate them in ${ctx.where('users')} to restore access`,
        }),
      );
      continue;
    }
    const missing: string[] = [];
    if (!saml) missing.push(`${samlSource} (SAML)`);
    if (scimInUse && !scim && scimSource !== samlSource) missing.push(`${scimSource} (SCIM)`);
    if (missing.length) {
      const u = users[i]!;
      out.push(
        finding('EMAIL_MISSING', {
          subject: { kind: 'user', id: u.id, name: u.email ?? u.login ?? u.id },
          message: `${ctx.label(u.id)} is assigned to the app but has no email address in ${missing.join(' and ')}: they cannot be provisioned or log in`,
          fix: `Fill in ${missing.map((m) => m.split(' ')[0]).join(' and ')} for this person in ${ctx.where('users')}`,
        }),
      );
      continue;
    }
    const d = classify(saml);
    if (d.status !== 'verified') {
      const key = d.domain ?? '(invalid)';
      let row = offDomain.get(key);
      if (!row)
        offDomain.set(
          key,
          (row = {
            status: d.status,
            ...(d.status === 'subdomain' ? { parentDomain: d.parentDomain } : {}),
            people: [],
          }),
        );
      row.people.push(saml!);
    }
  }

  for (const [domain, row] of [...offDomain].sort(([a], [b]) => compareStrings(a, b))) {
    const who = `${plural(row.people.length, 'assigned person', 'assigned people')} (${listSome(row.people)})`;
    let message: string;
    let fix: string;
    if (row.status === 'subdomain') {
      message = `${who} on ${domain}, a subdomain of verified ${row.parentDomain}: a subdomain is not covered by its parent domain`;
      fix = `Verify ${domain} itself: at ${identity} → Add domain enter ${domain} and publish its TXT record on the subdomain (_acme-challenge.${domain} style, as shown), then Refresh until Verified`;
    } else if (row.status === 'pending') {
      message = `${who} on ${domain}, which is still Pending verification`;
      fix = `Finish verifying ${domain}: check its TXT record is published and click Refresh at ${identity} → Domains (up to 10 minutes)`;
    } else if (row.status === 'invalid') {
      message = `${who} have an email that is not a valid address`;
      fix = `Correct their ${samlSource} in ${ctx.where('users')}`;
    } else {
      message = `${who} on ${domain}, which the parent organization has not verified: SSO does not apply to them`;
      fix = `Verify ${domain} at ${identity} → Add domain (TXT record) if your company owns it; otherwise give these people an address on a verified domain (${config.parent.verifiedDomains.join(', ') || 'none yet'}) or remove them from ${ctx.where('assignments')}`;
    }
    out.push(finding('USER_DOMAIN_UNVERIFIED', { subject: { kind: 'domain', name: domain }, message, fix }));
  }

  for (const [email, ids] of sameSamlEmail(ctx)) {
    const sorted = [...ids].sort(compareStrings);
    out.push(
      finding('DUPLICATE_EMAIL', {
        subject: { kind: 'user', id: sorted[0], name: email },
        message: `${sorted.length} active people in ${snapshot.idp} send the same email ${email} (compared case-insensitively): ${sorted
          .map((id) => {
            const login = users[people.positionOf(id)!]?.login;
            return login ? `${id} (login ${login})` : id;
          })
          .join(', ')}; they would share one account`,
        fix: `Give each person a distinct ${samlSource} in ${ctx.where('users')}, or deactivate the stale duplicate`,
      }),
    );
  }

  for (const cycle of index.cycles) {
    const names = cycle.map((id) => `${index.groupsById.get(id)?.name ?? id} (${id})`);
    out.push(
      finding('NESTED_GROUP_CYCLE', {
        subject: { kind: 'group', id: cycle[0], name: index.groupsById.get(cycle[0]!)?.name ?? cycle[0] },
        message: `Groups nest in a cycle: ${names.join(' ⊂ ')} ⊂ ${names[0]}; membership through them is ambiguous (resolved once, without looping)`,
        fix: `Remove one of the group-in-group memberships in ${ctx.where('groups')} to break the cycle`,
      }),
    );
  }

  // Entra ("direct"): group assignment does not cascade to nested groups. Report per nested group.
  if (index.nesting === 'direct' && index.nestedNotAssigned.size > 0) {
    const perNested = new Map<string, { parents: Set<string>; people: string[] }>();
    const assignedGroups = [...new Set(snapshot.assignments.groupIds)].sort(compareStrings);
    for (const root of assignedGroups) {
      const g = index.groupsById.get(root);
      if (!g || g.memberGroupIds.length === 0) continue;
      const visited = new Set<string>([root]);
      const stack = [...g.memberGroupIds];
      for (const c of stack) visited.add(c);
      while (stack.length) {
        const id = stack.pop()!;
        const cur = index.groupsById.get(id);
        if (!cur) continue;
        for (const uid of cur.memberUserIds) {
          if (!index.nestedNotAssigned.has(uid)) continue;
          let row = perNested.get(id);
          if (!row) perNested.set(id, (row = { parents: new Set(), people: [] }));
          row.parents.add(root);
          if (!row.people.includes(uid)) row.people.push(uid);
        }
        for (const c of cur.memberGroupIds) if (!visited.has(c)) visited.add(c), stack.push(c);
      }
    }
    for (const [id, row] of [...perNested].sort(([a], [b]) => compareStrings(a, b))) {
      const name = index.groupsById.get(id)?.name ?? id;
      const parents = [...row.parents].sort(compareStrings).map((p) => index.groupsById.get(p)?.name ?? p);
      const people = row.people.sort(compareStrings).map((p) => ctx.label(p));
      out.push(
        finding('NESTED_GROUP_NOT_ASSIGNED', {
          subject: { kind: 'group', id, name },
          message: `${plural(people.length, 'member')} of ${name}, nested in assigned group ${parents.join(', ')}, do not get the app: ${snapshot.idp === 'entra' ? 'Entra' : 'this IdP'} does not pass group assignment on to nested groups (${listSome(people)})`,
          fix: `Assign ${name} itself to the app in ${ctx.where('assignments')} (or assign these people directly)`,
        }),
      );
    }
  }
  return out;
}

/**
 * Active people who send the same SAML email, as [email, user ids] in email order (DUPLICATE_EMAIL).
 * The index is sorted by that address, so they are neighbours: one scan, no map of every address.
 * People without a SAML email sort among them by their user.email; they neither join nor end a run.
 */
function sameSamlEmail(ctx: CheckContext): [string, string[]][] {
  const { index, people } = ctx;
  const users = index.usersSorted;
  const out: [string, string[]][] = [];
  // The run being read: its address, its first active person, and a list once there is a second.
  let email: string | null = null;
  let first: string | null = null;
  let all: string[] | null = null;
  for (let i = 0; i < users.length; i++) {
    const saml = people.samlEmails[i] ?? null;
    if (saml === null) continue;
    if (saml !== email) {
      if (email !== null && all !== null) out.push([email, all]);
      email = saml;
      first = null;
      all = null;
    }
    if (people.statuses[i] !== 'active') continue;
    if (first === null) first = users[i]!.id;
    else (all ??= [first]).push(users[i]!.id);
  }
  if (email !== null && all !== null) out.push([email, all]);
  return out;
}
