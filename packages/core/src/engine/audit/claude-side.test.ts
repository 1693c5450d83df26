import { describe, expect, it } from 'vitest';
import { OrgConfigSchema, ReportSchema, type ClaudeSideFacts, type OrgConfig } from '../../schemas';
import { checkClaudeSide, withClaudeSide } from './claude-side';
import { FINDING_CODES } from './catalogue';

const ORG = '9f2c1d7e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
const config = (): OrgConfig =>
  OrgConfigSchema.parse({
    parent: { idp: 'okta', verifiedDomains: ['acme.example'], requireSso: { claude: true } },
    organizations: [
      {
        id: ORG,
        name: 'Acme',
        surface: 'claude',
        plan: 'enterprise',
        provisioning: {
          mode: 'scim',
          groupMappings: {
            enabled: true,
            roles: { owner: ['anthropic-claude-owners'], user: ['anthropic-claude-users'] },
            seenGroups: ['anthropic-claude-owners', 'anthropic-claude-users'],
          },
        },
      },
    ],
  });
const claude = (over: Partial<ClaudeSideFacts['orgs'][number]> = {}): ClaudeSideFacts => ({
  schemaVersion: 1,
  readAt: '2026-08-22T00:00:00Z',
  keyKind: 'enterprise',
  orgs: [
    {
      orgId: ORG,
      kind: 'enterprise',
      settings: { available: true, provisioningMode: 'jit_permissive', ssoClaudeAiEnforced: false },
      members: [{ email: 'po@acme.example', role: 'primary_owner', orgId: ORG, status: 'active' }],
      invitesRead: true,
      scimGroups: ['anthropic-claude-users'],
      ...over,
    },
    {
      orgId: 'other-org',
      kind: 'enterprise',
      settings: { available: false, note: '404' },
      members: [],
      invitesRead: false,
      scimGroups: null,
    },
  ],
});

describe('config vs Claude (R-A1..R-A5)', () => {
  it('names both values and the one the audit used, for the mode, Require SSO and each mapped group not from SCIM', () => {
    const findings = checkClaudeSide(config(), claude());
    expect(findings.map((f) => [f.code, f.rule])).toEqual([
      ['CLAUDE_MODE_MISMATCH', 'R-A1'],
      ['CLAUDE_REQUIRE_SSO_MISMATCH', 'R-A2'],
      ['CLAUDE_GROUP_NOT_FROM_SCIM', 'R-A3'],
      ['CLAUDE_ORG_UNCONFIGURED', 'R-A5'],
    ]);
    expect(findings[0]!.message).toMatch(
      /config says scim with group mappings \(scim_advanced\).*Claude enforces jit_permissive; this audit used Claude's value \(jit_permissive\)/,
    );
    expect(findings[1]!.message).toMatch(
      /config says Require SSO for Claude is on, but Claude enforces it off.*used Claude's value \(off\)/,
    );
    expect(findings[2]!.subject.name).toBe('anthropic-claude-owners');
    for (const f of findings) expect(FINDING_CODES[f.code as keyof typeof FINDING_CODES].rule).toBe(f.rule);
  });

  it('agreement gives no finding; unreadable settings say the config was used (R-A4)', () => {
    const agree = claude({
      settings: { available: true, provisioningMode: 'scim_advanced', ssoClaudeAiEnforced: true },
      scimGroups: ['anthropic-claude-owners', 'anthropic-claude-users'],
    });
    expect(checkClaudeSide(config(), { ...agree, orgs: [agree.orgs[0]!] })).toEqual([]);
    const unread = claude({ settings: { available: false, note: 'not enabled (404)' } });
    const f = checkClaudeSide(config(), { ...unread, orgs: [unread.orgs[0]!] });
    expect(f.map((x) => x.code)).toContain('CLAUDE_SETTINGS_UNREADABLE');
    expect(f.find((x) => x.code === 'CLAUDE_SETTINGS_UNREADABLE')!.message).toMatch(
      /not enabled \(404\).*used the config's values \(mode scim_advanced\)/,
    );
  });

  it("withClaudeSide runs the audit on Claude's facts and records each fact's source", () => {
    const { config: used, members, sources } = withClaudeSide(config(), claude());
    const org = used.organizations[0]!;
    expect(org.provisioning.mode).toBe('jit');
    expect(org.provisioning.groupMappings?.enabled).toBe(false);
    expect(org.provisioning.groupMappings?.seenGroups).toEqual(['anthropic-claude-users']);
    expect(used.parent.requireSso?.claude).toBe(false);
    expect(members.map((m) => m.email)).toEqual(['po@acme.example']);
    expect(sources.find((s) => s.fact === 'provisioning.mode')).toEqual({
      orgId: ORG,
      fact: 'provisioning.mode',
      value: 'jit_permissive',
      source: 'claude',
    });
    expect(sources.find((s) => s.fact === 'groupMappings')?.source).toBe('config');
    expect(OrgConfigSchema.safeParse(used).success).toBe(true);
    expect(ReportSchema.shape.sources.safeParse(sources).success).toBe(true);
  });
});
