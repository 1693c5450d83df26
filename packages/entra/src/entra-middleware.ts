import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { FetchLike } from '@claude-idp/core';

/** Keeps the Authorization header only on requests to the configured Graph origin (see GraphHttp). */
export class OriginBearerHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly origin: string) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = (context.options?.headers ?? {}) as Record<string, string>;
    if (new URL(url).origin !== this.origin) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
    }
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The last middleware: the injected fetch (the SDK's HTTPMessageHandler always uses the global one). */
export class FetchHandler implements Middleware {
  constructor(private readonly fetch: FetchLike) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetch(context.request as string | Request, context.options as RequestInit);
  }
}
