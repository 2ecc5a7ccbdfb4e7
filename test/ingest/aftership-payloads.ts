/**
 * AfterShip payloads for the tests, written from AfterShip's Tracking docs ("Webhook Specifications",
 * version 2025-04, and the Tracking and Checkpoint models), plus a signature vector of our own.
 */
import { aftershipSource } from '../../src/ingest/aftership.js';
import type { ParsedWebhook, SourceUpdate, WebhookHeaders, WebhookRequest } from '../../src/ingest/source.js';

// Our own vector: the signature was computed with python3 `hmac` (base64 of HMAC-SHA256), independently of the code under test.
export const SECRET = 'shipment-notifier aftership test secret';
export const VECTOR_BODY =
  '{"ts":1764000000,"event":"tracking_update","event_id":"5b0e2f3c-8a1d-4c6e-9f27-3d4b5a6c7e81","msg":{"tracking_number":"1Z999AA10123456784","slug":"ups","tag":"OutForDelivery","subtag":"OutForDelivery_001"}}';
export const VECTOR_SIGNATURE = 'pc45xF1j23Fcwvb0V0eLMmonjJUhybfTHgcYo4Q3lX8=';
export const NOW = new Date('2026-11-22T12:00:00Z');

export const request = (body: string | Buffer, headers: WebhookHeaders = {}): WebhookRequest => ({
  headers,
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  query: {},
  now: NOW,
});
export const verify = (body: string, headers: WebhookHeaders, secret: string | undefined = SECRET) =>
  aftershipSource.verify(request(body, headers), { aftershipWebhookSecret: secret });
export const parse = (body: unknown): ParsedWebhook => aftershipSource.parse(request(typeof body === 'string' ? body : JSON.stringify(body)));
export const onlyUpdate = (body: unknown): SourceUpdate => {
  const parsed = parse(body);
  if (parsed.kind !== 'tracking' || parsed.updates.length !== 1) throw new Error(`expected one tracking update, got ${JSON.stringify(parsed)}`);
  return parsed.updates[0] as SourceUpdate;
};

export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/** A Tracking webhook with the fields we read, plus some we do not, so that their presence is tested too. */
export function trackingBody(msg: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return {
    ts: 1764000000,
    event: 'tracking_update',
    event_id: '9e0d8c2a-51b7-4e3f-8a6d-0c1b2a3f4e5d',
    is_tracking_first_tag: false,
    msg: {
      id: 'jv1zn2y0b3kq8l0001',
      tracking_number: '1Z999AA10123456784',
      slug: 'ups',
      tag: 'InTransit',
      subtag: 'InTransit_003',
      subtag_message: 'Arrival scan',
      order_number: 'ORD-2041',
      signed_by: null,
      checkpoints: [
        {
          checkpoint_time: '2026-11-20T09:15:00-05:00',
          created_at: '2026-11-20T14:20:00+00:00',
          slug: 'ups',
          city: 'Louisville',
          state: 'KY',
          zip: '40209',
          country_region: 'USA',
          country_region_name: 'United States',
          location: 'Louisville, KY, 40209, United States',
          message: 'Arrived at Facility',
          tag: 'InTransit',
          subtag: 'InTransit_003',
          subtag_message: 'Arrival scan',
          raw_tag: 'AR',
          coordinate: { latitude: 38.17, longitude: -85.74 },
          events: [],
          source: 'carrier',
        },
      ],
      ...msg,
    },
    ...top,
  };
}
