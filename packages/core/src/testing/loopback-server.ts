import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:53121` */
  readonly url: string;
  /** Replaces the handlers served. */
  use(handlers: RequestHandler[]): void;
  /** Requests answered so far. */
  readonly served: number;
  close(): Promise<void>;
}

/**
 * Serves msw handlers from a real HTTP server on 127.0.0.1, with an optional fixed latency per
 * request, so an adapter is exercised through its real HTTP stack (SDK transports, proxies,
 * connection reuse) and concurrency matters as it does against the vendor. Used by the CLI demo,
 * the benchmarks and the tests that must not depend on msw's interception.
 */
export async function startLoopbackServer(
  options: { handlers?: RequestHandler[]; latencyMs?: number } = {},
): Promise<LoopbackServer> {
  let handlers = options.handlers ?? [];
  let served = 0;
  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        v === undefined
          ? []
          : Array.isArray(v)
            ? v.map((x) => [k, x] as [string, string])
            : [[k, v] as [string, string]],
      ),
      body: body && req.method !== 'GET' && req.method !== 'HEAD' ? body : undefined,
      signal: controller.signal,
    });
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    let response: Response | undefined;
    try {
      response = await getResponse(handlers, request);
    } catch {
      response = undefined;
      if (controller.signal.aborted) return;
    }
    served++;
    if (!response) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `no fake handler for ${req.method} ${req.url}` }));
      return;
    }
    if (response.type === 'error') {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => {
      const prev = headers[k];
      headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    });
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(h) {
      handlers = h;
    },
    get served() {
      return served;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
