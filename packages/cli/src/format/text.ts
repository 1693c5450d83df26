import type { Paint } from '../cli-io';
import { changesText } from '../state/changes-format';
import { bySeverity, SEVERITY_ORDER, subjectLabel, type OutputBundle } from './bundle';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The human format: aligned columns, coloured by severity when the terminal allows. */
export function renderText(b: OutputBundle, p: Paint): string {
  const out: string[] = [];
  out.push(p.bold(b.title));
  if (b.report) {
    const r = b.report;
    const s = r.snapshot;
    out.push(
      p.dim(`${s.idp} ${s.tenant} · captured ${s.capturedAt} · ${s.complete ? 'complete read' : 'INCOMPLETE read'}`),
    );
    out.push('');
    const groups = bySeverity(r.findings);
    const codeWidth = Math.max(10, ...r.findings.map((f) => f.code.length));
    for (const sev of SEVERITY_ORDER) {
      for (const f of groups[sev]) {
        const tag = sev === 'error' ? p.red('ERROR  ') : sev === 'warning' ? p.yellow('WARNING') : p.blue('INFO   ');
        out.push(
          `${tag} ${pad(f.code, codeWidth)} ${pad(f.rule, 5)} ${f.orgId ? p.dim(`[${f.orgId.slice(0, 8)}] `) : ''}${f.message}`,
        );
        out.push(`${' '.repeat(8 + codeWidth + 7)}${p.dim('fix:')} ${f.fix}`);
      }
    }
    if (r.findings.length === 0) out.push(p.green('No findings.'));
    out.push('');
    out.push(
      `${p.bold('Summary:')} ${p.red(`${r.summary.errors} error(s)`)}, ${p.yellow(`${r.summary.warnings} warning(s)`)}, ${p.blue(`${r.summary.infos} info`)}`,
    );
  }
  if (b.access?.length) {
    out.push('', p.bold('Access after the IdP rules:'));
    for (const a of b.access) {
      const roles =
        Object.entries(a.roles)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'nobody';
      const tiers = Object.entries(a.seatTiers)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      out.push(
        `  ${a.name ?? a.orgId} (${a.surface}): ${roles}${tiers ? ` · seats: ${tiers}` : ''} · no access: ${a.noAccess}`,
      );
    }
  }
  if (b.plan) {
    const plan = b.plan;
    out.push(
      '',
      p.bold(
        `Plan ${plan.fingerprint.slice(0, 19)}… ${plan.complete ? '' : p.red('(INCOMPLETE snapshot: no deprovision or downgrade may run)')}`,
      ),
    );
    for (const org of plan.orgs) {
      const totals = Object.entries(org.totals)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      out.push(
        `  org ${org.orgId} · ${org.mode}${org.mappings ? ' + group mappings' : ''} · ${totals || 'no changes'}`,
      );
      const actions = org.actions.filter((a) => a.action !== 'none');
      const ew = Math.max(10, ...actions.map((a) => a.email.length));
      for (const a of actions) {
        const change = a.from || a.to ? `${a.from ?? '-'} → ${a.to ?? '-'}` : '';
        const verb = a.action === 'deprovision' ? p.red(pad(a.action, 14)) : pad(a.action, 14);
        out.push(
          `    ${verb} ${pad(a.email, ew)} ${pad(change, 22)} ${pad(a.when, 13)} ${p.dim(`${a.rule} ${a.reason}`)}`,
        );
      }
    }
    if (plan.guards.length) {
      out.push('', p.red(p.bold('Apply would refuse:')));
      for (const g of plan.guards) out.push(`  ${p.red(g.code)} ${g.message}`);
    }
  }
  if (b.explain?.length) {
    for (const e of b.explain) {
      out.push('', p.bold(`Explain ${e.email}:`));
      for (const line of e.lines) out.push(`  ${line}`);
    }
  }
  if (b.changes) out.push(...changesText(b.changes));
  for (const f of b.report?.findings ?? []) void subjectLabel(f);
  return out.join('\n');
}
