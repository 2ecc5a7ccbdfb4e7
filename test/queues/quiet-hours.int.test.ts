/**
 * Quiet hours as delayed BullMQ jobs, across the US spring-forward night (2026-03-08, America/New_York),
 * urgent kinds bypassing them for email and push but never for SMS, and a held message made stale.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, REDIS_URL, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

// The label is made at 21:10 EST on Saturday 7 March; the scans follow, and the test then stands at
// 22:00 EST. Clocks jump from 02:00 to 03:00 that night, so 08:00 EDT is 9 h away, not 10.
const clock = testClock(Date.parse('2026-03-08T02:10:00.000Z'));
const RELEASE = '2026-03-08T12:00:00.000Z';
let app: TestApp;
let shipmentId: string;

beforeAll(async () => {
  app = await startTestApp({ now: clock.now });
  const subscription = { endpoint: 'https://push.example.com/send/q', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } };
  await app.api('PUT', '/v1/recipients/buyer-1', buyer({ timezone: 'America/New_York', preferences: { quietHours: { start: '21:00', end: '08:00' } } }));
  await app.api('POST', '/v1/recipients/buyer-1/push-subscriptions', subscription);
  await app.api('PUT', '/v1/recipients/seller-1', seller({ timezone: 'America/Chicago' }));
  await app.api('POST', '/v1/orders', order('o-1'));
  shipmentId = (await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] })).body.shipmentId;
  await eventually(async () => (await app.deps.stores.shipments.get(shipmentId))?.status === 'label_created', 'label created');
  clock.advance(50 * 60_000);
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const scan = { time: '2026-03-08T02:20:00Z', status: 'in_transit', description: 'Picked up' };
const exception = { time: '2026-03-08T02:30:00Z', status: 'exception', subStatus: 'address_issue', description: 'Address incomplete' };
const ofd = { time: '2026-03-08T02:45:00Z', status: 'out_for_delivery', description: 'Out for delivery' };
const delivered = { time: '2026-03-08T02:55:00Z', status: 'delivered', description: 'Delivered' };

async function decisions(kind: string): Promise<NotificationRecord[]> {
  return eventually(async () => {
    const list = (await app.deps.stores.notifications.list({ shipmentId, limit: 1000 })).filter((n) => n.kind === kind && n.recipientId === 'buyer-1');
    // One record per channel once fan-out is done with this buyer.
    return list.length === 3 && list.every((n) => n.status !== 'queued') ? list : null;
  }, `${kind} decided`);
}

describe('quiet hours', () => {
  it('sends an urgent exception by email and push at night, but holds its SMS until 08:00 local', async () => {
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'exception', subStatus: 'address_issue', events: [scan, exception] });
    const list = await decisions('exception');
    const by = Object.fromEntries(list.map((n) => [n.channel, n]));
    expect(by.email).toMatchObject({ status: 'sent' });
    expect(by.push).toMatchObject({ status: 'sent' });
    expect(by.sms).toMatchObject({ status: 'held', reason: 'quiet_hours', holdUntil: RELEASE });
  });

  it('holds a non-urgent out-for-delivery as a delayed job released at the end of the window (9 h across DST)', async () => {
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [scan, exception, ofd] });
    const list = await decisions('out_for_delivery');
    expect(list.map((n) => [n.channel, n.status, n.holdUntil])).toEqual(expect.arrayContaining([['sms', 'held', RELEASE], ['push', 'held', RELEASE]]));
    const sms = new Queue('sms', { connection: { url: REDIS_URL }, prefix: app.deps.keys.bullPrefix });
    const job = await sms.getJob(list.find((n) => n.channel === 'sms')!.id);
    expect(await job!.getState()).toBe('delayed');
    const hours = job!.opts.delay! / 3_600_000;
    expect(hours).toBeGreaterThan(8.9);
    expect(hours).toBeLessThanOrEqual(9);
    await sms.close();
  });

  it('drops a held out-for-delivery once the parcel is delivered (superseded), and sends the delivery', async () => {
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'delivered', events: [scan, exception, ofd, delivered] });
    await decisions('delivered');
    // Morning comes: release every held job now instead of waiting nine hours.
    clock.advance(9 * 3_600_000);
    for (const name of ['sms', 'push', 'email']) {
      const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: app.deps.keys.bullPrefix });
      for (const job of await queue.getJobs(['delayed'])) await job.promote();
      await queue.close();
    }
    const ofdAfter = await eventually(async () => {
      const list = (await app.deps.stores.notifications.list({ shipmentId, limit: 1000 })).filter((n) => n.kind === 'out_for_delivery' && n.recipientId === 'buyer-1');
      return list.every((n) => n.status !== 'held') ? list : null;
    }, 'held out-for-delivery released');
    const wasHeld = ofdAfter.filter((n) => n.holdUntil);
    expect(wasHeld.map((n) => n.channel).sort()).toEqual(['push', 'sms']);
    for (const n of wasHeld) expect(n).toMatchObject({ status: 'skipped', reason: 'superseded' });
    const deliveredAfter = await eventually(async () => {
      const list = (await app.deps.stores.notifications.list({ shipmentId, limit: 1000 })).filter((n) => n.kind === 'delivered' && n.recipientId === 'buyer-1');
      return list.every((n) => n.status !== 'held') ? list : null;
    }, 'held delivery released');
    expect(deliveredAfter.filter((n) => n.status === 'sent').map((n) => n.channel).sort()).toEqual(['email', 'push']);
    // An address problem already solved by the delivery is not worth waking a phone for.
    const exceptionSms = (await decisions('exception')).find((n) => n.channel === 'sms');
    await eventually(async () => (await app.deps.stores.notifications.get(exceptionSms!.id))?.reason === 'superseded', 'exception SMS superseded');
  });
});
