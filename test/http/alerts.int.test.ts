/** `POST /v1/alerts/:id/ack` over real HTTP and Redis: who and when go into the trail, once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { dropPrefix, startTestApp, testClock, type TestApp } from '../support/app.js';

const clock = testClock();
let app: TestApp;

const record = (id: string, extra: Partial<NotificationRecord>): NotificationRecord => ({
  id,
  kind: 'lost',
  discriminator: '',
  channel: 'email',
  recipientId: 'seller-1',
  role: 'seller',
  orderId: 'o-1',
  shipmentId: 'shp-1',
  status: 'sent',
  causedBy: 'update u-1',
  createdAt: clock.now().toISOString(),
  updatedAt: clock.now().toISOString(),
  ...extra,
});

beforeAll(async () => {
  app = await startTestApp({ now: clock.now, workers: [] });
  await app.deps.stores.notifications.create(record('ntf_alert', {}));
  await app.deps.stores.notifications.create(record('ntf_buyer', { role: 'buyer', recipientId: 'buyer-1' }));
  await app.deps.stores.notifications.create(record('ntf_shipped', { kind: 'shipped' }));
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('POST /v1/alerts/:id/ack', () => {
  it('records who acknowledged and when, in the trail', async () => {
    const res = await app.api('POST', '/v1/alerts/ntf_alert/ack', { by: 'ops@acme.example' });
    expect(res.status).toBe(200);
    expect(res.body.alert).toMatchObject({ id: 'ntf_alert', kind: 'lost', acknowledged: true, acknowledgedBy: 'ops@acme.example', alreadyAcknowledged: false });
    const trail = await app.deps.stores.notifications.trail('ntf_alert');
    expect(trail.filter((e) => e.step === 'acknowledged')).toEqual([{ at: res.body.alert.acknowledgedAt, step: 'acknowledged', detail: 'by ops@acme.example' }]);
    const log = await app.api('GET', '/v1/notifications/ntf_alert');
    expect(JSON.stringify(log.body)).toContain('by ops@acme.example');
  });

  it('is idempotent: a second ack keeps the first', async () => {
    clock.advance(60_000);
    const res = await app.api('POST', '/v1/alerts/ntf_alert/ack', { by: 'someone-else' });
    expect(res.status).toBe(200);
    expect(res.body.alert).toMatchObject({ acknowledgedBy: 'ops@acme.example', alreadyAcknowledged: true });
    expect((await app.deps.stores.notifications.trail('ntf_alert')).filter((e) => e.step === 'acknowledged')).toHaveLength(1);
  });

  it('acknowledges without a body, as the admin API', async () => {
    await app.deps.stores.notifications.create(record('ntf_alert2', { kind: 'exception' }));
    const res = await fetch(`${app.baseUrl}/v1/alerts/ntf_alert2/ack`, { method: 'POST', headers: { authorization: `Bearer ${app.config.adminToken}` } });
    expect(res.status).toBe(200);
    expect((await res.json()).alert.acknowledgedBy).toBe('admin API');
  });

  it('answers 404 for an unknown notification', async () => {
    const res = await app.api('POST', '/v1/alerts/ntf_nope/ack', {});
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', details: [{ field: 'id' }] });
  });

  it('answers 422 for a notification that is not a seller alert, and records nothing', async () => {
    for (const id of ['ntf_buyer', 'ntf_shipped']) {
      const res = await app.api('POST', `/v1/alerts/${id}/ack`, {});
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'not_a_seller_alert', details: [{ field: 'id' }] });
      expect((await app.deps.stores.notifications.trail(id)).map((e) => e.step)).not.toContain('acknowledged');
    }
  });

  it('answers 400 naming the field for a bad body, and 401 without the admin token', async () => {
    const bad = await app.api('POST', '/v1/alerts/ntf_alert/ack', { by: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['by']));
    const anon = await fetch(`${app.baseUrl}/v1/alerts/ntf_alert/ack`, { method: 'POST' });
    expect(anon.status).toBe(401);
  });
});
