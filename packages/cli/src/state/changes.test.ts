import { describe, expect, it } from 'vitest';
import type { Finding, Plan } from '@claude-idp/core';
import { demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { compareAccess, computeChanges, findingKey } from './changes';

const f = (over: Partial<Finding> = {}): Finding => ({
  code: 'SEAT_SHORTFALL',
  severity: 'warning',
  rule: 'R-V5',
  orgId: 'o1',
  subject: { kind: 'org', id: 'o1' },
  message: 'needs 25 seats, has 20',
  fix: 'buy seats',
  ...over,
});
const snapshot = snapshotFromTenant(demoTenant(), { idp: 'okta' });
const plan = (actions: Plan['orgs'][number]['actions']): Plan => ({
  schemaVersion: 1,
  fingerprint: 'x',
  complete: true,
  orgs: [{ orgId: 'o1', mode: 'scim', mappings: true, actions, totals: {} }],
  guards: [],
});

describe('what changed between two runs', () => {
  it('a finding whose wording changed is the same finding; another subject is a new one', () => {
    expect(findingKey(f())).toBe(findingKey(f({ message: 'needs 27 seats, has 20' })));
    expect(findingKey(f())).not.toBe(findingKey(f({ subject: { kind: 'org', id: 'o2' } })));
    const c = computeChanges(
      {
        snapshot,
        access: [],
        report: { findings: [f({ message: 'needs 27' }), f({ code: 'OWNER_LOCKOUT', severity: 'error' })] } as never,
        configDigest: 'a',
      },
      {
        runId: 'r1',
        at: 't',
        command: 'audit',
        snapshot,
        access: [],
        configDigest: 'a',
        report: { findings: [f(), f({ code: 'GROUP_PREFIX' })] } as never,
      },
    );
    expect(c.newFindings.map((x) => x.code)).toEqual(['OWNER_LOCKOUT']);
    expect(c.resolvedFindings.map((x) => x.code)).toEqual(['GROUP_PREFIX']);
    expect(c.changed).toBe(true);
    expect(c.drift?.total).toBe(0);
  });

  it('access: gained, lost, role and tier changes count; a row without access whose reason changed does not', () => {
    const row = (userId: string, access: boolean, role: string | null, seatTier: string | null = null) => ({
      orgId: 'o1',
      userId,
      email: `${userId}@x`,
      access,
      role,
      seatTier,
    });
    const changes = compareAccess(
      [row('a', true, 'user'), row('b', true, 'user', 'standard'), row('c', false, null), row('d', true, 'admin')],
      [row('a', true, 'admin'), row('b', true, 'user', 'premium'), row('c', false, null), row('e', true, 'user')],
    );
    expect(changes.map((c) => c.userId)).toEqual(['a', 'b', 'd', 'e']);
    expect(changes.find((c) => c.userId === 'd')!.to).toBeNull();
  });

  it('plan actions added and gone, keyed by org, person, action, from and to', () => {
    const a = {
      email: 'x@acme.com',
      action: 'provision' as const,
      to: 'user',
      when: 'immediate' as const,
      rule: 'R-G1',
      reason: 'r',
    };
    const b = {
      email: 'y@acme.com',
      action: 'deprovision' as const,
      from: 'user',
      when: 'nextSyncCycle' as const,
      rule: 'R-V3',
      reason: 'r',
    };
    const c = computeChanges(
      {
        snapshot,
        access: [],
        plan: plan([
          { ...a, reason: 'other words' },
          { ...a, email: 'z@acme.com' },
        ]),
        configDigest: 'a',
      },
      { runId: 'r1', at: 't', command: 'plan', snapshot, access: [], configDigest: 'b', plan: plan([a, b]) },
    );
    expect(c.planAdded.map((x) => x.email)).toEqual(['z@acme.com']);
    expect(c.planGone.map((x) => x.email)).toEqual(['y@acme.com']);
    expect(c.configChanged).toBe(true);
    expect(c.findingsCompared).toBe(false);
  });
});
