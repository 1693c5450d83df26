import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@claude-idp/core';
import { tmp } from '../__tests__/run-bin';
import { loadWatchState, saveWatchState, WATCH_FILE, type WatchState } from './watch-state';

const state: WatchState = {
  schemaVersion: 1,
  idp: 'entra',
  savedAt: '2026-12-06T10:00:00.000Z',
  subscriptions: { subscriptions: [{ id: 'sub-1', expiresAt: '2026-12-09T10:00:00Z', clientStateSha256: 'ab12' }] },
  claude: { lastActivityId: 'activity_01abc' },
};

describe('watch.json', () => {
  it('is absent on a first start, and reads back what was saved (atomically: no temporary file left)', () => {
    const dir = tmp();
    expect(loadWatchState(dir)).toBeNull();
    saveWatchState(dir, state);
    expect(loadWatchState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual([WATCH_FILE]);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1,', /not readable JSON; move it away to start without the saved subscriptions/],
    ['another schema version', JSON.stringify({ ...state, schemaVersion: 2 }), /schemaVersion/],
    ['an unknown key', JSON.stringify({ ...state, extra: true }), /extra/],
    ['an unknown IdP', JSON.stringify({ ...state, idp: 'ping' }), /idp/],
  ])('refuses %s, naming the file', (_what, text, message) => {
    const dir = tmp();
    writeFileSync(join(dir, WATCH_FILE), text);
    const error = (() => {
      try {
        loadWatchState(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(join(dir, WATCH_FILE));
    expect(`${(error as Error).message} ${JSON.stringify((error as InputError).issues)}`).toMatch(message);
  });

  it('refuses to save what its schema does not allow', () =>
    expect(() =>
      saveWatchState(tmp(), { ...state, claude: { lastActivityId: 5 } } as unknown as WatchState),
    ).toThrow());
});
