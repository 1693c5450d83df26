import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTenant, startLoopbackServer, type LoopbackServer } from '@claude-idp/core/testing';
import { createOktaFake } from '@claude-idp/okta/testing';
import { startOktaDemoDir } from '../__tests__/okta-demo-dir';
import { runBin } from '../__tests__/run-bin';

// `claude-idp watch` as a user runs it: the built binary, a child process, against the Okta fake
// over loopback HTTP.

const TOKEN = 'SSWS-watch-00TzQ9xTESTxTOKENx7Yq';

let server: LoopbackServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  let okta: Record<string, string>;
  ({ server, dir, env: okta } = await startOktaDemoDir(TOKEN));
  env = { ...okta, OKTA_EVENT_HOOK_SECRET: 'okta-hook-secret-for-the-bin-test' };
});
afterAll(() => server.close());

/** Resolves when the child's stdout matches. */
function waitFor(child: ChildProcess, re: RegExp, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${out}`)), ms);
    const on = (d: Buffer) => {
      out += d;
      if (re.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', on);
        resolve(out);
      }
    };
    child.stdout?.on('data', on);
  });
}

describe('claude-idp watch (the built binary)', () => {
  it.each([
    [['--quiet-period', '5'], /--quiet-period "5" is not a duration/],
    [['--max-wait', '1s', '--quiet-period', '5s'], /--max-wait 1s is shorter than --quiet-period 5s/],
    [['--full-read-every', '10s'], /--full-read-every 10s is below the minimum 1m/],
    [['--listen', '8080'], /--listen "8080" is not \[HOST\]:PORT/],
    [['--max-body', 'lots'], /--max-body "lots" is not a size/],
    [['--keep', '3'], /--keep needs --state DIR/],
    [['--notify', 'http://hooks.example.com/x'], /--notify http:\/\/hooks.example.com\/…: must be https/],
    [['--log-format', 'xml'], /argument 'xml' is invalid/],
  ])('%j is a usage error naming the flag (exit 2)', async (args, message) => {
    const r = await runBin(['watch', '--idp', 'okta', '--members', 'members.json', ...args], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an Okta watcher without OKTA_EVENT_HOOK_SECRET is a usage error naming it, before any read', async () => {
    const { OKTA_EVENT_HOOK_SECRET: _, ...without } = env;
    const r = await runBin(['watch', '--idp', 'okta', '--members', 'members.json'], { cwd: dir, env: without });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OKTA_EVENT_HOOK_SECRET/);
    expect(r.stdout).not.toMatch(/first full read/);
  });

  it('--idp is required and checked', async () => {
    const r = await runBin(['watch', '--idp', 'okt'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--idp must be one of okta, entra, google, onelogin \(got "okt"\)/);
  });

  it('a first read that fails is exit 3, and the token is not printed', async () => {
    const nothing = await startLoopbackServer(); // answers 404 to everything
    try {
      const r = await runBin(['watch', '--idp', 'okta', '--members', 'members.json', '--listen', ':0'], {
        cwd: dir,
        env: { ...env, OKTA_ORG_URL: nothing.url },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/404/);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    } finally {
      await nothing.close();
    }
  });

  it('SIGTERM: finishes, saves the state (watch.json and a run), releases the lock, exits 0', async () => {
    const state = join(dir, 'state-sigterm');
    let child!: ChildProcess;
    const done = runBin(
      ['watch', '--idp', 'okta', '--members', 'members.json', '--listen', '127.0.0.1:0', '--state', state],
      { cwd: dir, env, onSpawn: (c) => (child = c), timeoutMs: 30_000 },
    );
    await waitFor(child, /next periodic full read at/);
    // A second watcher (or a scheduled run) on the same state directory is refused.
    const second = await runBin(
      ['watch', '--idp', 'okta', '--members', 'members.json', '--listen', ':0', '--state', state],
      { cwd: dir, env },
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`the state directory is in use: .* pid ${child.pid} .*claude-idp watch`));
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stopping: no new requests; finishing the current read/);
    expect(r.stdout).toMatch(/state saved in .*state-sigterm; subscriptions kept for the next start/);
    expect(r.stdout).toMatch(/baseline: \d+ users, \d+ groups; \d+ errors/);
    expect(JSON.parse(readFileSync(join(state, 'watch.json'), 'utf8'))).toMatchObject({
      schemaVersion: 1,
      idp: 'okta',
    });
    expect(readdirSync(join(state, 'runs'))).toHaveLength(1);
    expect(readdirSync(state)).not.toContain('.lock');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(env.OKTA_EVENT_HOOK_SECRET);
  });

  it('Ctrl-C (SIGINT) stops the same way, exit 0', async () => {
    let child!: ChildProcess;
    const done = runBin(['watch', '--idp', 'okta', '--members', 'members.json', '--listen', ':0'], {
      cwd: dir,
      env,
      onSpawn: (c) => (child = c),
    });
    await waitFor(child, /next periodic full read at/);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stopped: 0 events/);
  });

  it('SIGTERM during the first read: stops at once, exit 0, nothing saved', async () => {
    const slow = await startLoopbackServer({ latencyMs: 1000 });
    const slowFake = createOktaFake(demoTenant(), { baseUrl: slow.url });
    slow.use(slowFake.handlers);
    const state = join(dir, 'state-early');
    try {
      let child!: ChildProcess;
      const done = runBin(['watch', '--idp', 'okta', '--members', 'members.json', '--listen', ':0', '--state', state], {
        cwd: dir,
        env: { ...env, OKTA_ORG_URL: slow.url, OKTA_APP_ID: slowFake.appId },
        onSpawn: (c) => (child = c),
      });
      await waitFor(child, /first full read/);
      const t0 = Date.now();
      child.kill('SIGTERM');
      const r = await done;
      expect(r.code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.stdout).toMatch(/stopped during the first read: nothing was read, nothing saved/);
      expect(readdirSync(state)).toEqual([]); // no run, no watch.json, the lock released
    } finally {
      await slow.close();
    }
  });
});
