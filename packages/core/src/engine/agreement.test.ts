import { describe, expect, it } from 'vitest';
import { audit } from './audit/audit';
import { explain } from './plan/explain';
import { plan } from './plan/plan';
import { normalizeEmail } from '../model/email';
import type { OrgConfig } from '../schemas/config';
import type { Member } from '../schemas/members';
import type { DirectorySnapshot } from '../schemas/snapshot';
import { conformanceTenant } from '../testing/generic-tenant';
import { DEMO_ACTOR, demoConfig, demoMembers, demoTenant } from '../testing/demo-tenant';
import { snapshotFromTenant } from '../testing/snapshot-from-tenant';
import { syntheticConfig, syntheticMembers, syntheticTenant } from '../testing/synthetic';
import {
  CLAUDE_ORG,
  claudeOrg,
  cfg as planConfig,
  grp,
  mem as member,
  person,
  snap,
  USER_GROUP,
  OWNER_GROUP,
  PREMIUM_GROUP,
} from './plan/plan-fixtures';

/**
 * audit, plan and explain read one decision per person (rules/access/decide.ts) and one change per
 * member (rules/access/member-change.ts), so they cannot disagree: whoever the audit says loses
 * access (ACCESS_LOSS, STALE_MEMBER) the plan removes, and every member the plan removes the audit
 * reports; every ROLE_DOWNGRADE is a planned role change; `explain` shows the plan's actions.
 */
function disagreements(
  snapshot: DirectorySnapshot,
  config: OrgConfig,
  members: readonly Member[],
  actor?: string,
): string[] {
  const report = audit({ snapshot, config, members, now: '2026-02-10T12:00:00.000Z', ...(actor ? { actor } : {}) });
  const p = plan({ snapshot, config, members, now: '2026-02-10T12:00:00.000Z' });
  const out: string[] = [];
  const key = (orgId: string, email: string) => `${orgId} ${normalizeEmail(email) ?? email.trim().toLowerCase()}`;
  const removed = new Set<string>();
  const roleChanged = new Set<string>();
  for (const o of p.orgs) {
    for (const a of o.actions) {
      if (a.action === 'deprovision' || (a.action === 'none' && a.rule === 'SPEC-5' && a.to === undefined))
        removed.add(key(o.orgId, a.email));
      if (a.action === 'changeRole' || (a.action === 'none' && a.rule === 'SPEC-5' && a.to !== undefined))
        roleChanged.add(key(o.orgId, a.email));
    }
  }
  const losers = new Set<string>();
  for (const f of report.findings) {
    if (!f.orgId || f.subject?.kind !== 'user' || !f.subject.name) continue;
    const k = key(f.orgId, f.subject.name);
    if (
      f.code === 'ACCESS_LOSS' ||
      f.code === 'STALE_MEMBER' ||
      (f.code === 'ACTOR_DOWNGRADE' && / lose access /.test(f.message))
    ) {
      losers.add(k);
      if (!removed.has(k)) out.push(`audit ${f.code} but the plan does not remove: ${k}`);
    }
    if (f.code === 'ROLE_DOWNGRADE' && !roleChanged.has(k))
      out.push(`audit ROLE_DOWNGRADE but the plan changes no role: ${k}`);
  }
  const active = new Set(
    members
      .filter((m) => (m.status ?? 'active') === 'active')
      .map((m) => key(m.orgId ?? config.organizations[0]!.id, m.email)),
  );
  for (const k of removed)
    if (active.has(k) && !losers.has(k)) out.push(`the plan removes an active member the audit does not report: ${k}`);
  // explain shows, per org, the plan's own actions for the person.
  const emails = [...new Set(p.orgs.flatMap((o) => o.actions.map((a) => a.email)))].slice(0, 40);
  for (const email of emails) {
    const e = explain({ snapshot, config, members, email });
    for (const eo of e.orgs) {
      const planned = p.orgs.find((o) => o.orgId === eo.orgId)!.actions.filter((a) => a.email === email);
      for (const a of planned)
        if (!eo.actions.some((x) => x.action === a.action && x.rule === a.rule && x.reason === a.reason))
          out.push(`explain ${email} misses the plan's ${a.action} in ${eo.orgId}`);
    }
  }
  return out;
}

describe('audit, plan and explain agree (one decision per person)', () => {
  it.each(['okta', 'entra', 'google', 'onelogin'] as const)('the demo tenant read as %s', (idp) => {
    const snapshot = snapshotFromTenant(demoTenant(), { idp });
    expect(disagreements(snapshot, demoConfig(idp), demoMembers(), DEMO_ACTOR)).toEqual([]);
  });

  it('the demo: a member mapped to a full premium tier keeps the standard seat they hold (no ACCESS_LOSS, no removal)', () => {
    const snapshot = snapshotFromTenant(demoTenant());
    const report = audit({ snapshot, config: demoConfig(), members: demoMembers(), now: '2026-02-10T12:00:00.000Z' });
    expect(
      report.findings.filter((f) => f.subject?.name === 'javier.morales@northwind.example' && f.code === 'ACCESS_LOSS'),
    ).toEqual([]);
    const p = plan({ snapshot, config: demoConfig(), members: demoMembers(), now: '2026-02-10T12:00:00.000Z' });
    const javier = p.orgs[0]!.actions.filter((a) => a.email === 'javier.morales@northwind.example');
    expect(javier).toMatchObject([{ action: 'none', rule: 'R-V5', from: 'standard', to: 'premium' }]);
  });

  it('the conformance tenant under the demo config', () => {
    expect(disagreements(snapshotFromTenant(conformanceTenant()), demoConfig('generic'), demoMembers())).toEqual([]);
  });

  const modes = ['manual', 'jit', 'scim'] as const;
  for (const claudeMode of modes) {
    for (const consoleMode of modes) {
      it(`synthetic tenants: claude.ai ${claudeMode}, Console ${consoleMode}`, () => {
        for (const seed of [1, 2]) {
          const tenant = syntheticTenant({ users: 300, groups: 20, memberships: 1200, seed });
          const snapshot = snapshotFromTenant(tenant);
          const config = syntheticConfig(tenant, { claudeMode, consoleMode });
          expect(disagreements(snapshot, config, syntheticMembers(tenant))).toEqual([]);
        }
      });
    }
  }

  it('the Primary Owner outside every mapped group: no ACCESS_LOSS, no removal, no role change (R-A5)', () => {
    const snapshot = snap({
      users: [person('u1', 'po@acme.com'), person('u2', 'ana@acme.com')],
      groups: [grp('g1', USER_GROUP, ['u2']), grp('g2', OWNER_GROUP, [])],
      assignGroups: ['g1'],
    });
    const cfg = planConfig([
      claudeOrg({
        mode: 'scim',
        mappings: { roles: { user: [USER_GROUP], owner: [OWNER_GROUP] }, seatTiers: { premium: [PREMIUM_GROUP] } },
      }),
    ]);
    const members = [
      member('po@acme.com', 'primary_owner', { orgId: CLAUDE_ORG }),
      member('ana@acme.com', 'user', { orgId: CLAUDE_ORG }),
    ];
    expect(disagreements(snapshot, cfg, members)).toEqual([]);
    const p = plan({ snapshot, config: cfg, members, now: '2026-02-10T12:00:00.000Z' });
    expect(p.orgs[0]!.actions.find((a) => a.email === 'po@acme.com')).toMatchObject({ action: 'none', rule: 'R-A5' });
    const report = audit({ snapshot, config: cfg, members, now: '2026-02-10T12:00:00.000Z' });
    const lockout = report.findings.find((f) => f.code === 'OWNER_LOCKOUT');
    expect(lockout).toMatchObject({ severity: 'warning' });
    expect(lockout!.message).toContain('except the Primary Owner (po@acme.com)');
  });

  it('the Primary Owner not in the IdP at all: kept, no finding about them, no crash (R-A5)', () => {
    const snapshot = snap({
      users: [person('u2', 'ana@acme.com')],
      groups: [grp('g1', USER_GROUP, ['u2'])],
      assignGroups: ['g1'],
    });
    const cfg = planConfig([claudeOrg({ mode: 'scim', mappings: { roles: { user: [USER_GROUP] } } })]);
    const members = [
      member('po@acme.com', 'primary_owner', { orgId: CLAUDE_ORG }),
      member('ana@acme.com', 'user', { orgId: CLAUDE_ORG }),
    ];
    expect(disagreements(snapshot, cfg, members)).toEqual([]);
    const report = audit({ snapshot, config: cfg, members, now: '2026-02-10T12:00:00.000Z' });
    expect(report.findings.filter((f) => f.subject?.name === 'po@acme.com')).toEqual([]);
  });
});
