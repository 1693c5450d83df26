import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { GuardRefusalError } from '@claude-idp/core';
import { parseAuditTrail, type AuditLine } from './index';
import {
  buildPlan,
  consoleMembers,
  ORG,
  rows,
  setup,
  useMswServer,
  type ActionSpec,
} from './__support__/anthropic-test-support';

const server = useMswServer();

const ACTIONS: ActionSpec[] = [
  { email: 'ivy.new@acme.example', action: 'provision', to: 'developer' },
  { email: 'bo.dev@acme.example', action: 'changeRole', from: 'developer', to: 'user' },
  { email: 'di.user@acme.example', action: 'changeRole', from: 'user', to: 'developer' },
  { email: 'cy.dev@acme.example', action: 'changeRole', from: 'developer', to: 'billing' },
  { email: 'gus.user@acme.example', action: 'deprovision', from: 'user' },
  { email: 'hal.invited@acme.example', action: 'deprovision', from: 'developer' },
];
const FINAL = [
  'ada.admin@acme.example admin active',
  'bo.dev@acme.example user active',
  'cy.dev@acme.example billing active',
  'di.user@acme.example developer active',
  'ed.user@acme.example user active',
  'fay.billing@acme.example billing active',
  'ivy.new@acme.example developer invited',
];
const LIMITS = { maxDeprovision: 2 };
const plan = () => buildPlan(consoleMembers(), [{ orgId: ORG, actions: ACTIONS }]);
const isWrite = (r: { method: string }) => r.method !== 'GET';

/** A trail sink that can "die" at a chosen line, the way a killed process would. */
function dyingStream(dieAt: (line: AuditLine) => 'before' | 'after' | false) {
  let text = '';
  return {
    get text() {
      return text;
    },
    write(chunk: string) {
      const line = JSON.parse(chunk) as AuditLine;
      const when = dieAt(line);
      if (when === 'before') throw new Error('process killed');
      text += chunk;
      if (when === 'after') throw new Error('process killed');
    },
  };
}

describe('an interrupted apply resumes', () => {
  it('after a write fails past the retry budget: the run stops with a record, and a re-run with the same trail finishes', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const trailPath = join(mkdtempSync(join(tmpdir(), 'anthropic-resume-')), 'trail.jsonl');
    fake.kit.inject({ match: (r) => isWrite(r), after: 2, times: Infinity, fault: { type: 'status', status: 503 } });
    const first = await client.applyPlan(plan(), { limits: LIMITS, trailPath });
    expect(first.stopped?.reason).toBe('fatal-error');
    expect(first.done.map((r) => r.email)).toEqual(['ivy.new@acme.example', 'bo.dev@acme.example']);
    expect(first.failed.map((r) => r.email)).toEqual(['di.user@acme.example']);
    expect(first.notAttempted.map((r) => r.email)).toEqual([
      'cy.dev@acme.example',
      'gus.user@acme.example',
      'hal.invited@acme.example',
    ]);
    expect(first.complete).toBe(false);
    const end = parseAuditTrail(readFileSync(trailPath, 'utf8')).at(-1)!;
    expect(end).toMatchObject({
      type: 'run-end',
      counts: { done: 2, failed: 1, 'not-attempted': 3 },
      stopped: { reason: 'fatal-error' },
    });

    fake.kit.clearFaults();
    const second = await client.applyPlan(plan(), { limits: LIMITS, trailPath });
    expect(second.resumed).toBe(true);
    expect(second.done.map((r) => r.email)).toEqual([
      'di.user@acme.example',
      'cy.dev@acme.example',
      'gus.user@acme.example',
      'hal.invited@acme.example',
    ]);
    expect(second.skipped.map((r) => `${r.email} ${r.code}`)).toEqual([
      'ivy.new@acme.example ALREADY_TRUE',
      'bo.dev@acme.example ALREADY_TRUE',
    ]);
    expect(second.complete).toBe(true);
    expect(rows(fake.members())).toEqual(FINAL);

    const writes = fake.writes().length;
    const third = await client.applyPlan(plan(), { limits: LIMITS, trailPath });
    expect(third.done).toEqual([]);
    expect(fake.writes()).toHaveLength(writes);
  });

  it('after the process died between an API call and its trail line (the change happened)', async () => {
    const { fake, client } = setup(server, consoleMembers());
    let done = 0;
    const sink = dyingStream((l) => (l.type === 'action' && l.result === 'done' && ++done === 3 ? 'before' : false));
    await expect(client.applyPlan(plan(), { limits: LIMITS, trail: { stream: sink } })).rejects.toThrow(
      'process killed',
    );
    expect(rows(fake.members())).toContain('di.user@acme.example developer active'); // applied, but unrecorded
    const unfinished = parseAuditTrail(sink.text)
      .filter((l) => l.type === 'action-start')
      .at(-1)!;
    expect(unfinished.email).toBe('di.user@acme.example');

    const next = dyingStream(() => false);
    const s = await client.applyPlan(plan(), { limits: LIMITS, trail: { previous: sink.text, stream: next } });
    expect(s.resumed).toBe(true);
    expect(s.skipped.map((r) => r.email)).toContain('di.user@acme.example');
    expect(rows(fake.members())).toEqual(FINAL);
  });

  it('after the process died right after announcing a call it never made', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const sink = dyingStream((l) => (l.type === 'action-start' && l.email === 'cy.dev@acme.example' ? 'after' : false));
    await expect(client.applyPlan(plan(), { limits: LIMITS, trail: { stream: sink } })).rejects.toThrow(
      'process killed',
    );
    expect(rows(fake.members())).toContain('cy.dev@acme.example developer active'); // not applied
    const s = await client.applyPlan(plan(), { limits: LIMITS, trail: { previous: sink.text } });
    expect(s.resumed).toBe(true);
    expect(s.done.map((r) => r.email)).toEqual([
      'cy.dev@acme.example',
      'gus.user@acme.example',
      'hal.invited@acme.example',
    ]);
    expect(rows(fake.members())).toEqual(FINAL);
  });

  it('after the caller aborted mid-way', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const controller = new AbortController();
    const trail: AuditLine[] = [];
    const first = await client.applyPlan(plan(), {
      limits: LIMITS,
      abortSignal: controller.signal,
      trail: { stream: { write: (c: string) => trail.push(JSON.parse(c) as AuditLine) } },
      onProgress: (e) => {
        if (e.type === 'action' && e.result === 'done') controller.abort();
      },
    });
    expect(first.stopped?.reason).toBe('aborted');
    expect(first.done).toHaveLength(1);
    expect(fake.writes()).toHaveLength(1);
    const second = await client.applyPlan(plan(), { limits: LIMITS, trail: { previous: trail } });
    expect(second.resumed).toBe(true);
    expect(rows(fake.members())).toEqual(FINAL);
  });

  it('after a write the API made but answered 503: the re-read finds it done, and it is never sent twice', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const trail: AuditLine[] = [];
    const posts: string[] = [];
    server.use(
      http.post(`${fake.baseUrl}/v1/organizations/users/:id`, async ({ request, params }) => {
        posts.push(String(params.id));
        fake.store.updateRole(String(params.id), ((await request.json()) as { role: string }).role);
        return HttpResponse.json(
          { type: 'error', error: { type: 'api_error', message: 'upstream timeout' } },
          { status: 503 },
        );
      }),
    );
    const first = await client.applyPlan(plan(), {
      limits: LIMITS,
      trail: { stream: { write: (c: string) => trail.push(JSON.parse(c) as AuditLine) } },
    });
    expect(first.failed).toEqual([]);
    expect(first.done.map((r) => r.email)).toContain('bo.dev@acme.example');
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts).size).toBe(posts.length); // re-read before resending: each role was in place, so none was sent twice
    expect(rows(fake.members())).toContain('bo.dev@acme.example user active'); // it did happen
    server.resetHandlers(...fake.handlers);
    const second = await client.applyPlan(plan(), { limits: LIMITS, trail: { previous: trail } });
    expect(second.resumed).toBe(true);
    expect(second.skipped.map((r) => r.email)).toContain('bo.dev@acme.example');
    expect(rows(fake.members())).toEqual(FINAL);
  });

  it('after a re-invite stopped between withdrawing the old invite and sending the new one', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const reinvite = buildPlan(consoleMembers(), [
      {
        orgId: ORG,
        actions: [{ email: 'hal.invited@acme.example', action: 'changeRole', from: 'developer', to: 'billing' }],
      },
    ]);
    const trail: AuditLine[] = [];
    fake.kit.inject({
      match: (r) => r.method === 'POST' && r.pathname.endsWith('/invites'),
      times: Infinity,
      fault: { type: 'status', status: 503 },
    });
    const first = await client.applyPlan(reinvite, {
      trail: { stream: { write: (c: string) => trail.push(JSON.parse(c) as AuditLine) } },
    });
    expect(first.stopped?.reason).toBe('fatal-error');
    expect(fake.members().map((m) => m.email)).not.toContain('hal.invited@acme.example'); // withdrawn, not re-sent
    fake.kit.clearFaults();
    const second = await client.applyPlan(reinvite, { trail: { previous: trail } });
    expect(second.resumed).toBe(true);
    expect(second.done[0]!.calls).toEqual(['POST /v1/organizations/invites']);
    expect(rows(fake.members())).toContain('hal.invited@acme.example billing invited');
  });

  it('but not when someone else has since changed a member the earlier run touched', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const trail: AuditLine[] = [];
    fake.kit.inject({ match: (r) => isWrite(r), after: 2, times: Infinity, fault: { type: 'status', status: 503 } });
    await client.applyPlan(plan(), {
      limits: LIMITS,
      trail: { stream: { write: (c: string) => trail.push(JSON.parse(c) as AuditLine) } },
    });
    fake.kit.clearFaults();
    fake.update((s) => s.updateRole(s.userByEmail('bo.dev@acme.example')!.id, 'billing')); // bo was set to user by the run
    const error = await client
      .applyPlan(plan(), { limits: LIMITS, trail: { previous: trail } })
      .catch((e: unknown) => e);
    expect(GuardRefusalError.isInstance(error) && error.guards[0]!.message).toMatch(
      /beyond what earlier runs of this plan/,
    );
  });
});
