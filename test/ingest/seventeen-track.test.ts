import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from '../../src/ingest/errors.js';
import { seventeenTrackSource, signSeventeenTrackWebhook } from '../../src/ingest/seventeen-track.js';
import type { WebhookHeaders } from '../../src/ingest/source.js';
import { address, API_KEY, ARRIVAL, bytes, IN_TRANSIT, LABEL, PICKUP, push, refusal, request, scan, secrets, tracked } from './payloads/seventeen-track.js';

describe('seventeenTrackSource.verify: the sign header', () => {
  // Computed independently (Python hashlib): sha256(body + b"/17track-api-key"), hex.
  const VECTOR = {
    body: '{"event":"track_updated","test":true,"data":{"carrier":"shippo","tracking_number":"SHIPPO_TRANSIT"}}',
    sign: 'b7198c1b3acdf2fef6bc5ea8ee0abe98cb3ee4b3db8e01f8511de0eabd26bd81',
  };
  const verify = (headers: WebhookHeaders, body = VECTOR.body, s = secrets) => seventeenTrackSource.verify(request(body, headers), s);

  it('is named 17track and keyed by the API key', () => {
    expect(seventeenTrackSource.name).toBe('17track');
    expect(seventeenTrackSource.secret(secrets)).toBe(API_KEY);
    expect(seventeenTrackSource.secret({})).toBeUndefined();
    expect(seventeenTrackSource.secret({ seventeentrackApiKey: '' })).toBeUndefined();
  });

  it('computes and accepts the known value, in either case and under any header-name casing', () => {
    expect(signSeventeenTrackWebhook(API_KEY, bytes(VECTOR.body))).toBe(VECTOR.sign);
    expect(() => verify({ sign: VECTOR.sign })).not.toThrow();
    expect(() => verify({ sign: VECTOR.sign.toUpperCase() })).not.toThrow();
    expect(() => verify({ Sign: ` ${VECTOR.sign} ` })).not.toThrow();
  });

  it('refuses another key, a tampered body, a hash of the body alone, a truncated or repeated value', () => {
    const bodyOnly = createHash('sha256').update(VECTOR.body).digest('hex');
    const cases: [WebhookHeaders, string][] = [
      [{ sign: signSeventeenTrackWebhook('other-key', bytes(VECTOR.body)) }, VECTOR.body],
      [{ sign: VECTOR.sign }, VECTOR.body.replace('TRANSIT', 'DELIVERED')],
      [{ sign: VECTOR.sign }, `${VECTOR.body}\n`],
      [{ sign: bodyOnly }, VECTOR.body],
      [{ sign: VECTOR.sign.slice(0, 63) }, VECTOR.body],
      [{ sign: [VECTOR.sign, VECTOR.sign] }, VECTOR.body],
    ];
    for (const [headers, body] of cases) {
      expect(refusal(() => verify(headers, body), WebhookSignatureError)).toMatchObject({ reason: 'no_matching_signature', field: 'sign' });
    }
  });

  it('refuses a push without the header; an unset key is an operator error', () => {
    expect(refusal(() => verify({}), WebhookSignatureError)).toMatchObject({ code: 'invalid_signature', reason: 'missing_header', field: 'sign' });
    expect(refusal(() => verify({ sign: '  ' }), WebhookSignatureError).reason).toBe('missing_header');
    expect(refusal(() => verify({ sign: VECTOR.sign }, VECTOR.body, {}), WebhookSecretError).code).toBe('invalid_webhook_secret');
  });
});

describe('seventeenTrackSource.parse', () => {
  it('turns a TRACKING_UPDATED push into one update: status, carrier slug, window end as ETA, events in time order', () => {
    const update = tracked(IN_TRANSIT);
    expect(update).toMatchObject({
      trackingNumber: '1Z5R89390357567127',
      carrier: 'ups',
      status: 'in_transit',
      estimatedDelivery: '2025-11-20T23:59:59-06:00',
      rawStatus: 'InTransit/InTransit_Arrival',
    });
    expect(update.subStatus).toBeUndefined();
    // latest_event repeats the newest provider event: it appears once.
    expect(update.events).toEqual([
      // The label scan names no place but the country of its address.
      { time: '2025-11-17T02:20:00.000Z', status: 'label_created', description: LABEL.description, location: 'US', source: '17track', rawStatus: 'InfoReceived', rawSubStatus: 'InfoReceived' },
      { time: '2025-11-18T03:05:00.000Z', status: 'in_transit', description: 'Pickup Scan', location: 'Ontario, CA, US', source: '17track', rawStatus: 'PickedUp', rawSubStatus: 'InTransit_PickedUp' },
      { time: '2025-11-18T10:12:00.000Z', status: 'in_transit', description: 'Arrived at Facility', location: 'Hodgkins, IL, US', source: '17track', rawStatus: 'Arrival', rawSubStatus: 'InTransit_Arrival' },
    ]);
  });

  it('identifies a push by its bytes', () => {
    const raw = bytes(IN_TRANSIT);
    const id = seventeenTrackSource.parse(request(raw)).deliveryId;
    expect(id).toBe(`sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`);
    expect(seventeenTrackSource.parse(request(JSON.stringify(IN_TRANSIT, null, 2))).deliveryId).not.toBe(id);
  });

  it('reports a delivery with the scan\u2019s time and place as proof', () => {
    const delivered = scan('2025-11-20T14:31:00-06:00', '2025-11-20T20:31:00Z', 'DELIVERED', 'Chicago, IL, US', 'Delivered', 'Delivered_Other');
    const update = tracked(push('TRACKING_UPDATED', { status: 'Delivered', sub_status: 'Delivered_Other' }, [delivered, ARRIVAL, PICKUP, LABEL]));
    expect(update).toMatchObject({ status: 'delivered', proof: { time: '2025-11-20T20:31:00.000Z', location: 'Chicago, IL, US' } });
    expect(update.events.at(-1)?.status).toBe('delivered');
  });

  it('maps a failed attempt and a return with their reasons', () => {
    const attempt = scan('2025-11-20T15:00:00-06:00', '2025-11-20T21:00:00Z', 'Receiver not available', 'Chicago, IL, US', null, 'DeliveryFailure_NoBody');
    const returning = scan('2025-11-25T09:00:00-06:00', '2025-11-25T15:00:00Z', 'Returning to shipper', 'Chicago, IL, US', 'Returning', 'Exception_Returning');
    const update = tracked(push('TRACKING_UPDATED', { status: 'Exception', sub_status: 'Exception_Returning' }, [returning, attempt, ARRIVAL]));
    expect(update).toMatchObject({ status: 'return_to_sender', subStatus: 'returning' });
    expect(update.events.map((e) => [e.status, e.subStatus])).toEqual([
      ['in_transit', undefined],
      ['delivery_attempted', 'recipient_unavailable'],
      ['return_to_sender', 'returning'],
    ]);
  });

  it('adds a status that no scan carries (Expired, a computed delay) as an event just after the newest scan', () => {
    const expired = tracked(push('TRACKING_UPDATED', { status: 'Expired', sub_status: 'Expired_Other' }, [ARRIVAL, PICKUP]));
    expect(expired.status).toBe('expired');
    expect(expired.events.at(-1)).toEqual({
      time: '2025-11-18T10:12:00.001Z',
      status: 'expired',
      description: '17TRACK: Expired_Other',
      source: '17track',
      rawStatus: 'Expired',
      rawSubStatus: 'Expired_Other',
    });
    const delayed = tracked(push('TRACKING_UPDATED', { status: 'Exception', sub_status: 'Exception_Delayed' }, [ARRIVAL]));
    expect(delayed.events.map((e) => e.status)).toEqual(['in_transit', 'exception']);
    expect(tracked(IN_TRANSIT).events).toHaveLength(3);
  });

  it('keeps a sub-status it does not know raw and reads it by its prefix', () => {
    const odd = scan('2025-11-18T12:00:00-06:00', '2025-11-18T18:00:00Z', 'Held by customs for inspection', 'Chicago, IL, US', null, 'Exception_Inspection');
    const update = tracked(push('TRACKING_UPDATED', { status: 'Exception', sub_status: 'Exception_Inspection' }, [odd, ARRIVAL]));
    expect(update).toMatchObject({ status: 'exception', subStatus: 'other', rawStatus: 'Exception/Exception_Inspection' });
    expect(update.events.at(-1)).toMatchObject({ status: 'exception', subStatus: 'other', rawSubStatus: 'Exception_Inspection' });
  });

  it('places events by time_utc, else time_iso; skips those with only the carrier\u2019s raw text; reads descriptions and places it is given', () => {
    const isoOnly = { ...PICKUP, time_utc: null, description: '', description_translation: { lang: 'en', description: 'Picked up' }, location: null, address: address('Ontario', 'CA', '91761') };
    const rawOnly = { ...LABEL, time_iso: null, time_utc: '' };
    const update = tracked(push('TRACKING_UPDATED', { status: 'InTransit', sub_status: 'InTransit_PickedUp' }, [isoOnly, rawOnly]));
    expect(update.events).toEqual([
      expect.objectContaining({ time: '2025-11-18T03:05:00.000Z', description: 'Picked up', location: 'Ontario, CA, 91761, US' }),
    ]);
  });

  it('reads a TRACKING_STOPPED push as an update with the last status it carries, and no status when it carries none', () => {
    const stopped = tracked(push('TRACKING_STOPPED', { status: 'InTransit', sub_status: 'InTransit_Arrival' }, [ARRIVAL, PICKUP, LABEL]));
    expect(stopped).toEqual(tracked(IN_TRANSIT));
    // The documented stop notice names only the parcel.
    const bare = tracked({ event: 'TRACKING_STOPPED', data: { number: '1Z5R89390357567127', carrier: 100002, param: null, tag: null } });
    expect(bare).toEqual({ trackingNumber: '1Z5R89390357567127', carrier: 'ups', status: 'unknown', events: [], rawStatus: 'TRACKING_STOPPED' });
  });

  it('leaves out a carrier it does not map, and an ETA it cannot read', () => {
    const other = push('TRACKING_UPDATED', { status: 'InTransit', sub_status: null }, [ARRIVAL]);
    other.data.carrier = 3011;
    (other.data.track_info.time_metrics.estimated_delivery_date as Record<string, unknown>) = { source: null, from: null, to: 'soon' };
    const update = tracked(other);
    expect(update.carrier).toBeUndefined();
    expect(update.estimatedDelivery).toBeUndefined();
    expect(update.rawStatus).toBe('InTransit');
  });

  it('answers 200-and-ignore for another event type', () => {
    const parsed = seventeenTrackSource.parse(request({ event: 'TRACKING_REGISTERED', data: { number: 'RR123456789CN' } }));
    expect(parsed).toMatchObject({ kind: 'ignored' });
    expect(parsed.kind === 'ignored' && parsed.reason).toContain('TRACKING_REGISTERED');
  });
});

describe('seventeenTrackSource.parse: refusals name the field', () => {
  const data = IN_TRANSIT.data;
  const info = data.track_info;
  it.each([
    ['body', 'not json'],
    ['body', 'null'],
    ['event', { data }],
    ['data', { event: 'TRACKING_UPDATED' }],
    ['data.number', { event: 'TRACKING_UPDATED', data: { ...data, number: null } }],
    ['data.number', { event: 'TRACKING_UPDATED', data: { ...data, number: '9'.repeat(65) } }],
    ['data.track_info', { event: 'TRACKING_UPDATED', data: { ...data, track_info: null } }],
    ['data.track_info.latest_status', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, latest_status: 'InTransit' } } }],
    ['data.track_info.tracking.providers', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, tracking: { providers: {} } } } }],
    ['data.track_info.tracking.providers.0', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, tracking: { providers: [7] } } } }],
    ['data.track_info.tracking.providers.0.events.1', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, tracking: { providers: [{ events: [ARRIVAL, 'x'] }] } } } }],
    ['data.track_info.latest_event.time_utc', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, latest_event: { ...ARRIVAL, time_utc: '18/11/2025 10:12' } } } }],
    ['data.track_info.time_metrics', { event: 'TRACKING_UPDATED', data: { ...data, track_info: { ...info, time_metrics: [] } } }],
  ])('refuses a body with a bad %s (case %#)', (field, body) => {
    expect(refusal(() => seventeenTrackSource.parse(request(body)), WebhookPayloadError)).toMatchObject({ code: 'invalid_payload', field });
  });
});
