import type { Command } from 'commander';
import { extname, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { canonicalJson, modeFromClaude, OrgConfigSchema, type ClaudeSideFacts, type OrgConfig } from '@claude-idp/core';
import { Document, isMap, type YAMLMap } from 'yaml';
import { UsageError } from '../cli-exit';
import { emit } from '../cli-io';
import type { CommandContext } from '../cli-program';
import { readClaudeFacts } from './claude-live';

const FILL_IN =
  'FILL IN: group → role mappings (e.g. owner: [anthropic-claude-owners]); no API exposes them. Copy them from claude.ai > Organization settings > Identity and access.';
const FILL_IN_SEATS =
  'FILL IN (claude.ai only): group → seat-tier mappings, e.g. premium: [anthropic-claude-premium]; no API exposes them.';
const FILL_IN_PARENT =
  "FILL IN: the IdP (okta | entra | google | onelogin) and the verified domains; Claude's APIs do not report them.";

/**
 * A starting config from what Claude reports: the orgs the key reaches, their kind (plan), the
 * enforced provisioning mode (advanced = group mappings on [inferred]), Require SSO, and the
 * groups Claude has from SCIM as `seenGroups`. What no API shows (the IdP, verified domains,
 * the group → role / seat-tier mappings) is left empty and marked to fill in.
 */
export function configFromClaude(facts: ClaudeSideFacts): OrgConfig {
  const claudeSso = facts.orgs.map((o) => o.settings.ssoClaudeAiEnforced).find((v) => v !== undefined);
  const consoleSso = facts.orgs.map((o) => o.settings.ssoConsoleEnforced).find((v) => v !== undefined);
  const config: OrgConfig = {
    parent: {
      idp: 'generic',
      verifiedDomains: [],
      ...(claudeSso !== undefined || consoleSso !== undefined
        ? {
            requireSso: {
              ...(claudeSso !== undefined ? { claude: claudeSso } : {}),
              ...(consoleSso !== undefined ? { console: consoleSso } : {}),
            },
          }
        : {}),
    },
    organizations: facts.orgs.map((o) => {
      const surface = o.kind === 'console' ? ('console' as const) : ('claude' as const);
      const m = o.settings.provisioningMode
        ? modeFromClaude(o.settings.provisioningMode)
        : { mode: 'manual' as const, mappings: false };
      return {
        id: o.orgId,
        ...(o.name ? { name: o.name } : {}),
        surface,
        // An Enterprise key's orgs are Claude Enterprise orgs; Team orgs have no Admin API.
        plan: surface === 'console' ? ('console' as const) : ('enterprise' as const),
        provisioning: {
          mode: m.mode,
          ...(m.mode !== 'manual'
            ? {
                groupMappings: {
                  enabled: m.mappings,
                  roles: {},
                  ...(surface === 'claude' ? { seatTiers: {} } : {}),
                  ...(o.scimGroups ? { seenGroups: o.scimGroups } : {}),
                },
              }
            : {}),
        },
      };
    }),
  };
  return OrgConfigSchema.parse(config);
}

/** YAML with the parts to fill in marked by comments. */
export function configYaml(config: OrgConfig, facts: ClaudeSideFacts): string {
  const doc = new Document(config);
  doc.commentBefore = ` Written by claude-idp config pull from what Claude reports (${facts.readAt}).\n Facts from Claude: orgs, plan kind, provisioning mode, Require SSO, groups seen from SCIM.`;
  const parent = doc.get('parent') as YAMLMap;
  parent.commentBefore = ` ${FILL_IN_PARENT}`;
  const orgs = doc.get('organizations') as { items: unknown[] };
  orgs.items.forEach((item, i) => {
    if (!isMap(item)) return;
    const o = facts.orgs[i]!;
    const notes = [o.settings.note, o.groupsNote].filter(Boolean);
    if (notes.length) item.commentBefore = ` ${notes.join('\n ')}`;
    const gm = (item.get('provisioning') as YAMLMap | undefined)?.get('groupMappings');
    if (isMap(gm)) {
      const roles = gm.get('roles', true);
      if (roles && typeof roles === 'object') (roles as { commentBefore?: string }).commentBefore = ` ${FILL_IN}`;
      const seats = gm.get('seatTiers', true);
      if (seats && typeof seats === 'object') (seats as { commentBefore?: string }).commentBefore = ` ${FILL_IN_SEATS}`;
    }
  });
  return doc.toString({ lineWidth: 0 });
}

export function registerConfigPull(program: Command, ctx: CommandContext): void {
  const config =
    program.commands.find((c) => c.name() === 'config') ??
    program.command('config').description('Work with the org config');
  config
    .command('pull')
    .description(
      'Write a starting config from what Claude reports (orgs, plans, modes, Require SSO, groups seen); the mappings are marked to fill in',
    )
    .option('--out <file>', 'write to FILE (.yaml/.yml or .json); default: YAML on stdout')
    .addHelpText('after', '\nExample:\n  $ ANTHROPIC_ADMIN_KEY=… claude-idp config pull --out claude-idp.config.yaml')
    .action(async (opts: { out?: string }) => {
      if (!ctx.io.env.ANTHROPIC_ADMIN_KEY)
        throw new UsageError(
          'set ANTHROPIC_ADMIN_KEY (a Claude Enterprise key with read:org_audit, or a Console admin key) to read what Claude reports',
        );
      const facts = await readClaudeFacts(ctx.io, {
        abortSignal: ctx.abortSignal,
        quiet: Boolean(program.opts().quiet),
      });
      const cfg = configFromClaude(facts);
      const json = opts.out !== undefined && extname(opts.out).toLowerCase() === '.json';
      const text = json ? canonicalJson(cfg, 2) : configYaml(cfg, facts);
      if (opts.out) {
        writeFileSync(resolve(ctx.io.cwd, opts.out), text.endsWith('\n') ? text : `${text}\n`, 'utf8');
        ctx.io.stderr(
          `wrote ${opts.out}: ${cfg.organizations.length} org(s). Fill in: parent.idp, parent.verifiedDomains${cfg.organizations.some((o) => o.provisioning.groupMappings) ? ', and the group → role / seat-tier mappings' : ''} (no API exposes them).\n`,
        );
      } else emit(ctx.io, text);
    });
}
