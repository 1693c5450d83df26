import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmp } from '../__tests__/run-bin';
import { acquireLock, assertUnlocked, StateLockedError } from './state-lock';

const now = new Date('2026-11-20T02:00:00.000Z');

describe('the state directory lock', () => {
  it('one holder at a time; released, it can be taken again', () => {
    const dir = tmp();
    const lock = acquireLock(dir, 'audit', now);
    expect(() => acquireLock(dir, 'plan', now)).toThrow(StateLockedError);
    expect(() => assertUnlocked(dir)).toThrow(
      /held by pid \d+ on .* \(claude-idp audit, since 2026-11-20T02:00:00\.000Z\)/,
    );
    lock.release();
    assertUnlocked(dir);
    acquireLock(dir, 'plan', now).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a stale lock (its process gone from this host) is moved aside and taken over; an unreadable one is not', () => {
    const dir = tmp();
    const stale = {
      schemaVersion: 1,
      pid: 2 ** 22 + 4321,
      hostname: hostname(),
      command: 'audit',
      startedAt: '2026-11-19T02:00:00.000Z',
    };
    writeFileSync(join(dir, '.lock'), JSON.stringify(stale));
    const lock = acquireLock(dir, 'audit', now);
    expect(lock.tookOver).toEqual(stale);
    expect(JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, '.lock'), 'garbage');
    expect(() => acquireLock(dir, 'audit', now)).toThrow(/an unreadable lock file/);
    const otherHost = { ...stale, hostname: `not-${hostname()}` };
    writeFileSync(join(dir, '.lock'), JSON.stringify(otherHost));
    expect(() => acquireLock(dir, 'audit', now)).toThrow(`held by pid ${otherHost.pid} on not-`);
  });
});
