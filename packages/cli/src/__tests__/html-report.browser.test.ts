import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '@claude-idp/core';
import { runBin, tmp } from './run-bin';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Debian's Chromium (.ci/install-browser); there the test must run, never skip.
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM} (.ci/install-browser installs it)`);

describe.skipIf(!available)('HTML report in a real browser', () => {
  it('shows the same counts as the JSON report, findings by severity with fixes, the access chart and the plan', async () => {
    const dir = tmp();
    const json = await runBin(['demo', '--format', 'json', '--html', 'report.html'], { cwd: dir });
    expect(json.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(json.stdout).report);
    const plan = JSON.parse(json.stdout).plan as { orgs: { totals: Record<string, number> }[] };
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      expect(Number(await page.getByTestId('count-errors').textContent())).toBe(report.summary.errors);
      expect(Number(await page.getByTestId('count-warnings').textContent())).toBe(report.summary.warnings);
      expect(Number(await page.getByTestId('count-infos').textContent())).toBe(report.summary.infos);
      for (const sev of ['error', 'warning', 'info'] as const) {
        const rows = page.locator(`tr.finding[data-severity="${sev}"]`);
        expect(await rows.count()).toBe(report.findings.filter((f) => f.severity === sev).length);
      }
      const firstError = report.findings.find((f) => f.severity === 'error')!;
      await expect(page.locator(`tr.finding[data-code="${firstError.code}"]`).first().textContent()).resolves.toContain('Fix:');
      expect(await page.locator('section.access').count()).toBe(2);
      const bars = await page.locator('section.access .bar').evaluateAll((els) => els.map((e) => (e as HTMLElement).getBoundingClientRect().width));
      expect(bars.every((w) => w > 0)).toBe(true);
      const deprovision = plan.orgs.reduce((n, o) => n + (o.totals.deprovision ?? 0), 0);
      expect(Number(await page.locator('#plan-totals td[data-action="deprovision"]').textContent())).toBe(deprovision);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
