import { IncompleteReadError } from '../errors/incomplete-read-error';
import type { ProgressEvent } from '../adapter/idp-adapter-v1';

export interface Page<T, C> {
  items: T[];
  /** The cursor / link of the next page; null or undefined at the end. */
  next: C | null | undefined;
}

/**
 * Walks a cursor-paged listing to its end as an async iterator of pages. Each vendor supplies
 * `fetchPage(cursor)` (its own link / token / cursor format and its own retry layer); this layer
 * only guards the walk: a cursor seen twice is a broken listing, not an endless loop or a
 * silent duplicate, so the read fails (SPEC §5).
 */
export async function* paginate<T, C>(args: {
  vendor: string;
  resource: string;
  fetchPage: (cursor: C | null) => Promise<Page<T, C>>;
  cursorKey?: (cursor: C) => string;
  abortSignal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  maxPages?: number;
}): AsyncGenerator<T[], void, undefined> {
  const key = args.cursorKey ?? ((c: C) => (typeof c === 'string' ? c : JSON.stringify(c)));
  const seen = new Set<string>();
  let cursor: C | null = null;
  let total = 0;
  let pages = 0;
  args.onProgress?.({ type: 'start', resource: args.resource });
  for (;;) {
    if (args.abortSignal?.aborted) {
      throw new IncompleteReadError({
        vendor: args.vendor,
        resource: args.resource,
        reason: 'aborted',
        message: `${args.vendor}: reading ${args.resource} was aborted`,
      });
    }
    const page: Page<T, C> = await args.fetchPage(cursor);
    pages++;
    total += page.items.length;
    args.onProgress?.({ type: 'page', resource: args.resource, count: page.items.length, total });
    yield page.items;
    const next = page.next;
    if (next === null || next === undefined || next === '') break;
    const k = key(next);
    if (seen.has(k) || (cursor !== null && key(cursor) === k)) {
      throw new IncompleteReadError({
        vendor: args.vendor,
        resource: args.resource,
        reason: 'repeated-cursor',
        message: `${args.vendor}: the listing of ${args.resource} returned a cursor it had already returned; refusing to continue with a listing that may skip or repeat items`,
      });
    }
    seen.add(k);
    if (args.maxPages !== undefined && pages >= args.maxPages) {
      throw new IncompleteReadError({
        vendor: args.vendor,
        resource: args.resource,
        reason: 'other',
        message: `${args.vendor}: ${args.resource} exceeded ${args.maxPages} pages`,
      });
    }
    cursor = next;
  }
  args.onProgress?.({ type: 'done', resource: args.resource, total });
}

/** Collects every item of a paged listing (see `paginate`). */
export async function collectPages<T, C>(args: Parameters<typeof paginate<T, C>>[0]): Promise<T[]> {
  const out: T[] = [];
  for await (const items of paginate(args)) out.push(...items);
  return out;
}
