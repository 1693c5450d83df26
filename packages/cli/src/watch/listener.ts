import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdpEventReceiverV1, ReceiveResult, WatchAnswer, WatchRequest } from '@claude-idp/core';

/** What `/readyz` reports: ready while the watcher takes events (not while stopping); what is failing in `detail.degraded`. */
export interface Readiness {
  ready: boolean;
  /** Why not ready, or what the last read was. */
  detail: Record<string, unknown>;
}

/**
 * Whether the watcher is ready, and what is degraded. Ready means "send me events": it stays true
 * while reads or subscriptions fail, because an orchestrator that took the watcher out of its
 * Service would cut off the vendor's deliveries (and Graph's validation request) that recover
 * them; those failures are listed in `degraded`, to alert on. Not ready only while stopping.
 */
export function watchReadiness(s: {
  stopping: boolean;
  readsOk: boolean;
  subscriptionsOk: boolean;
  subscriptionsTried: boolean;
}): { ready: boolean; degraded: string[] } {
  const degraded: string[] = [];
  if (!s.readsOk) degraded.push('reads failing');
  if (!s.subscriptionsTried) degraded.push('subscriptions being created');
  else if (!s.subscriptionsOk) degraded.push('subscriptions failing');
  return { ready: !s.stopping, degraded };
}

export interface ListenerOptions {
  host: string;
  port: number;
  /** The IdP's receiver; null: only the health endpoints (the installed adapter package has none). */
  receiver: IdpEventReceiverV1 | null;
  /** Bodies above this many bytes are refused with 413 and not read further. */
  maxBodyBytes: number;
  /** A request (headers and body) must arrive within this time. Default 10 s. */
  requestTimeoutMs?: number;
  readiness(): Readiness;
  /** The receiver accepted a delivery: its events and lifecycle signals. */
  onResult(result: ReceiveResult, receivedAt: Date): void;
  log(line: string, fields?: Record<string, unknown>): void;
  now?: () => Date;
}

export interface WatchListener {
  /** `http://host:port`, the port chosen when 0 was asked. */
  readonly url: string;
  readonly port: number;
  /** Requests answered, by status. */
  readonly answered: Map<number, number>;
  /** Stops accepting connections; resolves when open requests are answered. */
  close(): Promise<void>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const RECEIVER_METHODS = new Set(['GET', 'POST']);

/**
 * The HTTP side of `watch` (node:http): `GET /healthz`, `GET /readyz`, and the receiver's paths.
 * It bounds every request (body size: 413 and the rest is not read; time: 408), checks methods,
 * hands a `WatchRequest` to the receiver and sends back its answer. A request never takes the
 * process down: anything thrown is answered 500 and logged.
 */
/** Refused requests logged one line each per minute; the rest are counted in one line a minute. */
export const REFUSALS_LOGGED = 20;

export async function startListener(options: ListenerOptions): Promise<WatchListener> {
  const now = options.now ?? (() => new Date());
  const receiver = options.receiver;
  const paths = new Set(receiver?.paths ?? []);
  const answered = new Map<number, number>();
  const count = (status: number) => answered.set(status, (answered.get(status) ?? 0) + 1);

  // Refused requests are logged one line each up to REFUSALS_LOGGED a minute; past that they are
  // counted and summed up once a minute, so a flood cannot fill the disk with log lines.
  let refusalsThisWindow = 0;
  const suppressed = new Map<number, number>();
  const refused = (status: number, line: string, fields: Record<string, unknown> = {}) => {
    refusalsThisWindow++;
    if (refusalsThisWindow <= REFUSALS_LOGGED) options.log(line, { rejected: true, status, ...fields });
    else suppressed.set(status, (suppressed.get(status) ?? 0) + 1);
  };
  const flushRefusals = () => {
    refusalsThisWindow = 0;
    if (!suppressed.size) return;
    const total = [...suppressed.values()].reduce((a, b) => a + b, 0);
    const byStatus = Object.fromEntries([...suppressed].map(([k, v]) => [String(k), v]));
    options.log(
      `refused ${total} more request${total === 1 ? '' : 's'} in the last minute (${[...suppressed].map(([k, v]) => `${v}× ${k}`).join(', ')}); lines past ${REFUSALS_LOGGED} a minute are counted, not logged`,
      { rejected: true, suppressed: byStatus },
    );
    suppressed.clear();
  };
  const refusalWindow = setInterval(flushRefusals, 60_000);
  refusalWindow.unref();

  const send = (res: ServerResponse, answer: WatchAnswer, close = false) => {
    if (res.headersSent || res.destroyed) return;
    count(answer.status);
    res.writeHead(answer.status, { ...TEXT, ...answer.headers, ...(close ? { connection: 'close' } : {}) });
    res.end(answer.body ?? '');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://listener.invalid');
    } catch {
      return send(res, { status: 400, body: 'Bad Request' });
    }
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz' || url.pathname === '/readyz') {
      if (method !== 'GET' && method !== 'HEAD')
        return send(res, { status: 405, headers: { allow: 'GET, HEAD' }, body: 'Method Not Allowed' });
      if (url.pathname === '/healthz') return send(res, { status: 200, body: 'ok\n' });
      const r = options.readiness();
      return send(res, {
        status: r.ready ? 200 : 503,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: `${JSON.stringify({ ready: r.ready, ...r.detail })}\n`,
      });
    }
    if (!receiver || !paths.has(url.pathname)) return send(res, { status: 404, body: 'Not Found' });
    if (!RECEIVER_METHODS.has(method)) {
      refused(405, `refused a ${method} to ${url.pathname} (only GET and POST)`);
      return send(res, { status: 405, headers: { allow: 'GET, POST' }, body: 'Method Not Allowed' });
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === 'too-large') {
      refused(413, `refused a body over ${options.maxBodyBytes} bytes to ${url.pathname}`);
      send(res, { status: 413, body: 'Payload Too Large' }, true);
      // Stop reading: the rest of the body is not wanted. The socket closes after the answer.
      res.on('finish', () => req.socket.destroy());
      return;
    }
    if (body === 'aborted') return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const request: WatchRequest = { method, url, headers, body, receivedAt };
    let result: ReceiveResult;
    try {
      result = await receiver.handle(request);
    } catch (error) {
      options.log(`the ${receiver.idp} receiver failed on a ${method} to ${url.pathname}`, {
        error: error instanceof Error ? error.name : 'error',
      });
      return send(res, { status: 500, body: 'Internal Server Error' });
    }
    send(res, result.answer);
    // Refusals, handshakes and lifecycle signals get their line; accepted change events are logged
    // once per batch by the engine (a burst of 5,000 deliveries is not 5,000 lines).
    if (result.rejected) refused(result.answer.status, result.log ?? `refused a ${method} to ${url.pathname}`);
    else if (result.log && (!result.events.length || result.lifecycle?.length)) options.log(result.log);
    if (!result.rejected && (result.events.length || result.lifecycle?.length)) options.onResult(result, receivedAt);
  };

  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const server: Server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      // How often slow requests are looked for (Node's default, 30 s, would let one linger 40 s).
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        options.log('a request failed', { error: error instanceof Error ? error.name : 'error' });
        send(res, { status: 500, body: 'Internal Server Error' }, true);
      });
    },
  );
  server.keepAliveTimeout = 5000;
  server.maxHeadersCount = 100;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP (400), or a request not complete in time (408): answered when the socket can still take it.
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    count(Number(status.slice(0, 3)));
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(refusalWindow);
        flushRefusals();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The body as UTF-8, or `too-large` as soon as it passes `max` bytes (declared or sent). */
function readBody(req: IncomingMessage, max: number): Promise<string | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: string | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        return finish('too-large');
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish('aborted'));
    req.on('aborted', () => finish('aborted'));
  });
}
