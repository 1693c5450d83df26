import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../cli-exit';
import { allowEmptyMembersOption, parseIdp, readConfig } from '../cli-inputs';
import type { CommandContext } from '../cli-program';
import { parseNotifyTarget } from '../notify/targets';
import { DEFAULT_KEEP, STATE_ENV, WEBHOOK_SECRET_ENV } from '../state/run-state';
import { runWatch, type WatchPieces } from '../watch/run-watch';
import { parseDuration, parseListen, parseSize } from '../watch/watch-flags';
import { createWatchLog, type LogFormat } from '../watch/watch-log';

const SECOND = 1000;
const DAY = 86_400_000;

interface WatchOptions {
  config?: string;
  idp?: string;
  app?: string;
  members?: string;
  allowEmptyMembers?: boolean;
  listen: string;
  publicUrl?: string;
  state?: string;
  keep?: string;
  notify?: string[];
  quietPeriod: string;
  maxWait: string;
  fullReadEvery: string;
  claudePollEvery: string;
  maxBody: string;
  logFormat: LogFormat;
}

/** Test seam: pieces in place of the vendor packages' (the command line never sets it). */
export const watchTestPieces: { current?: WatchPieces } = {};

export function registerWatch(program: Command, ctx: CommandContext): void {
  program
    .command('watch')
    .description(
      'Run continuously: receive the IdP’s change events (and poll Claude’s activity feed), re-read what changed, re-audit, and notify new findings',
    )
    .option('--config <file>', 'the org config (default: ./claude-idp.config.yaml|json)')
    .option('--idp <kind>', 'the IdP to watch: okta | entra | google | onelogin (credentials from the environment)')
    .option('--app <id-or-name>', 'the Claude app in the IdP')
    .option(
      '--members <file>',
      "today's members (JSON or CSV), read once; default with ANTHROPIC_ADMIN_KEY: read from Claude and its activity feed polled",
    )
    .addOption(allowEmptyMembersOption())
    .option('--listen <[host]:port>', 'where to receive events; no host: loopback (127.0.0.1)', ':8080')
    .option(
      '--public-url <url>',
      'the https URL the IdP reaches the listener at (required for entra and google, which subscribe)',
    )
    .option('--state <dir>', `keep runs and the subscriptions here, across restarts (env ${STATE_ENV})`)
    .option('--keep <n>', `with --state: how many runs to keep (default ${DEFAULT_KEEP})`)
    .option(
      '--notify <url>',
      'POST new findings to this webhook (https://…, slack+https://…, teams+https://…); repeatable',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--quiet-period <duration>', 'read after this long without a new event', '5s')
    .option('--max-wait <duration>', 'but no later than this after the first event of a burst', '30s')
    .option('--full-read-every <duration>', 'a full read this often whatever the events (events can be lost)', '6h')
    .option('--claude-poll-every <duration>', 'how often to poll the Claude activity feed', '30s')
    .option('--max-body <size>', 'refuse event bodies larger than this (413)', '1mb')
    .addOption(new Option('--log-format <format>', 'log lines on stdout').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ OKTA_EVENT_HOOK_SECRET=… claude-idp watch --idp okta --config claude-idp.config.yaml --listen :8080 \\
      --state /var/lib/claude-idp --notify slack+https://hooks.slack.com/services/…
  $ claude-idp watch --idp entra --listen 0.0.0.0:8080 --public-url https://idp-watch.example.com --state ./state

Endpoints: /events/<idp> (the IdP's deliveries), GET /healthz (200 while running), GET /readyz (200 while it takes events, with what is failing
under "degraded"; 503 while stopping).
SIGTERM or Ctrl-C: stops accepting events, finishes the current read and audit, saves the state, exits 0.
Generic webhooks are signed with ${WEBHOOK_SECRET_ENV} when set. Details: docs/watch.md.`,
    )
    .action(async (opts: WatchOptions) => {
      const idp = parseIdp(opts.idp);
      const config = readConfig(ctx.io, opts.config);
      const quietMs = parseDuration('--quiet-period', opts.quietPeriod, { min: 100, max: 10 * 60 * SECOND });
      const maxWaitMs = parseDuration('--max-wait', opts.maxWait, { min: 100, max: 60 * 60 * SECOND });
      if (maxWaitMs < quietMs)
        throw new UsageError(`--max-wait ${opts.maxWait} is shorter than --quiet-period ${opts.quietPeriod}`);
      const fullEveryMs = parseDuration('--full-read-every', opts.fullReadEvery, { min: 60 * SECOND, max: 7 * DAY });
      const claudePollMs = parseDuration('--claude-poll-every', opts.claudePollEvery, {
        min: 5 * SECOND,
        max: DAY,
      });
      const maxBodyBytes = parseSize('--max-body', opts.maxBody, { min: 1024, max: 64 * 1024 * 1024 });
      const listen = parseListen(opts.listen);
      const stateValue = opts.state ?? (ctx.io.env[STATE_ENV] || undefined);
      let keep = DEFAULT_KEEP;
      if (opts.keep !== undefined) {
        if (!/^\d+$/.test(opts.keep.trim()) || Number(opts.keep) < 1)
          throw new UsageError(`--keep takes a number of runs, 1 or more (got "${opts.keep}")`);
        if (!stateValue) throw new UsageError(`--keep needs --state DIR (or ${STATE_ENV})`);
        keep = Number(opts.keep);
      }
      const targets = (opts.notify ?? []).map(parseNotifyTarget);
      const log = createWatchLog(ctx.io, opts.logFormat);
      // SIGTERM / Ctrl-C stop gracefully; without the process's signals (in-process runs) the abort signal does.
      const stop = new AbortController();
      const unregister = ctx.onStop?.(() => stop.abort());
      const onAbort = () => stop.abort();
      ctx.abortSignal?.addEventListener('abort', onAbort, { once: true });
      try {
        const code = await runWatch(
          ctx.io,
          log,
          {
            idp,
            app: opts.app,
            config,
            members: opts.members,
            allowEmptyMembers: opts.allowEmptyMembers,
            listen,
            publicUrl: opts.publicUrl,
            stateDir: stateValue ? resolve(ctx.io.cwd, stateValue) : undefined,
            keep,
            targets,
            quietMs,
            maxWaitMs,
            fullEveryMs,
            claudePollMs,
            maxBodyBytes,
            quiet: true,
          },
          stop.signal,
          watchTestPieces.current,
        );
        ctx.setExit(code);
      } finally {
        unregister?.();
        ctx.abortSignal?.removeEventListener('abort', onAbort);
      }
    });
}
