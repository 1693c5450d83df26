import { createHash } from 'node:crypto';
import type { Finding, Plan } from '@claude-idp/core';
import { accessLine, planLine } from '../notify/payloads';
import { changesHeadline } from '../state/changes';
import type { OrgSeats, PersonAccess } from '../state/access';
import type { RunChanges } from '../state/state-schema';
import { planTotals, SEVERITY_ORDER, subjectLabel, type OrgAccessSummary, type OutputBundle } from './bundle';

/**
 * The HTML report: one self-contained file (inline CSS and one inline script, no network at view
 * time — its Content-Security-Policy forbids any), readable without JavaScript (the filters and the
 * search box are added by the script), printable, and accessible (landmarks, headings, labelled
 * controls, table headers, WCAG AA contrast). Every value from the IdP or the config is escaped:
 * names and emails are untrusted input.
 */

/** Escapes text for HTML content and double- or single-quoted attributes. */
export const esc = (s: string | number | null | undefined): string =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The access table stops here (a 100k-person tenant would make a file no browser opens); the full list is in the state's access.json. */
export const PEOPLE_ROW_LIMIT = 10_000;

const CSS = `
:root{--err:#b42318;--err-bg:#fef3f2;--warn:#93370d;--warn-bg:#fffaeb;--info:#175cd3;--info-bg:#eff8ff;--ok:#067647;--ok-bg:#ecfdf3;
--fg:#101828;--mut:#475467;--line:#d0d5dd;--soft:#f2f4f7;--bg:#fff;--accent:#6941c6;--accent2:#12b76a;--none:#98a2b3}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0}
a{color:var(--info)}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:2;border:2px solid var(--info)}
header.top{background:#1d2939;color:#fff;padding:20px 24px}
header.top h1{margin:0;font-size:22px;line-height:1.3}
header.top p{margin:4px 0 0;color:#d0d5dd;font-size:13px;overflow-wrap:anywhere}
header.top code{background:#344054;color:#fff}
nav.toc{border-bottom:1px solid var(--line);padding:8px 24px;font-size:14px;background:#fcfcfd;position:sticky;top:0;z-index:1}
nav.toc ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
main{max-width:1180px;margin:0 auto;padding:8px 24px 40px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--soft);scroll-margin-top:52px}
h3{font-size:16px;margin:18px 0 8px}
.muted{color:var(--mut)}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:14px 0}
.card{border:1px solid var(--line);border-radius:10px;padding:12px 14px;background:#fff}
.card b{display:block;font-size:30px;line-height:1.1;font-variant-numeric:tabular-nums}
.card span{color:var(--mut);font-size:13px}
.card.err{border-top:4px solid var(--err)}.card.err b{color:var(--err)}
.card.warn{border-top:4px solid #f79009}.card.warn b{color:var(--warn)}
.card.info{border-top:4px solid var(--info)}.card.info b{color:var(--info)}
.card.people{border-top:4px solid var(--accent)}.card.plan{border-top:4px solid var(--accent2)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.chart{border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.chart h3{margin:0 0 8px;font-size:15px}
.meter{display:grid;grid-template-columns:minmax(70px,auto) 1fr auto;align-items:center;gap:8px;margin:6px 0;font-size:13px}
.meter svg{width:100%;height:14px;display:block}
.meter .n{font-variant-numeric:tabular-nums;white-space:nowrap}
.meter.over .n{color:var(--err);font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12.5px;color:var(--mut);margin-top:6px;padding:0;list-style:none}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.stack{width:100%;height:18px;display:block;border-radius:4px}
.controls{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:end;margin:8px 0 10px;padding:10px 12px;background:#f9fafb;border:1px solid var(--line);border-radius:10px}
.controls[hidden]{display:none}
.controls label{display:flex;flex-direction:column;font-size:13px;color:var(--mut);gap:2px}
.controls select,.controls input{font:inherit;color:var(--fg);padding:5px 8px;border:1px solid #98a2b3;border-radius:6px;background:#fff;min-width:150px}
.controls input[type=search]{min-width:240px}
.controls output{font-size:13px;color:var(--mut);margin-left:auto}
:focus-visible{outline:3px solid #84adff;outline-offset:2px}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;padding:8px 12px;color:var(--mut);font-size:13px}
th,td{text-align:left;padding:7px 12px;border-top:1px solid var(--soft);vertical-align:top}
thead th{background:#f9fafb;color:#344054;font-weight:600;border-top:0;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr[hidden]{display:none}
.sev{display:inline-block;font-weight:700;font-size:11.5px;text-transform:uppercase;letter-spacing:.03em;padding:1px 7px;border-radius:999px}
.sev.error{color:var(--err);background:var(--err-bg)}.sev.warning{color:var(--warn);background:var(--warn-bg)}.sev.info{color:var(--info);background:var(--info-bg)}
.fix{color:var(--mut);margin-top:4px}.fix b{color:#344054}
.yes{color:var(--ok);font-weight:600}.no{color:var(--mut)}
.tag{display:inline-block;background:var(--soft);border-radius:4px;padding:0 6px;margin:1px 4px 1px 0;font-size:12.5px}
.guard{border-left:4px solid var(--err);padding:8px 12px;background:var(--err-bg);margin:8px 0;border-radius:0 8px 8px 0}
.ok-box{border-left:4px solid var(--ok);padding:8px 12px;background:var(--ok-bg);margin:8px 0;border-radius:0 8px 8px 0}
.del{color:var(--err);font-weight:600}
.changes ul{margin:4px 0 10px;padding-left:20px}
.changes li{margin:2px 0;overflow-wrap:anywhere}
.email{overflow-wrap:break-word}
td.what{min-width:12em}td.what .code{white-space:nowrap;overflow-wrap:normal;display:inline-block;margin:3px 0}td.what .rule{display:block;color:var(--mut);font-size:12.5px}
footer{max-width:1180px;margin:0 auto;padding:16px 24px 32px;color:var(--mut);font-size:12.5px;border-top:1px solid var(--soft)}
@media (max-width:640px){
 body{font-size:14px}header.top,main,nav.toc{padding-left:14px;padding-right:14px}
 .controls select,.controls input,.controls input[type=search]{min-width:0;width:100%}.controls label{flex:1 1 100%}.controls output{margin-left:0}
 table.stack-sm thead{display:none}
 table.stack-sm tr{display:block;border-top:1px solid var(--line);padding:6px 0}
 table.stack-sm td{display:block;border:0;padding:2px 12px;min-width:0}
 table.stack-sm td[data-label]::before{content:attr(data-label) ": ";color:var(--mut);font-size:12.5px}
}
@media print{
 nav.toc,.controls,.skip{display:none!important}
 header.top{background:none;color:#000;padding:0 0 8px;border-bottom:2px solid #000}header.top p{color:#000}header.top code{background:none;color:#000}
 main{max-width:none;padding:0}body{font-size:11pt}
 tr[hidden]{display:table-row!important}
 .table-wrap{overflow:visible;border:0}thead th{position:static}
 tr,.card,.chart,.guard{break-inside:avoid}h2,h3{break-after:avoid}
 a{color:#000;text-decoration:none}
}
`;

/**
 * Progressive enhancement: shows the filter controls (hidden without JavaScript, so a reader
 * without it sees every row) and filters rows by their data attributes. Reads only the DOM: no
 * data is embedded in the script.
 */
const SCRIPT = `(function(){
function setup(formId,tableId,match){
 var form=document.getElementById(formId),table=document.getElementById(tableId);
 if(!form||!table)return;
 var rows=Array.prototype.slice.call(table.tBodies[0].rows),out=form.querySelector('output');
 function apply(){var n=0;rows.forEach(function(r){var show=match(r,form);r.hidden=!show;if(show)n++;});if(out)out.textContent=n+' of '+rows.length+' shown';}
 form.hidden=false;form.addEventListener('input',apply);form.addEventListener('change',apply);form.addEventListener('submit',function(e){e.preventDefault();});apply();
}
function val(f,n){var el=f.elements.namedItem(n);return el?el.value:'';}
setup('finding-filters','findings',function(r,f){
 var s=val(f,'severity'),ru=val(f,'rule'),o=val(f,'org'),q=val(f,'q').trim().toLowerCase();
 return(!s||r.getAttribute('data-severity')===s)&&(!ru||r.getAttribute('data-rule')===ru)&&(!o||r.getAttribute('data-org')===o)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
});
setup('people-filters','people',function(r,f){
 var q=val(f,'q').trim().toLowerCase(),o=val(f,'org'),a=val(f,'access');
 return(!q||r.getAttribute('data-search').indexOf(q)>=0)&&(!o||r.getAttribute('data-org')===o)&&(!a||r.getAttribute('data-access')===a);
});
})();`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

const PALETTE = ['#6941c6', '#1570ef', '#0e9384', '#dc6803', '#c11574', '#4e5ba6', '#3b7c0f', '#b54708'];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function options(values: string[], label: (v: string) => string = (v) => v): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(label(v))}</option>`).join('');
}

/** Seats used against seats bought, per tier: one meter each (red past what was bought). */
function seatChart(s: OrgSeats): string {
  const rows = s.tiers
    .map((t) => {
      // Scale: the larger of what was bought and what was wanted (used + people left without a seat).
      const wanted = t.used + t.shortfall;
      const max = Math.max(wanted, t.bought ?? wanted, 1);
      const used = (t.used / max) * 100;
      const over = (t.shortfall / max) * 100;
      const label =
        t.bought === null
          ? `${t.used} used (no seat count in the config)`
          : `${t.used} of ${t.bought} used${t.shortfall ? `, ${t.shortfall} without a seat` : ''}`;
      return `<div class="meter${over || t.shortfall ? ' over' : ''}" data-tier="${esc(t.tier)}"><span>${esc(t.tier)}</span><svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${esc(`${t.tier}: ${label}`)}"><rect width="100" height="10" rx="2" fill="#eaecf0"/><rect width="${used.toFixed(2)}" height="10" rx="2" fill="#12b76a"/>${over ? `<rect x="${used.toFixed(2)}" width="${over.toFixed(2)}" height="10" fill="#d92d20"/>` : ''}</svg><span class="n">${esc(label)}</span></div>`;
    })
    .join('');
  return `<div class="chart" data-chart="seats" data-org="${esc(s.orgId)}"><h3>Seats: ${esc(s.orgName)}</h3>${rows}<ul class="legend"><li><i style="background:#12b76a"></i>used</li><li><i style="background:#d92d20"></i>wanted, no seat left</li><li><i style="background:#eaecf0;border:1px solid #98a2b3"></i>free</li></ul></div>`;
}

/** Who gets which role in one org, as one stacked bar with a legend (and the same numbers as text). */
function roleChart(a: OrgAccessSummary): string {
  const parts = [
    ...Object.entries(a.roles).sort((x, y) => y[1] - x[1]),
    ['no access', a.noAccess] as [string, number],
  ].filter(([, n]) => n > 0);
  const total = parts.reduce((n, [, v]) => n + v, 0) || 1;
  let x = 0;
  const rects = parts
    .map(([role, n], i) => {
      const w = (n / total) * 100;
      const fill = role === 'no access' ? '#98a2b3' : PALETTE[i % PALETTE.length]!;
      const r = `<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="10" fill="${fill}"><title>${esc(`${role}: ${n}`)}</title></rect>`;
      x += w;
      return r;
    })
    .join('');
  const legend = parts
    .map(
      ([role, n], i) =>
        `<li><i style="background:${role === 'no access' ? '#98a2b3' : PALETTE[i % PALETTE.length]}"></i>${esc(role)} <b>${n}</b></li>`,
    )
    .join('');
  const label = parts.map(([role, n]) => `${role} ${n}`).join(', ') || 'nobody';
  return `<div class="chart access" data-chart="roles" data-org="${esc(a.orgId)}"><h3>Who gets access: ${esc(a.name ?? a.orgId)} <span class="muted">(${esc(a.surface)})</span></h3><svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${esc(label)}">${rects || '<rect width="100" height="10" fill="#eaecf0"/>'}</svg><ul class="legend">${legend}</ul></div>`;
}

function summarySection(b: OutputBundle): string {
  const r = b.report;
  const withAccess = b.people
    ? new Set(b.people.filter((p) => p.access).map((p) => p.email ?? p.userId)).size
    : undefined;
  const planChanges = b.plan
    ? b.plan.orgs.reduce((n, o) => n + o.actions.filter((a) => a.action !== 'none').length, 0)
    : undefined;
  const cards = [
    r ? `<div class="card err"><b data-testid="count-errors">${r.summary.errors}</b><span>errors</span></div>` : '',
    r
      ? `<div class="card warn"><b data-testid="count-warnings">${r.summary.warnings}</b><span>warnings</span></div>`
      : '',
    r ? `<div class="card info"><b data-testid="count-infos">${r.summary.infos}</b><span>info</span></div>` : '',
    withAccess !== undefined
      ? `<div class="card people"><b data-testid="count-people">${withAccess}</b><span>people with access</span></div>`
      : '',
    planChanges !== undefined
      ? `<div class="card plan"><b data-testid="count-plan">${planChanges}</b><span>plan changes</span></div>`
      : '',
  ].join('');
  const charts = [...(b.access ?? []).map(roleChart), ...(b.seats ?? []).map(seatChart)].join('');
  return `<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2><div class="cards" id="summary">${cards}</div>${charts ? `<div class="charts">${charts}</div>` : ''}</section>`;
}

function changesSection(c: RunChanges): string {
  // Items are HTML built here from escaped parts.
  const list = (title: string, id: string, items: string[]) =>
    items.length
      ? `<h3>${esc(title)} (${items.length})</h3><ul data-list="${id}">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`
      : '';
  const finding = (f: Finding) =>
    `<span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> <code>${esc(f.code)}</code> ${esc(f.message)}`;
  const text = (line: string) => esc(line);
  const drift = c.drift?.total ? `<p>IdP drift: ${esc(c.drift.total)} change(s) in the directory since then.</p>` : '';
  return `<section aria-labelledby="h-changes" class="changes" id="changes"><h2 id="h-changes">Since the last run</h2>
<p data-testid="changes-headline"><strong>${esc(changesHeadline(c))}</strong></p>${c.configChanged ? '<p>The config differs from the one the last run used.</p>' : ''}${drift}
${list('New findings', 'new', c.newFindings.map(finding))}${list('Resolved findings', 'resolved', c.resolvedFindings.map(finding))}${list(
  'Access changed',
  'access',
  c.access.map((a) => text(accessLine(a))),
)}${list(
  'Plan actions added',
  'plan-added',
  c.planAdded.map((a) => text(planLine(a))),
)}${list(
  'Plan actions gone',
  'plan-gone',
  c.planGone.map((a) => text(planLine(a))),
)}</section>`;
}

const orgLabel = (orgId: string | undefined, names: Map<string, string>) =>
  orgId ? (names.get(orgId) ?? orgId.slice(0, 8)) : 'parent / app';

function findingsSection(findings: Finding[], names: Map<string, string>): string {
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const rules = [...new Set(findings.map((f) => f.rule))].sort();
  const orgs = [...new Set(findings.map((f) => f.orgId ?? ''))].sort();
  const head = `<section aria-labelledby="h-findings"><h2 id="h-findings">Findings (${findings.length})</h2>`;
  if (!findings.length) return `${head}<div class="ok-box">No findings.</div></section>`;
  const controls = `<form class="controls" id="finding-filters" role="search" aria-label="Filter findings" hidden>
<label>Severity<select name="severity"><option value="">All</option>${options(SEVERITY_ORDER.filter((s) => findings.some((f) => f.severity === s)))}</select></label>
<label>Rule<select name="rule"><option value="">All</option>${options(rules)}</select></label>
<label>Org<select name="org"><option value="">All</option>${options(orgs, (o) => orgLabel(o || undefined, names))}</select></label>
<label>Text<input type="search" name="q" placeholder="code, person, group…"></label>
<output aria-live="polite"></output></form>`;
  const rows = sorted
    .map(
      (f) =>
        `<tr class="finding" data-severity="${esc(f.severity)}" data-code="${esc(f.code)}" data-rule="${esc(f.rule)}" data-org="${esc(f.orgId ?? '')}"><td data-label="Finding" class="what"><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> <code class="code">${esc(f.code)}</code> <span class="rule">${esc(f.rule)}</span></td><td data-label="Org">${esc(orgLabel(f.orgId, names))}</td><td data-label="Subject" class="email">${esc(subjectLabel(f))}</td><td data-label="Details">${esc(f.message)}<div class="fix"><b>Fix:</b> ${esc(f.fix)}</div></td></tr>`,
    )
    .join('\n');
  return `${head}${controls}<div class="table-wrap"><table id="findings" class="stack-sm"><caption>Every finding, errors first, with the setting to change.</caption><thead><tr><th scope="col">Finding</th><th scope="col">Org</th><th scope="col">Subject</th><th scope="col">What and how to fix it</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

const REASONS: Record<string, string> = {
  'not-assigned': 'not assigned to the app',
  inactive: 'not active in the IdP',
  'no-mapped-group': 'in no mapped group',
  'no-email': 'no email',
  'no-seat': 'no seat left',
};

function peopleSection(people: PersonAccess[]): string {
  const shown = people.slice(0, PEOPLE_ROW_LIMIT);
  const orgs = [...new Map(people.map((p) => [p.orgId, p.orgName])).entries()];
  const rows = shown
    .map((p) => {
      const search = [p.label, p.userId, p.orgName, p.role ?? '', p.seatTier ?? '', ...p.via, ...p.roleVia]
        .join(' ')
        .toLowerCase();
      const how = p.via.length
        ? p.via.map((v) => `<span class="tag">${esc(v)}</span>`).join('')
        : '<span class="muted">not assigned</span>';
      const roleVia = p.roleVia.length
        ? `<div class="muted">role from ${p.roleVia.map((g) => esc(g)).join(', ')}</div>`
        : '';
      return `<tr data-org="${esc(p.orgId)}" data-access="${p.access ? 'yes' : 'no'}" data-search="${esc(search)}"><td data-label="Person" class="email">${esc(p.label)}${p.email ? '' : ' <span class="muted">(no usable email)</span>'}</td><td data-label="Org">${esc(p.orgName)}</td><td data-label="Access">${p.access ? '<span class="yes">yes</span>' : `<span class="no">no: ${esc(REASONS[p.reason ?? ''] ?? p.reason ?? '')}</span>`}</td><td data-label="Role">${esc(p.role ?? '—')}${roleVia}</td><td data-label="Seat tier">${esc(p.seatTier ?? '—')}</td><td data-label="How they reach the app">${how}</td></tr>`;
    })
    .join('\n');
  const more =
    people.length > shown.length
      ? `<p class="muted">Showing the first ${PEOPLE_ROW_LIMIT} of ${people.length} rows; the full list is in access.json in the state directory.</p>`
      : '';
  return `<section aria-labelledby="h-people"><h2 id="h-people">Access: every person (${people.length})</h2>
<p class="muted">Everyone the app or a mapped group reaches, per org, as the rules resolve them: role, seat tier, and how they reach the app.</p>
<form class="controls" id="people-filters" role="search" aria-label="Search people" hidden>
<label>Search<input type="search" name="q" placeholder="email, group, role…"></label>
<label>Org<select name="org"><option value="">All</option>${orgs.map(([id, name]) => `<option value="${esc(id)}">${esc(name)}</option>`).join('')}</select></label>
<label>Access<select name="access"><option value="">All</option><option value="yes">With access</option><option value="no">Without</option></select></label>
<output aria-live="polite"></output></form>${more}
<div class="table-wrap"><table id="people" class="stack-sm"><caption>People by org: access, role, seat tier and the assignment or group that gives it.</caption><thead><tr><th scope="col">Person</th><th scope="col">Org</th><th scope="col">Access</th><th scope="col">Role</th><th scope="col">Seat tier</th><th scope="col">How they reach the app</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

function planSection(plan: Plan, names: Map<string, string>): string {
  const totals = planTotals(plan);
  const parts: string[] = [`<section aria-labelledby="h-plan"><h2 id="h-plan">Plan</h2>`];
  parts.push(
    `<p class="muted">Fingerprint <code>${esc(plan.fingerprint)}</code>${plan.complete ? '' : ' · <strong class="del">incomplete snapshot: no deprovision or downgrade may run</strong>'}</p>`,
  );
  parts.push(
    `<div class="table-wrap"><table id="plan-totals"><caption>Actions per kind, all orgs</caption><thead><tr>${Object.keys(
      totals,
    )
      .map((k) => `<th scope="col" class="num">${esc(k)}</th>`)
      .join('')}</tr></thead><tbody><tr>${Object.entries(totals)
      .map(([k, v]) => `<td class="num" data-action="${esc(k)}">${v}</td>`)
      .join('')}</tr></tbody></table></div>`,
  );
  parts.push(`<h3>Guards</h3>`);
  if (plan.guards.length) {
    parts.push(
      `<p>Apply refuses this plan while these hold (override only with <code>--override-guard CODE</code>):</p>`,
    );
    for (const g of plan.guards)
      parts.push(`<div class="guard" data-guard="${esc(g.code)}"><code>${esc(g.code)}</code> ${esc(g.message)}</div>`);
  } else parts.push('<div class="ok-box">No guard would stop apply.</div>');
  for (const org of plan.orgs) {
    const acts = org.actions.filter((a) => a.action !== 'none');
    parts.push(
      `<h3>${esc(orgLabel(org.orgId, names))} <span class="muted">· ${esc(org.mode)}${org.mappings ? ' + group mappings' : ''} · ${plural(acts.length, 'change')}</span></h3>`,
    );
    if (!acts.length) continue;
    parts.push(
      `<div class="table-wrap"><table class="plan stack-sm" data-org="${esc(org.orgId)}"><thead><tr><th scope="col">Person</th><th scope="col">Action</th><th scope="col">From → to</th><th scope="col">When</th><th scope="col">Why</th></tr></thead><tbody>`,
    );
    for (const a of acts) {
      parts.push(
        `<tr data-action="${esc(a.action)}"><td data-label="Person" class="email">${esc(a.email)}</td><td data-label="Action" class="${a.action === 'deprovision' ? 'del' : ''}">${esc(a.action)}</td><td data-label="From → to">${esc(a.from ?? '—')} → ${esc(a.to ?? '—')}</td><td data-label="When">${esc(a.when)}</td><td data-label="Why"><code>${esc(a.rule)}</code> ${esc(a.reason)}</td></tr>`,
      );
    }
    parts.push('</tbody></table></div>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** One self-contained HTML file an admin can open, attach to a ticket, or print. */
export function renderHtml(b: OutputBundle): string {
  const r = b.report;
  const names = new Map<string, string>();
  for (const a of b.access ?? []) names.set(a.orgId, a.name ?? a.orgId);
  for (const p of b.people ?? []) names.set(p.orgId, p.orgName);
  const meta = r
    ? `${esc(r.snapshot.idp)} <code>${esc(r.snapshot.tenant)}</code> · captured ${esc(r.snapshot.capturedAt)} · ${r.snapshot.complete ? 'complete read' : '<strong>incomplete read</strong>'} · ${esc(r.tool.name)} ${esc(r.tool.version)} · generated ${esc(r.generatedAt)}`
    : b.plan?.generatedAt
      ? `generated ${esc(b.plan.generatedAt)}`
      : '';
  const toc: [string, string][] = [['h-summary', 'Summary']];
  const sections: string[] = [summarySection(b)];
  if (b.changes) {
    toc.push(['h-changes', 'Since the last run']);
    sections.push(changesSection(b.changes));
  }
  if (r) {
    toc.push(['h-findings', 'Findings']);
    sections.push(findingsSection(r.findings, names));
  }
  if (b.people?.length) {
    toc.push(['h-people', 'Access']);
    sections.push(peopleSection(b.people));
  }
  if (b.plan) {
    toc.push(['h-plan', 'Plan']);
    sections.push(planSection(b.plan, names));
  }
  if (b.explain?.length) {
    toc.push(['h-explain', 'Explain']);
    sections.push(
      `<section aria-labelledby="h-explain"><h2 id="h-explain">Explain</h2>${b.explain.map((e) => `<h3 class="email">${esc(e.email)}</h3><ol>${e.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>`).join('')}</section>`,
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>${esc(b.title)}</title><style>${CSS}</style></head>
<body>
<a class="skip" href="#content">Skip to the report</a>
<header class="top"><h1>${esc(b.title)}</h1>${meta ? `<p>${meta}</p>` : ''}</header>
<nav class="toc" aria-label="Sections"><ul>${toc.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>
<main id="content">
${sections.join('\n')}
</main>
<footer>claude-idp · this file is self-contained: it loads nothing from the network.</footer>
<script>${SCRIPT}</script>
</body></html>
`;
}
