import { afterEach, describe, expect, it } from 'vitest';
import { conformanceTenant } from '@claude-idp/core/testing';
import { startWatchHarness, type WatchHarness } from '../entra-watch-harness.test-helper';

let h: WatchHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function graph(path: string, init: { method: string; body?: unknown; auth?: boolean }) {
  const res = await fetch(`${h!.graph.url}${path}`, {
    method: init.method,
    headers: {
      ...(init.auth === false ? {} : { authorization: 'Bearer t0ken' }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe('entra fake: /v1.0/subscriptions as Graph answers them', () => {
  it('creates (201) after validation, lists, reads, reauthorizes (204) and deletes (204); 404 once gone', async () => {
    h = await startWatchHarness(conformanceTenant());
    const url = `${h.publicUrl}/events/entra`;
    const created = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { changeType: 'deleted', notificationUrl: url, resource: '/users', expirationDateTime: inAnHour() },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      resource: 'users',
      changeType: 'deleted',
      clientState: null,
      notificationUrl: url,
    });
    const id = created.body!.id as string;
    expect((await graph('/v1.0/subscriptions', { method: 'GET' })).body!.value).toHaveLength(1);
    expect((await graph(`/v1.0/subscriptions/${id}`, { method: 'GET' })).body!.id).toBe(id);
    expect((await graph(`/v1.0/subscriptions/${id}/reauthorize`, { method: 'POST' })).status).toBe(204);
    expect((await graph(`/v1.0/subscriptions/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await graph(`/v1.0/subscriptions/${id}`, { method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect(gone.body!.error.code).toBe('ResourceNotFound');
  });

  it('refuses what Graph refuses (400, 401) and answers 501 to what it does not model, without validating', async () => {
    h = await startWatchHarness(conformanceTenant());
    const base = { changeType: 'updated', notificationUrl: `${h.publicUrl}/events/entra`, resource: 'groups' };
    const tooFar = new Date(Date.now() + 41_761 * 60_000).toISOString();
    const far = await graph('/v1.0/subscriptions', { method: 'POST', body: { ...base, expirationDateTime: tooFar } });
    expect(far.status).toBe(400);
    expect(far.body!.error.message).toBe('Subscription expiration can only be 41760 minutes in the future.');
    const created = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { ...base, changeType: 'created,updated', expirationDateTime: inAnHour() },
    });
    expect(created.status).toBe(400);
    expect(created.body!.error.message).toMatch(/'created' is not supported/);
    const badType = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { ...base, changeType: 'moved', expirationDateTime: inAnHour() },
    });
    expect(badType.status).toBe(400);
    const offLoopback = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { ...base, notificationUrl: 'http://watch.example.com/events/entra', expirationDateTime: inAnHour() },
    });
    expect(offLoopback.status).toBe(400);
    const mail = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { ...base, resource: 'me/messages', expirationDateTime: inAnHour() },
    });
    expect(mail.status).toBe(501);
    expect(mail.body!.error.message).toMatch(/Not modelled/);
    const rich = await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: { ...base, includeResourceData: true, expirationDateTime: inAnHour() },
    });
    expect(rich.status).toBe(501);
    expect((await graph('/v1.0/subscriptions', { method: 'GET', auth: false })).status).toBe(401);
    expect(h.fake.events.deliveries).toEqual([]);
    expect(h.fake.events.subscriptions).toEqual([]);
  });

  it('delivers only the change types a subscription asked for', async () => {
    h = await startWatchHarness(conformanceTenant());
    await graph('/v1.0/subscriptions', {
      method: 'POST',
      body: {
        changeType: 'deleted',
        notificationUrl: `${h.publicUrl}/events/entra`,
        resource: 'groups',
        expirationDateTime: inAnHour(),
        clientState: 'state-for-this-test',
      },
    });
    const before = h.fake.events.deliveries.length;
    h.fake.update((t) => {
      t.users.find((u) => u.id === 'u02')!.status = 'suspended';
    });
    expect((await h.fake.events.settled()).length).toBe(before);
    h.fake.update((t) => {
      t.groups.find((g) => g.id === 'g06')!.name = 'Sales EMEA';
    });
    expect((await h.fake.events.settled()).length).toBe(before);
    h.fake.update((t) => {
      t.groups = t.groups.filter((g) => g.id !== 'g06');
    });
    const after = await h.fake.events.settled();
    expect(after.length).toBe(before + 1);
    const body = JSON.parse(after[after.length - 1]!.body);
    const id = h.fake.graphId('group', 'g06');
    expect(body.value[0]).toMatchObject({
      changeType: 'deleted',
      clientState: 'state-for-this-test',
      resource: `Groups/${id}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.Group', '@odata.id': `Groups/${id}`, id },
      tenantId: h.fake.tenantId,
    });
  });
});
