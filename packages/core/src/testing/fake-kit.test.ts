import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKit } from './fake-kit';

const throttle = () => ({ status: 429, headers: { 'x-vendor-reset': '1' }, body: { error: 'slow down' } });
const vendor = new FakeKit({
  throttle,
  error: (status, request, message) => ({
    headers: { 'x-vendor-request-id': 'r1' },
    body: { vendorError: { status, path: request.pathname, message: message ?? 'default' } },
  }),
});
const plain = new FakeKit({ throttle });
const server = setupServer(
  http.get(
    'https://vendor.example/ok',
    vendor.handle(() => HttpResponse.json({ ok: true })),
  ),
  http.get(
    'https://vendor.example/dated',
    vendor.handle(() => HttpResponse.json({ ok: true }, { headers: { date: 'Tue, 01 Jan 2030 00:00:00 GMT' } })),
  ),
  http.get(
    'https://vendor.example/missing',
    vendor.handle(({ request }) => vendor.notModelled(request, 'the missing endpoint')),
  ),
  http.get(
    'https://plain.example/ok',
    plain.handle(() => HttpResponse.json({ ok: true })),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
};

describe('FakeKit: every answer looks like the vendor', () => {
  it('every answer carries a Date header, the current second unless the resolver set one', async () => {
    const ok = await get('https://vendor.example/ok');
    expect(Math.abs(Date.parse(ok.headers.get('date')!) - Date.now())).toBeLessThan(2_000);
    expect((await get('https://vendor.example/dated')).headers.get('date')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    vendor.inject({ fault: { type: 'throttle' } });
    const t = await get('https://vendor.example/ok');
    expect(t).toMatchObject({ status: 429, body: { error: 'slow down' } });
    expect(t.headers.get('date')).toBeTruthy();
    // The throttle's own headers, over the ones every answer of the vendor carries.
    expect(t.headers.get('x-vendor-reset')).toBe('1');
    expect(t.headers.get('x-vendor-request-id')).toBe('r1');
  });

  it("an injected status answers the vendor's error body and headers (the `error` hook)", async () => {
    vendor.inject({ fault: { type: 'status', status: 503 } });
    const r = await get('https://vendor.example/ok');
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ vendorError: { status: 503, path: '/ok', message: 'default' } });
    expect(r.headers.get('x-vendor-request-id')).toBe('r1');
    expect(r.headers.get('date')).toBeTruthy();
  });

  it("a fault's own body wins, keeping the vendor's headers; its own headers are added", async () => {
    vendor.inject({
      fault: { type: 'status', status: 403, body: { custom: true }, headers: { 'www-authenticate': 'Bearer' } },
    });
    const r = await get('https://vendor.example/ok');
    expect(r).toMatchObject({ status: 403, body: { custom: true } });
    expect(r.headers.get('x-vendor-request-id')).toBe('r1');
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(Number(r.headers.get('content-length'))).toBe(JSON.stringify({ custom: true }).length);
  });

  it('notModelled is a 501 in the vendor shape naming what is not modelled', async () => {
    const r = await get('https://vendor.example/missing');
    expect(r.status).toBe(501);
    expect(r.body).toEqual({
      vendorError: { status: 501, path: '/missing', message: 'Not modelled by this fake: the missing endpoint' },
    });
  });

  it('without a hook, an injected status still names itself', async () => {
    plain.inject({ fault: { type: 'status', status: 500 } });
    expect(await get('https://plain.example/ok')).toMatchObject({ status: 500, body: { error: 'injected 500' } });
  });
});
