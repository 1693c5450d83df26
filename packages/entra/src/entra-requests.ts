import {
  ApiCallError,
  IncompleteReadError,
  paginate,
  withRetry,
  type ReadSnapshotOptions,
  type RetryPolicy,
} from '@claude-idp/core';
import { GraphBatcher } from './entra-batch';
import { answerError, toPermissionError } from './entra-errors';
import type { GraphAnswer, GraphHttp, GraphVersion } from './entra-graph-client';

/** What one read needs to talk to Graph: the HTTP client, a batcher per API version, retry and progress. */
export interface GraphReader {
  http: GraphHttp;
  batchers: Record<GraphVersion, GraphBatcher>;
  retry: Partial<RetryPolicy> | undefined;
  abortSignal: AbortSignal | undefined;
  onProgress: ReadSnapshotOptions['onProgress'];
}

export function createGraphReader(
  http: GraphHttp,
  options: {
    concurrency: number;
    retry?: Partial<RetryPolicy>;
    abortSignal?: AbortSignal;
    onProgress?: ReadSnapshotOptions['onProgress'];
  },
): GraphReader {
  const batcher = (v: GraphVersion) =>
    new GraphBatcher(http, v, { concurrency: options.concurrency, abortSignal: options.abortSignal });
  return {
    http,
    batchers: { 'v1.0': batcher('v1.0'), beta: batcher('beta') },
    retry: options.retry,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
  };
}

export interface GetOptions {
  resource: string;
  /** Application permission(s) that a 401/403 here asks to grant. */
  grant: string[];
  version?: GraphVersion;
  headers?: Record<string, string>;
  /** Statuses that are answers rather than errors (e.g. 404 for "no claims policy"). */
  accept?: number[];
  /** How the batcher queues this request (see `GraphBatcher.get`). */
  queue?: { pagesLeft?: number; discovery?: boolean };
}

/** One GET (batched with others issued at the same time), retried within the policy; 401/403 name the permission. */
export async function graphGet(reader: GraphReader, path: string, options: GetOptions): Promise<GraphAnswer> {
  const version = options.version ?? 'v1.0';
  const url = `${reader.http.root.toString().replace(/\/+$/, '')}/${version}${path}`;
  try {
    return await withRetry(
      async () => {
        const answer = await reader.batchers[version].get(path, options.headers, options.queue);
        if (answer.status >= 200 && answer.status < 300) return answer;
        if (options.accept?.includes(answer.status)) return answer;
        throw answerError(answer, { url, method: 'GET' });
      },
      {
        vendor: 'entra',
        resource: options.resource,
        policy: reader.retry,
        abortSignal: reader.abortSignal,
        onProgress: reader.onProgress,
      },
    );
  } catch (error) {
    if (ApiCallError.isInstance(error) && (error.status === 401 || error.status === 403))
      throw toPermissionError(error, options.grant);
    throw error;
  }
}

interface GraphPage<T> {
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: T[];
}

/**
 * Every item of a Graph collection, following `@odata.nextLink` exactly as given (through the
 * batcher, so next pages of different listings share round trips).
 *
 * With `count`, the first request carries `$count=true` and `ConsistencyLevel: eventual` (Graph
 * ignores `$count` without that header, and paging does not carry headers over, so every page
 * sends it), and the total read must equal `@odata.count` from the first page: a next link that
 * goes missing mid-list, or a short page, then fails the read instead of yielding fewer members.
 * The count also tells the batcher how many pages a listing still has (at the first page's size),
 * so long listings go first and the rest fills their batches (see `GraphBatcher`).
 */
export async function listAll<T>(
  reader: GraphReader,
  path: string,
  options: GetOptions & { count?: boolean },
): Promise<T[]> {
  let counted = Boolean(options.count);
  let first = path;
  const headers = () => (counted ? { ...options.headers, ConsistencyLevel: 'eventual' } : options.headers);
  let expected: number | undefined;
  let read = 0;
  let pageSize = 0;
  const out: T[] = [];
  const pages = paginate<T, string>({
    vendor: 'entra',
    resource: options.resource,
    abortSignal: reader.abortSignal,
    onProgress: reader.onProgress,
    fetchPage: async (link) => {
      const target =
        link === null
          ? { version: options.version ?? 'v1.0', path: first }
          : reader.http.relativeLink(link, options.resource);
      let answer: GraphAnswer;
      try {
        const pagesLeft =
          link !== null && expected !== undefined && pageSize > 0
            ? Math.max(1, Math.ceil((expected - read) / pageSize))
            : 0;
        const queue = { pagesLeft, discovery: link === null && counted };
        answer = await graphGet(reader, target.path, {
          ...options,
          version: target.version,
          headers: headers(),
          queue,
        });
      } catch (error) {
        // Where Graph does not support `$count` on a relationship it answers 400 ("$count is not
        // currently supported."): read that listing without the cross-check rather than not at all.
        if (link !== null || !counted || !ApiCallError.isInstance(error) || error.status !== 400) throw error;
        counted = false;
        first = path
          .replace(/[?&]\$count=true/, (m) => (m.startsWith('?') ? '?' : ''))
          .replace('?&', '?')
          .replace(/\?$/, '');
        answer = await graphGet(reader, first, { ...options, version: target.version, headers: headers() });
      }
      const page = answer.body as GraphPage<T> | undefined;
      if (!page || !Array.isArray(page.value)) {
        throw new IncompleteReadError({
          vendor: 'entra',
          resource: options.resource,
          reason: 'malformed-response',
          message: `entra: a page of ${options.resource} has no "value" array`,
        });
      }
      if (link === null && counted && typeof page['@odata.count'] === 'number') expected = page['@odata.count'];
      read += page.value.length;
      pageSize = Math.max(pageSize, page.value.length);
      return { items: page.value, next: page['@odata.nextLink'] ?? null };
    },
  });
  for await (const items of pages) out.push(...items);
  if (expected !== undefined && out.length !== expected) {
    throw new IncompleteReadError({
      vendor: 'entra',
      resource: options.resource,
      reason: 'count-mismatch',
      message: `entra: ${options.resource} returned ${out.length} item(s) but Graph counted ${expected} (@odata.count); a page or next link went missing`,
    });
  }
  return out;
}

/** Builds an OData query string. `$filter` values are percent-encoded; string literals in them must already double their quotes. */
export function odata(params: { $select?: string[]; $filter?: string; $top?: number; $count?: boolean }): string {
  const parts: string[] = [];
  if (params.$filter) parts.push(`$filter=${encodeURIComponent(params.$filter)}`);
  if (params.$select?.length) parts.push(`$select=${params.$select.join(',')}`);
  if (params.$top) parts.push(`$top=${params.$top}`);
  if (params.$count) parts.push('$count=true');
  return parts.length ? `?${parts.join('&')}` : '';
}

/** An OData string literal: single quotes doubled (`O'Brien` -> `'O''Brien'`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
