/**
 * The whole pipeline on real parts: HTTP API → BullMQ on Redis → track/notify/send workers →
 * nodemailer to an SMTP server, the twilio library to a Twilio-compatible server, web-push to a
 * TLS push service that decrypts the payload.
 */
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushChannel } from '../../src/channels/push.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { startPushService, type PushService } from '../support/push-service.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startTwilioServer, type TwilioServer } from '../support/twilio-server.js';

let app: TestApp;
let smtp: SmtpSink;
let twilio: TwilioServer;
let push: PushService;
let subscription: ReturnType<PushService['createSubscription']>;
// The label is created at 12:00 UTC on the test clock; the carrier's scans come after it.
const clock = testClock(Date.parse('2026-11-18T12:00:00.000Z'));

beforeAll(async () => {
  [smtp, twilio, push] = await Promise.all([startSmtpSink(), startTwilioServer(), startPushService()]);
  const vapid = webpush.generateVAPIDKeys();
  app = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Acme Shop <notifications@shop.example>',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL: 'https://notify.shop.example',
    },
    now: clock.now,
    channels: { push: createPushChannel({ vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, subject: 'mailto:ops@shop.example', agent: push.agent }) },
  });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer({ name: 'Ana García' }));
  subscription = push.createSubscription();
  await app.api('POST', '/v1/recipients/buyer-1/push-subscriptions', subscription);
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await Promise.all([smtp.close(), twilio.close(), push.close()]);
  await dropPrefix(app.config.keyPrefix);
});

async function notifications(query: string): Promise<NotificationRecord[]> {
  return (await app.api('GET', `/v1/notifications?${query}`)).body.notifications;
}

const settled = (list: NotificationRecord[]) => list.length > 0 && list.every((n) => n.status !== 'queued');

describe('an order and its parcel, end to end', () => {
  let shipmentId: string;

  it('confirms the order by email to the buyer', async () => {
    expect((await app.api('POST', '/v1/orders', order('o-1'))).status).toBe(202);
    const mail = (await smtp.waitFor(1))[0]!;
    expect(mail.envelope.rcptTo).toEqual(['ana@example.com']);
    expect(mail.subject).toBeTruthy();
    expect(mail.html).toContain('Ana');
    expect(mail.text).toContain('o-1');
    expect(smtp.header(mail, 'list-unsubscribe')).toMatch(/<https:\/\/notify\.shop\.example\/unsubscribe\?token=[^>]+>/);
    expect(smtp.header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const record = await eventually(async () => (await notifications('recipientId=buyer-1')).find((n) => n.kind === 'order_confirmed' && n.status === 'sent'), 'order_confirmed recorded as sent');
    expect(record.channel).toBe('email');
    expect(smtp.header(mail, 'message-id')).toContain(record!.id);
  });

  it('label created: email and push to the buyer, tracking URL in both', async () => {
    const res = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
    expect(res.status).toBe(201);
    shipmentId = res.body.shipmentId;
    await smtp.waitFor(2);
    await eventually(async () => push.received.length >= 1, 'a push message');
    expect(push.received[0]!.payload).toMatchObject({ url: expect.stringContaining(UPS_NUMBERS[0]!) });
    expect(push.received[0]!.headers.ttl).toMatch(/^\d+$/);
    expect(push.received[0]!.headers.urgency).toBe('normal');
    expect(push.received[0]!.headers.topic).toBeTruthy();
    expect(smtp.messages[1]!.text).toContain(UPS_NUMBERS[0]);
  });

  it('first scan: shipped; out for delivery: SMS through Twilio; delivered with proof', async () => {
    clock.advance(6 * 3_600_000);
    const scan = { time: '2026-11-18T13:00:00Z', status: 'in_transit', description: 'Picked up by carrier', location: 'Louisville, KY, US' };
    const ofd = { time: '2026-11-18T15:00:00Z', status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY, US' };
    const delivered = { time: '2026-11-18T17:00:00Z', status: 'delivered', description: 'Delivered, front door', location: 'Brooklyn, NY, US' };
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'in_transit', events: [scan] });
    await eventually(async () => (await notifications(`shipmentId=${shipmentId}`)).some((n) => n.kind === 'shipped' && n.status === 'sent'), 'shipped sent');
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [scan, ofd] });
    await eventually(async () => twilio.messages.length >= 1, 'an SMS');
    expect(twilio.messages[0]).toMatchObject({ to: '+12125550142', from: '+15005550006' });
    expect(twilio.messages[0]!.body).toContain(UPS_NUMBERS[0]);
    await app.api('POST', '/v1/tracking-updates', {
      shipmentId,
      status: 'delivered',
      events: [scan, ofd, delivered],
      proof: { time: '2026-11-18T17:00:00Z', signedBy: 'M. GARCIA', photoUrl: 'https://proof.example.com/p.jpg' },
    });
    const all = await eventually(async () => {
      const list = await notifications(`shipmentId=${shipmentId}`);
      return list.filter((n) => n.kind === 'delivered' && n.recipientId === 'buyer-1').length === 3 && settled(list) ? list : null;
    }, 'delivered settled');
    const deliveredMail = smtp.messages.find((m) => /M\. GARCIA/.test(m.text ?? ''));
    expect(deliveredMail, 'delivered email shows who signed').toBeDefined();
    expect(all.filter((n) => n.kind === 'delivered' && n.status === 'sent').map((n) => n.channel).sort()).toEqual(['email', 'push']);
  });

  it('keeps the timeline and the state, and sends nothing for the same snapshot again', async () => {
    const { body } = await app.api('GET', `/v1/shipments/${shipmentId}`);
    expect(body.shipment.status).toBe('delivered');
    expect(body.timeline.map((e: { status: string }) => e.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
    const before = { mail: smtp.messages.length, sms: twilio.messages.length, push: push.received.length };
    const again = await app.api('POST', '/v1/tracking-updates', {
      shipmentId,
      status: 'delivered',
      events: body.timeline
        .filter((e: Record<string, string>) => e.status !== 'label_created')
        .map(({ time, status, description, location }: Record<string, string>) => ({ time, status, description, location })),
    });
    expect(again.status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect({ mail: smtp.messages.length, sms: twilio.messages.length, push: push.received.length }).toEqual(before);
  });

  it('records every decision, including the ones that sent nothing', async () => {
    const seller = await notifications('recipientId=seller-1');
    const buyerLog = await notifications('recipientId=buyer-1');
    // The seller is not told about a normal delivery; the buyer's SMS for "shipped" is off by default.
    expect(seller.filter((n) => n.kind === 'delivered')).toEqual([]);
    expect(buyerLog.find((n) => n.kind === 'shipped' && n.channel === 'sms')).toMatchObject({ status: 'skipped', reason: 'preference_off' });
  });

  it('deletes a push subscription the push service says is gone (410) and records why', async () => {
    push.expire(subscription);
    const res = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[1] });
    const record = await eventually(async () => {
      const list = await notifications(`shipmentId=${res.body.shipmentId}`);
      return list.find((n) => n.kind === 'label_created' && n.channel === 'push' && n.status === 'failed');
    }, 'push label_created failed');
    expect(record.reason).toMatch(/gone/i);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toEqual([]);
  });
});
