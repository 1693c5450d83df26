import { describe, expect, it } from 'vitest';
import { GuardRefusalError, InputError, type Member } from '@claude-idp/core';
import { parseAuditTrail, touchedMembers, type AuditLine } from './anthropic-audit-trail';
import { checkDeprovisionLimit, checkFreshness, parseMaxDeprovision, parsePlan } from './anthropic-preflight';
import { buildPlan, consoleMembers, ORG, OTHER_ORG } from './__support__/anthropic-test-support';

describe('parseMaxDeprovision / checkDeprovisionLimit', () => {
  it('reads counts and percentages, defaulting to 10%', () => {
    expect(parseMaxDeprovision(undefined)).toEqual({ kind: 'percent', value: 10 });
    expect(parseMaxDeprovision(3)).toEqual({ kind: 'count', value: 3 });
    expect(parseMaxDeprovision('3')).toEqual({ kind: 'count', value: 3 });
    expect(parseMaxDeprovision(' 12.5% ')).toEqual({ kind: 'percent', value: 12.5 });
    for (const bad of ['-1', '150%', 'ten', '1.5', -2]) expect(() => parseMaxDeprovision(bad)).toThrow(InputError);
  });

  it('allows up to the limit and refuses one more', () => {
    expect(checkDeprovisionLimit(10, 100, { kind: 'percent', value: 10 }, {})).toBe(false);
    expect(() => checkDeprovisionLimit(11, 100, { kind: 'percent', value: 10 }, {})).toThrow(GuardRefusalError);
    expect(checkDeprovisionLimit(0, 0, { kind: 'percent', value: 10 }, {})).toBe(false);
    expect(() => checkDeprovisionLimit(3, 100, { kind: 'count', value: 2 }, {})).toThrow(/more than the limit \(2\)/);
    expect(checkDeprovisionLimit(3, 100, { kind: 'count', value: 2 }, { overrideGuards: ['MAX_DEPROVISION'] })).toBe(
      true,
    );
    expect(() => checkDeprovisionLimit(3, 100, { kind: 'count', value: 2 }, { force: true })).toThrow(
      GuardRefusalError,
    );
  });
});

describe('checkFreshness', () => {
  const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: [] }]);
  const noTrail = { previous: [], overrides: {} };

  it('accepts the same members in any order, with vendor ids, and refuses any change', () => {
    const fresh = consoleMembers()
      .reverse()
      .map((m, i) => ({ ...m, id: `user_${i}`, email: m.email.toUpperCase() }));
    expect(checkFreshness({ plan, fresh, orgId: ORG, ...noTrail })).toEqual({ resumed: false, overridden: false });
    const changed = consoleMembers().map((m) => (m.email.startsWith('bo') ? { ...m, role: 'user' } : m));
    expect(() => checkFreshness({ plan, fresh: changed, orgId: ORG, ...noTrail })).toThrow(GuardRefusalError);
  });

  it('accepts an export without org ids for a one-org plan', () => {
    const exported = consoleMembers().map(({ orgId: _o, ...m }) => m);
    const fromExport = buildPlan(exported, [{ orgId: ORG, actions: [] }]);
    expect(checkFreshness({ plan: fromExport, fresh: consoleMembers(), orgId: ORG, ...noTrail }).resumed).toBe(false);
  });

  it("with the plan's members, compares only this org's rows and ignores seat tiers the API cannot show", () => {
    const all: Member[] = [
      ...consoleMembers().map((m) => ({ ...m, seatTier: 'standard' })),
      { email: 'z@acme.example', role: 'owner', orgId: OTHER_ORG },
    ];
    const multi = buildPlan(all, [
      { orgId: ORG, actions: [] },
      { orgId: OTHER_ORG, actions: [] },
    ]);
    expect(checkFreshness({ plan: multi, fresh: consoleMembers(), orgId: ORG, members: all, ...noTrail }).resumed).toBe(
      false,
    );
    expect(() =>
      checkFreshness({ plan: multi, fresh: consoleMembers(), orgId: ORG, members: all.slice(1), ...noTrail }),
    ).toThrow(/not the ones this plan was made from/);
  });

  it("resumes only when putting back what this plan's earlier runs touched gives the plan's members", () => {
    const start = (seq: number, email: string, before: AuditLine['before'], after: AuditLine['after']): AuditLine => ({
      v: 1,
      type: 'action-start',
      at: '2026-01-01T00:00:00Z',
      runId: 'r1',
      plan: plan.fingerprint,
      orgId: ORG,
      by: 't',
      seq,
      email,
      before,
      after,
      calls: ['POST x'],
    });
    const fresh = consoleMembers()
      .filter((m) => m.email !== 'gus.user@acme.example')
      .map((m) => (m.email === 'bo.dev@acme.example' ? { ...m, role: 'user' } : m));
    const previous = [
      start(1, 'bo.dev@acme.example', { role: 'developer', status: 'active' }, { role: 'user', status: 'active' }),
      { ...start(1, 'bo.dev@acme.example', null, null), type: 'action' as const, result: 'done' as const },
      start(2, 'gus.user@acme.example', { role: 'user', status: 'active' }, null), // killed mid-call
      start(3, 'cy.dev@acme.example', { role: 'developer', status: 'active' }, { role: 'billing', status: 'active' }), // failed: no change
    ];
    expect(checkFreshness({ plan, fresh, orgId: ORG, previous, overrides: {} }).resumed).toBe(true);
    const key = (e: string) => e.toLowerCase();
    expect(
      [...touchedMembers(previous, plan.fingerprint, ORG, key).values()].map((t) => [
        t.email,
        t.original?.role ?? null,
      ]),
    ).toEqual([
      ['bo.dev@acme.example', 'developer'],
      ['gus.user@acme.example', 'user'],
      ['cy.dev@acme.example', 'developer'],
    ]);
    const otherPlan = previous.map((l) => ({ ...l, plan: 'sha256:other' }));
    expect(() => checkFreshness({ plan, fresh, orgId: ORG, previous: otherPlan, overrides: {} })).toThrow(
      GuardRefusalError,
    );
    const dry = previous.map((l) => ({ ...l, dryRun: true }));
    expect(() => checkFreshness({ plan, fresh, orgId: ORG, previous: dry, overrides: {} })).toThrow(GuardRefusalError);
    const foreign = fresh.map((m) => (m.email === 'bo.dev@acme.example' ? { ...m, role: 'billing' } : m)); // not a state the run could leave
    expect(() => checkFreshness({ plan, fresh: foreign, orgId: ORG, previous, overrides: {} })).toThrow(
      /beyond what earlier runs/,
    );
    const untouched = fresh.map((m) => (m.email === 'ed.user@acme.example' ? { ...m, role: 'developer' } : m)); // a member the run never touched
    expect(() => checkFreshness({ plan, fresh: untouched, orgId: ORG, previous, overrides: {} })).toThrow(
      GuardRefusalError,
    );
  });
});

describe('audit trail and plan input', () => {
  it('ignores a torn last line but names a broken one in the middle', () => {
    const good = JSON.stringify({ v: 1, type: 'run-start', at: 'x', runId: 'r', plan: 'p', orgId: 'o', by: 'b' });
    expect(parseAuditTrail(`${good}\n${good}\n{"v":1,"type":"act`)).toHaveLength(2);
    expect(() => parseAuditTrail(`${good}\n{"v":1,"ty\n${good}\n`, 'trail.jsonl')).toThrow(/trail\.jsonl: line 2/);
  });

  it('rejects a plan that is not a plan, naming the field', () => {
    expect(() => parsePlan({ schemaVersion: 1, fingerprint: 'x', complete: 'yes', orgs: [], guards: [] })).toThrow(
      /complete/,
    );
  });
});
