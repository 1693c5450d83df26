import { changesMarkdown } from '../state/changes-format';
import { bySeverity, planTotals, SEVERITY_ORDER, subjectLabel, type OutputBundle } from './bundle';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** For a pull request comment or a CI step summary ($GITHUB_STEP_SUMMARY). */
export function renderMarkdown(b: OutputBundle): string {
  const out: string[] = [`## ${b.title}`, ''];
  if (b.report) {
    const r = b.report;
    out.push(
      `**${r.snapshot.idp}** \`${r.snapshot.tenant}\` · captured ${r.snapshot.capturedAt} · ${r.snapshot.complete ? 'complete read' : '**incomplete read**'}`,
      '',
    );
    out.push(
      '| errors | warnings | infos |',
      '|---:|---:|---:|',
      `| ${r.summary.errors} | ${r.summary.warnings} | ${r.summary.infos} |`,
      '',
    );
    const groups = bySeverity(r.findings);
    for (const sev of SEVERITY_ORDER) {
      if (!groups[sev].length) continue;
      out.push(
        `### ${sev === 'error' ? '❌ Errors' : sev === 'warning' ? '⚠️ Warnings' : 'ℹ️ Info'}`,
        '',
        '| code | rule | subject | finding | fix |',
        '|---|---|---|---|---|',
      );
      for (const f of groups[sev])
        out.push(`| \`${f.code}\` | ${f.rule} | ${cell(subjectLabel(f))} | ${cell(f.message)} | ${cell(f.fix)} |`);
      out.push('');
    }
  }
  if (b.changes) out.push(...changesMarkdown(b.changes));
  if (b.access?.length) {
    out.push('### Access by role and seat tier', '', '| org | roles | seat tiers | no access |', '|---|---|---|---:|');
    for (const a of b.access) {
      out.push(
        `| ${cell(a.name ?? a.orgId)} | ${Object.entries(a.roles)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} | ${Object.entries(a.seatTiers)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} | ${a.noAccess} |`,
      );
    }
    out.push('');
  }
  if (b.plan) {
    const totals = planTotals(b.plan);
    out.push(
      '### Plan',
      '',
      `Fingerprint \`${b.plan.fingerprint}\`${b.plan.complete ? '' : ' — **incomplete snapshot: no deprovision or downgrade may run**'}`,
      '',
    );
    out.push(
      `| ${Object.keys(totals).join(' | ')} |`,
      `|${Object.keys(totals)
        .map(() => '---:')
        .join('|')}|`,
      `| ${Object.values(totals).join(' | ')} |`,
      '',
    );
    const rows = b.plan.orgs.flatMap((o) => o.actions.filter((a) => a.action !== 'none').map((a) => ({ o, a })));
    if (rows.length) {
      out.push(
        '<details><summary>Actions</summary>',
        '',
        '| org | person | action | from → to | when | rule | reason |',
        '|---|---|---|---|---|---|---|',
      );
      for (const { o, a } of rows)
        out.push(
          `| ${o.orgId.slice(0, 8)} | ${cell(a.email)} | ${a.action} | ${a.from ?? ''} → ${a.to ?? ''} | ${a.when} | ${a.rule} | ${cell(a.reason)} |`,
        );
      out.push('', '</details>', '');
    }
    if (b.plan.guards.length) {
      out.push('**Apply would refuse:**', '');
      for (const g of b.plan.guards) out.push(`- \`${g.code}\` ${g.message}`);
      out.push('');
    }
  }
  return out.join('\n');
}
