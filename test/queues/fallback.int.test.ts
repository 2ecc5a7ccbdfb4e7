/** The fallback channel at send time: a push subscription found gone when sending hands the message to email, once. */
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushChannel } from '../../src/channels/push.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { startPushService, type PushService } from '../support/push-service.js';

const clock = testClock(Date.parse('2026-11-18T12:00:00.000Z'));
let app: TestApp;
let push: PushService;

beforeAll(async () => {
  push = await startPushService();
  const vapid = webpush.generateVAPIDKeys();
  app = await startTestApp({
    now: clock.now,
    channels: { push: createPushChannel({ vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, subject: 'mailto:ops@shop.example', agent: push.agent }) },
  });
  const subscription = push.createSubscription();
  // Only out_for_delivery goes to push, so the subscription is first found gone by that send.
  await app.api('PUT', '/v1/recipients/buyer-1', buyer({ preferences: { kinds: { label_created: { push: false } } } }));
  await app.api('POST', '/v1/recipients/buyer-1/push-subscriptions', subscription);
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  push.expire(subscription);
});
afterAll(async () => {
  await app.close();
  await push.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('send-time fallback', () => {
  it('sends out_for_delivery by email once the push service says the subscription is gone', async () => {
    await app.api('POST', '/v1/orders', order('o-1'));
    const { body } = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
    clock.advance(3_600_000);
    await app.api('POST', '/v1/tracking-updates', {
      shipmentId: body.shipmentId,
      status: 'out_for_delivery',
      events: [{ time: '2026-11-18T12:30:00Z', status: 'out_for_delivery', description: 'Out for delivery' }],
    });
    const records = await eventually(async () => {
      const list = ((await app.api('GET', `/v1/notifications?shipmentId=${body.shipmentId}`)).body.notifications as NotificationRecord[]).filter(
        (n) => n.kind === 'out_for_delivery' && n.recipientId === 'buyer-1',
      );
      const email = list.find((n) => n.channel === 'email');
      return email?.status === 'sent' ? list : null;
    }, 'fallback email sent', 30_000);
    const by = Object.fromEntries(records.map((n) => [n.channel, n]));
    expect(by.push).toMatchObject({ status: 'failed' });
    expect(by.sms).toMatchObject({ status: 'sent' });
    expect(by.email).toMatchObject({ status: 'sent', reason: 'fallback for push (push subscription gone)' });
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toEqual([]);
    const trail = (await app.api('GET', `/v1/notifications/${by.email!.id}`)).body.trail as { step: string }[];
    expect(trail.map((t) => t.step)).toEqual(expect.arrayContaining(['decided', 'sent']));
  });
});
