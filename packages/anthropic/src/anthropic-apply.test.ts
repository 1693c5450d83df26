import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, GuardRefusalError, type Member } from '@claude-idp/core';
import { formatApplySummary, parseAuditTrail, type ApplyProgressEvent } from './index';
import {
  buildPlan,
  consoleMembers,
  ORG,
  OTHER_ORG,
  rows,
  setup,
  useMswServer,
  type ActionSpec,
} from './__support__/anthropic-test-support';

const server = useMswServer();
const tmp = () => join(mkdtempSync(join(tmpdir(), 'anthropic-apply-')), 'trail.jsonl');

/** The standard scenario: every kind of action against the Console org of eight. */
const ACTIONS: ActionSpec[] = [
  { email: 'ivy.new@acme.example', action: 'provision', to: 'developer' },
  { email: 'bo.dev@acme.example', action: 'changeRole', from: 'developer', to: 'user' },
  { email: 'di.user@acme.example', action: 'changeRole', from: 'user', to: 'developer' },
  { email: 'ada.admin@acme.example', action: 'changeRole', from: 'admin', to: 'developer' },
  { email: 'ed.user@acme.example', action: 'changeRole', from: 'user', to: 'admin' },
  { email: 'gus.user@acme.example', action: 'deprovision', from: 'user' },
  { email: 'hal.invited@acme.example', action: 'deprovision', from: 'developer' },
  { email: 'jo.jit@acme.example', action: 'provision', to: 'user', when: 'nextLogin' },
  { email: 'fay.billing@acme.example', action: 'none' },
];
const EXPECTED_AFTER = [
  'ada.admin@acme.example admin active',
  'bo.dev@acme.example user active',
  'cy.dev@acme.example developer active',
  'di.user@acme.example developer active',
  'ed.user@acme.example user active',
  'fay.billing@acme.example billing active',
  'ivy.new@acme.example developer invited',
];
const LIMITS = { maxDeprovision: 2 };

describe('applyPlan against the fake', () => {
  it('changes the org once: a second run of the same plan with its trail is a no-op', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]);
    const trailPath = tmp();
    const first = await client.applyPlan(plan, { limits: LIMITS, trail: { path: trailPath }, actor: 'ci:nightly' });
    expect(first.done.map((r) => r.email).sort()).toEqual([
      'bo.dev@acme.example',
      'di.user@acme.example',
      'gus.user@acme.example',
      'hal.invited@acme.example',
      'ivy.new@acme.example',
    ]);
    expect(first.manual.map((r) => r.email).sort()).toEqual(['ada.admin@acme.example', 'ed.user@acme.example']);
    expect(first.skipped.map((r) => r.code)).toEqual(['HANDLED_BY_IDP']);
    expect(first.complete).toBe(true);
    expect(rows(fake.members())).toEqual(EXPECTED_AFTER);
    const writes = fake
      .writes()
      .map((r) => `${r.method} ${r.pathname.replace(/(user|invite)_\w+/, '$1_ID')}`)
      .sort();
    expect(writes).toEqual([
      'DELETE /v1/organizations/invites/invite_ID',
      'DELETE /v1/organizations/users/user_ID',
      'POST /v1/organizations/invites',
      'POST /v1/organizations/users/user_ID',
      'POST /v1/organizations/users/user_ID',
    ]);

    const second = await client.applyPlan(plan, { limits: LIMITS, trail: { path: trailPath }, actor: 'ci:nightly' });
    expect(second.resumed).toBe(true);
    expect(second.done).toEqual([]);
    expect(second.skipped.filter((r) => r.code === 'ALREADY_TRUE')).toHaveLength(5);
    expect(second.manual).toHaveLength(2);
    expect(fake.writes()).toHaveLength(5); // nothing new
    expect(rows(fake.members())).toEqual(EXPECTED_AFTER);

    const lines = parseAuditTrail(readFileSync(trailPath, 'utf8'));
    expect(lines.filter((l) => l.type === 'run-start')).toHaveLength(2);
    for (const l of lines.filter((x) => x.type === 'action')) {
      expect(l).toMatchObject({ v: 1, by: 'ci:nightly', plan: plan.fingerprint, orgId: ORG });
      expect(Date.parse(l.at)).not.toBeNaN();
      expect(l.email && l.action && l.result).toBeTruthy();
    }
    // one line per action (the `none` is not an action) in each run
    expect(lines.filter((l) => l.type === 'action' && l.runId === first.runId)).toHaveLength(8);
  });

  it("refuses a re-run without the first run's trail as stale (GuardRefusalError → exit 4), changing nothing", async () => {
    const { fake, client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]);
    await client.applyPlan(plan, { limits: LIMITS });
    const writes = fake.writes().length;
    const error = await client.applyPlan(plan, { limits: LIMITS }).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error) && error.guards.map((g) => g.code)).toEqual(['STALE_PLAN']);
    expect(fake.writes()).toHaveLength(writes);
  });

  it('refuses a stale plan: someone changed the org after the plan was made', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]);
    fake.update((s) => s.updateRole(s.userByEmail('cy.dev@acme.example')!.id, 'billing'));
    const before = fake.kit.requests.length;
    const error = await client.applyPlan(plan, { limits: LIMITS, trail: { path: tmp() } }).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error)).toBe(true);
    expect((error as GuardRefusalError).guards[0]!.code).toBe('STALE_PLAN');
    expect(fake.kit.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
  });

  it('refuses a plan with guards before reading anything, and proceeds past the codes the caller overrides', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const guards = [{ code: 'BREAKER', message: '25% of the org would be removed' }];
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }], { guards });
    const error = await client.applyPlan(plan, { limits: LIMITS }).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error) && error.guards).toEqual(guards);
    expect(fake.kit.requests).toHaveLength(0);
    const wrongCode = await client
      .applyPlan(plan, { limits: LIMITS, overrideGuards: ['LAST_OWNER'] })
      .catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(wrongCode)).toBe(true);
    const ok = await client.applyPlan(plan, { limits: LIMITS, overrideGuards: ['BREAKER'] });
    expect(ok.overridden).toEqual(['BREAKER']);
    expect(ok.done).toHaveLength(5);
  });

  it('never deprovisions or downgrades from an incomplete plan, even when forced', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }], {
      complete: false,
      guards: [{ code: 'INCOMPLETE', message: 'a page of groups failed' }],
    });
    const s = await client.applyPlan(plan, { limits: LIMITS, force: true });
    // ada's admin → developer is a downgrade too: refused before it could become a manual step
    expect(s.refused.map((r) => `${r.email} ${r.code}`).sort()).toEqual([
      'ada.admin@acme.example INCOMPLETE_PLAN',
      'bo.dev@acme.example INCOMPLETE_PLAN',
      'gus.user@acme.example INCOMPLETE_PLAN',
      'hal.invited@acme.example INCOMPLETE_PLAN',
    ]);
    expect(s.done.map((r) => r.email).sort()).toEqual(['di.user@acme.example', 'ivy.new@acme.example']);
    expect(s.complete).toBe(false);
    const after = rows(fake.members());
    expect(after).toContain('gus.user@acme.example user active');
    expect(after).toContain('bo.dev@acme.example developer active');
    expect(after).toContain('hal.invited@acme.example developer invited');
  });

  it('turns what the API cannot do about admins into manual steps on the Console members screen', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const actions: ActionSpec[] = [
      { email: 'ada.admin@acme.example', action: 'changeRole', from: 'admin', to: 'developer' },
      { email: 'ed.user@acme.example', action: 'changeRole', from: 'user', to: 'admin' },
      { email: 'new.admin@acme.example', action: 'provision', to: 'admin' },
      { email: 'ada.admin@acme.example', action: 'deprovision', from: 'admin' },
    ];
    const s = await client.applyPlan(buildPlan(consoleMembers(), [{ orgId: ORG, actions }]), {
      limits: { maxDeprovision: 1 },
    });
    expect(s.manual.map((m) => [m.code, m.instructions])).toEqual([
      ['ADMIN_ROLE', 'Invite new.admin@acme.example as admin'],
      ['ADMIN_ROLE', 'Change ada.admin@acme.example from admin to developer'],
      ['ADMIN_ROLE', 'Change ed.user@acme.example from user to admin'],
      ['ADMIN_ROLE', 'Remove ada.admin@acme.example from the organization'],
    ]);
    expect(s.manual.every((m) => m.screen.startsWith('Claude Console → Settings → Members'))).toBe(true);
    expect(fake.writes()).toEqual([]);
    expect(formatApplySummary(s)).toContain(
      'Change ed.user@acme.example from user to admin — Claude Console → Settings → Members',
    );
  });

  it('enforces maxDeprovision against the fresh read (default 10%), unless MAX_DEPROVISION is overridden', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]);
    for (const limits of [undefined, { maxDeprovision: 1 }, { maxDeprovision: '20%' }]) {
      const error = await client.applyPlan(plan, { limits }).catch((e: unknown) => e);
      expect(GuardRefusalError.isInstance(error) && error.guards[0]!.code).toBe('MAX_DEPROVISION');
      expect(error).toHaveProperty('message', expect.stringMatching(/remove 2 of the org's 8 current members/));
    }
    expect(fake.writes()).toEqual([]);
    const s = await client.applyPlan(plan, { limits: { maxDeprovision: '25%' } });
    expect(s.done).toHaveLength(5);
    const other = setup(server, consoleMembers());
    const forced = await other.client.applyPlan(plan, { overrideGuards: ['MAX_DEPROVISION'] });
    expect(forced.overridden).toEqual(['MAX_DEPROVISION']);
  });

  it('dry run: says what it would do, calls no write endpoint and writes no trail', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const trailPath = tmp();
    const s = await client.applyPlan(buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]), {
      limits: LIMITS,
      dryRun: true,
      trail: { path: trailPath },
    });
    expect(s.dryRun).toBe(true);
    expect(s.done.map((r) => r.code)).toEqual(Array(5).fill('WOULD_APPLY'));
    expect(s.done.find((r) => r.email === 'ivy.new@acme.example')!.calls).toEqual(['POST /v1/organizations/invites']);
    expect(fake.writes()).toEqual([]);
    expect(existsSync(trailPath)).toBe(false);
    expect(s.trail.every((l) => l.dryRun === true)).toBe(true);
  });

  it('refuses a plan that records no input hashes unless STALE_PLAN is overridden', async () => {
    const { client } = setup(server, consoleMembers());
    const plan = buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }], { inputs: false });
    const error = await client.applyPlan(plan, { limits: LIMITS }).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error) && error.guards[0]!.message).toMatch(/no input hashes/);
    const forceOnly = await client.applyPlan(plan, { limits: LIMITS, force: true }).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(forceOnly)).toBe(true); // force covers the plan's guards, not staleness
    const s = await client.applyPlan(plan, { limits: LIMITS, overrideGuards: ['STALE_PLAN'] });
    expect(s.overridden).toEqual(['STALE_PLAN']);
  });

  it("applies its own org of a multi-org plan given the plan's members, and lists the other org's actions as manual steps", async () => {
    const otherOrg: Member[] = [
      { email: 'zed@acme.example', role: 'user', seatTier: 'standard', orgId: OTHER_ORG, status: 'active' },
    ];
    const all = [...consoleMembers(), ...otherOrg];
    const plan = buildPlan(all, [
      { orgId: ORG, actions: [{ email: 'di.user@acme.example', action: 'changeRole', from: 'user', to: 'developer' }] },
      {
        orgId: OTHER_ORG,
        actions: [
          { email: 'zed@acme.example', action: 'changeRole', from: 'user', to: 'owner' },
          { email: 'zed@acme.example', action: 'changeSeatTier', from: 'standard', to: 'premium' },
        ],
      },
    ]);
    const { client } = setup(server, consoleMembers());
    const stale = await client.applyPlan(plan).catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(stale)).toBe(true); // the fresh read is one org; the plan's input was two
    const s = await client.applyPlan(plan, { members: all });
    expect(s.done.map((r) => r.email)).toEqual(['di.user@acme.example']);
    expect(s.manual.map((m) => [m.orgId, m.code])).toEqual([
      [OTHER_ORG, 'OTHER_ORG'],
      [OTHER_ORG, 'SEAT_TIER'],
    ]);
    expect(s.manual[0]!.screen).toMatch(/claude\.ai → Settings → Members/);
  });

  it('refuses a key whose org the plan does not cover', async () => {
    const { client } = setup(server, consoleMembers(), {}, { orgId: OTHER_ORG });
    const error = await client
      .applyPlan(buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]))
      .catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error) && error.message).toMatch(/does not cover/);
  });

  it('records a refused change as failed and carries on with the rest', async () => {
    // 8 members + 1 pending invite already fill 8 seats... so the new invite is refused with a 400
    const { fake, client } = setup(server, consoleMembers(), { seats: 8 });
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS.filter((a) => a.action !== 'deprovision') }]),
    );
    expect(s.failed.map((r) => [r.email, r.code])).toEqual([['ivy.new@acme.example', 'NO_FREE_SEAT']]);
    expect(s.failed[0]!.error).toMatch(/no free seat for ivy\.new@acme\.example.*Billing/);
    expect(s.done.map((r) => r.email).sort()).toEqual(['bo.dev@acme.example', 'di.user@acme.example']);
    expect(s.stopped).toBeUndefined();
    expect(s.complete).toBe(false);
    expect(rows(fake.members())).toContain('di.user@acme.example developer active');
  });

  it("re-invites a pending invitee whose role changes (an invite's role cannot be updated)", async () => {
    const { fake, client } = setup(server, consoleMembers());
    const oldId = fake.invites()[0]!.id;
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [
        {
          orgId: ORG,
          actions: [{ email: 'hal.invited@acme.example', action: 'changeRole', from: 'developer', to: 'billing' }],
        },
      ]),
    );
    expect(s.done[0]!.calls).toEqual([`DELETE /v1/organizations/invites/${oldId}`, 'POST /v1/organizations/invites']);
    expect(fake.invites().map((i) => `${i.email} ${i.role} ${i.status}`)).toEqual([
      'hal.invited@acme.example developer deleted',
      'hal.invited@acme.example billing pending',
    ]);
    expect(s.done[0]!.after).toMatchObject({ role: 'billing', status: 'invited', id: fake.invites()[1]!.id });
  });

  it('in a Claude Enterprise org, sets user/managed and leaves owners and other roles to a person', async () => {
    const members: Member[] = [
      { email: 'po@acme.example', role: 'primary_owner', orgId: ORG, status: 'active' },
      { email: 'own@acme.example', role: 'owner', orgId: ORG, status: 'active' },
      { email: 'u@acme.example', role: 'user', orgId: ORG, status: 'active' },
    ];
    const { fake, client } = setup(server, members, { orgKind: 'enterprise' });
    const s = await client.applyPlan(
      buildPlan(members, [
        {
          orgId: ORG,
          actions: [
            { email: 'u@acme.example', action: 'changeRole', from: 'user', to: 'managed' },
            { email: 'own@acme.example', action: 'changeRole', from: 'owner', to: 'user' },
            { email: 'new@acme.example', action: 'provision', to: 'developer' },
          ],
        },
      ]),
    );
    expect(s.orgKind).toBe('enterprise');
    expect(s.done.map((r) => r.email)).toEqual(['u@acme.example']);
    expect(s.manual.map((m) => [m.email, m.code])).toEqual([
      ['new@acme.example', 'ROLE_NOT_SETTABLE'],
      ['own@acme.example', 'ADMIN_ROLE'],
    ]);
    expect(s.manual[0]!.screen).toMatch(/^claude\.ai → Settings → Members/);
    expect(rows(fake.members())).toContain('u@acme.example managed active');
  });

  it('does not send an invite twice when the answer to the first was lost', async () => {
    const { fake, client } = setup(server, consoleMembers());
    let lost = 0;
    server.use(
      http.post(`${fake.baseUrl}/v1/organizations/invites`, async ({ request }) => {
        if (lost++ > 0) return undefined; // later calls fall through to the fake's own handler
        const b = (await request.json()) as { email: string; role: string };
        fake.store.createInvite(b.email, b.role); // the API made the invite...
        return HttpResponse.error(); // ...and the connection dropped before the answer
      }),
    );
    const s = await client.applyPlan(
      buildPlan(consoleMembers(), [
        { orgId: ORG, actions: [{ email: 'ivy.new@acme.example', action: 'provision', to: 'developer' }] },
      ]),
    );
    expect(s.done).toHaveLength(1);
    expect(lost).toBe(1); // retried by looking, not by posting again
    expect(fake.invites().filter((i) => i.email === 'ivy.new@acme.example')).toHaveLength(1);
    expect(s.done[0]!.after).toMatchObject({ id: fake.invites().at(-1)!.id });
  });

  it('reports each action as a progress event', async () => {
    const { client } = setup(server, consoleMembers());
    const events: ApplyProgressEvent[] = [];
    await client.applyPlan(buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]), {
      limits: LIMITS,
      onProgress: (e) => events.push(e),
    });
    const actions = events.filter((e) => e.type === 'action');
    expect(actions.map((e) => (e as { index: number }).index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.some((e) => e.type === 'page' && e.resource === 'users')).toBe(true);
  });
});
