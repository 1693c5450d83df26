import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanSchema, ReportSchema } from '@claude-idp/core';
import { runBin, tmp } from './run-bin';

describe('claude-idp demo', () => {
  for (const idp of ['okta', 'entra', 'google', 'onelogin']) {
    it(`runs the whole pipeline through the real ${idp} adapter and writes the HTML report`, async () => {
      const dir = tmp();
      const r = await runBin(['demo', '--idp', idp], { cwd: dir, timeoutMs: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`through the real @claude-idp/${idp} adapter`);
      expect(r.stdout).toMatch(/Summary: \d+ error\(s\)/);
      // Google's API shows no SCIM settings, so the login-vs-email break cannot be seen there: the
      // audit must say so (CHECK_UNAVAILABLE) instead of passing it silently.
      expect(r.stdout).toContain(idp === 'google' ? 'CHECK_UNAVAILABLE' : 'EMAIL_SOURCE_MISMATCH');
      expect(r.stdout).toMatch(/Plan sha256:/);
      expect(r.stdout).toContain('Explain javier.morales@northwind.example');
      const html = join(dir, 'claude-idp-report.html');
      expect(existsSync(html)).toBe(true);
      expect(readFileSync(html, 'utf8')).toContain('data-testid="count-errors"');
    }, 60_000);
  }

  it('--format json prints the report, plan and explain in their schemas', async () => {
    const r = await runBin(['demo', '--format', 'json'], { cwd: tmp() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    ReportSchema.parse(out.report);
    PlanSchema.parse(out.plan);
    expect(out.explain.lines.length).toBeGreaterThan(2);
  });
});
