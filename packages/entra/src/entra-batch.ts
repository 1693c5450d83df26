import { ApiCallError } from '@claude-idp/core';
import { answerError } from './entra-errors';
import type { GraphAnswer, GraphHttp, GraphVersion } from './entra-graph-client';

/** Graph's JSON batching limit: at most 20 requests per `POST /$batch`. */
export const GRAPH_BATCH_LIMIT = 20;

interface Pending {
  path: string;
  headers: Record<string, string> | undefined;
  resolve: (answer: GraphAnswer) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects GET requests issued at about the same time and sends them as JSON batches of up to 20
 * (`POST /{version}/$batch`), so reading many small groups costs one round trip per 20 groups.
 * A lone request goes out as a plain GET. Partial batches wait while other HTTP requests are in
 * flight (their answers usually enqueue more work: next pages, nested groups), which packs each
 * batch as full as the read allows; a full batch goes at once, up to `concurrency` in flight.
 *
 * Each item resolves with its own status, headers and body: a 429 inside a batch carries its own
 * `Retry-After` in the item's headers, and only that item is retried (by the caller). A failure of
 * the whole batch (network, timeout, a 5xx on the POST) rejects every item in it.
 *
 * The SDK's BatchRequestContent is not used: it wants `Request` objects, keeps the version in
 * each item's url, and re-serialises item bodies only when the header key is exactly
 * `Content-Type`; the JSON shape below is the documented one and is simpler to get right.
 */
export class GraphBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly http: GraphHttp,
    private readonly version: GraphVersion,
    private readonly options: { concurrency: number; abortSignal?: AbortSignal },
  ) {}

  get(path: string, headers?: Record<string, string>): Promise<GraphAnswer> {
    return new Promise<GraphAnswer>((resolve, reject) => {
      this.queue.push({ path, headers, resolve, reject });
      this.schedule();
    });
  }

  /** Flushes on the next macrotask, after the continuations of answers just received have enqueued their follow-ups. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length && this.inFlight < this.options.concurrency && (this.queue.length >= GRAPH_BATCH_LIMIT || this.inFlight === 0)) {
      const items = this.queue.splice(0, GRAPH_BATCH_LIMIT);
      this.inFlight++;
      void this.send(items).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async send(items: Pending[]): Promise<void> {
    try {
      if (items.length === 1) {
        const [only] = items as [Pending];
        only.resolve(await this.http.send({ method: 'GET', version: this.version, path: only.path, headers: only.headers, abortSignal: this.options.abortSignal }));
        return;
      }
      const requests = items.map((item, i) => ({ id: String(i + 1), method: 'GET', url: item.path, ...(item.headers ? { headers: item.headers } : {}) }));
      const url = `${this.http.root.toString().replace(/\/+$/, '')}/${this.version}/$batch`;
      const answer = await this.http.send({ method: 'POST', version: this.version, path: '/$batch', body: { requests }, headers: { 'Content-Type': 'application/json' }, abortSignal: this.options.abortSignal });
      if (answer.status !== 200) throw answerError(answer, { url, method: 'POST' });
      const responses = (answer.body as { responses?: unknown } | undefined)?.responses;
      if (!Array.isArray(responses)) throw new ApiCallError({ vendor: 'entra', url, method: 'POST', status: 200, isRetryable: true, message: `POST ${url}: the batch answer has no "responses" array` });
      // Responses may come in any order; `id` correlates them.
      const byId = new Map(responses.map((r: { id?: unknown }) => [String(r?.id), r as { status?: unknown; headers?: unknown; body?: unknown }]));
      items.forEach((item, i) => {
        const r = byId.get(String(i + 1));
        if (!r || typeof r.status !== 'number') {
          item.reject(new ApiCallError({ vendor: 'entra', url, method: 'POST', status: 200, isRetryable: true, message: `POST ${url}: the batch answer has no response for item ${i + 1} (${item.path})` }));
          return;
        }
        item.resolve({ status: r.status, headers: (r.headers as Record<string, string> | undefined) ?? {}, body: r.body });
      });
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }
}
