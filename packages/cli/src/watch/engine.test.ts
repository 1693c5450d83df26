import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeTarget, DirectorySnapshot, Finding, RefreshResult, Report, WatchEvent } from '@claude-idp/core';
import { WatchEngine, type EngineDeps, type WatchView } from './engine';

const T0 = Date.parse('2026-12-06T10:00:00Z');

function snap(tag: string): DirectorySnapshot {
  return { capturedAt: new Date(T0).toISOString(), tag } as unknown as DirectorySnapshot;
}
function report(codes: string[]): Report {
  return {
    findings: codes.map(
      (code) => ({ code, severity: 'error', subject: { kind: 'org', id: 'o1' } }) as unknown as Finding,
    ),
    summary: { errors: codes.length, warnings: 0, infos: 0 },
  } as unknown as Report;
}
const ev = (id: string | null, targets: ChangeTarget[], source: WatchEvent['source'] = 'okta'): WatchEvent => ({
  source,
  id,
  type: 'group.user_membership.remove',
  at: null,
  targets,
  summary: `event ${id}`,
});

interface Harness {
  engine: WatchEngine<string>;
  deps: EngineDeps<string>;
  calls: { full: number; refresh: ChangeTarget[][]; claude: number; audited: string[] };
  lines: string[];
  fields: (Record<string, unknown> | undefined)[];
  /** Settles the promise chain after timers fired. */
  flush(): Promise<void>;
}

function harness(
  opts: {
    refresh?: boolean;
    claude?: boolean;
    readFull?: () => Promise<{ snapshot: DirectorySnapshot; claude: string }>;
    refreshImpl?: (targets: ChangeTarget[]) => Promise<RefreshResult>;
    quietMs?: number;
    maxWaitMs?: number;
    fullEveryMs?: number;
  } = {},
): Harness {
  const calls = { full: 0, refresh: [] as ChangeTarget[][], claude: 0, audited: [] as string[] };
  const lines: string[] = [];
  const fields: (Record<string, unknown> | undefined)[] = [];
  const deps: EngineDeps<string> = {
    readFull: async () => {
      calls.full++;
      return opts.readFull ? opts.readFull() : { snapshot: snap(`full${calls.full}`), claude: 'c' };
    },
    refresh:
      opts.refresh === false
        ? undefined
        : async (_prev, targets) => {
            calls.refresh.push([...targets]);
            return opts.refreshImpl
              ? opts.refreshImpl(targets)
              : { snapshot: snap(`t${calls.refresh.length}`), read: 'targeted', detail: `${targets.length} targets` };
          },
    readClaude: opts.claude
      ? async () => {
          calls.claude++;
          return `claude${calls.claude}`;
        }
      : undefined,
    audit: (s) => report([(s as unknown as { tag: string }).tag]),
    audited: async ({ read, batch }) => {
      calls.audited.push(`${read}:${batch.events}`);
    },
    log: (l, f) => {
      lines.push(l);
      fields.push(f);
    },
    now: () => new Date(),
  };
  const initial: WatchView<string> = { snapshot: snap('initial'), claude: 'c0', report: report([]) };
  const engine = new WatchEngine(initial, deps, {
    quietMs: opts.quietMs ?? 5000,
    maxWaitMs: opts.maxWaitMs ?? 30_000,
    fullEveryMs: opts.fullEveryMs ?? 0,
  });
  return {
    engine,
    deps,
    calls,
    lines,
    fields,
    flush: async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe('WatchEngine', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('reads once, a quiet period after the last event of a burst, with each target once', async () => {
    const h = harness();
    h.engine.accept({ events: [ev('1', [{ kind: 'group', id: 'g1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(2000);
    h.engine.accept({ events: [ev('2', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(2000);
    h.engine.accept({ events: [ev('3', [{ kind: 'group', id: 'g1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(4999); // 4 s + 4.999 s: still quiet-waiting
    expect(h.calls.refresh).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.calls.refresh).toEqual([
      [
        { kind: 'group', id: 'g1' },
        { kind: 'user', id: 'u1' },
      ],
    ]);
    expect(h.calls.full).toBe(0);
    expect(h.calls.audited).toEqual(['targeted:3']);
    expect(h.engine.latest.snapshot).toMatchObject({ tag: 't1' });
    expect(h.lines.at(-1)).toMatch(/^3 events → targeted read: 2 targets/);
    expect(h.fields.at(-1)).toMatchObject({ events: 3, targets: 2, read: 'targeted', findings: 1, newFindings: 1 });
  });

  it('counts in each batch line only the findings new since the last audit', async () => {
    const h = harness({ refreshImpl: async () => ({ snapshot: snap('same'), read: 'targeted', detail: '' }) });
    h.engine.accept({ events: [ev('1', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.fields.at(-1)).toMatchObject({ findings: 1, newFindings: 1 });
    h.engine.accept({ events: [ev('2', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.fields.at(-1)).toMatchObject({ findings: 1, newFindings: 0 });
  });

  it('caps the wait at max wait since the first event when events keep coming', async () => {
    const h = harness({ quietMs: 5000, maxWaitMs: 12_000 });
    for (let i = 0; i < 10; i++) {
      h.engine.accept({ events: [ev(String(i), [{ kind: 'user', id: `u${i}` }])] }, new Date());
      await vi.advanceTimersByTimeAsync(2000);
      if (Date.now() - T0 < 12_000) expect(h.calls.refresh).toHaveLength(0);
    }
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.refresh[0]).toHaveLength(6); // events at 0..10 s made the read at 12 s
  });

  it('drops a replayed event id without a read, and keeps events of other sources apart', async () => {
    const h = harness();
    const e = ev('uuid-1', [{ kind: 'user', id: 'u1' }]);
    h.engine.accept({ events: [e] }, new Date());
    await vi.advanceTimersByTimeAsync(6000);
    h.engine.accept({ events: [e, e] }, new Date());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.engine.stats.replaysDropped).toBe(2);
    h.engine.accept({ events: [ev('uuid-1', [{ kind: 'user', id: 'u1' }], 'onelogin')] }, new Date());
    await vi.advanceTimersByTimeAsync(6000);
    expect(h.calls.refresh).toHaveLength(2);
  });

  it('events with no id are never taken for replays', async () => {
    const h = harness();
    h.engine.accept({ events: [ev(null, [{ kind: 'user', id: 'u1' }])] }, new Date());
    h.engine.accept({ events: [ev(null, [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(6000);
    expect(h.engine.stats.replaysDropped).toBe(0);
    expect(h.calls.audited).toEqual(['targeted:2']);
  });

  it('does a full read when the adapter has no targeted re-read', async () => {
    const h = harness({ refresh: false });
    h.engine.accept({ events: [ev('1', [{ kind: 'group', id: 'g1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.calls.full).toBe(1);
    expect(h.calls.audited).toEqual(['full:1']);
    expect(h.lines.at(-1)).toMatch(/full read \(no targeted re-read for this IdP\)/);
  });

  it('does a full read for an `everything` target and for a lost-events signal, at once', async () => {
    const h = harness();
    h.engine.accept({ events: [ev('1', [{ kind: 'everything', reason: 'policy changed' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls.full).toBe(1);
    expect(h.calls.refresh).toHaveLength(0);
    h.engine.accept({ events: [], lifecycle: [{ kind: 'missed' }] }, new Date());
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls.full).toBe(2);
    expect(h.lines.at(-1)).toMatch(/full read \(events were lost\)/);
  });

  it('counts an adapter that chose a full read as a full read', async () => {
    const h = harness({
      refreshImpl: async () => ({ snapshot: snap('f'), read: 'full', detail: 'too many targets' }),
    });
    h.engine.accept({ events: [ev('1', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.engine.stats.reads).toMatchObject({ full: 1, targeted: 0 });
  });

  it('re-reads only the Claude side for a claude target, and both for mixed targets', async () => {
    const h = harness({ claude: true });
    h.engine.accept({ events: [ev('a1', [{ kind: 'claude' }], 'claude')] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.calls).toMatchObject({ claude: 1, full: 0, refresh: [] });
    expect(h.engine.latest.claude).toBe('claude1');
    expect(h.calls.audited).toEqual(['claude:1']);
    h.engine.accept({ events: [ev('a2', [{ kind: 'claude' }], 'claude'), ev('o1', [{ kind: 'app' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.calls.claude).toBe(2);
    expect(h.calls.refresh).toEqual([[{ kind: 'app' }]]);
  });

  it('asks for no read for events that touch nothing watched', async () => {
    const h = harness();
    h.engine.accept({ events: [ev('1', [])] }, new Date());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls.audited).toEqual([]);
  });

  it('runs one read at a time: events during a read wait for the next one', async () => {
    let release!: () => void;
    const h = harness({
      refreshImpl: (targets) =>
        new Promise((res) => {
          release = () => res({ snapshot: snap('slow'), read: 'targeted', detail: `${targets.length}` });
        }),
    });
    h.engine.accept({ events: [ev('1', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.calls.refresh).toHaveLength(1);
    h.engine.accept({ events: [ev('2', [{ kind: 'user', id: 'u2' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(h.calls.refresh).toHaveLength(1); // still the first read
    release();
    await vi.advanceTimersByTimeAsync(0);
    // The second batch had its quiet period long ago: it is read right after.
    expect(h.calls.refresh).toHaveLength(2);
    expect(h.calls.refresh[1]).toEqual([{ kind: 'user', id: 'u2' }]);
  });

  it('keeps the last good read after a failure, is not ready, audits nothing, and retries with a full read', async () => {
    let fail = true;
    const h = harness({
      refreshImpl: async () => {
        throw new Error('Okta answered 503');
      },
      readFull: async () => {
        if (fail) throw new Error('Okta answered 503');
        return { snapshot: snap('recovered'), claude: 'c' };
      },
    });
    h.engine.accept({ events: [ev('1', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.engine.readsOk).toBe(false);
    expect(h.engine.latest.snapshot).toMatchObject({ tag: 'initial' });
    expect(h.calls.audited).toEqual([]);
    expect(h.lines.at(-1)).toMatch(/^read failed \(1 event waiting\): Okta answered 503; keeping the last good read/);
    // Events meanwhile do not shorten the back-off (5 s, then 10 s).
    h.engine.accept({ events: [ev('2', [{ kind: 'user', id: 'u2' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(4999);
    expect(h.calls.full).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.calls.full).toBe(1);
    fail = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls.full).toBe(2);
    expect(h.engine.readsOk).toBe(true);
    expect(h.engine.latest.snapshot).toMatchObject({ tag: 'recovered' });
    expect(h.calls.audited).toEqual(['full:0']);
  });

  it('runs a periodic full read, says when, and when the next one is', async () => {
    const h = harness({ fullEveryMs: 60_000 });
    h.engine.start();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(h.calls.full).toBe(0);
    await vi.advanceTimersByTimeAsync(10); // (a timer set inside a timer fires 1 ms later under fake timers)
    expect(h.calls.full).toBe(1);
    expect(h.lines.at(-1)).toMatch(
      /^full read \(periodic\) at 2026-12-06T10:01:00\.\d{3}Z; next at 2026-12-06T10:02:00\.\d{3}Z$/,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls.full).toBe(2);
  });

  it('collapses more targets than the queue holds into one full read', async () => {
    const h = harness();
    const events = Array.from({ length: 500 }, (_, i) => ev(String(i), [{ kind: 'user', id: `u${i}` }]));
    h.engine.accept({ events }, new Date());
    await vi.advanceTimersByTimeAsync(5000); // a burst still gets its quiet period
    expect(h.calls.full).toBe(1);
    expect(h.calls.refresh).toHaveLength(0);
    expect(h.engine.stats.maxPendingTargets).toBe(200);
  });

  it('stop waits for the read in progress and starts no other', async () => {
    let release!: () => void;
    const h = harness({
      refreshImpl: () =>
        new Promise((res) => {
          release = () => res({ snapshot: snap('done'), read: 'targeted', detail: '' });
        }),
    });
    h.engine.accept({ events: [ev('1', [{ kind: 'user', id: 'u1' }])] }, new Date());
    await vi.advanceTimersByTimeAsync(5000);
    h.engine.accept({ events: [ev('2', [{ kind: 'user', id: 'u2' }])] }, new Date());
    let stopped = false;
    const stopping = h.engine.stop().then((r) => {
      stopped = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    release();
    expect(await stopping).toEqual({ unread: 1 });
    expect(h.calls.audited).toEqual(['targeted:1']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls.refresh).toHaveLength(1);
  });

  it('asks the subscriptions to renew on a lifecycle signal', async () => {
    const h = harness();
    let ensured = 0;
    h.deps.ensureSubscriptions = async () => {
      ensured++;
    };
    h.engine.accept({ events: [], lifecycle: [{ kind: 'reauthorize' as 'renew', subscriptionId: 's1' }] }, new Date());
    await h.flush();
    expect(ensured).toBe(1);
  });
});
