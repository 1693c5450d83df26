import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleFake } from './google-fake';

const fake = createGoogleFake(conformanceTenant());
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('google fake: an injected status answers as Google does', () => {
  it.each([
    [429, 'rateLimitExceeded', 'usageLimits', 'RESOURCE_EXHAUSTED'],
    [503, 'backendError', 'global', 'UNAVAILABLE'],
    [404, 'notFound', 'global', 'NOT_FOUND'],
  ])('%i: error.code / message / errors[] / status, with Date', async (status, reason, domain, canonical) => {
    fake.kit.inject({ fault: { type: 'status', status }, match: '/users' });
    const res = await fetch(`${fake.baseUrl}/admin/directory/v1/users?customer=my_customer`, {
      headers: { authorization: `Bearer ${fake.accessToken}` },
    });
    expect(res.status).toBe(status);
    const body = (await res.json()) as {
      error: {
        code: number;
        message: string;
        errors: { message: string; domain: string; reason: string }[];
        status: string;
      };
    };
    expect(body).toEqual({
      error: {
        code: status,
        message: expect.any(String),
        errors: [{ message: body.error.message, domain, reason }],
        status: canonical,
      },
    });
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(Math.abs(Date.parse(res.headers.get('date')!) - Date.now())).toBeLessThan(5_000);
  });
});
