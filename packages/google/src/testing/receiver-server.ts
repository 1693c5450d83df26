import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdpEventReceiverV1, ReceiveResult } from '@claude-idp/core';

/**
 * A minimal listener for tests: serves one receiver on 127.0.0.1 over real HTTP, as `watch`
 * does (lower-cased headers, the raw body), and records each verdict. Not the CLI's listener: no
 * size limit, dedupe or queue.
 */
export async function serveReceiver(receiver: IdpEventReceiverV1): Promise<{
  url: string;
  results: ReceiveResult[];
  close(): Promise<void>;
}> {
  const results: ReceiveResult[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!receiver.paths.includes(url.pathname)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      void Promise.resolve(
        receiver.handle({
          method: req.method ?? 'GET',
          url,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: new Date(),
        }),
      ).then((result) => {
        results.push(result);
        res.statusCode = result.answer.status;
        for (const [k, v] of Object.entries(result.answer.headers ?? {})) res.setHeader(k, v);
        res.end(result.answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    results,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
