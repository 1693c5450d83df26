import { ApiCallError, IncompleteReadError, type ProgressEvent } from '@claude-idp/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOneLoginClient, decodeCursorHeader, OneLoginApiError, parseOneLoginErrorBody } from './index';
import { UserSchema } from './onelogin-schemas';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const BASE = 'https://acme.onelogin.com';
const SECRET = 'sEcReT-client-secret-9f1b2c';
const fast = { retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 2_000, maxRetries: 3 }, timeoutMs: 1_000 };
const client = () =>
  createOneLoginClient({
    env: { ONELOGIN_BASE_URL: BASE, ONELOGIN_CLIENT_ID: 'cid', ONELOGIN_CLIENT_SECRET: SECRET },
    ...fast,
  });
const token = http.post(`${BASE}/auth/oauth2/v2/token`, () =>
  HttpResponse.json({ access_token: 'tok-123456', expires_in: 36000, token_type: 'bearer' }),
);
const user = (id: number) => ({ id, email: `u${id}@acme.example`, username: `u${id}`, status: 1 });

describe('OneLogin v2 paging', () => {
  it('URL-decodes After-Cursor and sends it back alone (with the filters, without limit)', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      token,
      http.get(`${BASE}/api/2/users`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        if (!q.has('cursor'))
          return HttpResponse.json([user(1), user(2)], {
            headers: { 'Total-Count': '3', 'After-Cursor': 'bGltaXQ9MiZwYWdlPTI%3D' },
          });
        return HttpResponse.json([user(3)], { headers: { 'Total-Count': '3' } });
      }),
    );
    const users = await client().list('/api/2/users', {
      filters: { user_ids: '1,2,3', fields: 'id,email' },
      limit: 2,
      schema: UserSchema,
      resource: 'users',
    });
    expect(users.map((u) => u.id)).toEqual([1, 2, 3]);
    expect(Object.fromEntries(seen[0]!)).toEqual({ user_ids: '1,2,3', fields: 'id,email', limit: '2' });
    // Decoded once: the server gets the base64 value with its `=`, not `%3D`.
    expect(Object.fromEntries(seen[1]!)).toEqual({
      user_ids: '1,2,3',
      fields: 'id,email',
      cursor: 'bGltaXQ9MiZwYWdlPTI=',
    });
  });

  it('a listing shorter than its Total-Count (a dropped After-Cursor) is an IncompleteReadError, not a smaller list', async () => {
    server.use(
      token,
      http.get(`${BASE}/api/2/users`, () => HttpResponse.json([user(1), user(2)], { headers: { 'Total-Count': '5' } })),
    );
    const error = await client()
      .list('/api/2/users', { limit: 2, schema: UserSchema, resource: 'users' })
      .catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('count-mismatch');
    expect((error as Error).message).toContain('Total-Count said 5');
  });

  it('decodeCursorHeader: decodes once, keeps an undecodable value, and treats empty as the end', () => {
    expect(decodeCursorHeader('abc%3D%3D')).toBe('abc==');
    expect(decodeCursorHeader('abc%ZZ')).toBe('abc%ZZ');
    expect(decodeCursorHeader('')).toBeNull();
    expect(decodeCursorHeader(null)).toBeNull();
  });

  it('a page that is JSON of the wrong shape fails naming where (status 6 does not exist)', async () => {
    server.use(
      token,
      http.get(`${BASE}/api/2/users`, () =>
        HttpResponse.json([{ ...user(1), status: 6 }], { headers: { 'Total-Count': '1' } }),
      ),
    );
    const error = await client()
      .list('/api/2/users', { limit: 2, schema: UserSchema, resource: 'users' })
      .catch((e: unknown) => e);
    expect(IncompleteReadError.isInstance(error)).toBe(true);
    expect((error as IncompleteReadError).reason).toBe('malformed-response');
    expect((error as Error).message).toContain('0.status');
  });
});

describe('OneLogin errors and throttling', () => {
  it('parses both error bodies: v2 {message, statusCode, name} and the v1 status envelope', () => {
    expect(
      parseOneLoginErrorBody(
        '{"message":"The resource with the given id could not be found","name":"NotFoundError","statusCode":404}',
      ),
    ).toEqual({
      statusCode: 404,
      name: 'NotFoundError',
      message: 'The resource with the given id could not be found',
    });
    expect(
      parseOneLoginErrorBody(
        '{"status":{"error":true,"code":400,"type":"bad request","message":{"attribute":"id","description":"ID is incorrect"}}}',
      ),
    ).toEqual({
      statusCode: 400,
      name: 'bad request',
      message: 'id: ID is incorrect',
    });
    expect(parseOneLoginErrorBody('<html>')).toBeUndefined();
  });

  it("a refused call is one OneLoginApiError (an ApiCallError) with OneLogin's name and message", async () => {
    server.use(
      token,
      http.get(`${BASE}/api/2/apps/1`, () =>
        HttpResponse.json(
          { message: 'The resource with the given id could not be found', name: 'NotFoundError', statusCode: 404 },
          { status: 404 },
        ),
      ),
    );
    const error = await client()
      .get('/api/2/apps/1', {}, z.unknown(), 'apps/1')
      .catch((e: unknown) => e);
    expect(OneLoginApiError.isInstance(error)).toBe(true);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 404,
      errorName: 'NotFoundError',
      errorMessage: 'The resource with the given id could not be found',
      isRetryable: false,
    });
    expect((error as Error).message).toBe(
      'OneLogin GET /api/2/apps/1 answered HTTP 404 (NotFoundError: The resource with the given id could not be found)',
    );
  });

  it('waits out a 429 for X-RateLimit-Reset seconds (seconds remaining, not an epoch), then succeeds', async () => {
    let calls = 0;
    server.use(
      token,
      http.get(`${BASE}/api/2/roles`, () =>
        ++calls === 1
          ? HttpResponse.json(
              { message: 'Too Many Requests', statusCode: 429, name: 'TooManyRequestsError' },
              {
                status: 429,
                headers: { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1' },
              },
            )
          : HttpResponse.json([], { headers: { 'Total-Count': '0' } }),
      ),
    );
    const events: ProgressEvent[] = [];
    const c = createOneLoginClient({
      env: { ONELOGIN_BASE_URL: BASE, ONELOGIN_ACCESS_TOKEN: 'ready-token-1' },
      retry: { maxDelayMs: 5_000, budgetMs: 10_000 },
    });
    const started = Date.now();
    await c.list(
      '/api/2/roles',
      { limit: 650, schema: z.unknown(), resource: 'roles' },
      { onProgress: (e) => events.push(e) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const throttle = events.find((e) => e.type === 'throttle');
    expect(throttle).toMatchObject({ type: 'throttle', resource: 'roles' });
    expect((throttle as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1_000);
    expect((throttle as { delayMs: number }).delayMs).toBeLessThan(2_000);
  });

  it('never puts the client secret or a token in an error', async () => {
    server.use(
      http.post(`${BASE}/auth/oauth2/v2/token`, ({ request }) =>
        HttpResponse.json(
          {
            message: `bad credentials ${request.headers.get('authorization')}`,
            statusCode: 401,
            name: 'UnauthorizedError',
          },
          { status: 401 },
        ),
      ),
    );
    const error = await client()
      .get('/api/2/apps/1', {}, z.unknown(), 'apps/1')
      .catch((e: unknown) => e);
    expect(OneLoginApiError.isInstance(error)).toBe(true);
    const printed = JSON.stringify({
      message: (error as Error).message,
      ...(error as object),
      cause: String((error as Error).cause),
    });
    expect(printed).not.toContain(SECRET);
    expect((error as Error).message).toContain('ONELOGIN_CLIENT_ID / ONELOGIN_CLIENT_SECRET');
  });

  it('never puts an issued access token in an error either', async () => {
    server.use(
      http.post(`${BASE}/auth/oauth2/v2/token`, () =>
        HttpResponse.json({ access_token: 'issued-token-7a7a7a7a', expires_in: 36000 }),
      ),
      http.get(`${BASE}/api/2/roles`, ({ request }) =>
        HttpResponse.json(
          {
            message: `denied for ${request.headers.get('authorization')?.slice(7)}`,
            statusCode: 400,
            name: 'BadRequestError',
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client()
      .list('/api/2/roles', { limit: 650, schema: z.unknown(), resource: 'roles' })
      .catch((e: unknown) => e);
    expect(OneLoginApiError.isInstance(error)).toBe(true);
    expect(JSON.stringify({ m: (error as Error).message, ...(error as object) })).not.toContain(
      'issued-token-7a7a7a7a',
    );
    expect((error as OneLoginApiError).errorMessage).toContain('[REDACTED]');
  });
});
