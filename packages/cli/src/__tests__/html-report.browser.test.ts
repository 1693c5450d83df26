import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type DirectorySnapshot } from '@claude-idp/core';
import { demoConfig, demoMembers, demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's Chromium (.ci/install-browser); there the test must run, never skip.
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`Chromium is required in CI at ${CHROMIUM} (.ci/install-browser installs it)`);

/** Screenshots land here for people to look at (git-ignored). */
const ARTEFACTS = fileURLToPath(new URL('../../test-artefacts/', import.meta.url));

/** Names and emails from the IdP are untrusted: these must show as text and never run. */
const EVIL_EMAIL = 'eve"><img src=x onerror="window.__pwned=1">@northwind.example';
const EVIL_GROUP = '</script><script>window.__pwned=2</script>';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTEFACTS, { recursive: true });
  dir = tmp();
  writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(demoConfig('okta')));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a report with every network request refused and recorded, and console errors collected. */
async function open(
  file: string,
  options: { width: number; height: number; javaScriptEnabled?: boolean },
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const url = pathToFileURL(file).href;
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  return { page, errors, requests };
}

const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).count();

describe.skipIf(!available)('HTML report in a real browser', () => {
  it('the demo report: counts as in the JSON, charts, findings filters, people search, plan with guards; desktop and phone screenshots; no console errors, no network', async () => {
    const json = await runBin(['demo', '--format', 'json', '--html', 'report.html'], { cwd: dir });
    expect(json.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(json.stdout).report);
    const plan = JSON.parse(json.stdout).plan as {
      orgs: { totals: Record<string, number> }[];
      guards: { code: string }[];
    };
    const { page, errors, requests } = await open(join(dir, 'report.html'), { width: 1280, height: 900 });

    expect(Number(await page.getByTestId('count-errors').textContent())).toBe(report.summary.errors);
    expect(Number(await page.getByTestId('count-warnings').textContent())).toBe(report.summary.warnings);
    expect(Number(await page.getByTestId('count-infos').textContent())).toBe(report.summary.infos);
    expect(await page.locator('[data-chart="roles"]').count()).toBe(2);
    expect(await page.locator('[data-chart="seats"] .meter').count()).toBeGreaterThan(0);
    const deprovision = plan.orgs.reduce((n, o) => n + (o.totals.deprovision ?? 0), 0);
    expect(Number(await page.locator('#plan-totals td[data-action="deprovision"]').textContent())).toBe(deprovision);
    expect(await page.locator('.guard').count()).toBe(plan.guards.length);

    // Findings: every row shows, then the filters narrow them.
    expect(await visible(page, 'tr.finding')).toBe(report.findings.length);
    const filters = page.getByRole('search', { name: 'Filter findings' });
    await filters.getByLabel('Severity').selectOption('error');
    expect(await visible(page, 'tr.finding')).toBe(report.summary.errors);
    expect(
      await page
        .locator('tr.finding:visible')
        .evaluateAll((rows) => rows.every((r) => r.getAttribute('data-severity') === 'error')),
    ).toBe(true);
    const rule = report.findings.find((f) => f.severity === 'error')!.rule;
    await filters.getByLabel('Rule').selectOption(rule);
    expect(await visible(page, 'tr.finding')).toBe(
      report.findings.filter((f) => f.severity === 'error' && f.rule === rule).length,
    );
    await filters.getByLabel('Severity').selectOption('');
    await filters.getByLabel('Rule').selectOption('');
    const org = report.findings.find((f) => f.orgId)!.orgId!;
    await filters.getByLabel('Org').selectOption(org);
    expect(await visible(page, 'tr.finding')).toBe(report.findings.filter((f) => f.orgId === org).length);
    await filters.getByLabel('Org').selectOption('');

    // People: the search box filters rows.
    const people = await page.locator('#people tbody tr').count();
    expect(people).toBeGreaterThan(20);
    const search = page.getByRole('search', { name: 'Search people' }).getByLabel('Search');
    await search.fill('javier.morales');
    const rows = page.locator('#people tbody tr:visible');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.count()).toBeLessThan(people);
    expect(await rows.evaluateAll((rs) => rs.every((r) => r.textContent!.includes('javier.morales')))).toBe(true);
    await search.fill('');
    expect(await visible(page, '#people tbody tr')).toBe(people);

    await page.screenshot({ path: join(ARTEFACTS, 'report-desktop.png'), fullPage: true });
    const phone = await open(join(dir, 'report.html'), { width: 390, height: 844 });
    await phone.page.screenshot({ path: join(ARTEFACTS, 'report-phone.png'), fullPage: true });
    // Nothing is wider than the phone's screen except inside the scrollable table wrappers.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect([...errors, ...phone.errors]).toEqual([]);
    expect([...requests, ...phone.requests]).toEqual([]);
  }, 90_000);

  it('has no accessibility violations (axe-core, WCAG 2.1 A and AA: contrast, labels, headings, table headers)', async () => {
    const file = join(dir, 'report.html');
    if (!existsSync(file)) await runBin(['demo', '--format', 'json', '--html', 'report.html'], { cwd: dir });
    // axe is injected for the check only; the report's own policy would refuse it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: Document,
              o: unknown,
            ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      const r = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
    });
    expect(result).toEqual([]);
    await context.close();
  }, 60_000);

  it('without JavaScript every row shows and the controls stay hidden; print media shows every row', async () => {
    const file = join(dir, 'report.html');
    if (!existsSync(file)) await runBin(['demo', '--format', 'json', '--html', 'report.html'], { cwd: dir });
    const { page } = await open(file, { width: 1280, height: 900, javaScriptEnabled: false });
    expect(await page.locator('form.controls:visible').count()).toBe(0);
    expect(await visible(page, 'tr.finding')).toBe(await page.locator('tr.finding').count());
    const js = await open(file, { width: 1280, height: 900 });
    await js.page.getByRole('search', { name: 'Filter findings' }).getByLabel('Severity').selectOption('info');
    await js.page.emulateMedia({ media: 'print' });
    expect(await visible(js.page, 'tr.finding')).toBe(await js.page.locator('tr.finding').count());
    expect(await js.page.locator('form.controls:visible').count()).toBe(0);
  }, 60_000);

  it('escapes names and emails from the IdP (an injection attempt shows as text and never runs); shows "since the last run" with --state', async () => {
    const base: DirectorySnapshot = snapshotFromTenant(demoTenant(), {
      idp: 'okta',
      capturedAt: '2026-11-20T01:00:00.000Z',
    });
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(base));
    const args = [
      'audit',
      '--snapshot',
      'snap.json',
      '--members',
      'members.json',
      '--state',
      'state',
      '--format',
      'html',
      '--out',
      'audit.html',
      '--fail-on',
      'never',
    ];
    expect((await runBin(args, { cwd: dir })).code).toBe(0);
    const evil = structuredClone(base);
    const liam = evil.users.find((u) => u.email === 'liam.walsh@northwind.example')!;
    liam.email = EVIL_EMAIL;
    liam.fields = { ...liam.fields, 'user.email': EVIL_EMAIL };
    evil.groups.push({ id: 'g-evil', name: EVIL_GROUP, memberUserIds: [liam.id], memberGroupIds: [] });
    evil.assignments.groupIds.push('g-evil');
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(evil));
    const second = await runBin(args, { cwd: dir });
    expect(second.stderr).toMatch(/^claude-idp: since \S+: \d+ new findings?/);
    const html = readFileSync(join(dir, 'audit.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>window.__pwned');
    const { page, errors, requests } = await open(join(dir, 'audit.html'), { width: 1280, height: 900 });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await page.getByRole('search', { name: 'Search people' }).getByLabel('Search').fill('onerror');
    const row = page.locator('#people tbody tr:visible').first();
    expect(await row.locator('td').first().textContent()).toContain(EVIL_EMAIL);
    expect(
      await page
        .locator('#people tbody tr:visible')
        .evaluateAll((rs, g) => rs.some((r) => r.textContent!.includes(g)), EVIL_GROUP),
    ).toBe(true);
    expect(await page.getByTestId('changes-headline').textContent()).toMatch(/^since 2026-\S+: \d+ new findings?/);
    expect(await page.locator('#changes [data-list="new"] li').count()).toBeGreaterThan(0);
    await page.locator('#changes').screenshot({ path: join(ARTEFACTS, 'report-since-last-run.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 90_000);
});
