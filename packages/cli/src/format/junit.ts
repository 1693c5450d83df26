import { failsUnder, type OutputBundle } from './bundle';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML for CI test reporters, agreeing with the exit code: whatever fails the job is a
 * failed test case. One case per finding, failed when it is at or above `--fail-on` (default
 * error), passing with its text in system-out otherwise; for a plan, one failed case per guard
 * (apply would refuse it) and one passing case per org with its changes. `failures` counts the
 * failed cases. With nothing to report, one passing case.
 */
export function renderJunit(b: OutputBundle): string {
  const cases: { xml: string; failed: boolean }[] = [];
  const testcase = (cls: string, name: string, inner: string) =>
    `    <testcase classname="${esc(cls)}" name="${esc(name)}">\n      ${inner}\n    </testcase>`;
  for (const f of b.report?.findings ?? []) {
    const name = `${f.code} ${f.subject.kind}${f.subject.name ? ` ${f.subject.name}` : f.subject.id ? ` ${f.subject.id}` : ''}`;
    const cls = `claude-idp.${f.orgId ? `org-${f.orgId.slice(0, 8)}` : 'parent'}.${f.rule}`;
    const body = `${f.severity}: ${f.message}\nfix: ${f.fix}`;
    const failed = failsUnder(f, b.failOn);
    cases.push({
      failed,
      xml: testcase(
        cls,
        name,
        failed
          ? `<failure message="${esc(f.message)}" type="${esc(f.code)}">${esc(body)}</failure>`
          : `<system-out>${esc(body)}</system-out>`,
      ),
    });
  }
  if (b.plan) {
    for (const g of b.plan.guards) {
      const cls = `claude-idp.plan.${g.orgId ? `org-${g.orgId.slice(0, 8)}` : 'all'}`;
      cases.push({
        failed: true,
        xml: testcase(
          cls,
          `guard ${g.code}`,
          `<failure message="${esc(g.message)}" type="${esc(g.code)}">${esc(`apply would refuse this plan: ${g.message}`)}</failure>`,
        ),
      });
    }
    for (const org of b.plan.orgs) {
      const changes =
        Object.entries(org.totals)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'no changes';
      cases.push({
        failed: false,
        xml: testcase(
          `claude-idp.plan.org-${org.orgId.slice(0, 8)}`,
          `org ${org.orgId}: ${changes}`,
          `<system-out>${esc(`${org.mode}${org.mappings ? ' + group mappings' : ''}: ${changes}`)}</system-out>`,
        ),
      });
    }
  }
  if (cases.length === 0)
    cases.push({ failed: false, xml: '    <testcase classname="claude-idp" name="no findings"/>' });
  const failures = cases.filter((c) => c.failed).length;
  const stamp = b.report?.generatedAt ?? b.plan?.generatedAt;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="claude-idp" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${esc(b.title)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0"${stamp ? ` timestamp="${esc(stamp)}"` : ''}>`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
