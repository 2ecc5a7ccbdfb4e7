import { describe, expect, it } from 'vitest';
import { applyUpdate, DEFAULT_DIFF_OPTIONS } from '../../src/domain/diff.js';
import { newShipmentState } from '../../src/domain/shipment.js';
import { easypostCarrier, easypostSource, signEasypost } from '../../src/ingest/easypost.js';
import { WebhookPayloadError, WebhookSecretError } from '../../src/ingest/errors.js';
import type { ParsedWebhook, SourceUpdate, WebhookHeaders, WebhookRequest } from '../../src/ingest/source.js';

// Our own vector, computed with python3 `hmac` and `unicodedata.normalize('NFKD', …)`. The secret has a
// ligature and an ohm sign, which NFKD turns into "fi" and a Greek omega: 66 69 6e 61 6c 2d ce a9 2d ….
const SECRET = '\ufb01nal-\u2126-secret';
const VECTOR_BODY =
  '{"id":"evt_7c1f0e9a","object":"Event","description":"tracker.updated","result":{"object":"Tracker","tracking_code":"9400111899223197428490","carrier":"USPS","status":"out_for_delivery","status_detail":"out_for_delivery","tracking_details":[]}}';
const VECTOR_SIGNATURE = 'hmac-sha256-hex=b56f104ba180aedebaa09c9b58eac1735c115e50ceef8858cf4cf944754e8fe4';
/** The same body signed with the secret as typed, without NFKD: what a careless implementation sends. */
const UNNORMALIZED_SIGNATURE = 'hmac-sha256-hex=093b20254eb2c7357baf164dda996a169c86df95d5e00c14a9781c80cc8f1621';

const request = (body: string, headers: WebhookHeaders = {}): WebhookRequest => ({ headers, rawBody: Buffer.from(body), query: {}, now: new Date() });
const verify = (body: string, headers: WebhookHeaders) => easypostSource.verify(request(body, headers), { easypostWebhookSecret: SECRET });
const parse = (body: unknown): ParsedWebhook => easypostSource.parse(request(typeof body === 'string' ? body : JSON.stringify(body)));
const onlyUpdate = (body: unknown): SourceUpdate => {
  const parsed = parse(body);
  if (parsed.kind !== 'tracking' || parsed.updates.length !== 1) throw new Error(`expected one tracking update, got ${JSON.stringify(parsed)}`);
  return parsed.updates[0] as SourceUpdate;
};
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

const place = (city: string | null, state: string | null, zip: string | null, country: string | null) => ({ object: 'TrackingLocation', city, state, country, zip });
const detail = (datetime: string, status: string, status_detail: string | null, message: string, extra: Record<string, unknown> = {}) => ({
  object: 'TrackingDetail', message, description: '', status, status_detail, datetime, source: 'UPS', carrier_code: '', tracking_location: place(null, null, null, null), ...extra,
});

/** A `tracker.updated` Event written from EasyPost's "Events" and "Trackers" docs. */
function trackerEvent(tracker: Record<string, unknown> = {}, event: Record<string, unknown> = {}) {
  return {
    id: 'evt_2c5f94b1a0e411f0',
    object: 'Event',
    mode: 'production',
    description: 'tracker.updated',
    previous_attributes: { status: 'pre_transit' },
    created_at: '2026-11-20T14:00:00.000Z',
    updated_at: '2026-11-20T14:00:00.000Z',
    pending_urls: ['https://notifier.example/webhooks/easypost'],
    completed_urls: [],
    user_id: 'user_3a1b',
    status: 'pending',
    result: {
      id: 'trk_5d2e',
      object: 'Tracker',
      mode: 'production',
      tracking_code: '1Z999AA10123456784',
      status: 'in_transit',
      status_detail: 'departed_facility',
      signed_by: null,
      weight: 32.0,
      est_delivery_date: '2026-11-24T00:00:00Z',
      shipment_id: null,
      carrier: 'UPS',
      tracking_details: [
        detail('2026-11-19T22:10:00Z', 'pre_transit', 'label_created', 'Shipper created a label', { carrier_code: 'MP' }),
        detail('2026-11-20T09:30:00-05:00', 'in_transit', 'departed_facility', 'Departed from Facility', {
          carrier_code: 'DP', tracking_location: place('HODGKINS', 'IL', '60525', 'US'),
        }),
      ],
      carrier_detail: { object: 'CarrierDetail', service: 'Ground', est_delivery_date_local: null, est_delivery_time_local: null },
      finalized: false,
      is_return: false,
      public_url: 'https://track.easypost.com/djE6dHJrXzVkMmU',
      ...tracker,
    },
    ...event,
  };
}

describe('EasyPost signature', () => {
  it('accepts our vector, whose key is the NFKD form of the secret', () => {
    expect(signEasypost(SECRET, Buffer.from(VECTOR_BODY))).toBe(VECTOR_SIGNATURE);
    expect(() => verify(VECTOR_BODY, { 'x-hmac-signature': VECTOR_SIGNATURE })).not.toThrow();
    expect(() => verify(VECTOR_BODY, { 'X-Hmac-Signature': VECTOR_SIGNATURE.toUpperCase().replace('HMAC-SHA256-HEX=', 'hmac-sha256-hex=') })).not.toThrow();
  });

  it('refuses the signature made with the secret left as typed', () => {
    expect(thrown(() => verify(VECTOR_BODY, { 'x-hmac-signature': UNNORMALIZED_SIGNATURE }))).toMatchObject({
      code: 'invalid_signature', reason: 'no_matching_signature', field: 'x-hmac-signature',
    });
  });

  it('refuses a tampered body, a bare digest, another prefix and odd lengths', () => {
    const hex = VECTOR_SIGNATURE.slice('hmac-sha256-hex='.length);
    expect(thrown(() => verify(VECTOR_BODY.replace('out_for_delivery"', 'delivered"'), { 'x-hmac-signature': VECTOR_SIGNATURE }))).toMatchObject({ reason: 'no_matching_signature' });
    for (const value of [hex, `hmac-sha256=${hex}`, `hmac-sha256-hex=${hex.slice(2)}`, `${VECTOR_SIGNATURE}0`, 'hmac-sha256-hex=']) {
      expect(thrown(() => verify(VECTOR_BODY, { 'x-hmac-signature': value }))).toMatchObject({ reason: 'no_matching_signature' });
    }
  });

  it('refuses a delivery without X-Hmac-Signature, and an unset secret as the operator\u2019s problem', () => {
    expect(thrown(() => verify(VECTOR_BODY, {}))).toMatchObject({ reason: 'missing_header', field: 'x-hmac-signature' });
    const signed = request(VECTOR_BODY, { 'x-hmac-signature': VECTOR_SIGNATURE });
    expect(thrown(() => easypostSource.verify(signed, {}))).toBeInstanceOf(WebhookSecretError);
    expect(thrown(() => easypostSource.verify(signed, { easypostWebhookSecret: '' }))).toBeInstanceOf(WebhookSecretError);
    expect(easypostSource.secret({ easypostWebhookSecret: SECRET })).toBe(SECRET);
    expect(easypostSource.secret({})).toBeUndefined();
    expect(easypostSource.name).toBe('easypost');
  });
});

describe('EasyPost tracker events', () => {
  it('maps the Tracker and its tracking details, keeping EasyPost\u2019s words', () => {
    expect(parse(trackerEvent())).toEqual({
      kind: 'tracking',
      deliveryId: 'evt_2c5f94b1a0e411f0',
      updates: [
        {
          trackingNumber: '1Z999AA10123456784',
          carrier: 'ups',
          status: 'in_transit',
          estimatedDelivery: '2026-11-24',
          rawStatus: 'in_transit/departed_facility',
          events: [
            { time: '2026-11-19T22:10:00.000Z', status: 'label_created', description: 'Shipper created a label', source: 'easypost', rawStatus: 'pre_transit', rawSubStatus: 'label_created', rawCode: 'MP' },
            { time: '2026-11-20T14:30:00.000Z', status: 'in_transit', description: 'Departed from Facility', location: 'HODGKINS, IL 60525, US', source: 'easypost', rawStatus: 'in_transit', rawSubStatus: 'departed_facility', rawCode: 'DP' },
          ],
        },
      ],
    });
  });

  it('maps a problem detail on the tracker and on each tracking detail', () => {
    const update = onlyUpdate(
      trackerEvent({
        status: 'out_for_delivery',
        status_detail: 'refused',
        tracking_details: [
          detail('2026-11-21T08:00:00Z', 'in_transit', 'weather_delay', 'Severe weather'),
          detail('2026-11-22T16:00:00Z', 'out_for_delivery', 'refused', 'Receiver refused the package'),
        ],
      }),
    );
    expect(update).toMatchObject({ status: 'delivery_attempted', subStatus: 'recipient_refused', rawStatus: 'out_for_delivery/refused' });
    expect(update.events.map((e) => [e.status, e.subStatus])).toEqual([['exception', 'weather_delay'], ['delivery_attempted', 'recipient_refused']]);
  });

  it('calls a tracker with no details yet pending', () => {
    expect(onlyUpdate(trackerEvent({ status: 'unknown', status_detail: 'unknown', tracking_details: [] })).status).toBe('pending');
  });

  it('takes the carrier\u2019s local estimate first, and reads EasyPost\u2019s midnight UTC as a date', () => {
    const local = { object: 'CarrierDetail', est_delivery_date_local: '2026-11-25', est_delivery_time_local: '18:00:00' };
    expect(onlyUpdate(trackerEvent({ carrier_detail: local })).estimatedDelivery).toBe('2026-11-25');
    expect(onlyUpdate(trackerEvent({ est_delivery_date: '2026-11-24T17:30:00Z' })).estimatedDelivery).toBe('2026-11-24T17:30:00Z');
    expect(onlyUpdate(trackerEvent({ est_delivery_date: null, carrier_detail: null })).estimatedDelivery).toBeUndefined();
    expect(onlyUpdate(trackerEvent({ est_delivery_date: 'unknown' })).estimatedDelivery).toBeUndefined();
  });

  it('gives signed_by and the delivered detail\u2019s time and place as proof', () => {
    const update = onlyUpdate(
      trackerEvent({
        status: 'delivered',
        status_detail: 'arrived_at_destination',
        signed_by: 'R GARCIA',
        tracking_details: [
          detail('2026-11-22T08:00:00Z', 'out_for_delivery', 'out_for_delivery', 'Out for delivery'),
          detail('2026-11-22T13:41:00Z', 'delivered', 'arrived_at_destination', 'Delivered, front desk', { tracking_location: place('AUSTIN', 'TX', '78701', 'US') }),
        ],
      }),
    );
    expect(update.proof).toEqual({ signedBy: 'R GARCIA', time: '2026-11-22T13:41:00.000Z', location: 'AUSTIN, TX 78701, US' });
    expect(onlyUpdate(trackerEvent()).proof).toBeUndefined();
  });

  it('maps EasyPost carrier names to slugs', () => {
    const names = ['USPS', 'UPS', 'UPSDAP', 'UPSMailInnovations', 'FedEx', 'FedExSmartPost', 'FedExDefault', 'DHLExpress', 'DhlEcs', 'DHLGlobalMail'];
    expect(names.map(easypostCarrier)).toEqual(['usps', 'ups', 'ups', 'ups', 'fedex', 'fedex', 'fedex', 'dhl', 'dhl', 'dhl']);
    expect(easypostCarrier('CanadaPost')).toBe('canadapost');
    expect(easypostCarrier('La Poste')).toBe('laposte');
  });

  it('answers tracker.created without a result, and events about other objects, as ignored', () => {
    expect(parse({ id: 'evt_1', object: 'Event', description: 'tracker.created', previous_attributes: {}, status: 'pending' })).toMatchObject({ kind: 'ignored', deliveryId: 'evt_1' });
    expect(parse(trackerEvent({}, { description: 'tracker.created', result: null }))).toMatchObject({ kind: 'ignored' });
    for (const description of ['batch.created', 'shipment.invoice.updated', 'insurance.purchased', 'refund.successful', 'payment.completed']) {
      expect(parse(trackerEvent({}, { description }))).toMatchObject({ kind: 'ignored', deliveryId: 'evt_2c5f94b1a0e411f0' });
    }
    expect(onlyUpdate(trackerEvent({}, { description: 'tracker.created' })).status).toBe('in_transit');
  });

  it('names the field at fault in a refused event', () => {
    const refusal = (body: unknown) => {
      const error = thrown(() => parse(body));
      expect(error).toBeInstanceOf(WebhookPayloadError);
      return (error as WebhookPayloadError).field;
    };
    expect(refusal('tracker.updated')).toBe('body');
    expect(refusal(trackerEvent({}, { id: undefined }))).toBe('id');
    expect(refusal(trackerEvent({}, { description: 42 }))).toBe('description');
    expect(refusal(trackerEvent({}, { result: 'trk_1' }))).toBe('result');
    expect(refusal(trackerEvent({ tracking_code: null }))).toBe('result.tracking_code');
    expect(refusal(trackerEvent({ tracking_details: 'none' }))).toBe('result.tracking_details');
    expect(refusal(trackerEvent({ tracking_details: [7] }))).toBe('result.tracking_details[0]');
    expect(refusal(trackerEvent({ tracking_details: [detail('31/12/2026', 'in_transit', null, 'x')] }))).toBe('result.tracking_details[0].datetime');
  });
});

describe('EasyPost updates through the diff', () => {
  it('fires the failed-attempt and lost notifications from EasyPost\u2019s words', () => {
    const state = newShipmentState(
      { id: 'shp_ep', orderId: 'ord_ep', carrier: 'ups', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
      new Date('2026-11-19T00:00:00Z'),
    );
    const update = onlyUpdate(
      trackerEvent({
        status: 'failure',
        status_detail: 'lost',
        tracking_details: [
          detail('2026-11-20T09:00:00Z', 'in_transit', 'arrived_at_facility', 'Arrived'),
          detail('2026-11-21T16:00:00Z', 'out_for_delivery', 'delivery_exception', 'Delivery attempted'),
          detail('2026-11-25T10:00:00Z', 'failure', 'lost', 'Package lost'),
        ],
      }),
    );
    const result = applyUpdate(state, { shipmentId: state.id, status: update.status, events: update.events, source: 'easypost' }, new Date('2026-11-25T11:00:00Z'), DEFAULT_DIFF_OPTIONS);
    expect(result.triggers.map((t) => t.key)).toEqual(['shipped:-', 'delivery_attempted:1', 'lost:-']);
    expect(result.state).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
