import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { audit, explain, plan, type ProgressEvent } from '@claude-idp/core';
import { demoConfig, demoMembers, demoTenant, DEMO_ACTOR, startLoopbackServer } from '@claude-idp/core/testing';
import { accessSummaries } from '../cli-access';
import { demoConnection, type LiveIdp } from '../cli-adapters';
import { emit, paint, progressReporter, useColor } from '../cli-io';
import type { CommandContext } from '../cli-program';
import { render, renderHtml } from '../format';
import { resolvePeople } from '../state/access';

/** The person the demo explains: assigned, with a login that is not their email (the R-S5 break). */
export const DEMO_EXPLAIN = 'javier.morales@northwind.example';

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('The whole pipeline on an embedded fake tenant: no credentials, no network')
    .addOption(new Option('--idp <kind>', 'which IdP the fake tenant plays').choices(['okta', 'entra', 'google', 'onelogin']).default('okta'))
    .option('--html <file>', 'where to write the HTML report', 'claude-idp-report.html')
    .addOption(new Option('--format <format>', 'how to print the audit and plan').choices(['text', 'markdown', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Serves the Northwind demo tenant (36 people, a claude.ai Enterprise org and a Console org under one
parent) from the chosen IdP's fake API on a loopback port, reads it through the real adapter, then
runs audit, plan and explain and writes an HTML report.

Examples:
  $ claude-idp demo
  $ claude-idp demo --idp entra --html /tmp/report.html`,
    )
    .action(async (opts: { idp: LiveIdp; html: string; format: 'text' | 'markdown' | 'json' }) => {
      const io = ctx.io;
      const p = paint(useColor(io));
      const tenant = demoTenant();
      const config = demoConfig(opts.idp);
      const members = demoMembers();
      const server = await startLoopbackServer();
      try {
        const { fake, adapter } = await demoConnection(opts.idp, tenant, server.url);
        server.use(fake.handlers);
        const progress = progressReporter(io, Boolean(program.opts().quiet));
        let pages = 0;
        const onProgress = (e: ProgressEvent) => {
          if (e.type === 'page') pages++;
          progress.onProgress?.(e);
        };
        const started = performance.now();
        let snapshot;
        try {
          snapshot = await adapter.readSnapshot({ app: tenant.app.name, abortSignal: ctx.abortSignal, onProgress, now: io.now });
        } finally {
          progress.done();
        }
        const ms = Math.round(performance.now() - started);
        const now = io.now();
        const report = audit({ snapshot, config, members, actor: DEMO_ACTOR, now });
        const thePlan = plan({ snapshot, config, members, now });
        const ex = explain({ snapshot, config, email: DEMO_EXPLAIN, members });
        const access = accessSummaries(snapshot, config, members);
        const header = [
          p.bold(`claude-idp demo · ${opts.idp}`),
          `Read the fake ${opts.idp} tenant at ${server.url} through the real @claude-idp/${opts.idp} adapter:`,
          `  ${snapshot.users.length} people, ${snapshot.groups.length} groups, ${snapshot.assignments.userIds.length} direct + ${snapshot.assignments.groupIds.length} group assignments · ${fake.kit.requests.length} requests, ${pages} pages, ${ms} ms · ${snapshot.complete ? 'complete' : 'INCOMPLETE'}`,
          `Config: ${config.organizations.map((o) => `${o.name} (${o.provisioning.mode}${o.provisioning.groupMappings?.enabled ? ' + mappings' : ''})`).join(', ')} · actor ${DEMO_ACTOR}`,
          '',
        ].join('\n');
        const bundle = { title: 'claude-idp audit — Northwind demo', report, plan: thePlan, access, explain: [{ email: DEMO_EXPLAIN, lines: ex.lines }], ...resolvePeople(snapshot, config, members) };
        if (opts.format === 'json') emit(io, render('json', bundle, { report, plan: thePlan, explain: ex }, false));
        else emit(io, `${opts.format === 'text' ? header : ''}${render(opts.format, bundle, null, useColor(io))}`);
        const htmlPath = resolve(io.cwd, opts.html);
        emit(io, renderHtml(bundle), htmlPath);
        if (opts.format !== 'json') io.stdout(`\nHTML report: ${htmlPath}\n`);
      } finally {
        await server.close();
      }
    });
}
