import { conformanceTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraFake } from './entra-fake';

const fake = createEntraFake(conformanceTenant());
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('entra fake: an injected status answers as Graph does', () => {
  it.each([
    [503, 'serviceNotAvailable'],
    [500, 'generalException'],
    [403, 'Authorization_RequestDenied'],
  ])(
    '%i: Graph error envelope with innerError, request-id / client-request-id headers and Date',
    async (status, code) => {
      fake.kit.inject({ fault: { type: 'status', status }, match: '/users' });
      const res = await fetch(`${fake.baseUrl}/v1.0/users?$select=id`, {
        headers: { authorization: 'Bearer t', 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' },
      });
      expect(res.status).toBe(status);
      const body = (await res.json()) as {
        error: { code: string; message: string; innerError: Record<string, string> };
      };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatchObject({ code, message: expect.any(String) });
      expect(Object.keys(body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
      expect(res.headers.get('request-id')).toBe(body.error.innerError['request-id']);
      expect(res.headers.get('client-request-id')).toBe('c0ffee00-0000-4000-8000-000000000001');
      expect(Math.abs(Date.parse(res.headers.get('date')!) - Date.now())).toBeLessThan(5_000);
    },
  );
});
