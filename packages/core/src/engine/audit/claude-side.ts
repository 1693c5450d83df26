import type { ClaudeOrgFacts, ClaudeProvisioningMode, ClaudeSideFacts, FactSource } from '../../schemas/claude-side';
import type { Organization, OrgConfig, Surface } from '../../schemas/config';
import type { Finding } from '../../schemas/finding';
import type { Member } from '../../schemas/members';
import { finding } from './findings';

/**
 * Config vs Claude (R-A1..R-A5): when the Claude side is read live, the facts Claude reports
 * (enforced provisioning mode, Require SSO, the groups it has from SCIM) win over what the config
 * says, and every disagreement is a finding naming both values and the one the audit used.
 * Group → role and group → seat-tier mappings have no API: they always come from the config.
 */

/** The `sso_provisioning_mode` a config org stands for: mode + whether group mappings are on. */
export function configProvisioningMode(org: Organization): ClaudeProvisioningMode {
  const mode = org.provisioning.mode;
  if (mode === 'manual') return 'login_only';
  // "advanced" = group mappings on: inferred (the docs tie "advanced" to the IdP managing roles).
  return `${mode}_${org.provisioning.groupMappings?.enabled ? 'advanced' : 'permissive'}`;
}

/** A Claude mode as the config's terms: mode and whether group mappings are in effect. */
export function modeFromClaude(mode: ClaudeProvisioningMode): {
  mode: Organization['provisioning']['mode'];
  mappings: boolean;
} {
  if (mode === 'login_only') return { mode: 'manual', mappings: false };
  const [kind, flavour] = mode.split('_') as ['jit' | 'scim', 'permissive' | 'advanced'];
  return { mode: kind, mappings: flavour === 'advanced' };
}

const facts = (claude: ClaudeSideFacts, orgId: string): ClaudeOrgFacts | undefined =>
  claude.orgs.find((o) => o.orgId.toLowerCase() === orgId.toLowerCase());
const requireSsoOf = (o: ClaudeOrgFacts, surface: Surface) =>
  surface === 'claude' ? o.settings.ssoClaudeAiEnforced : o.settings.ssoConsoleEnforced;

/** R-A1..R-A5: where the config and Claude disagree, and what Claude could not show. */
export function checkClaudeSide(config: OrgConfig, claude: ClaudeSideFacts): Finding[] {
  const out: Finding[] = [];
  for (const org of config.organizations) {
    const c = facts(claude, org.id);
    if (!c) continue;
    const subject = { kind: 'org' as const, id: org.id, name: org.name };
    if (!c.settings.available || !c.settings.provisioningMode) {
      out.push(
        finding('CLAUDE_SETTINGS_UNREADABLE', {
          orgId: org.id,
          subject,
          message: `Claude's enforced settings for ${org.name ?? org.id} could not be read (${c.settings.note ?? 'no provisioning-mode row'}); this audit used the config's values (mode ${configProvisioningMode(org)}).`,
          fix: 'Use a Claude Enterprise key with read:org_audit (claude.ai > Organization settings > API), or check the mode by hand in claude.ai > Organization settings > Identity and access.',
        }),
      );
    } else {
      const want = configProvisioningMode(org);
      const got = c.settings.provisioningMode;
      if (want !== got) {
        out.push(
          finding('CLAUDE_MODE_MISMATCH', {
            orgId: org.id,
            subject,
            message: `The config says ${org.provisioning.mode}${org.provisioning.groupMappings?.enabled ? ' with group mappings' : ''} (${want}) for ${org.name ?? org.id}, but Claude enforces ${got}; this audit used Claude's value (${got}).`,
            fix: `Make the config say what Claude enforces (provisioning.mode: ${modeFromClaude(got).mode}, groupMappings.enabled: ${modeFromClaude(got).mappings}), or change the mode in claude.ai > Organization settings > Identity and access if ${want} is what you intend.`,
          }),
        );
      }
    }
    const claudeSso = requireSsoOf(c, org.surface);
    const configSso = config.parent.requireSso?.[org.surface];
    if (claudeSso !== undefined && configSso !== undefined && claudeSso !== configSso) {
      out.push(
        finding('CLAUDE_REQUIRE_SSO_MISMATCH', {
          orgId: org.id,
          subject,
          message: `The config says Require SSO for ${org.surface === 'claude' ? 'Claude' : 'the Console'} is ${configSso ? 'on' : 'off'}, but Claude enforces it ${claudeSso ? 'on' : 'off'} for ${org.name ?? org.id}; this audit used Claude's value (${claudeSso ? 'on' : 'off'}).`,
          fix: `Set parent.requireSso.${org.surface}: ${claudeSso} in the config, or change it in claude.ai > Organization settings > Identity and access.`,
        }),
      );
    }
    const mapped = org.provisioning.groupMappings;
    if (mapped && c.scimGroups !== null) {
      const scim = new Set(c.scimGroups.map((g) => g.toLowerCase()));
      const names = [
        ...new Set([...Object.values(mapped.roles).flat(), ...Object.values(mapped.seatTiers ?? {}).flat()]),
      ];
      for (const name of names.filter((n) => !scim.has(n.toLowerCase())).sort()) {
        out.push(
          finding('CLAUDE_GROUP_NOT_FROM_SCIM', {
            orgId: org.id,
            subject: { kind: 'group', name },
            message: `The config maps group ${name}, but Claude has no group of that name from SCIM (it has ${c.scimGroups.length ? c.scimGroups.join(', ') : 'none'}); this audit used Claude's list as the groups seen (R-G5).`,
            fix: `Push ${name} to Claude from the IdP (SCIM group push; sync can take hours), or correct the name in the config's mappings.`,
          }),
        );
      }
    }
  }
  const configured = new Set(config.organizations.map((o) => o.id.toLowerCase()));
  for (const c of claude.orgs.filter((o) => !configured.has(o.orgId.toLowerCase()))) {
    out.push(
      finding('CLAUDE_ORG_UNCONFIGURED', {
        orgId: c.orgId,
        subject: { kind: 'org', id: c.orgId, name: c.name },
        message: `The key reaches org ${c.name ?? c.orgId} (${c.kind}), which the config does not list; it was not audited.`,
        fix: 'Add it to the config (claude-idp config pull writes a starting point), or use a key for the configured orgs only.',
      }),
    );
  }
  return out;
}

/**
 * The config with Claude's facts in place of the config's, where Claude reports them: each org's
 * provisioning mode and whether mappings are in effect, Require SSO per surface, and the groups
 * seen (Claude's SCIM groups). Mapping lists stay the config's (no API exposes them). Returns the
 * config the audit should run on, the members Claude lists, and where each fact came from.
 */
export function withClaudeSide(
  config: OrgConfig,
  claude: ClaudeSideFacts,
): { config: OrgConfig; members: Member[]; sources: FactSource[] } {
  const sources: FactSource[] = [];
  const requireSso = { ...config.parent.requireSso };
  const organizations = config.organizations.map((org) => {
    const c = facts(claude, org.id);
    const mode = c?.settings.available ? c.settings.provisioningMode : undefined;
    const next = structuredClone(org);
    if (mode) {
      const m = modeFromClaude(mode);
      next.provisioning.mode = m.mode;
      if (next.provisioning.groupMappings) next.provisioning.groupMappings.enabled = m.mappings;
      else if (m.mappings) next.provisioning.groupMappings = { enabled: true, roles: {} };
    }
    sources.push({
      orgId: org.id,
      fact: 'provisioning.mode',
      value: configProvisioningMode(next),
      source: mode ? 'claude' : 'config',
    });
    const sso = c ? requireSsoOf(c, org.surface) : undefined;
    if (sso !== undefined) requireSso[org.surface] = sso;
    sources.push({
      orgId: org.id,
      fact: `requireSso.${org.surface}`,
      value: String(requireSso[org.surface] ?? false),
      source: sso !== undefined ? 'claude' : 'config',
    });
    if (c && c.scimGroups !== null && next.provisioning.groupMappings)
      next.provisioning.groupMappings.seenGroups = [...c.scimGroups];
    sources.push({
      orgId: org.id,
      fact: 'seenGroups',
      value: (next.provisioning.groupMappings?.seenGroups ?? []).join(', '),
      source: c && c.scimGroups !== null ? 'claude' : 'config',
    });
    sources.push({
      orgId: org.id,
      fact: 'groupMappings',
      value: next.provisioning.groupMappings ? 'from the config (no API exposes them)' : 'none',
      source: 'config',
    });
    sources.push({
      orgId: org.id,
      fact: 'members',
      value: c
        ? `${c.members.length} read from Claude${c.invitesRead ? ' (with pending invites)' : ' (pending invites not readable)'}`
        : 'none',
      source: c ? 'claude' : 'config',
    });
    return next;
  });
  const members = claude.orgs
    .filter((o) => config.organizations.some((x) => x.id.toLowerCase() === o.orgId.toLowerCase()))
    .flatMap((o) => o.members);
  return { config: { ...config, parent: { ...config.parent, requireSso }, organizations }, members, sources };
}
