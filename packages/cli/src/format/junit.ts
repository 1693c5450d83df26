import type { OutputBundle } from './bundle';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML for CI test reporters: one test case per finding; error findings are failed cases,
 * warnings and infos pass with their text in system-out. With no findings, one passing case.
 */
export function renderJunit(b: OutputBundle): string {
  const findings = b.report?.findings ?? [];
  const cases = findings.map((f) => {
    const name = esc(`${f.code} ${f.subject.kind}${f.subject.name ? ` ${f.subject.name}` : f.subject.id ? ` ${f.subject.id}` : ''}`);
    const cls = esc(`claude-idp.${f.orgId ? `org-${f.orgId.slice(0, 8)}` : 'parent'}.${f.rule}`);
    const body = `${f.message}\nfix: ${f.fix}`;
    return f.severity === 'error'
      ? `    <testcase classname="${cls}" name="${name}">\n      <failure message="${esc(f.message)}" type="${esc(f.code)}">${esc(body)}</failure>\n    </testcase>`
      : `    <testcase classname="${cls}" name="${name}">\n      <system-out>${esc(`${f.severity}: ${body}`)}</system-out>\n    </testcase>`;
  });
  if (cases.length === 0) cases.push('    <testcase classname="claude-idp" name="no findings"/>');
  const failures = findings.filter((f) => f.severity === 'error').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="claude-idp" tests="${Math.max(1, findings.length)}" failures="${failures}">`,
    `  <testsuite name="${esc(b.title)}" tests="${Math.max(1, findings.length)}" failures="${failures}" errors="0" skipped="0"${b.report ? ` timestamp="${esc(b.report.generatedAt)}"` : ''}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
