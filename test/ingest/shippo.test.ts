import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from '../../src/ingest/errors.js';
import { shippoSource, signShippoWebhook } from '../../src/ingest/shippo.js';
import type { WebhookHeaders } from '../../src/ingest/source.js';
import {
  ACCEPTED, bytes, DEPARTED, IN_TRANSIT_BODY, LABEL, NOW, refusal, request, SECRET, secrets, TOKEN, tracked, trackingStatus, trackUpdated, withHmac,
} from './payloads/shippo.js';

describe('shippoSource.verify: the URL token', () => {
  it('is named shippo and needs the token; the HMAC secret alone does not enable it', () => {
    expect(shippoSource.name).toBe('shippo');
    expect(shippoSource.secret(secrets)).toBe(TOKEN);
    expect(shippoSource.secret({ shippoWebhookSecret: SECRET })).toBeUndefined();
    expect(shippoSource.secret({ shippoWebhookToken: '' })).toBeUndefined();
  });

  it('accepts the configured token', () => {
    expect(() => shippoSource.verify(request(IN_TRANSIT_BODY), secrets)).not.toThrow();
  });

  it('refuses a missing, empty, wrong, longer or repeated token', () => {
    expect(refusal(() => shippoSource.verify(request(IN_TRANSIT_BODY, {}), secrets), WebhookSignatureError)).toMatchObject({
      code: 'invalid_signature',
      reason: 'missing_header',
      field: 'token',
    });
    expect(refusal(() => shippoSource.verify(request(IN_TRANSIT_BODY, { token: '' }), secrets), WebhookSignatureError).reason).toBe('missing_header');
    for (const token of [`${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase(), [TOKEN, TOKEN], [TOKEN]]) {
      const error = refusal(() => shippoSource.verify(request(IN_TRANSIT_BODY, { token }), secrets), WebhookSignatureError);
      expect(error).toMatchObject({ reason: 'no_matching_signature', field: 'token' });
    }
  });

  it('is an operator error, not a 401, when no token is configured', () => {
    expect(refusal(() => shippoSource.verify(request(IN_TRANSIT_BODY), {}), WebhookSecretError).code).toBe('invalid_webhook_secret');
  });
});

describe('shippoSource.verify: Shippo-Auth-Signature, when SHIPPO_WEBHOOK_SECRET is set', () => {
  // Computed independently (Python hmac) over `1763467200.` + the body: HMAC-SHA256("shippo-hmac-secret", …), hex.
  const VECTOR = {
    body: '{"event":"track_updated","test":true,"data":{"carrier":"shippo","tracking_number":"SHIPPO_TRANSIT"}}',
    t: 1763467200,
    v1: 'fed4d5cb8b06c02242366f63d21e06bb3b8cd242bd7b36e11cab7a3f914e9bbd',
  };
  const signed = (header: string | string[], body = VECTOR.body, now = NOW, query: Record<string, unknown> = { token: TOKEN }) =>
    shippoSource.verify({ ...request(body, query, { 'shippo-auth-signature': header }), now }, withHmac);
  const at = (offsetSeconds: number) => new Date((VECTOR.t + offsetSeconds) * 1000);

  it('signs as Shippo does: t=<seconds>,v1=<hex HMAC of "<t>.<body>">', () => {
    expect(signShippoWebhook(SECRET, at(0), bytes(VECTOR.body))).toBe(`t=${VECTOR.t},v1=${VECTOR.v1}`);
    expect(signShippoWebhook(SECRET, new Date(at(0).getTime() + 999), bytes(VECTOR.body))).toBe(`t=${VECTOR.t},v1=${VECTOR.v1}`);
  });

  it('accepts the known signature, in any case, spacing or header-name casing, among rotated ones', () => {
    expect(() => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`)).not.toThrow();
    expect(() => signed(`t=${VECTOR.t}, v1=${VECTOR.v1.toUpperCase()}`)).not.toThrow();
    expect(() => signed(`v1=${'0'.repeat(64)},t=${VECTOR.t},v0=abc,v1=${VECTOR.v1}`)).not.toThrow();
    expect(() => signed([`t=${VECTOR.t}`, `v1=${VECTOR.v1}`])).not.toThrow();
    const cased = { ...request(VECTOR.body, { token: TOKEN }, { 'Shippo-Auth-Signature': `t=${VECTOR.t},v1=${VECTOR.v1}` }), now: NOW };
    expect(() => shippoSource.verify(cased, withHmac)).not.toThrow();
  });

  it('accepts five minutes of clock skew either way and refuses one second more, before the signature', () => {
    expect(() => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, VECTOR.body, at(300))).not.toThrow();
    expect(() => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, VECTOR.body, at(-300))).not.toThrow();
    for (const offset of [301, -301, 86_400]) {
      const error = refusal(() => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, VECTOR.body, at(offset)), WebhookSignatureError);
      expect(error).toMatchObject({ reason: 'outside_tolerance', field: 'shippo-auth-signature' });
    }
  });

  it('refuses a tampered body, another secret, a moved timestamp or a missing v1', () => {
    const cases = [
      () => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, VECTOR.body.replace('SHIPPO_TRANSIT', 'SHIPPO_DELIVERED')),
      () => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, `${VECTOR.body} `),
      () => signed(signShippoWebhook('another-secret', NOW, bytes(VECTOR.body))),
      () => signed(`t=${VECTOR.t + 1},v1=${VECTOR.v1}`),
      () => signed(`t=${VECTOR.t}`),
      () => signed(`t=${VECTOR.t},v1=${VECTOR.v1.slice(0, 63)}`),
      () => signed(`t=${VECTOR.t},v2=${VECTOR.v1}`),
    ];
    for (const run of cases) expect(refusal(run, WebhookSignatureError).reason).toBe('no_matching_signature');
  });

  it('refuses a missing header, and a timestamp that is absent, repeated or not whole seconds', () => {
    expect(refusal(() => shippoSource.verify(request(VECTOR.body), withHmac), WebhookSignatureError)).toMatchObject({
      reason: 'missing_header',
      field: 'shippo-auth-signature',
    });
    for (const t of ['', 'abc', '1763467200.5', '-1763467200', '1763467200abc', '17634672000000']) {
      expect(refusal(() => signed(`t=${t},v1=${VECTOR.v1}`), WebhookSignatureError).reason).toBe('bad_timestamp');
    }
    expect(refusal(() => signed(`v1=${VECTOR.v1}`), WebhookSignatureError).reason).toBe('bad_timestamp');
    expect(refusal(() => signed(`t=${VECTOR.t},t=${VECTOR.t},v1=${VECTOR.v1}`), WebhookSignatureError).reason).toBe('bad_timestamp');
  });

  it('still requires the token when the signature is right', () => {
    const error = refusal(() => signed(`t=${VECTOR.t},v1=${VECTOR.v1}`, VECTOR.body, at(0), { token: 'wrong' }), WebhookSignatureError);
    expect(error.field).toBe('token');
  });
});

describe('shippoSource.parse: track_updated', () => {
  it('turns a Track into one update: status, carrier slug, ETA, raw words, and the history as events in time order', () => {
    const update = tracked(IN_TRANSIT_BODY);
    expect(update).toMatchObject({
      trackingNumber: '9205590164917312751089',
      carrier: 'usps',
      status: 'in_transit',
      estimatedDelivery: '2025-11-21T00:00:00Z',
      rawStatus: 'TRANSIT/package_departed',
    });
    expect(update.subStatus).toBeUndefined();
    expect(update.proof).toBeUndefined();
    // The current status repeats the last history entry: it appears once.
    expect(update.events).toEqual([
      {
        time: '2025-11-17T15:02:00.000Z',
        status: 'label_created',
        description: 'Shipping Label Created, USPS Awaiting Item',
        location: 'LAS VEGAS, NV, 89199, US',
        source: 'shippo',
        rawStatus: 'PRE_TRANSIT',
        rawSubStatus: 'information_received',
      },
      expect.objectContaining({ time: '2025-11-17T22:41:00.000Z', status: 'in_transit', rawSubStatus: 'package_accepted' }),
      expect.objectContaining({ time: '2025-11-18T09:12:00.000Z', status: 'in_transit', description: 'Departed USPS Regional Facility' }),
    ]);
  });

  it('identifies a delivery by its bytes: a retry repeats the id, another body does not', () => {
    const raw = bytes(IN_TRANSIT_BODY);
    const id = shippoSource.parse(request(raw)).deliveryId;
    expect(id).toBe(`sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`);
    expect(shippoSource.parse(request(Buffer.from(raw))).deliveryId).toBe(id);
    expect(shippoSource.parse(request(JSON.stringify(IN_TRANSIT_BODY, null, 1))).deliveryId).not.toBe(id);
  });

  it('reports a delivery with the scan\u2019s time and place as proof', () => {
    const delivered = trackingStatus('DELIVERED', 'delivered', 'Delivered, In/At Mailbox', '2025-11-19T17:05:00Z', 'SPOTSYLVANIA');
    const update = tracked(trackUpdated(delivered, [LABEL, ACCEPTED, DEPARTED, delivered]));
    expect(update).toMatchObject({ status: 'delivered', rawStatus: 'DELIVERED/delivered' });
    expect(update.proof).toEqual({ time: '2025-11-19T17:05:00.000Z', location: 'SPOTSYLVANIA, NV, 89199, US' });
    expect(update.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'delivered']);
  });

  it('maps attempts, holds and out-for-delivery that Shippo reports as TRANSIT', () => {
    const out = trackingStatus('TRANSIT', 'out_for_delivery', 'Out for Delivery', '2025-11-19T08:01:00Z');
    const notice = trackingStatus('TRANSIT', 'notice_left', 'Notice Left (No Authorized Recipient Available)', '2025-11-19T16:40:00Z');
    const update = tracked(trackUpdated(notice, [ACCEPTED, out, notice]));
    expect(update).toMatchObject({ status: 'delivery_attempted', subStatus: 'recipient_unavailable', rawStatus: 'TRANSIT/notice_left' });
    expect(update.events.map((e) => [e.status, e.subStatus])).toEqual([
      ['in_transit', undefined],
      ['out_for_delivery', undefined],
      ['delivery_attempted', 'recipient_unavailable'],
    ]);
  });

  it('keeps a code it does not know raw and reads it by its status', () => {
    const odd = trackingStatus('TRANSIT', 'drone_dispatched', 'Your parcel boarded a drone', '2025-11-18T10:00:00Z');
    const update = tracked(trackUpdated(odd, [ACCEPTED, odd]));
    expect(update).toMatchObject({ status: 'in_transit', rawStatus: 'TRANSIT/drone_dispatched' });
    expect(update.events.at(-1)).toMatchObject({ status: 'in_transit', rawSubStatus: 'drone_dispatched' });
  });

  it('adds the current status as an event when no dated scan carries it', () => {
    const undated = trackingStatus('TRANSIT', 'delayed', 'Delayed by weather in the network', null);
    const update = tracked(trackUpdated(undated, [LABEL, ACCEPTED]));
    expect(update).toMatchObject({ status: 'exception', subStatus: 'carrier_delay' });
    expect(update.events.at(-1)).toMatchObject({
      time: '2025-11-17T22:41:00.001Z',
      status: 'exception',
      subStatus: 'carrier_delay',
      description: 'Delayed by weather in the network',
      rawSubStatus: 'delayed',
    });
    expect(update.events).toHaveLength(3);
  });

  it('skips history entries without a date, and reads a parcel Shippo knows nothing of yet as pending', () => {
    expect(tracked(trackUpdated(DEPARTED, [{ ...LABEL, status_date: null }, DEPARTED])).events).toHaveLength(1);
    const nothing = tracked(trackUpdated(null, []));
    expect(nothing).toMatchObject({ status: 'pending', events: [] });
    expect(nothing.rawStatus).toBeUndefined();
    const unknown = tracked(trackUpdated(trackingStatus('UNKNOWN', null, 'Tracking information not available', null), []));
    expect(unknown).toMatchObject({ status: 'pending', events: [], rawStatus: 'UNKNOWN' });
  });

  it('takes the newest history entry as current when tracking_status is null', () => {
    expect(tracked(trackUpdated(null, [DEPARTED, LABEL])).status).toBe('in_transit');
  });

  it('normalizes carrier tokens and leaves out what is not one; an unreadable ETA is left out, not refused', () => {
    expect(tracked(trackUpdated(DEPARTED, [], { carrier: 'dhl_express' })).carrier).toBe('dhl');
    expect(tracked(trackUpdated(DEPARTED, [], { carrier: 'shippo' })).carrier).toBe('shippo');
    expect(tracked(trackUpdated(DEPARTED, [], { carrier: 'not a token!' })).carrier).toBeUndefined();
    expect(tracked(trackUpdated(DEPARTED, [], { carrier: 42 })).carrier).toBeUndefined();
    expect(tracked(trackUpdated(DEPARTED, [], { eta: 'next Tuesday' })).estimatedDelivery).toBeUndefined();
    expect(tracked(trackUpdated(DEPARTED, [], { eta: null })).estimatedDelivery).toBeUndefined();
  });

  it('answers 200-and-ignore for the other event types', () => {
    // API reference, "Webhooks": transaction_created, transaction_updated, batch_created, batch_purchased.
    for (const event of ['transaction_created', 'transaction_updated', 'batch_created', 'batch_purchased']) {
      const raw = bytes({ event, test: true, data: { object_id: 'b7a3', status: 'SUCCESS' } });
      const parsed = shippoSource.parse(request(raw));
      expect(parsed).toMatchObject({ kind: 'ignored', deliveryId: shippoSource.parse(request(raw)).deliveryId });
      expect(parsed.kind === 'ignored' && parsed.reason).toContain(event);
    }
  });
});

describe('shippoSource.parse: refusals name the field', () => {
  const data = IN_TRANSIT_BODY.data;
  it.each([
    ['body', '{"event":'],
    ['body', '[]'],
    ['body', '"track_updated"'],
    ['event', { test: true }],
    ['event', { event: 7 }],
    ['data', { event: 'track_updated' }],
    ['data', { event: 'track_updated', data: [] }],
    ['data.tracking_number', { event: 'track_updated', data: { ...data, tracking_number: '' } }],
    ['data.tracking_number', { event: 'track_updated', data: { ...data, tracking_number: 'X'.repeat(65) } }],
    ['data.tracking_status', { event: 'track_updated', data: { ...data, tracking_status: 'TRANSIT' } }],
    ['data.tracking_status.status', { event: 'track_updated', data: { ...data, tracking_status: { ...DEPARTED, status: 3 } } }],
    ['data.tracking_status.substatus', { event: 'track_updated', data: { ...data, tracking_status: { ...DEPARTED, substatus: 'delayed' } } }],
    ['data.tracking_status.status_date', { event: 'track_updated', data: { ...data, tracking_status: { ...DEPARTED, status_date: 'yesterday' } } }],
    ['data.tracking_status.location', { event: 'track_updated', data: { ...data, tracking_status: { ...DEPARTED, location: 'Reno' } } }],
    ['data.tracking_history', { event: 'track_updated', data: { ...data, tracking_history: {} } }],
    ['data.tracking_history.1', { event: 'track_updated', data: { ...data, tracking_history: [LABEL, 'scan'] } }],
    ['data.tracking_history.0.status_date', { event: 'track_updated', data: { ...data, tracking_history: [{ ...LABEL, status_date: 1763467200 }] } }],
  ])('refuses a body with a bad %s (case %#)', (field, body) => {
    const error = refusal(() => shippoSource.parse(request(body)), WebhookPayloadError);
    expect(error).toMatchObject({ code: 'invalid_payload', field });
  });
});
