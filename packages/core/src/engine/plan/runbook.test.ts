import { describe, expect, it } from 'vitest';
import type { OrgConfig } from '../../schemas/config';
import { runbook } from './runbook';
import { CLAUDE_ORG, CONSOLE_ORG, claudeOrg, consoleOrg, snap } from './plan-fixtures';

const R_W2_ORDER = [
  'disable-scim-pushes',
  'wait-for-pushes',
  'set-manual',
  'delete-scim-directory',
  'reset-sso',
  'verify-reset',
  'setup-new-idp',
  're-enable-provisioning',
];

const mixed: OrgConfig = {
  parent: { idp: 'okta', verifiedDomains: ['acme.com'] },
  organizations: [
    claudeOrg({
      mode: 'scim',
      name: 'Acme Enterprise',
      mappings: { roles: { owner: ['anthropic-claudeai-468ca80f-owner'] } },
    }),
    consoleOrg({ mode: 'jit' }),
    { ...claudeOrg({ mode: 'manual', id: 'b0b0b0b0-team' }), plan: 'team' },
  ],
};

describe('runbook.switchIdp (seed 003, R-W1, R-W2, R-W3)', () => {
  it('lists the R-W2 steps in order, numbered, for every connected org', () => {
    const r = runbook.switchIdp({ config: mixed, from: 'okta', to: 'entra' });
    expect(r.steps.map((s) => s.id)).toEqual(R_W2_ORDER);
    expect(r.steps.map((s) => s.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const s of r.steps) {
      expect(s.rule).toBe('R-W2');
      expect(s.targets.map((t) => t.orgId)).toEqual([CLAUDE_ORG, CONSOLE_ORG, 'b0b0b0b0-team']);
      expect(s.check.length).toBeGreaterThan(10);
      expect(s.effectOnUsers.length).toBeGreaterThan(3);
    }
  });

  it('waits about an hour after stopping pushes, and says what each step does to signed-in people', () => {
    const r = runbook.switchIdp({ config: mixed, from: 'okta', to: 'entra' });
    const step = (id: string) => r.steps.find((s) => s.id === id)!;
    expect(step('wait-for-pushes')).toMatchObject({ status: 'todo', waitMinutes: 60 });
    expect(step('reset-sso').effectOnUsers).toMatch(/Signs out every user.*email link until the new IdP/);
    expect(step('delete-scim-directory').effectOnUsers).toMatch(/nobody is deprovisioned/);
    expect(step('delete-scim-directory').check).toMatch(/mode is Manual before you delete/);
    expect(step('verify-reset').check).toMatch(/"Setup SSO" where it read "Manage SSO"/);
    expect(step('disable-scim-pushes').actions[0]).toMatch(
      /^Okta: .*Create Users, Update User Attributes and Deactivate Users/,
    );
    expect(step('setup-new-idp').actions.join(' ')).toMatch(/Microsoft Entra ID.*40 minutes/);
  });

  it('marks SCIM-only steps skipped, with why, for orgs without SCIM; Manual orgs skip the mode switches', () => {
    const r = runbook.switchIdp({ config: mixed, from: 'okta', to: 'entra' });
    const del = r.steps.find((s) => s.id === 'delete-scim-directory')!;
    expect(del.status).toBe('todo');
    expect(del.targets.map((t) => [t.orgId, t.status, t.skippedBecause])).toEqual([
      [CLAUDE_ORG, 'todo', undefined],
      [CONSOLE_ORG, 'skipped', 'does not use SCIM'],
      ['b0b0b0b0-team', 'skipped', 'does not use SCIM'],
    ]);
    const setManual = r.steps.find((s) => s.id === 'set-manual')!;
    expect(setManual.targets.map((t) => t.status)).toEqual(['todo', 'todo', 'skipped']);
    const back = r.steps.find((s) => s.id === 're-enable-provisioning')!;
    expect(back.targets.map((t) => t.value ?? t.skippedBecause)).toEqual([
      'Directory sync (SCIM)',
      'Just-in-Time (JIT)',
      'was in Manual mode before the switch',
    ]);
  });

  it('with no SCIM anywhere, the SCIM steps are skipped as a whole', () => {
    const config: OrgConfig = {
      parent: { idp: 'google', verifiedDomains: ['acme.com'] },
      organizations: [claudeOrg({ mode: 'jit' })],
    };
    const r = runbook.switchIdp({ config, from: 'google', to: 'okta' });
    expect(r.steps.filter((s) => s.status === 'skipped').map((s) => [s.id, s.skippedBecause])).toEqual([
      ['disable-scim-pushes', 'no org uses SCIM'],
      ['wait-for-pushes', 'no SCIM pushes to let drain'],
      ['delete-scim-directory', 'no org uses SCIM, so there is no directory to delete'],
    ]);
    expect(r.lines).toContain('1. Disable SCIM pushes from Google Workspace — skipped: no org uses SCIM');
  });

  it('says who may do it (R-W1), and what the new IdP must match (R-W3)', () => {
    const s = snap({ scim: { emailSource: 'user.login' } });
    const r = runbook.switchIdp({ config: mixed, from: 'okta', to: 'onelogin', snapshot: s });
    expect(r.who.perOrg.map((o) => o.role)).toEqual(['Owner or Primary Owner', 'Admin', 'Owner or Primary Owner']);
    expect(r.before.join('\n')).toMatch(
      /exactly the same email.*today: SAML email from user\.email, SCIM email from user\.login.*R-W3/,
    );
    expect(r.lines[1]).toMatch(/^Who: Only an Owner or Primary Owner .* \[R-W1\]$/);
  });

  it('notes a config whose IdP is not `from`, and refuses a config without orgs', () => {
    expect(runbook.switchIdp({ config: mixed, from: 'entra', to: 'okta' }).notes[0]).toMatch(
      /linked to Okta, not Microsoft Entra ID/,
    );
    expect(() => runbook.switchIdp({ config: { ...mixed, organizations: [] }, from: 'okta', to: 'entra' })).toThrow(
      /at least one org/,
    );
  });
});
