import { accessLine, findingLine, LIST_LIMIT, planLine } from '../notify/payloads';
import { changesHeadline } from './changes';
import type { RunChanges } from './state-schema';

function lists(c: RunChanges): { title: string; lines: string[] }[] {
  return [
    { title: 'New findings', lines: c.newFindings.map(findingLine) },
    { title: 'Resolved findings', lines: c.resolvedFindings.map(findingLine) },
    { title: 'Access changed', lines: c.access.map(accessLine) },
    { title: 'Plan actions added', lines: c.planAdded.map(planLine) },
    { title: 'Plan actions gone', lines: c.planGone.map(planLine) },
  ].filter((s) => s.lines.length);
}

function driftLine(c: RunChanges): string | null {
  if (!c.drift?.total) return null;
  const d = c.drift;
  const parts = Object.entries(d)
    .filter(([k, n]) => k !== 'total' && n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return `IdP drift: ${d.total} change(s) (${parts.join(', ')}); \`claude-idp diff\` on the two runs' snapshots lists them`;
}

/** "Since the last run" for the text format. */
export function changesText(c: RunChanges): string[] {
  const out = ['', `Since the last run: ${changesHeadline(c)}`];
  if (c.configChanged) out.push('  the config differs from the one the last run used');
  const drift = driftLine(c);
  if (drift) out.push(`  ${drift.replace(/`/g, '')}`);
  for (const s of lists(c)) {
    out.push(`  ${s.title}:`);
    for (const l of s.lines.slice(0, LIST_LIMIT * 2)) out.push(`    ${l}`);
    if (s.lines.length > LIST_LIMIT * 2)
      out.push(`    …and ${s.lines.length - LIST_LIMIT * 2} more (changes.json in the state directory)`);
  }
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;');

/** "Since the last run" for the Markdown format (step summaries, PR comments). */
export function changesMarkdown(c: RunChanges): string[] {
  const out = ['### Since the last run', '', cell(changesHeadline(c)), ''];
  if (c.configChanged) out.push('The config differs from the one the last run used.', '');
  const drift = driftLine(c);
  if (drift) out.push(drift, '');
  for (const s of lists(c)) {
    out.push(`**${s.title}** (${s.lines.length})`, '');
    for (const l of s.lines.slice(0, LIST_LIMIT * 2)) out.push(`- ${cell(l)}`);
    if (s.lines.length > LIST_LIMIT * 2) out.push(`- …and ${s.lines.length - LIST_LIMIT * 2} more`);
    out.push('');
  }
  return out;
}
