import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import {
  IncompleteReadError,
  isAbortError,
  MalformedResponseError,
  noAnswerError,
  startRequestDeadline,
  type FetchLike,
} from '@claude-idp/core';
import type { TokenSource } from './entra-credential';
import { FetchHandler, OriginBearerHandler } from './entra-middleware';

export type GraphVersion = 'v1.0' | 'beta';

/** One answer from Graph, whether a plain response or one item of a `$batch`. */
export interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface GraphRequestArgs {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  version: GraphVersion;
  /** Path relative to the version, with its query: `/groups/{id}/members?$select=id`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  abortSignal?: AbortSignal;
}

/**
 * The Graph SDK client, set up so it works beyond graph.microsoft.com.
 *
 * Two quirks of `@microsoft/microsoft-graph-client` v3 are handled here:
 * - Its AuthenticationHandler attaches the bearer token only when the URL starts with `https://`
 *   and the host is one of its built-in Graph hosts (or `customHosts`); for any other host,
 *   loopback `http://` included, it *deletes* the Authorization header. We replace it with a
 *   middleware that attaches the token to requests for the configured Graph origin (scheme, host
 *   and port) and strips it from anything else, so national clouds, proxies and local fakes work
 *   and a token never leaves for another origin.
 * - `client.api(url)` only recognises absolute URLs that start with `https://`; an absolute
 *   `http://127.0.0.1/...` link is glued onto the base URL as if it were a path. So absolute
 *   links (`@odata.nextLink`) are turned back into version + relative path (`relativeLink`)
 *   after checking they point at the configured origin.
 * The SDK's RetryHandler is left out of the chain: it caps at 10 retries with sleeps that cannot
 * be aborted and no time budget; core's `withRetry` (applied by the callers) does both.
 */
export class GraphHttp {
  readonly root: URL;
  private readonly client: Client;

  constructor(
    private readonly options: { graphUrl: string; tokens: TokenSource; fetch: FetchLike; timeoutMs: number },
  ) {
    this.root = new URL(options.graphUrl);
    this.client = Client.initWithMiddleware({
      baseUrl: options.graphUrl,
      defaultVersion: 'v1.0',
      middleware: [new OriginBearerHandler(this.root.origin), new FetchHandler(options.fetch)],
    });
  }

  /** Sends one request; any HTTP status is an answer. Network failures and timeouts throw a retryable ApiCallError. */
  async send(args: GraphRequestArgs): Promise<GraphAnswer> {
    const url = `${this.options.graphUrl}/${args.version}${args.path}`;
    const token = await this.options.tokens(args.abortSignal);
    const deadline = startRequestDeadline(this.options.timeoutMs, args.abortSignal);
    const signal = deadline.signal;
    const request = this.client
      .api(args.path)
      .version(args.version)
      .responseType(ResponseType.RAW)
      .headers({ Authorization: `Bearer ${token}`, Accept: 'application/json', ...args.headers })
      .options({ signal });
    const isTimeout = (error: unknown) => isAbortError(error) || (error as { code?: string }).code === 'TimeoutError';
    const failed = (error: unknown, what: string, status?: number) =>
      args.abortSignal?.aborted
        ? (args.abortSignal.reason ?? error)
        : noAnswerError({ vendor: 'entra', url, method: args.method, deadline, status, isTimeout }, error, what);
    let res: Response;
    let text: string;
    try {
      try {
        res =
          args.method === 'GET'
            ? await request.get()
            : args.method === 'PATCH'
              ? await request.patch(args.body)
              : args.method === 'DELETE'
                ? await request.delete()
                : await request.post(args.body);
      } catch (error) {
        throw failed(error, 'failed');
      }
      try {
        text = await res.text();
      } catch (error) {
        throw failed(error, 'the body could not be read', res.status);
      }
    } finally {
      deadline.done();
    }
    const headers = Object.fromEntries(res.headers.entries());
    return {
      status: res.status,
      headers,
      body: parseBody(text, { url, method: args.method, status: res.status, headers }),
    };
  }

  /** An absolute Graph link (`@odata.nextLink`) as version + relative path, refusing other origins. */
  relativeLink(link: string, resource: string): { version: GraphVersion; path: string } {
    const url = new URL(link, this.root);
    const base = this.root.pathname.replace(/\/+$/, '');
    const path = base && url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
    const [, version, ...rest] = path.split('/');
    if (url.origin !== this.root.origin || (version !== 'v1.0' && version !== 'beta')) {
      throw new IncompleteReadError({
        vendor: 'entra',
        resource,
        reason: 'other',
        message: `entra: the next-page link of ${resource} points outside ${this.root.origin}; not following it with credentials`,
      });
    }
    return { version, path: `/${rest.join('/')}${url.search}` };
  }
}

/** A 2xx body that is not JSON is treated as a transient, retryable failure (a cut connection). */
function parseBody(
  text: string,
  ctx: { url: string; method: string; status: number; headers: Record<string, string> },
): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    // An error status with an HTML / text body (a proxy's 502 page): the status says what it is.
    if (ctx.status >= 300) return text;
    throw new MalformedResponseError({
      vendor: 'entra',
      url: ctx.url,
      method: ctx.method,
      status: ctx.status,
      responseHeaders: ctx.headers,
      responseBody: text,
      message: `${ctx.method} ${ctx.url} answered HTTP ${ctx.status} with a body that is not JSON`,
      cause: error,
    });
  }
}
