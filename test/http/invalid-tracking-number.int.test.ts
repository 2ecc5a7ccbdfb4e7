/**
 * A seller registers a mistyped tracking number (issue "Ingest the real world", point 7): the API refuses it
 * with 422 as before, and the seller gets an `invalid_tracking_number` email naming the order and the number,
 * through the real workers and an SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let app: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Acme Shop <notifications@shop.example>', PUBLIC_BASE_URL: 'https://notify.shop.example' } });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller({ locale: 'es-MX' }));
  await app.api('POST', '/v1/orders', order('o-7'));
  await smtp.waitFor(1); // the buyer's order confirmation
});
afterAll(async () => {
  await app.close();
  await smtp.close();
  await dropPrefix(app.config.keyPrefix);
});

async function notifications(query: string): Promise<NotificationRecord[]> {
  return (await app.api('GET', `/v1/notifications?${query}`)).body.notifications;
}

describe('POST /v1/shipments with a number that fails its check digit', () => {
  // UPS_NUMBERS[1] with its last digit changed: the shape of a UPS number, a wrong check digit.
  const mistyped = `${UPS_NUMBERS[1]!.slice(0, -1)}9`;

  it('answers 422, stores no shipment, and emails the seller (not the buyer) about that order and number', async () => {
    const res = await app.api('POST', '/v1/shipments', { orderId: 'o-7', trackingNumber: mistyped });
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'invalid_tracking_number',
      message: `"${mistyped}" has the shape of a tracking number from UPS, but its check digit is wrong; check it for a mistyped character.`,
      details: { field: 'trackingNumber', problem: 'unrecognized', trackingNumber: mistyped },
    });

    const record = await eventually(
      async () => (await notifications('recipientId=seller-1')).find((n) => n.kind === 'invalid_tracking_number' && n.status === 'sent'),
      'the seller alert recorded as sent',
    );
    expect(record).toMatchObject({ channel: 'email', role: 'seller', orderId: 'o-7', discriminator: mistyped, causedBy: 'POST /v1/shipments' });
    expect(record.shipmentId).toBeUndefined();
    expect((await notifications('recipientId=buyer-1')).filter((n) => n.kind === 'invalid_tracking_number')).toEqual([]);

    const mail = (await smtp.waitFor(2))[1]!;
    expect(mail.envelope.rcptTo).toEqual(['ops@acme.example']);
    // The seller's locale is es-MX: the Spanish template names the order and the refused number.
    expect(mail.subject).toBe(`No se aceptó el número de rastreo ${mistyped} del pedido #o-7`);
    expect(mail.text).toContain(`${mistyped} para el pedido #o-7`);
    expect(mail.html).toContain(`<strong>${mistyped}</strong>`);
    expect((await app.deps.stores.orders.get('o-7'))?.shipmentIds).toEqual([]);
  });

  it('does not alert again when the same number is posted again', async () => {
    const alertIds = async () => (await notifications('recipientId=seller-1')).filter((n) => n.kind === 'invalid_tracking_number').map((n) => n.id).sort();
    const before = await alertIds();
    // One decision per channel: email sent, SMS and push off by default for this kind.
    expect(before).toHaveLength(3);
    expect((await app.api('POST', '/v1/shipments', { orderId: 'o-7', trackingNumber: mistyped.toLowerCase() })).status).toBe(422);
    // A later, valid registration is processed after the repeat; once its label email arrives, the repeat had its chance.
    expect((await app.api('POST', '/v1/shipments', { orderId: 'o-7', trackingNumber: UPS_NUMBERS[1] })).status).toBe(201);
    await eventually(async () => (await notifications('recipientId=buyer-1')).find((n) => n.kind === 'label_created' && n.status === 'sent'), 'label_created sent');
    expect(await alertIds()).toEqual(before);
    expect(smtp.messages.filter((mail) => mail.subject?.includes(mistyped))).toHaveLength(1);
  });
});
