import { MalformedResponseError } from '@claude-idp/core';
import { answerError } from './entra-errors';
import type { GraphAnswer, GraphHttp, GraphVersion } from './entra-graph-client';

/** Graph's JSON batching limit: at most 20 requests per `POST /$batch`. */
export const GRAPH_BATCH_LIMIT = 20;

interface Pending {
  path: string;
  /** Pages of this item's listing still to read, this one included, when known (else 0); see `get`. */
  pagesLeft: number;
  /** The first page of a listing of unknown length (its answer may reveal a long chain). */
  discovery: boolean;
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
 * Long listings are chains of dependent round trips (a 39,000-member group is 40 pages, each
 * asked for once the one before has answered), and every link costs a request however little
 * else travels with it. Two rules keep the rest of the work inside those requests instead of
 * adding its own (at 50,000 people, 50 requests against a minimum of 44 without them):
 * - the queue is ordered by `pagesLeft`, longest remaining chain first (ties first come, first
 *   served), so a chain's next page rides in the very next batch, never behind a backlog;
 * - an extra full batch goes out alongside one in flight only when the queue holds more than the
 *   known chains' future batches have room for (counting half of their rounds, so what waits goes
 *   out early enough for chains it reveals in turn to end within theirs); otherwise the backlog
 *   waits and fills them. With no multi-page listing known this is "a full batch goes at once";
 * - until the first batch of first pages has answered, nothing is known, so that one goes alone
 *   (a probe: one round trip of wall time once per read, against a batch of its own for every
 *   further 20 first pages sent before the long listing among them is known).
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
  /** The items of the batches in flight, for the room their listings' next pages will leave. */
  private readonly sending = new Set<Pending[]>();
  /**
   * The probe (see the class comment): the first batch with first pages of unknown length sent
   * while other requests wait behind it; `done` once it has answered.
   */
  private probe: { batch: Pending[] | null; done: boolean } = { batch: null, done: false };
  private scheduled = false;

  constructor(
    private readonly http: GraphHttp,
    private readonly version: GraphVersion,
    private readonly options: { concurrency: number; abortSignal?: AbortSignal },
  ) {}

  /**
   * Queues one GET. `pagesLeft` is, for a page of a listing whose size is known, the number of its
   * pages still to read including this one (0 when unknown): it orders the queue and tells the
   * batcher how many more batches that listing will need anyway. `discovery` marks the first page
   * of a listing whose length its answer will tell.
   */
  get(
    path: string,
    headers?: Record<string, string>,
    queue: { pagesLeft?: number; discovery?: boolean } = {},
  ): Promise<GraphAnswer> {
    const pagesLeft = queue.pagesLeft ?? 0;
    return new Promise<GraphAnswer>((resolve, reject) => {
      const item: Pending = { path, pagesLeft, discovery: queue.discovery ?? false, headers, resolve, reject };
      // Keep the queue sorted: after every item with as many pages left or more. It holds a few
      // hundred items at most and most arrive with 0, so a scan from the back is cheap.
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.pagesLeft < pagesLeft) at--;
      this.queue.splice(at, 0, item);
      this.schedule();
    });
  }

  /**
   * Slots that batches the read will send anyway have to spare: each listing with `n` pages left
   * after the item in flight (or `n + 1` counting a queued item) takes one slot in each of the
   * next rounds, and the longest of them sets how many rounds are certain to come.
   */
  private rideAlongRoom(): number {
    let rounds = 0;
    let chains = 0;
    const note = (later: number) => {
      if (later <= 0) return;
      rounds = Math.max(rounds, later);
      chains++;
    };
    for (const batch of this.sending) for (const item of batch) note(item.pagesLeft - 1);
    for (const item of this.queue) note(item.pagesLeft);
    return Math.ceil(rounds / 2) * Math.max(0, GRAPH_BATCH_LIMIT - chains);
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
    while (this.queue.length && this.inFlight < this.options.concurrency) {
      const full = this.queue.length >= GRAPH_BATCH_LIMIT;
      if (this.inFlight > 0 && (!full || this.probing() || this.queue.length <= this.rideAlongRoom())) break;
      const items = this.queue.splice(0, GRAPH_BATCH_LIMIT);
      this.inFlight++;
      this.sending.add(items);
      if (!this.probe.batch && this.queue.length > 0 && items.some((item) => item.discovery)) this.probe.batch = items;
      void this.send(items).finally(() => {
        this.inFlight--;
        this.sending.delete(items);
        if (this.probe.batch === items) this.probe.done = true;
        this.schedule();
      });
    }
  }

  /** The probe is in flight and has not answered. */
  private probing(): boolean {
    return this.probe.batch !== null && !this.probe.done;
  }

  private async send(items: Pending[]): Promise<void> {
    try {
      if (items.length === 1) {
        const [only] = items as [Pending];
        only.resolve(
          await this.http.send({
            method: 'GET',
            version: this.version,
            path: only.path,
            headers: only.headers,
            abortSignal: this.options.abortSignal,
          }),
        );
        return;
      }
      const requests = items.map((item, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: item.path,
        ...(item.headers ? { headers: item.headers } : {}),
      }));
      const url = `${this.http.root.toString().replace(/\/+$/, '')}/${this.version}/$batch`;
      const answer = await this.http.send({
        method: 'POST',
        version: this.version,
        path: '/$batch',
        body: { requests },
        headers: { 'Content-Type': 'application/json' },
        abortSignal: this.options.abortSignal,
      });
      if (answer.status !== 200) throw answerError(answer, { url, method: 'POST' });
      const responses = (answer.body as { responses?: unknown } | undefined)?.responses;
      if (!Array.isArray(responses))
        throw new MalformedResponseError({
          vendor: 'entra',
          url,
          method: 'POST',
          status: answer.status,
          message: `POST ${url}: the batch answer has no "responses" array`,
        });
      // Responses may come in any order; `id` correlates them.
      const byId = new Map(
        responses.map((r: { id?: unknown }) => [
          String(r?.id),
          r as { status?: unknown; headers?: unknown; body?: unknown },
        ]),
      );
      items.forEach((item, i) => {
        const r = byId.get(String(i + 1));
        if (!r || typeof r.status !== 'number') {
          item.reject(
            new MalformedResponseError({
              vendor: 'entra',
              url,
              method: 'POST',
              status: answer.status,
              message: `POST ${url}: the batch answer has no response for item ${i + 1} (${item.path})`,
            }),
          );
          return;
        }
        item.resolve({
          status: r.status,
          headers: (r.headers as Record<string, string> | undefined) ?? {},
          body: r.body,
        });
      });
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }
}
