import {
  checkClaudeSide,
  roleCatalogue,
  sortFindings,
  summarize,
  withClaudeSide,
  type ClaudeSideFacts,
  type FactSource,
  type Finding,
  type Member,
  type OrgConfig,
  type Report,
} from '@claude-idp/core';
import { progressReporter, type Io } from '../cli-io';
import { readMembersFile } from '../cli-inputs';

/** What a command runs on: the config (with Claude's facts in place where read live), members, and where each fact came from. */
export interface ClaudeInputs {
  config: OrgConfig;
  members?: Member[];
  /** Config-vs-Claude findings (R-A1..R-A5); empty when Claude was not read. */
  findings: Finding[];
  sources: FactSource[];
  facts?: ClaudeSideFacts;
}

/**
 * Live Enterprise roles the role catalogue does not know as member roles are shown to the engine as their
 * nearest catalogue role (`primary_owner` → owner, `membership_admin` → admin, `managed` →
 * user); a catalogue that knows them gets them unchanged.
 */
const NEAREST: Record<string, string> = { primary_owner: 'owner', membership_admin: 'admin', managed: 'user' };

export function engineRoles(members: readonly Member[], config: OrgConfig): Member[] {
  const catalogue = roleCatalogue(config);
  const surfaceOf = new Map(config.organizations.map((o) => [o.id.toLowerCase(), o.surface] as const));
  return members.map((m) => {
    const surface = surfaceOf.get((m.orgId ?? '').toLowerCase()) ?? 'claude';
    const role = m.role.toLowerCase();
    return catalogue.isMemberRole(surface, role) || !NEAREST[role] ? m : { ...m, role: NEAREST[role]! };
  });
}

/**
 * `--members FILE` when given; else, with ANTHROPIC_ADMIN_KEY set, the Claude side read live for
 * every org in the config (an org the key cannot read throws, naming it: exit 3); else nothing.
 */
export async function claudeInputs(
  io: Io,
  config: OrgConfig,
  opts: {
    members?: string;
    allowEmptyMembers?: boolean;
    abortSignal?: AbortSignal;
    quiet?: boolean;
    rawRoles?: boolean;
  },
): Promise<ClaudeInputs> {
  if (opts.members)
    return {
      config,
      members: readMembersFile(io, opts.members, { allowEmpty: opts.allowEmptyMembers }),
      findings: [],
      sources: configSources(config, `from ${opts.members}`),
    };
  if (!io.env.ANTHROPIC_ADMIN_KEY) return { config, findings: [], sources: configSources(config, 'not given') };
  const facts = await readClaudeFacts(io, {
    orgIds: config.organizations.map((o) => o.id),
    abortSignal: opts.abortSignal,
    quiet: opts.quiet,
  });
  const used = withClaudeSide(config, facts);
  // `plan` keeps the roles exactly as read (rawRoles): its input hash must equal what `apply` reads back.
  return {
    config: used.config,
    members: opts.rawRoles ? used.members : engineRoles(used.members, used.config),
    findings: checkClaudeSide(config, facts),
    sources: used.sources,
    facts,
  };
}

export async function readClaudeFacts(
  io: Io,
  opts: { orgIds?: readonly string[]; abortSignal?: AbortSignal; quiet?: boolean },
): Promise<ClaudeSideFacts> {
  const { createAnthropicAdminClient } = await import('@claude-idp/anthropic');
  const progress = progressReporter(io, Boolean(opts.quiet));
  try {
    return await createAnthropicAdminClient({ env: io.env }).readClaudeSide({
      orgIds: opts.orgIds,
      abortSignal: opts.abortSignal,
      onProgress: progress.onProgress,
      now: io.now,
    });
  } finally {
    progress.done();
  }
}

/** Every fact from the config (Claude was not read: no ANTHROPIC_ADMIN_KEY, or --members given). */
export function configSources(config: OrgConfig, members: string): FactSource[] {
  return config.organizations.flatMap((o): FactSource[] => [
    {
      orgId: o.id,
      fact: 'provisioning.mode',
      value: `${o.provisioning.mode}${o.provisioning.groupMappings?.enabled ? ' with group mappings' : ''}`,
      source: 'config',
    },
    {
      orgId: o.id,
      fact: `requireSso.${o.surface}`,
      value: String(config.parent.requireSso?.[o.surface] ?? false),
      source: 'config',
    },
    {
      orgId: o.id,
      fact: 'seenGroups',
      value: (o.provisioning.groupMappings?.seenGroups ?? []).join(', '),
      source: 'config',
    },
    { orgId: o.id, fact: 'members', value: members, source: 'config' },
  ]);
}

/** Sources as text lines, for the text report. */
export function sourcesText(sources: readonly FactSource[]): string {
  if (!sources.length) return '';
  const lines = ['', 'Facts and where they came from:'];
  for (const s of sources)
    lines.push(
      `  ${s.orgId ? `${s.orgId} ` : ''}${s.fact}: ${s.value || '(none)'} [${s.source === 'claude' ? 'read from Claude' : 'from the config'}]`,
    );
  return lines.join('\n');
}

/** The report with the config-vs-Claude findings added and each fact's source recorded. */
export function withClaudeReport(report: Report, inputs: ClaudeInputs): Report {
  if (!inputs.findings.length && !inputs.sources.length) return report;
  const findings = sortFindings([...report.findings, ...inputs.findings]);
  return {
    ...report,
    findings,
    summary: summarize(findings),
    ...(inputs.sources.length ? { sources: inputs.sources } : {}),
  };
}
