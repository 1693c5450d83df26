import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdpEventReceiverV1, ReceiveResult } from '@claude-idp/core';
import { startLoopbackServer, type GenericTenant, type LoopbackServer } from '@claude-idp/core/testing';
import { createEntraEventReceiver, type EntraEventReceiver } from './entra-events';
import { createEntraFake, type EntraFake, type EntraFakeOptions } from './testing';

/**
 * Test harness (not exported): the Entra fake served over real HTTP on loopback, and a minimal
 * listener that hands each request to a receiver (the body size limit, routing and dedupe of the
 * real listener live in the CLI). Every result is recorded for assertions.
 */
export interface WatchHarness {
  fake: EntraFake;
  graph: LoopbackServer;
  receiver: EntraEventReceiver;
  publicUrl: string;
  results: ReceiveResult[];
  /** Replaces how the listener answers (a broken subscriber), or restores the receiver with null. */
  override(answer: ((url: URL) => Promise<{ status: number; type: string; body: string }>) | null): void;
  close(): Promise<void>;
}

export async function startWatchHarness(
  tenant: GenericTenant,
  options: { env?: Record<string, string>; fake?: EntraFakeOptions } = {},
): Promise<WatchHarness> {
  const graph = await startLoopbackServer();
  const fake = createEntraFake(tenant, { ...options.fake, baseUrl: graph.url });
  graph.use(fake.handlers);
  const receiver = createEntraEventReceiver({ env: { ...fake.env, ...options.env } });
  const results: ReceiveResult[] = [];
  let override: Parameters<WatchHarness['override']>[0] = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://listener');
        if (override) {
          const a = await override(url);
          res.writeHead(a.status, { 'content-type': a.type }).end(a.body);
          return;
        }
        const r = await (receiver as IdpEventReceiverV1).handle({
          method: req.method ?? 'GET',
          url,
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
          ),
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: new Date(),
        });
        results.push(r);
        res.writeHead(r.answer.status, r.answer.headers).end(r.answer.body ?? '');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fake,
    graph,
    receiver,
    publicUrl,
    results,
    override(a) {
      override = a;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await graph.close();
    },
  };
}
