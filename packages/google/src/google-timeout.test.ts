import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IncompleteReadError } from '@claude-idp/core';
import { describe, expect, it } from 'vitest';
import { createGoogleAdapter } from './index';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Through a real socket that is accepted and never answered, with garbage collection running while
 * the requests wait: gaxios' own `timeout` (AbortSignal.timeout inside AbortSignal.any) can be
 * collected before it fires and the read then hangs for good; the adapter's deadline must not.
 */
describe('google: a request that never answers', () => {
  it('times out, is retried, and fails as "timed out after N ms" within the retry budget', async () => {
    let requests = 0;
    const server = createServer(() => {
      requests++;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const timer = setInterval(gc, 100);
    try {
      const adapter = createGoogleAdapter({
        env: { GOOGLE_ACCESS_TOKEN: 'ya29.test-token', GOOGLE_API_URL: `http://127.0.0.1:${port}` },
        requestTimeoutMs: 400,
        retry: { initialDelayMs: 10, maxDelayMs: 50, budgetMs: 1_500, maxRetries: 10 },
      });
      const started = Date.now();
      const events: string[] = [];
      const error = await adapter
        .readSnapshot({ onProgress: (e) => events.push(`${e.type} ${e.resource}`) })
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_500 + 400 + 2_000);
      expect(IncompleteReadError.isInstance(error) && error.reason).toBe('timeout');
      expect((error as Error).message).toMatch(/timed out after 400 ms/);
      expect(requests).toBeGreaterThan(0);
      expect(events.some((e) => e.startsWith('retry '))).toBe(true);
    } finally {
      clearInterval(timer);
      server.closeAllConnections();
      server.close();
    }
  }, 15_000);
});
