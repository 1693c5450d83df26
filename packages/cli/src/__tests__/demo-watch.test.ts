import { describe, expect, it } from 'vitest';
import { runBin, tmp } from './run-bin';

describe('claude-idp demo --watch', () => {
  for (const idp of ['okta', 'entra']) {
    it(`watches the fake ${idp} tenant: one event, one targeted read, a Slack message naming OWNER_LOCKOUT, exit 0`, async () => {
      const started = Date.now();
      const r = await runBin(['demo', '--watch', '--idp', idp], {
        cwd: tmp(),
        timeoutMs: 30_000,
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`claude-idp demo --watch · ${idp}`);
      expect(r.stdout).toMatch(new RegExp(`${idp} → watcher │ POST /events/${idp} → 20[02]`));
      const read =
        /1 targeted read after the change: (\d+) requests? to the \w+ API, against (\d+) for the full read/.exec(
          r.stdout,
        );
      expect(read, r.stdout).not.toBeNull();
      expect(Number(read![1])).toBeGreaterThan(0);
      expect(Number(read![1])).toBeLessThan(Number(read![2]));
      expect(r.stdout).toMatch(/slack │ • ERROR OWNER_LOCKOUT/);
      expect(r.stdout).toMatch(/watch │ stopped: 1 events \(0 replays dropped\), reads: 1 targeted, 0 full/);
      expect(r.stdout).toContain('Done (exit 0)');
      expect(Date.now() - started).toBeLessThan(15_000);
    }, 30_000);
  }

  it('Ctrl-C stops the watcher and exits 130 (interrupted), not an internal error', async () => {
    const r = await runBin(['demo', '--watch'], {
      cwd: tmp(),
      onSpawn: (child) => {
        let seen = '';
        child.stdout?.on('data', (d) => {
          seen += d;
          if (/first full read/.test(seen)) child.kill('SIGINT');
        });
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('claude-idp: interrupted\n');
    expect(r.stdout).not.toContain('Done (exit');
  });

  it('--watch runs alone: with --save it is a usage error naming the flag', async () => {
    const r = await runBin(['demo', '--watch', '--save', 'x'], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--watch runs the watch demo alone: drop --save/);
  });
});
