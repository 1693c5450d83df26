import { describe, expect, it } from 'vitest';
import type { OrgConfig } from '@claude-idp/core';
import type { Io } from '../cli-io';
import { applyProgress } from './apply-progress';
import { configSources, engineRoles, sourcesText } from './claude-live';

const io = (tty: boolean) => {
  const err: string[] = [];
  const value: Io = {
    stdout: () => {},
    stderr: (t: string) => void err.push(t),
    env: {},
    cwd: '/',
    now: () => new Date(0),
    isErrTty: tty,
  } as unknown as Io;
  return { io: value, err };
};
const config = {
  parent: { idp: 'okta', verifiedDomains: ['acme.example'] },
  organizations: [{ id: 'o1', surface: 'claude', plan: 'enterprise', provisioning: { mode: 'jit' } }],
} as OrgConfig;

describe('apply progress on stderr', () => {
  it('in logs (no terminal): every wait of a second or more, one per line; no per-action noise', () => {
    const { io: i, err } = io(false);
    const p = applyProgress(i, false)!;
    p({ type: 'action', index: 1, total: 2, email: 'a@acme.example', action: 'deprovision', result: 'done' });
    p({
      type: 'throttle',
      resource: 'anthropic pacing',
      delayMs: 12_000,
      reason: 'pacing under 100 requests a minute per org',
    });
    p({ type: 'retry', resource: 'GET /v1/organizations/users', attempt: 1, delayMs: 200, reason: '503' });
    expect(err).toEqual(['waiting 12s: pacing under 100 requests a minute per org (anthropic pacing)\n']);
  });

  it('on a terminal: one line rewritten per action and wait; nothing with --quiet', () => {
    const { io: i, err } = io(true);
    applyProgress(i, false)!({
      type: 'action',
      index: 2,
      total: 2,
      email: 'a@acme.example',
      action: 'deprovision',
      result: 'done',
    });
    expect(err).toEqual(['\r\u001b[2K[2/2] deprovision a@acme.example: done\n']);
    expect(applyProgress(i, true)).toBeUndefined();
  });
});

describe('live rows and fact sources', () => {
  it('passes the Enterprise member roles the catalogue knows (primary_owner, membership_admin, managed) to the engine unchanged', () => {
    const rows = engineRoles(
      [
        { email: 'po@acme.example', role: 'primary_owner', orgId: 'o1' },
        { email: 'ma@acme.example', role: 'membership_admin', orgId: 'o1' },
        { email: 'm@acme.example', role: 'managed', orgId: 'o1' },
        { email: 'u@acme.example', role: 'user', orgId: 'o1' },
      ],
      config,
    );
    // The Primary Owner must reach the engine as such, or R-A5 (kept under SCIM and mappings) is lost.
    expect(rows.map((r) => r.role)).toEqual(['primary_owner', 'membership_admin', 'managed', 'user']);
  });

  it("without a live read every fact is the config's, and the text report says so", () => {
    const sources = configSources(config, 'from members.csv');
    expect(sources.every((s) => s.source === 'config')).toBe(true);
    expect(sources.map((s) => s.fact)).toEqual(['provisioning.mode', 'requireSso.claude', 'seenGroups', 'members']);
    expect(sourcesText(sources)).toMatch(/o1 provisioning\.mode: jit \[from the config\]/);
  });
});
