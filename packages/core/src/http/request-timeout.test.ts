import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../errors/api-call-error';
import { ConfigurationError } from '../errors/configuration-error';
import { fetchJson } from './fetch-json';
import { DEFAULT_REQUEST_TIMEOUT_MS, resolveRequestTimeoutMs, startRequestDeadline } from './request-timeout';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('request timeout', () => {
  it('reads requestTimeoutMs, then the deprecated timeoutMs, else the default; refuses nonsense naming the setting', () => {
    expect(resolveRequestTimeoutMs({})).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(resolveRequestTimeoutMs({ timeoutMs: 5 })).toBe(5);
    expect(resolveRequestTimeoutMs({ requestTimeoutMs: 7, timeoutMs: 5 })).toBe(7);
    expect(() => resolveRequestTimeoutMs({ requestTimeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => resolveRequestTimeoutMs({ requestTimeoutMs: Number.NaN })).toThrow(
      /requestTimeoutMs must be a positive number/,
    );
  });

  it('a deadline fires even when garbage collection runs while the request waits', async () => {
    const deadline = startRequestDeadline(200);
    const aborted = new Promise<void>((resolve) =>
      deadline.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    for (let i = 0; i < 5; i++) gc();
    await aborted;
    expect(deadline.timedOut).toBe(true);
  });

  it('a held connection ends as a typed timeout naming the timeout', async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const pending = fetchJson({
        fetch: globalThis.fetch,
        vendor: 'v',
        url: `http://127.0.0.1:${port}/users`,
        timeoutMs: 300,
      }).catch((e: unknown) => e);
      const timer = setInterval(gc, 50);
      const error = await pending;
      clearInterval(timer);
      expect(ApiCallError.isInstance(error) && error.kind).toBe('timeout');
      expect((error as Error).message).toMatch(/timed out after 300 ms/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('the caller aborting ends the request with the caller’s reason, not a timeout', async () => {
    const caller = new AbortController();
    const deadline = startRequestDeadline(10_000, caller.signal);
    caller.abort(new Error('stop'));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    deadline.done();
  });
});
