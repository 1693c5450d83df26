import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { InputError, redactText, type PlanActionKind } from '@claude-idp/core';
import type { ActionCode, ActionResult, MemberState } from './anthropic-summary';

/**
 * One line of the audit trail (JSON Lines, one object per line, append-only). Every line says
 * when (`at`), who (`by`, the actor label; never the key), what (`action`, `email`, `from`, `to`)
 * and the result. `action-start` is written before an API write and `action` after it, so a
 * process killed between the two leaves an unfinished start that the next run resolves against
 * the org's fresh state.
 */
export interface AuditLine {
  v: 1;
  type: 'run-start' | 'action-start' | 'action' | 'run-end';
  at: string;
  runId: string;
  /** The plan's fingerprint: which plan the line belongs to. */
  plan: string;
  orgId: string;
  by: string;
  seq?: number;
  action?: PlanActionKind;
  email?: string;
  userId?: string;
  from?: string;
  to?: string;
  result?: ActionResult;
  code?: ActionCode;
  reason?: string;
  calls?: string[];
  error?: string;
  /** Manual steps: the screen to use and what to do there. */
  screen?: string;
  instructions?: string;
  /** The member before / after the action (null: not a member). Used to resume. */
  before?: MemberState | null;
  after?: MemberState | null;
  /** Set on every line of a dry run (such lines never count as progress). */
  dryRun?: boolean;
  /** run-start */
  resumed?: boolean;
  membersHash?: string;
  overridden?: string[];
  /** run-end */
  counts?: Partial<Record<ActionResult, number>>;
  stopped?: { reason: string; message: string };
}

/** Where the trail goes: a file (appended) and/or any writable stream; nothing by default. */
export interface AuditTrailOptions {
  path?: string;
  stream?: { write(chunk: string): unknown };
  /** Lines of earlier runs (JSONL text or parsed), when they are not in `path`. */
  previous?: string | AuditLine[];
}

export interface TrailWriter {
  write(line: AuditLine): void;
  readonly lines: AuditLine[];
}

/**
 * Each line is redacted with core's `redactText` before it leaves the process (the key is
 * registered as a secret when the connection is resolved), and appended synchronously so that a
 * crash right after an API call still leaves the line before it on disk.
 */
export function createTrailWriter(options: AuditTrailOptions | undefined, enabled: boolean): TrailWriter {
  const lines: AuditLine[] = [];
  return {
    lines,
    write(line) {
      const text = redactText(JSON.stringify(line));
      lines.push(JSON.parse(text) as AuditLine);
      if (!enabled || !options) return;
      if (options.path) appendFileSync(options.path, `${text}\n`, 'utf8');
      options.stream?.write(`${text}\n`);
    },
  };
}

/** The earlier lines: `previous` if given, else the file at `path` if it exists. */
export function readPreviousTrail(options: AuditTrailOptions | undefined): AuditLine[] {
  if (!options) return [];
  if (Array.isArray(options.previous)) return options.previous;
  if (typeof options.previous === 'string') return parseAuditTrail(options.previous, '<previous audit trail>');
  if (options.path && existsSync(options.path))
    return parseAuditTrail(readFileSync(options.path, 'utf8'), options.path);
  return [];
}

/**
 * Parses JSONL. A bad line is an `InputError` naming it, except a torn last line (the process
 * died mid-write), which is ignored: the action it described is resolved from the fresh state.
 */
export function parseAuditTrail(text: string, source = '<audit trail>'): AuditLine[] {
  const raw = text.split('\n');
  const out: AuditLine[] = [];
  raw.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const parsed = JSON.parse(line) as AuditLine;
      if (parsed?.v !== 1 || typeof parsed.type !== 'string' || typeof parsed.plan !== 'string')
        throw new Error('not a v1 audit line');
      out.push(parsed);
    } catch (error) {
      const isLast = raw.slice(i + 1).every((l) => !l.trim());
      if (isLast && !text.endsWith('\n')) return;
      throw new InputError({
        source,
        issues: [
          { path: `line ${i + 1}`, expected: 'one JSON audit-trail object (v: 1)', received: (error as Error).message },
        ],
        cause: error,
      });
    }
  });
  return out;
}

export interface TouchedMember {
  email: string;
  /** As the plan found them: the `before` of the first action that touched them. */
  original: MemberState | null;
  /** Every state this plan's actions could have left them in (done, failed half-way, or killed mid-call). */
  plausible: Array<MemberState | null>;
}

/**
 * The members earlier runs of this plan touched in this org, from their `action-start` lines
 * (every API write is announced by one, whatever became of it). An action that made two calls
 * (withdraw an invite, then send another) may have stopped between them, so "not a member" is
 * plausible for it too.
 */
export function touchedMembers(
  lines: readonly AuditLine[],
  plan: string,
  orgId: string,
  key: (email: string) => string,
): Map<string, TouchedMember> {
  const out = new Map<string, TouchedMember>();
  for (const l of lines) {
    if (
      l.type !== 'action-start' ||
      l.plan !== plan ||
      l.orgId !== orgId ||
      l.dryRun ||
      !l.email ||
      l.before === undefined
    )
      continue;
    const k = key(l.email);
    const t = out.get(k) ?? { email: l.email, original: l.before, plausible: [] };
    t.plausible.push(l.before, l.after ?? null);
    if ((l.calls?.length ?? 0) > 1) t.plausible.push(null);
    out.set(k, t);
  }
  return out;
}
