/** `GET|PUT /v1/defaults`: admins change per-kind defaults by role, and fan-out follows them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

async function decided(orderId: string): Promise<NotificationRecord[]> {
  return eventually(async () => {
    const list = (await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications as NotificationRecord[];
    const mine = list.filter((n) => n.orderId === orderId);
    return mine.length === 3 && mine.every((n) => n.status !== 'queued') ? mine : null;
  }, `decisions for ${orderId}`);
}

describe('/v1/defaults', () => {
  it('shows the built-in table as effective when nothing is overridden', async () => {
    const { status, body } = await app.api('GET', '/v1/defaults');
    expect(status).toBe(200);
    expect(body.overrides).toEqual({});
    expect(body.effective.order_confirmed).toMatchObject({ buyer: ['email'], seller: [], urgent: false, fallback: { buyer: 'email' } });
  });

  it('refuses a bad override naming the field, and keeps the old one', async () => {
    const res = await app.api('PUT', '/v1/defaults', { order_confirmed: { buyer: ['fax'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('order_confirmed.buyer.0');
    const unknownKind = await app.api('PUT', '/v1/defaults', { birthday: { buyer: ['email'] } });
    expect(unknownKind.status).toBe(400);
    expect((await app.api('GET', '/v1/defaults')).body.overrides).toEqual({});
  });

  it('changes what fan-out sends: order_confirmed by SMS too once an admin says so', async () => {
    await app.api('POST', '/v1/orders', order('o-before'));
    expect((await decided('o-before')).find((n) => n.channel === 'sms')).toMatchObject({ status: 'skipped', reason: 'preference_off' });

    const put = await app.api('PUT', '/v1/defaults', { order_confirmed: { buyer: ['email', 'sms'] } });
    expect(put.status).toBe(200);
    expect(put.body.effective.order_confirmed.buyer).toEqual(['email', 'sms']);
    await new Promise((r) => setTimeout(r, 1_100)); // each process re-reads the overrides within a second
    await app.api('POST', '/v1/orders', order('o-after'));
    expect((await decided('o-after')).find((n) => n.channel === 'sms')).toMatchObject({ status: 'sent' });
  });
});
