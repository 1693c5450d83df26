import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '@claude-idp/core';
import { demoConfig, demoMembers, demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { run } from '../cli-program';
import { captureIo } from '../__tests__/io-capture';
import { tmp } from '../__tests__/run-bin';
import { RunChangesSchema, RunRecordSchema } from './state-schema';

const SECRET = 'whsec-test-3f9a1c0b7d';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback webhook receiver: records every POST and answers with the status the test sets. */
let server: Server;
let base: string;
let received: Received[] = [];
let answer = 204;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer, { 'retry-after': '0' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
const snapshot = (): DirectorySnapshot =>
  snapshotFromTenant(demoTenant(), { idp: 'okta', capturedAt: '2026-11-20T01:00:00.000Z' });
beforeEach(() => {
  received = [];
  answer = 204;
  dir = tmp();
  writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(demoConfig('okta')));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshot()));
});

function verify(r: Received): boolean {
  const header = String(r.headers['x-claude-idp-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', SECRET).update(`${parts.t}.${r.body}`).digest('hex');
  // Timestamped with the wall clock (the run's own clock here is 2026-11-20), so receivers can refuse replays.
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  return Boolean(parts.t && parts.v1) && fresh && parts.v1 === expected;
}

const nightly = [
  'audit',
  '--snapshot',
  'snap.json',
  '--members',
  'members.json',
  '--state',
  'state',
  '--fail-on-new',
  'error',
  '--out',
  'audit.txt',
];

async function runIn(args: string[], io = captureIo(dir, { CLAUDE_IDP_WEBHOOK_SECRET: SECRET })) {
  // --out is written relative to the process's directory: keep it in the test's folder.
  const inDir = args.map((a, i) => (args[i - 1] === '--out' ? join(dir, a) : a));
  const code = await run(inDir, { io });
  return { code, io };
}

describe('audit --state: what changed since the last run', () => {
  it('a nightly run with nothing changed exits 0 silently; a new error finding fails it and posts one signed message', async () => {
    const notify = ['--notify', `${base}/hooks/claude-idp?token=sekret-query-value`];
    const first = await runIn([...nightly, ...notify]);
    // First run: no baseline, every finding is new (the demo tenant has errors), one notification.
    expect(first.code).toBe(1);
    expect(first.io.err).toMatch(/first run in this state directory: \d+ new findings \(\d+ errors\)/);
    expect(received).toHaveLength(1);

    received = [];
    const second = await runIn([...nightly, ...notify]);
    expect(second.code).toBe(0);
    expect(second.io.out).toBe('');
    expect(second.io.err).toBe('');
    expect(received).toHaveLength(0);

    // A second person now sends Priya's email: a DUPLICATE_EMAIL error that was not there before.
    const snap = snapshot();
    const priya = snap.users.find((u) => u.email === 'priya.raman@northwind.example')!;
    const other = snap.users.find((u) => u.email === 'sofia.rossi@northwind.example')!;
    other.email = priya.email;
    other.fields = { ...other.fields, 'user.email': priya.email };
    // And Liam is suspended in the IdP: he loses access.
    snap.users.find((u) => u.email === 'liam.walsh@northwind.example')!.status = 'suspended';
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snap));
    const third = await runIn([...nightly, ...notify]);
    expect(third.code).toBe(1);
    expect(third.io.err).toMatch(
      /since 2026-11-20T02:00:00.000Z: \d+ new findings? \(\d+ errors?\), \d+ resolved, 2 people with changed access/,
    );
    expect(received).toHaveLength(1);
    const msg = received[0]!;
    expect(msg.path).toBe('/hooks/claude-idp?token=sekret-query-value');
    expect(msg.headers['content-type']).toBe('application/json');
    expect(verify(msg)).toBe(true);
    expect(verify({ ...msg, body: msg.body.replace('DUPLICATE_EMAIL', 'DUPLICATE_EMAIX') })).toBe(false);
    const body = JSON.parse(msg.body);
    expect(body.type).toBe('claude-idp.run.changed');
    expect(body.newFindings.items.map((f: { code: string }) => f.code)).toContain('DUPLICATE_EMAIL');
    // Liam loses access (and the seat he frees goes to the next person waiting for one).
    expect(body.access.items).toHaveLength(2);
    expect(body.access.items).toContainEqual(
      expect.objectContaining({
        email: 'liam.walsh@northwind.example',
        from: expect.objectContaining({ access: true }),
        to: expect.objectContaining({ access: false }),
      }),
    );
    // The URL's query (a secret) is never printed.
    expect(third.io.err + third.io.out).not.toContain('sekret');
  });

  it('the run is kept whole in the state directory, with what changed, and pruned to --keep', async () => {
    for (let i = 0; i < 3; i++) {
      const io = captureIo(dir, {}, `2026-11-2${i}T02:00:00.000Z`);
      expect((await runIn([...nightly, '--keep', '2'], io)).code).toBe(i === 0 ? 1 : 0);
    }
    const runs = readdirSync(join(dir, 'state', 'runs'));
    expect(runs).toEqual(['2026-11-21T02-00-00-000Z-audit', '2026-11-22T02-00-00-000Z-audit']);
    const last = join(dir, 'state', 'runs', runs[1]!);
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(last, 'run.json'), 'utf8')));
    expect(record.scope.idp).toBe('okta');
    expect(record.changed).toBe(false);
    const changes = RunChangesSchema.parse(JSON.parse(readFileSync(join(last, 'changes.json'), 'utf8')));
    expect(changes.since?.runId).toBe('2026-11-21T02-00-00-000Z-audit');
    expect(changes.drift?.total).toBe(0);
    for (const f of ['snapshot.json', 'report.json', 'access.json']) expect(existsSync(join(last, f)), f).toBe(true);
  });

  it('CLAUDE_IDP_STATE names the directory; the text format says what changed in a "Since the last run" section', async () => {
    const args = ['audit', '--snapshot', 'snap.json', '--members', 'members.json', '--fail-on', 'never'];
    const env = { CLAUDE_IDP_STATE: 'env-state' };
    expect((await runIn(args, captureIo(dir, env))).code).toBe(0);
    const snap = snapshot();
    snap.users.find((u) => u.email === 'liam.walsh@northwind.example')!.status = 'suspended';
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snap));
    const { io } = await runIn(args, captureIo(dir, env, '2026-11-21T02:00:00.000Z'));
    expect(readdirSync(join(dir, 'env-state', 'runs'))).toHaveLength(2);
    expect(io.out).toMatch(/\nSince the last run: since 2026-11-20T02:00:00\.000Z: \d+ new findings?.*\n/);
    expect(io.out).toMatch(
      / {2}Access changed:\n(?: {4}.*\n)* {4}liam\.walsh@northwind\.example \[468ca80f\]: user \/ \w+ → no access/,
    );
    expect(io.err).toBe('');
  });

  it('--fail-on-new alone lets known findings pass; --fail-on given too still fails on them', async () => {
    await runIn(nightly);
    expect((await runIn(nightly)).code).toBe(0);
    expect((await runIn([...nightly, '--fail-on', 'error'])).code).toBe(1);
  });

  it('a notification that cannot be delivered exits 5 after retrying, and the run is saved', async () => {
    answer = 503;
    const { code, io } = await runIn([...nightly, '--notify', `slack+${base}/services/T000/B000/XXXXsecretXXXX`]);
    expect(code).toBe(5);
    expect(received.length).toBeGreaterThan(1);
    expect(io.err).toMatch(/notification to slack\+http:\/\/127\.0\.0\.1:\d+\/… failed: HTTP 503 after \d+ attempts/);
    expect(io.err).not.toContain('XXXXsecretXXXX');
    expect(readdirSync(join(dir, 'state', 'runs'))).toHaveLength(1);
    const slack = JSON.parse(received[0]!.body);
    expect(slack.text).toContain('claude-idp audit');
    expect(slack.blocks[0].type).toBe('header');
  }, 120_000);

  it('refuses a state directory held by a live run, naming the pid; takes over a stale lock', async () => {
    mkdirSync(join(dir, 'state'));
    const lock = {
      schemaVersion: 1,
      pid: process.pid,
      hostname: (await import('node:os')).hostname(),
      command: 'audit',
      startedAt: '2026-11-20T01:59:00.000Z',
    };
    writeFileSync(join(dir, 'state', '.lock'), JSON.stringify(lock));
    // Our own pid is alive, but the lock is "ours" only when we took it: a held lock from this pid in another run.
    const other = { ...lock, pid: process.ppid };
    writeFileSync(join(dir, 'state', '.lock'), JSON.stringify(other));
    const held = await runIn(nightly);
    expect(held.code).toBe(2);
    expect(held.io.err).toContain(`held by pid ${process.ppid}`);
    expect(held.io.err).toContain(join(dir, 'state', '.lock'));
    const gone = { ...lock, pid: 2 ** 22 + 12345 };
    writeFileSync(join(dir, 'state', '.lock'), JSON.stringify(gone));
    const stale = await runIn(nightly);
    expect(stale.code).toBe(1);
    expect(stale.io.err).toContain(`removed a stale lock of pid ${gone.pid}`);
    expect(existsSync(join(dir, 'state', '.lock'))).toBe(false);
  });

  it('says so when the state directory belongs to another tenant, and when the config changed', async () => {
    await runIn(nightly);
    const snap = snapshot();
    snap.tenant = 'https://other.okta.com';
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snap));
    const other = await runIn(nightly);
    expect(other.code).toBe(2);
    expect(other.io.err).toMatch(
      /holds runs of okta .* but this run read okta https:\/\/other\.okta\.com .*one --state directory per tenant/,
    );
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshot()));
    const config = demoConfig('okta');
    config.organizations[0]!.name = 'Renamed org';
    writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(config));
    const changed = await runIn(nightly);
    expect(changed.io.err).toMatch(/the config differs from the one the last run/);
  });

  it('a damaged state file is an error naming it (exit 2), never a fresh start; a crashed write left behind is ignored and cleaned', async () => {
    await runIn(nightly);
    const runs = join(dir, 'state', 'runs');
    const [id] = readdirSync(runs);
    mkdirSync(join(runs, '.tmp-crashed-run-999'));
    writeFileSync(join(runs, '.tmp-crashed-run-999', 'snapshot.json'), '{"half":');
    expect((await runIn(nightly)).code).toBe(0);
    expect(readdirSync(runs).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    writeFileSync(join(runs, id!, 'run.json'), JSON.stringify({ schemaVersion: 2 }));
    const damaged = await runIn(nightly);
    expect(damaged.code).toBe(2);
    expect(damaged.io.err).toContain(join(runs, id!, 'run.json'));
  });

  it('--notify and --fail-on-new need --state; --notify refuses plain http off loopback without echoing the URL', async () => {
    const a = await runIn(['audit', '--snapshot', 'snap.json', '--notify', `${base}/x`]);
    expect(a.code).toBe(2);
    expect(a.io.err).toMatch(/--notify needs --state DIR/);
    const b = await runIn([...nightly, '--notify', 'http://hooks.example.com/secret-path-token']);
    expect(b.code).toBe(2);
    expect(b.io.err).toMatch(/must be https:\/\//);
    expect(b.io.err).not.toContain('secret-path-token');
    // Checked before anything is read: the snapshot named here does not exist, and that is not what is said.
    const c = await runIn([
      'audit',
      '--snapshot',
      'missing.json',
      '--state',
      'state',
      '--notify',
      'http://hooks.example.com/x',
    ]);
    expect(c.code).toBe(2);
    expect(c.io.err).toMatch(/--notify/);
  });

  it('plan --state says which plan actions were added or went away', async () => {
    const args = [
      'plan',
      '--snapshot',
      'snap.json',
      '--members',
      'members.json',
      '--state',
      'state',
      '--format',
      'json',
      '--out',
      'plan.json',
    ];
    await runIn(args);
    const snap = snapshot();
    snap.users.find((u) => u.email === 'liam.walsh@northwind.example')!.status = 'suspended';
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(snap));
    const { io } = await runIn(args);
    expect(io.err).toMatch(/plan: [1-9]\d* actions? added/);
    const runs = readdirSync(join(dir, 'state', 'runs'));
    const changes = RunChangesSchema.parse(
      JSON.parse(readFileSync(join(dir, 'state', 'runs', runs.at(-1)!, 'changes.json'), 'utf8')),
    );
    expect(changes.planAdded.some((a) => a.email === 'liam.walsh@northwind.example')).toBe(true);
  });
});
