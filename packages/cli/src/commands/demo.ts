import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { audit, explain, plan, type DirectorySnapshot, type ProgressEvent } from '@claude-idp/core';
import { accessSummaries } from '../cli-access';
import { demoConnection, type LiveIdp } from '../cli-adapters';
import { emit, paint, progressReporter, useColor } from '../cli-io';
import { DEMO_FILES, demoPeopleText, loadDemoKit, saveDemoFiles } from '../demo-kit';
import { runDemoWatch } from '../demo-watch';
import { UsageError } from '../cli-exit';
import type { CommandContext } from '../cli-program';
import { render, renderHtml } from '../format';
import { resolvePeople } from '../state/access';

/** The person the demo explains: assigned, with a login that is not their email (the R-S5 break). */
export const DEMO_EXPLAIN = 'javier.morales@northwind.example';

interface DemoOptions {
  idp: LiveIdp;
  html: string;
  format: 'text' | 'markdown' | 'json';
  save?: string;
  watch?: boolean;
}

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('The whole pipeline on an embedded fake tenant: no credentials, no network')
    .addOption(
      new Option('--idp <kind>', 'which IdP the fake tenant plays')
        .choices(['okta', 'entra', 'google', 'onelogin'])
        .default('okta'),
    )
    .option('--html <file>', 'where to write the HTML report', 'claude-idp-report.html')
    .addOption(
      new Option('--format <format>', 'how to print the audit, plan and explain (json: one document with all three)')
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .option(
      '--save <dir>',
      `also write the demo's inputs there (${Object.values(DEMO_FILES).join(', ')}) to try audit, plan, explain and diff offline`,
    )
    .option(
      '--watch',
      'instead: run `watch` on the fake tenant, make the last Owner leave the Owner group, and show the event, the targeted read and the notification',
    )
    .addHelpText('after', () => {
      return `
Serves the Northwind demo tenant from the chosen IdP's fake API on a loopback port, reads it
through the real adapter, then runs audit, plan and explain and writes an HTML report. The tenant:
a claude.ai Enterprise org and a Console org under one parent, and
${demoPeopleText()}.
The fake API needs msw (an optional peer of the CLI: npm install msw).

Examples:
  $ claude-idp demo
  $ claude-idp demo --idp entra --html /tmp/report.html
  $ claude-idp demo --save demo && cd demo && claude-idp audit --snapshot snapshot.json --members members.csv
  $ claude-idp demo --watch --idp entra`;
    })
    .action(async (opts: DemoOptions, command: Command) => {
      const io = ctx.io;
      if (opts.watch) {
        const mixed = ['html', 'format', 'save', 'now'].filter((o) => command.getOptionValueSource(o) === 'cli');
        if (mixed.length)
          throw new UsageError(`--watch runs the watch demo alone: drop ${mixed.map((o) => `--${o}`).join(', ')}`);
        ctx.setExit(await runDemoWatch(io, opts.idp, { onStop: ctx.onStop, abortSignal: ctx.abortSignal }));
        return;
      }
      const p = paint(useColor(io));
      const { demoConfig, demoMembers, demoTenant, DEMO_ACTOR, startLoopbackServer } = await loadDemoKit();
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
        // The loopback port changes on every run; the tenant is named by the demo tenant instead, so
        // the same demo gives the same JSON (and the saved snapshots do not name a dead address).
        const stable = (s: DirectorySnapshot): DirectorySnapshot => ({
          ...s,
          tenant: `${tenant.name} (demo ${opts.idp} tenant)`,
        });
        let snapshot: DirectorySnapshot;
        try {
          snapshot = stable(
            await adapter.readSnapshot({ app: tenant.app.name, abortSignal: ctx.abortSignal, onProgress, now: io.now }),
          );
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
        const bundle = {
          title: 'claude-idp audit — Northwind demo',
          report,
          plan: thePlan,
          access,
          explain: [{ email: DEMO_EXPLAIN, lines: ex.lines }],
          ...resolvePeople(snapshot, config, members),
        };
        if (opts.format === 'json') emit(io, render('json', bundle, { report, plan: thePlan, explain: ex }, false));
        else emit(io, `${opts.format === 'text' ? header : ''}${render(opts.format, bundle, null, useColor(io))}`);
        const htmlPath = resolve(io.cwd, opts.html);
        emit(io, renderHtml(bundle), htmlPath, '--html');
        if (opts.format !== 'json') io.stdout(`\nHTML report: ${htmlPath}\n`);
        if (opts.save) {
          // A day later in the IdP: a new hire assigned to the app, a group renamed, someone suspended.
          fake.update((t) => {
            const admins = t.groups.find((g) => g.name === 'Claude Admins');
            if (admins) admins.name = 'Claude Administrators';
            const quinn = t.users.find((u) => u.email === 'peter.quinn@northwind.example');
            if (quinn) quinn.status = 'suspended';
            t.users.push({
              id: 'd99',
              email: 'new.hire@northwind.example',
              login: 'new.hire@northwind.example',
              givenName: 'New',
              familyName: 'Hire',
              status: 'active',
            });
            t.assignments.userIds.push('d99');
          });
          const later = stable(
            await adapter.readSnapshot({
              app: tenant.app.name,
              abortSignal: ctx.abortSignal,
              now: () => new Date(io.now().getTime() + 86_400_000),
            }),
          );
          const dir = resolve(io.cwd, opts.save);
          saveDemoFiles(io, dir, { snapshot, later, config, members });
          if (opts.format !== 'json')
            io.stdout(
              `Saved the demo's inputs in ${dir}: ${Object.values(DEMO_FILES).join(', ')} (README: "Try it offline")\n`,
            );
        }
      } finally {
        await server.close();
      }
    });
}
