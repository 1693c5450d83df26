import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { IncompleteReadError, PermissionError } from '@claude-idp/core';
import { createAnthropicAdminClient, formatApplySummary, type ApplyProgressEvent } from './index';
import { buildPlan, consoleMembers, FAST_RETRY, ORG, setup, useMswServer } from './__support__/anthropic-test-support';

const server = useMswServer();
const CANARY = 'sk-ant-admin01-CANARY-5f3a9c1e7b2d-do-not-print';
const CANARY_CORE = 'CANARY-5f3a9c1e7b2d';

/** Everything a user could see of a value: its JSON, its inspection (stack, cause chain), its text. */
function seen(value: unknown): string {
  return [
    JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v)),
    inspect(value, { depth: 12 }),
    String(value),
  ].join('\n');
}

function expectNoKey(value: unknown) {
  const text = seen(value);
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(CANARY_CORE);
}

/** A vendor (or proxy) that echoes the key it was sent in its error body: the worst case. */
const echoKey =
  (status: number) =>
  ({ request }: { request: Request }) =>
    HttpResponse.json(
      {
        type: 'error',
        error: {
          type: status === 400 ? 'invalid_request_error' : 'api_error',
          message: `key ${request.headers.get('x-api-key')} was used`,
        },
      },
      { status, headers: { 'x-echo': request.headers.get('x-api-key') ?? '' } },
    );

describe('the admin key never appears in output (canary key)', () => {
  it('not in the errors of a refused key', async () => {
    const { fake } = setup(server, consoleMembers(), { adminKey: 'sk-ant-admin01-some-other-key' });
    const client = createAnthropicAdminClient({ env: { ...fake.env, ANTHROPIC_ADMIN_KEY: CANARY }, retry: FAST_RETRY });
    const error = await client.readMembers().catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expectNoKey(error);
  });

  it('not in a read error whose body and headers echo the key, through the retry budget', async () => {
    const { fake } = setup(server, consoleMembers());
    server.use(http.get(`${fake.baseUrl}/v1/organizations/users`, echoKey(500)));
    const events: unknown[] = [];
    const client = createAnthropicAdminClient({ env: { ...fake.env, ANTHROPIC_ADMIN_KEY: CANARY }, retry: FAST_RETRY });
    const error = await client.readMembers({ onProgress: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect(seen(error)).toContain('[REDACTED]'); // it was there, and was hidden
    expectNoKey(error);
    expectNoKey(events);
  });

  it('not in the summary, the progress events, the text rendering or the trail of an apply whose writes fail with the key echoed', async () => {
    const { fake } = setup(server, consoleMembers());
    server.use(http.post(`${fake.baseUrl}/v1/organizations/users/:id`, echoKey(400)));
    const client = createAnthropicAdminClient({ env: { ...fake.env, ANTHROPIC_ADMIN_KEY: CANARY }, retry: FAST_RETRY });
    const trailPath = join(mkdtempSync(join(tmpdir(), 'anthropic-secrets-')), 'trail.jsonl');
    const events: ApplyProgressEvent[] = [];
    const plan = buildPlan(consoleMembers(), [
      {
        orgId: ORG,
        actions: [
          { email: 'di.user@acme.example', action: 'changeRole', from: 'user', to: 'developer' },
          { email: 'ivy.new@acme.example', action: 'provision', to: 'user' },
        ],
      },
    ]);
    const s = await client.applyPlan(plan, { trailPath, onProgress: (e) => events.push(e) });
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0]!.error).toContain('[REDACTED]');
    expect(s.done).toHaveLength(1);
    expectNoKey(s);
    expectNoKey(events);
    expectNoKey(formatApplySummary(s));
    const trail = readFileSync(trailPath, 'utf8');
    expect(trail).toContain('invalid_request_error');
    expect(trail).not.toContain(CANARY_CORE);
  });

  it('not in configuration errors', async () => {
    const bad = createAnthropicAdminClient({
      env: { ANTHROPIC_ADMIN_KEY: CANARY, ANTHROPIC_BASE_URL: 'http://api.example.com' },
    });
    expectNoKey(await bad.readMembers().catch((e: unknown) => e));
    const wrongKind = createAnthropicAdminClient({ adminKey: 'sk-ant-api03-CANARY-5f3a9c1e7b2d-standard' });
    const error = await wrongKind.readMembers().catch((e: unknown) => e);
    expect(seen(error)).not.toContain(CANARY_CORE);
  });
});
