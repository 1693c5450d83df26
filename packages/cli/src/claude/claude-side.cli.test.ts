import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoConfig,
  demoMembers,
  demoTenant,
  DEMO_CLAUDE_ORG,
  snapshotFromTenant,
  startLoopbackServer,
  type LoopbackServer,
} from '@claude-idp/core/testing';
import type { Member, OrgConfig } from '@claude-idp/core';
import { runBin, tmp } from '../__tests__/run-bin';

/**
 * An independent emulator of the documented Admin + Compliance API for one Claude Enterprise org
 * (not the package's fake): users / invites with after_id paging, /organizations/me, the
 * Compliance org list, users and enforced settings, RBAC groups, and the documented refusals by
 * mode (bare 400, no error_code): invites under JIT/SCIM, role updates under *_advanced,
 * removals under SCIM. It answers 501 to anything else, and can open with a 429 storm.
 */
function emulator(mode: string, members: Member[], opts: { storm?: number; scimGroups?: string[] } = {}) {
  const users = members.map((m, i) => ({
    type: 'user',
    id: `user_${String(i).padStart(4, '0')}`,
    email: m.email,
    name: m.email,
    role: m.role,
    added_at: '2026-01-01T00:00:00Z',
  }));
  const writes: string[] = [];
  let storm = opts.storm ?? 0;
  const KEY = 'sk-ant-api01-emulator-key';
  const err = (status: number, type: string, message: string) =>
    HttpResponse.json({ type: 'error', error: { type, message } }, { status, headers: { 'request-id': 'req_emu' } });
  const guard = (request: Request) =>
    request.headers.get('x-api-key') === KEY || request.headers.get('authorization') === `Bearer ${KEY}`
      ? null
      : err(401, 'authentication_error', 'invalid x-api-key');
  const list = <T extends { id: string }>(items: T[], url: URL) => {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const after = url.searchParams.get('after_id');
    const start = after ? items.findIndex((x) => x.id === after) + 1 : 0;
    const data = items.slice(start, start + limit);
    return HttpResponse.json({
      data,
      has_more: start + limit < items.length,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  };
  const on = (
    method: 'get' | 'post' | 'delete',
    path: string,
    f: (a: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
      url: URL;
    }) => Response | Promise<Response>,
  ): RequestHandler =>
    http[method](
      `*${path}`,
      async ({ request, params }) => guard(request) ?? f({ request, params, url: new URL(request.url) }),
    );
  const handlers: RequestHandler[] = [
    on('get', '/v1/organizations/me', () =>
      HttpResponse.json({ id: DEMO_CLAUDE_ORG, name: 'Northwind', type: 'organization' }),
    ),
    on('get', '/v1/organizations/users', ({ url }) => {
      if (storm > 0) {
        storm--;
        return HttpResponse.json(
          { type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } },
          { status: 429, headers: { 'retry-after': '1' } },
        );
      }
      return list(users, url);
    }),
    on('get', '/v1/organizations/invites', ({ url }) => list([], url)),
    on('get', '/v1/organizations/rbac_groups', () =>
      HttpResponse.json({
        data: (opts.scimGroups ?? []).map((name, i) => ({
          type: 'rbac_group',
          id: `g${i}`,
          name,
          source_type: 'scim',
          role_ids: [],
          created_at: '',
          updated_at: '',
        })),
        next_page: null,
      }),
    ),
    on('get', '/v1/compliance/organizations', () =>
      HttpResponse.json({
        data: [{ uuid: DEMO_CLAUDE_ORG, name: 'Northwind', created_at: '2026-01-01T00:00:00Z' }],
        next_page: null,
      }),
    ),
    on('get', '/v1/compliance/organizations/:id/settings', () =>
      HttpResponse.json({
        organization_id: DEMO_CLAUDE_ORG,
        settings: [
          { name: 'sso_provisioning_mode', type: 'enum', value: mode },
          { name: 'sso_claude_ai_enforced', type: 'boolean', value: true },
        ],
        api_keys: [],
      }),
    ),
    on('get', '/v1/organizations/users/:id', ({ params }) => {
      const u = users.find((x) => x.id === params.id);
      return u ? HttpResponse.json(u) : err(404, 'not_found_error', 'not found');
    }),
    on('post', '/v1/organizations/invites', ({ request }) => {
      writes.push(`POST ${new URL(request.url).pathname}`);
      return mode === 'login_only'
        ? err(501, 'api_error', 'invites not emulated')
        : err(
            400,
            'invalid_request_error',
            'Organizations whose identity provider provisions users automatically (JIT or SCIM) cannot create invites through the API.',
          );
    }),
    on('post', '/v1/organizations/users/:id', ({ request }) => {
      writes.push(`POST ${new URL(request.url).pathname}`);
      return mode.endsWith('_advanced')
        ? err(400, 'invalid_request_error', 'role updates are not allowed')
        : err(501, 'api_error', 'role updates not emulated');
    }),
    on('delete', '/v1/organizations/users/:id', ({ params, request }) => {
      writes.push(`DELETE ${new URL(request.url).pathname}`);
      if (mode.startsWith('scim_')) return err(400, 'invalid_request_error', 'removals are not allowed');
      const i = users.findIndex((x) => x.id === params.id);
      if (i < 0) return err(404, 'not_found_error', 'not found');
      if (['primary_owner', 'owner', 'membership_admin'].includes(users[i]!.role))
        return err(400, 'invalid_request_error', 'admin roles cannot be removed');
      users.splice(i, 1);
      return HttpResponse.json({ id: params.id, type: 'user_deleted' });
    }),
    http.all('*', ({ request }) =>
      err(501, 'api_error', `not emulated: ${request.method} ${new URL(request.url).pathname}`),
    ),
  ];
  return { handlers, writes, users, KEY };
}

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());

/** The demo's claude.ai Enterprise org alone, in the given config mode. */
function workdir(mode: 'scim' | 'jit'): string {
  const dir = tmp();
  const base = demoConfig('generic');
  const org = { ...base.organizations[0]!, provisioning: { ...base.organizations[0]!.provisioning, mode } };
  const config: OrgConfig = { ...base, organizations: [org] };
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotFromTenant(demoTenant())));
  writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(config));
  return dir;
}
const claudeMembers = () =>
  demoMembers()
    .filter((m) => m.orgId === DEMO_CLAUDE_ORG)
    .map((m) => ({
      ...m,
      seatTier: undefined,
      role: m.email.startsWith('dana') ? 'primary_owner' : m.role === 'admin' ? 'membership_admin' : m.role,
    }));

describe('against an independent emulator of the documented API, with an Enterprise key', () => {
  it('SCIM org: plan and apply --yes send no write request; a 429 storm is waited out', async () => {
    const emu = emulator('scim_advanced', claudeMembers(), {
      storm: 2,
      scimGroups: demoConfig('generic').organizations[0]!.provisioning.groupMappings!.seenGroups,
    });
    server.use(emu.handlers);
    const dir = workdir('scim');
    const env = { ANTHROPIC_ADMIN_KEY: emu.KEY, ANTHROPIC_BASE_URL: server.url };
    const plan = await runBin(['plan', '--snapshot', 'snap.json', '--format', 'json', '--out', 'plan.json'], {
      cwd: dir,
      env,
    });
    expect(plan.code === 0 || plan.code === 1).toBe(true); // 1: the plan has guards (overridden below)
    expect(plan.stderr).toMatch(/rate-limited GET \/v1\/organizations\/users/); // the storm, waited out
    const apply = await runBin(
      [
        'apply',
        'plan.json',
        '--target',
        'anthropic-admin',
        '--yes',
        '--override-guard',
        'BREAKER',
        'LAST_OWNER',
        '--max-deprovision',
        '100%',
      ],
      { cwd: dir, env },
    );
    expect(apply.code).toBe(0);
    expect(emu.writes).toEqual([]);
    expect(apply.stdout).toMatch(/Provisioning mode scim_advanced \(Claude's enforced setting\)/);
  }, 60_000);

  it('JIT org: apply --yes removes the stale members and sends nothing else', async () => {
    const emu = emulator('jit_advanced', claudeMembers());
    server.use(emu.handlers);
    const dir = workdir('jit');
    const env = { ANTHROPIC_ADMIN_KEY: emu.KEY, ANTHROPIC_BASE_URL: server.url };
    const plan = await runBin(['plan', '--snapshot', 'snap.json', '--format', 'json', '--out', 'plan.json'], {
      cwd: dir,
      env,
    });
    expect(plan.code === 0 || plan.code === 1).toBe(true); // 1: the plan has guards (overridden below)
    const planned = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as {
      orgs: Array<{ actions: Array<{ email: string; action: string; when: string }> }>;
    };
    const stale = planned.orgs[0]!.actions.filter((a) => a.action === 'deprovision' && a.when === 'manual')
      .map((a) => a.email)
      .sort();
    expect(stale.length).toBeGreaterThan(0);
    const before = emu.users.map((u) => ({ ...u }));
    const apply = await runBin(
      [
        'apply',
        'plan.json',
        '--target',
        'anthropic-admin',
        '--yes',
        '--override-guard',
        'BREAKER',
        'LAST_OWNER',
        '--max-deprovision',
        '100%',
      ],
      { cwd: dir, env },
    );
    expect(apply.code).toBe(0);
    const removedIds = before
      .filter((u) => stale.includes(u.email))
      .map((u) => `DELETE /v1/organizations/users/${u.id}`)
      .sort();
    expect([...emu.writes].sort()).toEqual(removedIds);
  }, 60_000);

  it('config and Claude disagree: audit names both values and which one it used; sources say where each fact came from', async () => {
    const emu = emulator('jit_permissive', claudeMembers(), { scimGroups: [] });
    server.use(emu.handlers);
    const dir = workdir('scim');
    const env = { ANTHROPIC_ADMIN_KEY: emu.KEY, ANTHROPIC_BASE_URL: server.url };
    const audit = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'json', '--fail-on', 'never'], {
      cwd: dir,
      env,
    });
    expect(audit.code).toBe(0);
    const report = JSON.parse(audit.stdout) as {
      findings: Array<{ code: string; rule: string; message: string }>;
      sources: Array<{ fact: string; source: string; value: string }>;
    };
    const mismatch = report.findings.find((f) => f.code === 'CLAUDE_MODE_MISMATCH')!;
    expect(mismatch.rule).toBe('R-A1');
    expect(mismatch.message).toMatch(
      /config says scim with group mappings \(scim_advanced\).*Claude enforces jit_permissive; this audit used Claude's value/,
    );
    expect(report.findings.filter((f) => f.code === 'CLAUDE_GROUP_NOT_FROM_SCIM').length).toBeGreaterThan(0);
    expect(report.sources.find((s) => s.fact === 'provisioning.mode')).toMatchObject({
      source: 'claude',
      value: 'jit_permissive',
    });
    expect(report.sources.find((s) => s.fact === 'groupMappings')?.source).toBe('config');
  }, 60_000);

  it('an org in the config the key cannot read: plan fails naming the org (exit 3), never plans it against an empty list', async () => {
    const emu = emulator('scim_advanced', claudeMembers());
    server.use(emu.handlers);
    const dir = tmp();
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotFromTenant(demoTenant())));
    writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(demoConfig('generic'))); // also lists the Console org
    const plan = await runBin(['plan', '--snapshot', 'snap.json', '--format', 'json', '--out', 'plan.json'], {
      cwd: dir,
      env: { ANTHROPIC_ADMIN_KEY: emu.KEY, ANTHROPIC_BASE_URL: server.url },
    });
    expect(plan.code).toBe(3);
    expect(plan.stderr).toMatch(/cannot read org 9f2c1d7e-3a4b-4c5d-8e6f-7a8b9c0d1e2f/);
    expect(plan.stderr).not.toContain(emu.KEY);
  }, 60_000);

  it('config pull writes a starting config with the mappings marked to fill in, and audit runs on it', async () => {
    const emu = emulator('scim_advanced', claudeMembers(), { scimGroups: ['anthropic-claude-users'] });
    server.use(emu.handlers);
    const dir = tmp();
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotFromTenant(demoTenant())));
    const env = { ANTHROPIC_ADMIN_KEY: emu.KEY, ANTHROPIC_BASE_URL: server.url };
    const pull = await runBin(['config', 'pull', '--out', 'claude-idp.config.yaml'], { cwd: dir, env });
    expect(pull.code).toBe(0);
    const yaml = readFileSync(join(dir, 'claude-idp.config.yaml'), 'utf8');
    expect(yaml).toMatch(/mode: scim/);
    expect(yaml).toMatch(/enabled: true/);
    expect(yaml).toMatch(/seenGroups:\n\s+- anthropic-claude-users/);
    expect(yaml).toMatch(/# FILL IN: group → role mappings/);
    expect(yaml).toMatch(/claude: true/);
    const json = await runBin(['config', 'pull', '--out', 'pulled.json'], { cwd: dir, env });
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'pulled.json'), 'utf8')).organizations[0].id).toBe(DEMO_CLAUDE_ORG);
    const audit = await runBin(
      ['audit', '--snapshot', 'snap.json', '--members', 'none.json', '--format', 'json', '--fail-on', 'never'].filter(
        (a) => a !== '--members' && a !== 'none.json',
      ),
      { cwd: dir, env },
    );
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    expect((JSON.parse(audit.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  }, 60_000);
});
