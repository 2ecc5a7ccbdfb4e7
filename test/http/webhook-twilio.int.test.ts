/**
 * SMS compliance end to end: the app sends through the twilio library to a Twilio-compatible server,
 * which calls back as Twilio does (status reports, inbound replies) with `X-Twilio-Signature`
 * computed independently from Twilio's documentation, through a "proxy" from the public URL.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { HELP_REPLY } from '../../src/http/webhook-twilio.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, type TestApp } from '../support/app.js';
import { startTwilioServer, twilioSignature, type CallbackAnswer, type TwilioServer } from '../support/twilio-server.js';

const PUBLIC = 'https://notify.shop.example';
const INBOUND = `${PUBLIC}/webhooks/twilio/inbound`;
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let app: TestApp;
let twilio: TwilioServer;
let logs = '';
let seq = 0;

beforeAll(async () => {
  twilio = await startTwilioServer();
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += String(chunk);
      done();
    },
  });
  app = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL: PUBLIC,
    },
    logger: createLogger('info', sink),
  });
  twilio.route(PUBLIC, app.baseUrl);
  // The orders' seller gets no SMS for order_confirmed; they only have to exist.
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await twilio.close();
  await dropPrefix(app.config.keyPrefix);
});

/** A buyer of their own (own number) who wants order confirmations by SMS. */
async function smsBuyer(extra: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
  const n = ++seq;
  const id = `buyer-${n}`;
  const phone = `+1646555${String(1000 + n)}`;
  const res = await app.api('PUT', `/v1/recipients/${id}`, buyer({ phone, preferences: { kinds: { order_confirmed: { sms: true } } }, ...extra }));
  expect(res.status).toBe(200);
  return { id, phone };
}

/** Places an order for `buyerId` and returns its SMS notification once the pipeline decided it. */
async function orderSms(buyerId: string): Promise<NotificationRecord> {
  const orderId = `o-${++seq}`;
  expect((await app.api('POST', '/v1/orders', { ...order(orderId), buyerId })).status).toBe(202);
  return eventually(async () => {
    const list = await app.deps.stores.notifications.list({ recipientId: buyerId, limit: 1000 });
    const sms = list.find((n) => n.orderId === orderId && n.channel === 'sms');
    return sms && sms.status !== 'queued' && sms.status !== 'held' ? sms : null;
  }, `the SMS of ${orderId} decided`);
}

const suppression = async (id: string) => (await app.deps.stores.recipients.get(id))?.suppressed?.sms;
const record = async (id: string) => (await app.deps.stores.notifications.get(id))!;

/** A callback signed as Twilio would sign it for `url`, unless `signature` is given. */
async function post(path: string, params: Record<string, string>, signature?: string): Promise<CallbackAnswer & { json: any }> {
  const res = await fetch(app.baseUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature !== '' ? { 'x-twilio-signature': signature ?? twilioSignature(twilio.authToken, PUBLIC + path, params) } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  const body = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body, json: body.startsWith('{') ? JSON.parse(body) : null };
}

describe('inbound replies', () => {
  it('STOP suppresses SMS: the next SMS notification is suppressed (unsubscribed) and nothing reaches Twilio', async () => {
    const b = await smsBuyer();
    expect((await orderSms(b.id)).status).toBe('sent');

    const answer = await twilio.sendInbound(INBOUND, b.phone, 'STOP');
    expect(answer).toEqual({ status: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY });
    expect(await suppression(b.id)).toMatchObject({ reason: 'opted out: replied STOP by SMS' });

    const sent = twilio.messages.length;
    const next = await orderSms(b.id);
    expect(next).toMatchObject({ status: 'suppressed', reason: 'unsubscribed' });
    expect(twilio.messages.length).toBe(sent);
  });

  it('START, YES and UNSTOP re-enable SMS, and the next SMS is sent', async () => {
    for (const word of ['START', 'yes', ' Unstop ']) {
      const b = await smsBuyer();
      await twilio.sendInbound(INBOUND, b.phone, 'stop');
      expect(await suppression(b.id)).toBeDefined();
      expect((await twilio.sendInbound(INBOUND, b.phone, word)).body).toBe(EMPTY);
      expect(await suppression(b.id), word).toBeUndefined();
      const next = await orderSms(b.id);
      expect(next.status, word).toBe('sent');
      expect(twilio.messages.at(-1)).toMatchObject({ sid: next.providerId, to: b.phone });
    }
  });

  it('every opt-out keyword counts, in any case, with spaces or a full stop around it', async () => {
    for (const word of ['STOPALL', 'unsubscribe', 'Cancel', 'END', ' quit\n', 'Stop.']) {
      const b = await smsBuyer();
      expect((await twilio.sendInbound(INBOUND, b.phone, word)).status).toBe(200);
      expect(await suppression(b.id), JSON.stringify(word)).toMatchObject({ reason: expect.stringMatching(/^opted out: replied [A-Z]+ by SMS$/) });
    }
  });

  it('only a single-word message counts: "stop now", "I want to STOP", "stop please" change nothing', async () => {
    const b = await smsBuyer();
    for (const text of ['stop now', 'I want to STOP', 'stop please', 'STOP!!! STOP', 'help me', '']) {
      const answer = await twilio.sendInbound(INBOUND, b.phone, text);
      expect(answer.body, text).toBe(EMPTY);
    }
    expect(await suppression(b.id)).toBeUndefined();
    expect((await orderSms(b.id)).status).toBe('sent');
  });

  it('HELP answers in TwiML with who we are and how to stop', async () => {
    const b = await smsBuyer();
    for (const word of ['HELP', 'help', 'INFO']) {
      const answer = await twilio.sendInbound(INBOUND, b.phone, word);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('text/xml; charset=utf-8');
      expect(answer.body).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${HELP_REPLY.replace('&', '&amp;')}</Message></Response>`);
    }
    expect(HELP_REPLY).toMatch(/Shipment Notifier/);
    expect(HELP_REPLY).toMatch(/Reply STOP/);
    expect(await suppression(b.id)).toBeUndefined();
  });

  it('STOP reaches every recipient with that number, whatever the spacing, and no one else', async () => {
    const shared = await smsBuyer();
    const sellerSame = await smsBuyer({ role: 'seller', phone: shared.phone });
    const other = await smsBuyer();
    await twilio.sendInbound(INBOUND, ` ${shared.phone} `, 'STOP');
    expect(await suppression(shared.id)).toBeDefined();
    expect(await suppression(sellerSame.id)).toBeDefined();
    expect(await suppression(other.id)).toBeUndefined();
  });

  it('a STOP from a number the recipient no longer has does not reach them', async () => {
    const b = await smsBuyer();
    const newPhone = '+16465559999';
    await app.api('PUT', `/v1/recipients/${b.id}`, buyer({ phone: newPhone, preferences: { kinds: { order_confirmed: { sms: true } } } }));
    await twilio.sendInbound(INBOUND, b.phone, 'STOP');
    expect(await suppression(b.id)).toBeUndefined();
    await twilio.sendInbound(INBOUND, newPhone, 'STOP');
    expect(await suppression(b.id)).toBeDefined();
  });

  it("START lifts only an SMS opt-out, never an admin's block; STOP does not overwrite that block", async () => {
    const b = await smsBuyer();
    await app.deps.stores.recipients.suppress(b.id, 'sms', 'admin: abuse report #12', new Date());
    await twilio.sendInbound(INBOUND, b.phone, 'STOP');
    expect(await suppression(b.id)).toMatchObject({ reason: 'admin: abuse report #12' });
    await twilio.sendInbound(INBOUND, b.phone, 'START');
    expect(await suppression(b.id)).toMatchObject({ reason: 'admin: abuse report #12' });
    expect((await orderSms(b.id)).status).toBe('suppressed');
  });

  it('logs each decision with the number redacted', async () => {
    const b = await smsBuyer();
    await twilio.sendInbound(INBOUND, b.phone, 'STOP');
    await twilio.sendInbound(INBOUND, b.phone, 'START');
    const lines = logs.split('\n').filter((l) => l.includes(b.id));
    expect(lines.some((l) => l.includes('sms opt-out: SMS suppressed'))).toBe(true);
    expect(lines.some((l) => l.includes('sms opt-in'))).toBe(true);
    expect(logs).not.toContain(b.phone);
    expect(logs).not.toContain(b.phone.slice(1));
  });
});

describe('signatures', () => {
  it('a forged signature is refused with 401 and changes nothing', async () => {
    const b = await smsBuyer();
    const params = { From: b.phone, Body: 'STOP', MessageSid: 'SM0', AccountSid: twilio.accountSid };
    const forged = await post('/webhooks/twilio/inbound', params, twilioSignature('not-the-auth-token', `${PUBLIC}/webhooks/twilio/inbound`, params));
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ error: { code: 'invalid_signature', details: [{ field: 'x-twilio-signature' }] } });
    expect((await twilio.sendInbound(INBOUND, b.phone, 'STOP', { signature: 'AAAA' })).status).toBe(401);
    expect(await suppression(b.id)).toBeUndefined();
    expect((await orderSms(b.id)).status).toBe('sent');
  });

  it('a missing signature, a changed parameter or a signature over the wrong URL is refused', async () => {
    const b = await smsBuyer();
    const params = { From: b.phone, Body: 'STOP' };
    expect((await post('/webhooks/twilio/inbound', params, '')).json.error).toMatchObject({ code: 'invalid_signature', details: [{ message: 'missing' }] });
    const signed = twilioSignature(twilio.authToken, `${PUBLIC}/webhooks/twilio/inbound`, { From: b.phone, Body: 'HELP' });
    expect((await post('/webhooks/twilio/inbound', params, signed)).status).toBe(401);
    // Signed for the address the app listens on, not the public URL Twilio is configured with.
    const local = twilioSignature(twilio.authToken, `${app.baseUrl}/webhooks/twilio/inbound`, params);
    expect((await post('/webhooks/twilio/inbound', params, local)).status).toBe(401);
    expect((await post('/webhooks/twilio/status', { MessageSid: 'SMx', MessageStatus: 'delivered' }, 'AAAA')).status).toBe(401);
    expect(await suppression(b.id)).toBeUndefined();
  });

  it('a signed request without From or MessageSid is refused naming the field', async () => {
    const noFrom = await post('/webhooks/twilio/inbound', { Body: 'STOP' });
    expect(noFrom.status).toBe(400);
    expect(noFrom.json.error.details).toEqual([{ field: 'From', message: 'required' }]);
    const noSid = await post('/webhooks/twilio/status', { MessageStatus: 'delivered' });
    expect(noSid.json.error.details).toEqual([{ field: 'MessageSid', message: 'required' }]);
  });

  it('answers 503 when Twilio is not configured', async () => {
    const bare = await startTestApp({ workers: [] });
    try {
      const res = await fetch(`${bare.baseUrl}/webhooks/twilio/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1' });
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('not_configured');
    } finally {
      await bare.close();
      await dropPrefix(bare.config.keyPrefix);
    }
  });
});

describe('status callbacks', () => {
  it('moves a sent SMS to delivered, with a trail entry, and never back', async () => {
    const b = await smsBuyer();
    const sms = await orderSms(b.id);
    expect(twilio.messages.find((m) => m.sid === sms.providerId)?.statusCallback).toBe(`${PUBLIC}/webhooks/twilio/status`);

    expect(await twilio.reportStatus(sms.providerId!, 'sent')).toMatchObject({ status: 200, body: EMPTY });
    expect((await record(sms.id)).status).toBe('sent');
    expect((await twilio.reportStatus(sms.providerId!, 'delivered')).status).toBe(200);
    expect(await record(sms.id)).toMatchObject({ status: 'delivered', providerId: sms.providerId });

    // Out of order: a late "undelivered" must not undo "delivered".
    await twilio.reportStatus(sms.providerId!, 'undelivered', { errorCode: 30003 });
    expect(await record(sms.id)).toMatchObject({ status: 'delivered' });
    const steps = (await app.deps.stores.notifications.trail(sms.id)).map((t) => `${t.step}|${t.detail ?? ''}`);
    expect(steps.slice(-3)).toEqual([
      'provider sent|Twilio: sent',
      'delivered|Twilio: delivered',
      'provider undelivered|Twilio: undelivered (error 30003); ignored, the message is already final',
    ]);
  });

  it('moves a sent SMS to failed with the error code and text as the reason', async () => {
    const b = await smsBuyer();
    const sms = await orderSms(b.id);
    await twilio.reportStatus(sms.providerId!, 'undelivered', { errorCode: 30003 });
    expect(await record(sms.id)).toMatchObject({ status: 'failed', reason: '30003: Unreachable destination handset' });
    const last = (await app.deps.stores.notifications.trail(sms.id)).at(-1);
    expect(last).toMatchObject({ step: 'failed (30003: Unreachable destination handset)', detail: 'Twilio: undelivered (error 30003)' });
    expect(await suppression(b.id)).toBeUndefined();
  });

  it('error 21610 in a status callback also suppresses SMS for the recipient (and START lifts it)', async () => {
    const b = await smsBuyer();
    const sms = await orderSms(b.id);
    await twilio.reportStatus(sms.providerId!, 'failed', { errorCode: 21610 });
    expect(await record(sms.id)).toMatchObject({ status: 'failed', reason: '21610: Attempt to send to unsubscribed recipient' });
    expect(await suppression(b.id)).toMatchObject({ reason: `opted out: Twilio error 21610 on ${sms.providerId}` });
    expect((await orderSms(b.id)).status).toBe('suppressed');
    await twilio.sendInbound(INBOUND, b.phone, 'START');
    expect(await suppression(b.id)).toBeUndefined();
  });

  it('an unknown MessageSid is answered 200 and ignored', async () => {
    const res = await post('/webhooks/twilio/status', { MessageSid: 'SM00000000000000000000000000000000', MessageStatus: 'failed', ErrorCode: '21610' });
    expect(res).toMatchObject({ status: 200, body: EMPTY });
  });
});

describe('21610 from the provider at send time', () => {
  it('fails that SMS, suppresses the number, and the next SMS is suppressed (unsubscribed) without calling Twilio', async () => {
    const b = await smsBuyer();
    twilio.optOut(b.phone);
    const failed = await orderSms(b.id);
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('unsubscribed recipient') });
    expect(await suppression(b.id)).toMatchObject({ reason: expect.stringMatching(/^opted out: /) });
    const requests = twilio.requestCount;
    expect(await orderSms(b.id)).toMatchObject({ status: 'suppressed', reason: 'unsubscribed' });
    expect(twilio.requestCount).toBe(requests);
  });
});
