import { bySeverity, planTotals, SEVERITY_ORDER, subjectLabel, type OrgAccessSummary, type OutputBundle } from './bundle';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CSS = `
:root{--err:#b42318;--warn:#b54708;--info:#175cd3;--ok:#067647;--bg:#fff;--fg:#101828;--mut:#475467;--line:#eaecf0}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--mut)}.cards{display:flex;gap:12px;margin:16px 0}.card{flex:1;border:1px solid var(--line);border-radius:8px;padding:12px}
.card b{display:block;font-size:28px}.card.err b{color:var(--err)}.card.warn b{color:var(--warn)}.card.info b{color:var(--info)}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}th{color:var(--mut);font-weight:600}
.sev{font-weight:700;font-size:12px;text-transform:uppercase}.sev.error{color:var(--err)}.sev.warning{color:var(--warn)}.sev.info{color:var(--info)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f2f4f7;padding:1px 4px;border-radius:4px}.fix{color:var(--mut)}
.bar{display:flex;align-items:center;gap:8px;margin:3px 0}.bar span.l{width:150px;color:var(--mut)}.bar span.b{height:14px;background:#7f56d9;border-radius:3px}.bar span.b.tier{background:#12b76a}.bar span.b.none{background:#d0d5dd}
.guard{border-left:4px solid var(--err);padding:6px 10px;background:#fef3f2;margin:6px 0}.del{color:var(--err);font-weight:600}
`;

function bars(a: OrgAccessSummary): string {
  const rows: [string, number, string][] = [
    ...Object.entries(a.roles).map(([k, v]) => [`role: ${k}`, v, ''] as [string, number, string]),
    ...Object.entries(a.seatTiers).map(([k, v]) => [`seat: ${k}`, v, 'tier'] as [string, number, string]),
    ['no access', a.noAccess, 'none'],
  ];
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return rows
    .map(([label, n, cls]) => `<div class="bar" data-label="${esc(label)}" data-count="${n}"><span class="l">${esc(label)}</span><span class="b ${cls}" style="width:${Math.round((n / max) * 600)}px"></span><span>${n}</span></div>`)
    .join('\n');
}

/** One self-contained HTML file (no scripts, no external assets) an admin can open or attach. */
export function renderHtml(b: OutputBundle): string {
  const parts: string[] = [];
  const r = b.report;
  parts.push(`<h1>${esc(b.title)}</h1>`);
  if (r) {
    parts.push(`<p class="meta">${esc(r.snapshot.idp)} <code>${esc(r.snapshot.tenant)}</code> · captured ${esc(r.snapshot.capturedAt)} · ${r.snapshot.complete ? 'complete read' : '<strong>incomplete read</strong>'} · ${esc(r.tool.name)} ${esc(r.tool.version)}</p>`);
    parts.push(`<div class="cards" id="summary">
<div class="card err"><b data-testid="count-errors">${r.summary.errors}</b>errors</div>
<div class="card warn"><b data-testid="count-warnings">${r.summary.warnings}</b>warnings</div>
<div class="card info"><b data-testid="count-infos">${r.summary.infos}</b>info</div></div>`);
    const groups = bySeverity(r.findings);
    for (const sev of SEVERITY_ORDER) {
      const list = groups[sev];
      parts.push(`<h2>${sev === 'error' ? 'Errors' : sev === 'warning' ? 'Warnings' : 'Info'} (${list.length})</h2>`);
      if (!list.length) {
        parts.push('<p class="meta">None.</p>');
        continue;
      }
      parts.push(`<table data-severity="${sev}"><thead><tr><th>Code</th><th>Rule</th><th>Subject</th><th>Finding and fix</th></tr></thead><tbody>`);
      for (const f of list) {
        parts.push(`<tr class="finding" data-severity="${f.severity}" data-code="${esc(f.code)}"><td><span class="sev ${f.severity}">${esc(f.severity)}</span><br><code>${esc(f.code)}</code></td><td>${esc(f.rule)}</td><td>${esc(subjectLabel(f))}${f.orgId ? `<br><span class="meta">org ${esc(f.orgId.slice(0, 8))}</span>` : ''}</td><td>${esc(f.message)}<div class="fix">Fix: ${esc(f.fix)}</div></td></tr>`);
      }
      parts.push('</tbody></table>');
    }
  }
  if (b.access?.length) {
    parts.push('<h2>Access by role and seat tier</h2>');
    for (const a of b.access) parts.push(`<section class="access" data-org="${esc(a.orgId)}"><h3>${esc(a.name ?? a.orgId)} <span class="meta">(${a.surface})</span></h3>${bars(a)}</section>`);
  }
  if (b.plan) {
    const totals = planTotals(b.plan);
    parts.push(`<h2>Plan</h2><p class="meta">Fingerprint <code>${esc(b.plan.fingerprint)}</code>${b.plan.complete ? '' : ' · <strong>incomplete snapshot: no deprovision or downgrade may run</strong>'}</p>`);
    parts.push(`<table id="plan-totals"><tr>${Object.keys(totals).map((k) => `<th>${esc(k)}</th>`).join('')}</tr><tr>${Object.entries(totals).map(([k, v]) => `<td data-action="${esc(k)}">${v}</td>`).join('')}</tr></table>`);
    for (const g of b.plan.guards) parts.push(`<div class="guard"><code>${esc(g.code)}</code> ${esc(g.message)}</div>`);
    for (const org of b.plan.orgs) {
      const acts = org.actions.filter((a) => a.action !== 'none');
      parts.push(`<h3>Org ${esc(org.orgId)} <span class="meta">${esc(org.mode)}${org.mappings ? ' + group mappings' : ''}</span></h3>`);
      if (!acts.length) {
        parts.push('<p class="meta">No changes.</p>');
        continue;
      }
      parts.push('<table class="plan"><thead><tr><th>Person</th><th>Action</th><th>From → to</th><th>When</th><th>Why</th></tr></thead><tbody>');
      for (const a of acts) parts.push(`<tr data-action="${a.action}"><td>${esc(a.email)}</td><td class="${a.action === 'deprovision' ? 'del' : ''}">${esc(a.action)}</td><td>${esc(a.from ?? '')} → ${esc(a.to ?? '')}</td><td>${esc(a.when)}</td><td>${esc(a.rule)} ${esc(a.reason)}</td></tr>`);
      parts.push('</tbody></table>');
    }
  }
  if (b.explain?.length) {
    parts.push('<h2>Explain</h2>');
    for (const e of b.explain) parts.push(`<h3>${esc(e.email)}</h3><ol>${e.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(b.title)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
