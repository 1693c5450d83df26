import type { Finding } from '@claude-idp/core';
import { changesHeadline } from '../state/changes';
import type { AccessChange, PlanActionRef, RunChanges, RunScope } from '../state/state-schema';

/** What a notification is about: one run that found something changed. */
export interface NotifyEvent {
  runId: string;
  command: 'audit' | 'plan';
  at: string;
  scope: Pick<RunScope, 'idp' | 'tenant' | 'appName'>;
  summary: { errors: number; warnings: number; infos: number } | null;
  changes: RunChanges;
  /** `watch`: the change events that led to this run (their one-line summaries), when there were any. */
  trigger?: string[];
}

/** Lists in a notification stop here (the whole list is in the state directory's changes.json). */
export const LIST_LIMIT = 25;

const cap = <T>(list: T[]) => ({ total: list.length, items: list.slice(0, LIST_LIMIT) });

/** The generic webhook's JSON body (`type: claude-idp.run.changed`, `schemaVersion: 1`). */
export function webhookPayload(e: NotifyEvent): Record<string, unknown> {
  const c = e.changes;
  return {
    type: 'claude-idp.run.changed',
    schemaVersion: 1,
    id: e.runId,
    command: e.command,
    at: e.at,
    tenant: e.scope,
    headline: changesHeadline(c),
    summary: e.summary,
    since: c.since,
    configChanged: c.configChanged,
    newFindings: cap(c.newFindings),
    resolvedFindings: cap(c.resolvedFindings),
    access: cap(c.access),
    planAdded: cap(c.planAdded),
    planGone: cap(c.planGone),
    drift: c.drift,
    ...(e.trigger?.length ? { trigger: cap(e.trigger) } : {}),
  };
}

export function findingLine(f: Finding): string {
  return `${f.severity.toUpperCase()} ${f.code}${f.orgId ? ` [${f.orgId.slice(0, 8)}]` : ''}: ${f.message}`;
}

export function accessLine(a: AccessChange): string {
  const side = (s: AccessChange['from']) =>
    !s?.access ? 'no access' : `${s.role ?? 'member'}${s.seatTier ? ` / ${s.seatTier}` : ''}`;
  return `${a.email ?? a.userId} [${a.orgId.slice(0, 8)}]: ${side(a.from)} → ${side(a.to)}`;
}

export function planLine(a: PlanActionRef): string {
  return `${a.action} ${a.email} [${a.orgId.slice(0, 8)}]${a.from || a.to ? ` ${a.from ?? '-'} → ${a.to ?? '-'}` : ''} (${a.when})`;
}

/** The sections every chat format shows: a title and up to LIST_LIMIT lines each. */
export function sections(e: NotifyEvent): { title: string; lines: string[]; more: number }[] {
  const c = e.changes;
  const out = [
    { title: 'New findings', list: c.newFindings.map(findingLine) },
    { title: 'After these changes', list: e.trigger ?? [] },
    { title: 'Resolved findings', list: c.resolvedFindings.map(findingLine) },
    { title: 'Access changed', list: c.access.map(accessLine) },
    { title: 'Plan actions added', list: c.planAdded.map(planLine) },
    { title: 'Plan actions gone', list: c.planGone.map(planLine) },
  ];
  return out
    .filter((s) => s.list.length)
    .map((s) => ({
      title: s.title,
      lines: s.list.slice(0, LIST_LIMIT),
      more: Math.max(0, s.list.length - LIST_LIMIT),
    }));
}

function title(e: NotifyEvent): string {
  return `claude-idp ${e.command}: ${e.scope.idp} ${e.scope.tenant} (${e.scope.appName})`;
}

/** Slack's mrkdwn needs &, < and > escaped (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A Slack incoming-webhook message: `text` (the notification's fallback) plus Block Kit blocks. A
 * section's text is at most 3000 characters, so long lists are cut there.
 */
export function slackPayload(e: NotifyEvent): Record<string, unknown> {
  const headline = changesHeadline(e.changes);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title(e).slice(0, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(headline) } },
  ];
  for (const s of sections(e)) {
    const body = [
      `*${s.title}*`,
      ...s.lines.map((l) => `• ${slackEscape(l)}`),
      ...(s.more ? [`…and ${s.more} more`] : []),
    ].join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: body.length > 3000 ? `${body.slice(0, 2990)}…` : body },
    });
  }
  if (e.summary)
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: slackEscape(
            `now: ${e.summary.errors} errors, ${e.summary.warnings} warnings, ${e.summary.infos} info · run ${e.runId}`,
          ),
        },
      ],
    });
  return { text: slackEscape(`${title(e)} — ${headline}`), blocks };
}

/**
 * A Microsoft Teams message carrying an Adaptive Card, the shape both Workflows ("When a Teams
 * webhook request is received") and the older incoming webhooks accept.
 */
export function teamsPayload(e: NotifyEvent): Record<string, unknown> {
  const body: unknown[] = [
    { type: 'TextBlock', text: title(e), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: changesHeadline(e.changes), wrap: true },
  ];
  for (const s of sections(e)) {
    body.push({ type: 'TextBlock', text: s.title, weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push({
      type: 'TextBlock',
      text: [...s.lines.map((l) => `- ${l}`), ...(s.more ? [`- …and ${s.more} more`] : [])].join('\n'),
      wrap: true,
    });
  }
  if (e.summary)
    body.push({
      type: 'TextBlock',
      text: `now: ${e.summary.errors} errors, ${e.summary.warnings} warnings, ${e.summary.infos} info · run ${e.runId}`,
      isSubtle: true,
      wrap: true,
    });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}
