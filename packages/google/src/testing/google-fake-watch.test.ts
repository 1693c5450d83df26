import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermissionError } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { writeServiceAccountKey } from '../google-test-key';
import { createGoogleEventReceiver, GOOGLE_DIRECTORY_SCOPES, GOOGLE_REPORTS_SCOPE } from '../index';
import { createGoogleFake } from './index';
import { serveReceiver } from './receiver-server';

// msw answers the Admin SDK in-process; notifications go to a real loopback listener (msw lets
// requests it has no handler for through).
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const setup = () => {
  const fake = createGoogleFake(conformanceTenant());
  server.resetHandlers(...fake.handlers);
  return fake;
};
const post = (fake: ReturnType<typeof setup>, path: string, body: unknown, token = fake.accessToken) =>
  fetch(`${fake.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const channel = (address: string, id = 'c1') => ({ id, type: 'web_hook', address, token: 'tok-1234567890abcdef' });

describe("the fake's watch endpoints answer as Google does", () => {
  it('users.watch answers an api#channel with resourceId, resourceUri and expiration, then sends sync', async () => {
    const fake = setup();
    const listener = await serveReceiver(createGoogleEventReceiver({ env: fake.env }));
    try {
      const res = await post(fake, '/admin/directory/v1/users/watch?customer=my_customer&event=add', {
        ...channel(`${listener.url}/events/google`),
        params: { ttl: '3600' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(body).toMatchObject({ kind: 'api#channel', id: 'c1', token: 'tok-1234567890abcdef' });
      expect(body.resourceId).toMatch(/\S{10,}/);
      expect(body.resourceUri).toContain('/admin/directory/v1/users?customer=my_customer&event=add');
      expect(Number(body.expiration) - Date.now()).toBeLessThanOrEqual(3600_000);
      const [sync] = await fake.events.settled();
      expect(sync!.headers).toMatchObject({
        'x-goog-channel-id': 'c1',
        'x-goog-channel-token': 'tok-1234567890abcdef',
        'x-goog-resource-id': body.resourceId,
        'x-goog-resource-state': 'sync',
        'x-goog-message-number': '1',
      });
      expect(sync!.body).toBe('');
      // A channel this receiver did not create is refused.
      expect(sync!.status).toBe(403);
    } finally {
      await listener.close();
    }
  });

  it('refuses a non-https address, a duplicate channel id and a bad event; caps the lifetime at 2 days', async () => {
    const fake = setup();
    const http = await post(
      fake,
      '/admin/directory/v1/users/watch?customer=my_customer&event=add',
      channel('http://example.com/x'),
    );
    expect(http.status).toBe(400);
    expect(JSON.stringify(await http.json())).toContain('push.webhookUrlNotHttps');
    const ok = await post(fake, '/admin/directory/v1/users/watch?customer=my_customer&event=add', {
      ...channel('https://watch.example.com/events/google'),
      params: { ttl: String(30 * 86_400) },
    });
    const created = (await ok.json()) as { expiration: string };
    expect(Number(created.expiration) - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);
    const dup = await post(
      fake,
      '/admin/directory/v1/users/watch?customer=my_customer&event=update',
      channel('https://watch.example.com/events/google'),
    );
    expect(dup.status).toBe(400);
    expect(JSON.stringify(await dup.json())).toContain('channelIdNotUnique');
    const bad = await post(
      fake,
      '/admin/directory/v1/users/watch?customer=my_customer&event=rename',
      channel('https://w.example.com/', 'c2'),
    );
    expect(bad.status).toBe(400);
  });

  it('answers 501 for what it does not model', async () => {
    const fake = setup();
    const noEvent = await post(
      fake,
      '/admin/directory/v1/users/watch?customer=my_customer',
      channel('https://w.example.com/'),
    );
    expect(noEvent.status).toBe(501);
    const drive = await post(
      fake,
      '/admin/reports/v1/activity/users/all/applications/drive/watch',
      channel('https://w.example.com/'),
    );
    expect(drive.status).toBe(501);
    const list = await fetch(`${fake.baseUrl}/admin/reports/v1/activity/users/all/applications/admin`, {
      headers: { authorization: `Bearer ${fake.accessToken}` },
    });
    expect(list.status).toBe(501);
    const payload = await post(fake, '/admin/directory/v1/users/watch?customer=my_customer&event=add', {
      ...channel('https://w.example.com/', 'c3'),
      payload: true,
    });
    expect(payload.status).toBe(501);
  });

  it('channels.stop answers 204 for a channel it holds and 404 for one it does not', async () => {
    const fake = setup();
    const created = (await (
      await post(
        fake,
        '/admin/directory/v1/users/watch?customer=my_customer&event=add',
        channel('https://w.example.com/'),
      )
    ).json()) as { id: string; resourceId: string };
    const wrong = await post(fake, '/admin/directory_v1/channels/stop', { id: created.id, resourceId: 'other' });
    expect(wrong.status).toBe(404);
    const stop = await post(fake, '/admin/directory_v1/channels/stop', {
      id: created.id,
      resourceId: created.resourceId,
    });
    expect(stop.status).toBe(204);
    expect(fake.events.channels).toHaveLength(0);
  });
});

describe('scopes', () => {
  const keyFile = writeServiceAccountKey();

  it('a service account without the Reports scope delegated gets a PermissionError naming it', async () => {
    const fake = createGoogleFake(conformanceTenant(), { delegation: [...GOOGLE_DIRECTORY_SCOPES] });
    server.resetHandlers(...fake.handlers);
    const receiver = createGoogleEventReceiver({
      env: {
        GOOGLE_API_URL: fake.baseUrl,
        GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        GOOGLE_ADMIN_SUBJECT: 'ada.lovelace@acme.example',
      },
    });
    const error = await receiver
      .subscriptions!.ensure({ publicUrl: 'https://watch.example.com', now: new Date() })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual([GOOGLE_REPORTS_SCOPE]);
    expect((error as Error).message).toMatch(/GOOGLE_WATCH_GROUP_ACTIVITY=false/);
    // The user channels were opened with the directory scopes; the Reports token asked for its scope alone.
    expect(fake.tokenRequests.at(-1)).toMatchObject({ scopes: [GOOGLE_REPORTS_SCOPE], granted: false });
    expect(fake.events.channels.map((c) => c.watch)).toHaveLength(4);
  });

  it('GOOGLE_WEBHOOK_TOKEN is the token of every channel; a short one is refused', async () => {
    const fake = setup();
    const fixed = 'a-fixed-webhook-token-0123456789';
    const receiver = createGoogleEventReceiver({ env: { ...fake.env, GOOGLE_WEBHOOK_TOKEN: fixed } });
    await receiver.subscriptions!.ensure({ publicUrl: 'https://watch.example.com', now: new Date() });
    expect(new Set(fake.events.channels.map((c) => c.token))).toEqual(new Set([fixed]));
    const short = createGoogleEventReceiver({ env: { ...fake.env, GOOGLE_WEBHOOK_TOKEN: 'short' } });
    await expect(
      short.subscriptions!.ensure({ publicUrl: 'https://watch2.example.com', now: new Date() }),
    ).rejects.toThrow(/16 to 256/);
  });
});
