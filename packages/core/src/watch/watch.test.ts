import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cloneTenant, demoTenant, diffTenants, EventDelivery, snapshotFromTenant } from '../testing';
import { ChangeQueue, RecentIds } from './change-queue';
import { parseJsonBody, refuse, secretsEqual, type WatchEvent, type WatchRequest } from './events';
import { patchSnapshot } from './patch';

const event = (targets: WatchEvent['targets'], summary = 's'): WatchEvent => ({
  source: 'okta',
  id: null,
  type: 't',
  at: null,
  targets,
  summary,
});
const at = new Date('2026-12-06T10:00:00Z');

describe('ChangeQueue', () => {
  it('keeps each target once, in arrival order, and counts every event', () => {
    const q = new ChangeQueue();
    q.add(
      event([
        { kind: 'group', id: 'g1' },
        { kind: 'user', id: 'u1' },
      ]),
      at,
    );
    q.add(event([{ kind: 'group', id: 'g1' }, { kind: 'app' }, { kind: 'claude' }]), at);
    q.add(event([{ kind: 'app' }]), at);
    const b = q.take();
    expect(b.events).toBe(3);
    expect(b.full).toBe(false);
    expect(b.targets).toEqual([
      { kind: 'group', id: 'g1' },
      { kind: 'user', id: 'u1' },
      { kind: 'app' },
      { kind: 'claude' },
    ]);
    expect(q.wantsRead).toBe(false);
    expect(q.take().events).toBe(0);
  });

  it('collapses to a full read past maxTargets and then holds no targets (bounded memory)', () => {
    const q = new ChangeQueue({ maxTargets: 3 });
    for (let i = 0; i < 5000; i++) q.add(event([{ kind: 'user', id: `u${i}` }]), at);
    const b = q.take();
    expect(b).toMatchObject({ full: true, targets: [], events: 5000 });
    expect(b.fullReason).toMatch(/more than 3/);
    expect(b.summaries.length).toBeLessThanOrEqual(20);
  });

  it('an everything target asks for a full read with its reason; an event without targets asks for none', () => {
    const q = new ChangeQueue();
    q.add(event([]), at);
    expect(q.wantsRead).toBe(false);
    expect(q.pending).toBe(1);
    q.add(event([{ kind: 'everything', reason: 'group by email unknown' }]), at);
    expect(q.take()).toMatchObject({ full: true, fullReason: 'group by email unknown', events: 2 });
  });
});

describe('RecentIds', () => {
  it('drops a replay and forgets the oldest past capacity', () => {
    const r = new RecentIds(2);
    expect(r.remember('a')).toBe(true);
    expect(r.remember('a')).toBe(false);
    r.remember('b');
    r.remember('c');
    expect(r.size).toBe(2);
    expect(r.remember('a')).toBe(true);
  });
});

describe('receiver helpers', () => {
  it('secretsEqual is exact and false for empty values', () => {
    expect(secretsEqual('s3cret', 's3cret')).toBe(true);
    expect(secretsEqual('s3cret', 's3cret ')).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
    expect(secretsEqual(undefined, 'x')).toBe(false);
  });
  const req = (contentType: string | undefined, body: string): WatchRequest => ({
    method: 'POST',
    url: new URL('http://127.0.0.1/events/okta'),
    headers: contentType ? { 'content-type': contentType } : {},
    body,
    receivedAt: at,
  });
  it('parseJsonBody refuses a wrong content type with 415 and bad JSON with 400, detail only in the log', () => {
    const wrong = parseJsonBody(req('text/plain', '{}'), 'okta');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.result.answer).toMatchObject({ status: 415, body: 'Unsupported Media Type' });
      expect(wrong.result.log).toMatch(/text\/plain/);
    }
    const bad = parseJsonBody(req('application/json; charset=utf-8', '{"a":'), 'okta');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.result.answer.status).toBe(400);
    const good = parseJsonBody(req('application/json; charset=utf-8', '{"a":1}'), 'okta');
    expect(good).toEqual({ ok: true, value: { a: 1 } });
    expect(refuse(401, 'wrong secret').answer.body).toBe('Unauthorized');
  });
});

describe('patchSnapshot', () => {
  const tenant = demoTenant();
  const previous = snapshotFromTenant(tenant, { idp: 'okta' });

  it('replaces re-read records in place and leaves the previous snapshot unchanged', () => {
    const group = previous.groups[0];
    if (!group) throw new Error('demo tenant has groups');
    const fresh = { ...group, memberUserIds: [] };
    const later = new Date('2026-12-06T11:00:00Z');
    const next = patchSnapshot(previous, { groups: [fresh] }, later);
    expect(next.groups[0]).toEqual(fresh);
    expect(next.groups.length).toBe(previous.groups.length);
    expect(next.capturedAt).toBe(later.toISOString());
    expect(previous.groups[0]?.memberUserIds.length).toBeGreaterThan(0);
  });

  it('a removed user leaves every group and the assignments; a removed group leaves the assignments', () => {
    const g = previous.groups.find((x) => x.memberUserIds.length > 0);
    const uid = g?.memberUserIds[0];
    if (!g || !uid) throw new Error('demo tenant has members');
    const next = patchSnapshot(
      previous,
      { removedUserIds: [uid], removedGroupIds: [previous.assignments.groupIds[0] ?? 'none'] },
      at,
    );
    expect(next.users.some((u) => u.id === uid)).toBe(false);
    expect(next.groups.some((x) => x.memberUserIds.includes(uid))).toBe(false);
    expect(next.assignments.groupIds).not.toContain(previous.assignments.groupIds[0]);
  });

  it('equals the snapshot of the changed tenant when the patch carries the changed records', () => {
    const after = cloneTenant(tenant);
    const owners = after.groups.find((g) => g.memberUserIds.length > 0);
    if (!owners) throw new Error('demo tenant has members');
    owners.memberUserIds = owners.memberUserIds.slice(1);
    const expected = snapshotFromTenant(after, { idp: 'okta' });
    const fresh = expected.groups.find((g) => g.id === owners.id);
    const next = patchSnapshot(previous, { groups: fresh ? [fresh] : [] }, new Date(expected.capturedAt));
    expect({ ...next, capturedAt: '' }).toEqual({ ...expected, capturedAt: '' });
  });
});

describe('diffTenants', () => {
  it('names membership, assignment, user and app changes', () => {
    const before = demoTenant();
    const after = cloneTenant(before);
    const g = after.groups.find((x) => x.memberUserIds.length > 0);
    const u = after.users[0];
    if (!g || !u) throw new Error('demo tenant has members');
    const removed = g.memberUserIds.shift();
    u.status = u.status === 'active' ? 'deprovisioned' : 'active';
    after.assignments.groupIds = after.assignments.groupIds.slice(1);
    after.app.sso.nameId = after.app.sso.nameId === 'email' ? 'login' : 'email';
    const types = diffTenants(before, after).map((c) => c.type);
    expect(types).toEqual(['user.updated', 'group.member.removed', 'app.group.unassigned', 'app.settings.updated']);
    const change = diffTenants(before, after).find((c) => c.type === 'group.member.removed');
    expect(change?.type === 'group.member.removed' && change.user.id).toBe(removed);
    expect(diffTenants(before, cloneTenant(before))).toEqual([]);
  });
});

describe('EventDelivery', () => {
  it('delivers in order over real HTTP and records the answers (and an unreachable subscriber)', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(body);
        res.writeHead(req.headers['x-secret'] === 'ok' ? 200 : 401).end(`got ${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const d = new EventDelivery();
      void d.send(url, { headers: { 'x-secret': 'ok' }, body: 'one' });
      void d.send(url, { headers: { 'x-secret': 'no' }, body: 'two' });
      void d.send('http://127.0.0.1:1/closed', { headers: {}, body: 'three' });
      const all = await d.settled();
      expect(seen).toEqual(['one', 'two']);
      expect(all.map((x) => x.status)).toEqual([200, 401, null]);
      expect(all[0]?.answer).toBe('got one');
      expect(all[2]?.error).toBeTruthy();
    } finally {
      server.close();
    }
  });
});
