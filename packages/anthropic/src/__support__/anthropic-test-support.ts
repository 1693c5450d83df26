import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  canonicalHash,
  membersFingerprint,
  PlanSchema,
  type Member,
  type Plan,
  type PlanAction,
} from '@claude-idp/core';
import { createAnthropicAdminClient, type AnthropicAdminSettings } from '../index';
import { createAnthropicFake, type AnthropicFake, type AnthropicFakeOptions } from '../testing';

/** One msw server per test file, failing on any request no handler answers. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 3_000, maxRetries: 4 };

export const ORG = '9f2c1d7e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
export const OTHER_ORG = '468ca80f-6b1e-4c52-9d1a-2f3e4b5c6d7e';

/** A Console org of eight: one admin, developers, users, and one pending invite. */
export function consoleMembers(orgId = ORG): Member[] {
  const m = (email: string, role: string, status: 'active' | 'invited' = 'active'): Member => ({
    email,
    role,
    orgId,
    status,
  });
  return [
    m('ada.admin@acme.example', 'admin'),
    m('bo.dev@acme.example', 'developer'),
    m('cy.dev@acme.example', 'developer'),
    m('di.user@acme.example', 'user'),
    m('ed.user@acme.example', 'user'),
    m('fay.billing@acme.example', 'billing'),
    m('gus.user@acme.example', 'user'),
    m('hal.invited@acme.example', 'developer', 'invited'),
  ];
}

export type ActionSpec = Pick<PlanAction, 'email' | 'action'> & Partial<PlanAction>;

/** A schema-valid plan over `members`, with `inputs.members` as `plan` records it. */
export function buildPlan(
  members: Member[],
  orgs: Array<{ orgId: string; actions: ActionSpec[] }>,
  extra: { guards?: Plan['guards']; complete?: boolean; inputs?: false } = {},
): Plan {
  const full = orgs.map((o) => {
    const actions = o.actions.map((a): PlanAction => ({ when: 'manual', rule: 'R-V3', reason: 'test', ...a }));
    const totals: Record<string, number> = {};
    for (const a of actions) totals[a.action] = (totals[a.action] ?? 0) + 1;
    return { orgId: o.orgId, mode: 'manual' as const, mappings: false, actions, totals };
  });
  const inputs = {
    snapshot: canonicalHash('snapshot'),
    config: canonicalHash('config'),
    members: membersFingerprint(members),
  };
  const plan = {
    schemaVersion: 1 as const,
    fingerprint: canonicalHash({ inputs, orgs: full }),
    complete: extra.complete ?? true,
    orgs: full,
    guards: extra.guards ?? [],
    ...(extra.inputs === false ? {} : { inputs }),
  };
  return PlanSchema.parse(plan);
}

/** A fake seeded with `members` and a client pointed at it. */
export function setup(
  server: ReturnType<typeof setupServer>,
  members: Member[],
  options: AnthropicFakeOptions = {},
  settings: AnthropicAdminSettings = {},
) {
  const fake: AnthropicFake = createAnthropicFake({ orgId: ORG, members, throttleRetryAfterSeconds: 0, ...options });
  server.resetHandlers(...fake.handlers);
  const client = createAnthropicAdminClient({ env: fake.env, retry: FAST_RETRY, timeoutMs: 2_000, ...settings });
  return { fake, client };
}

/** The org's state as comparable rows (email, role, status), sorted. */
export function rows(members: readonly Member[]): string[] {
  return members.map((m) => `${m.email} ${m.role} ${m.status ?? 'active'}`).sort();
}
