/**
 * Shippo deliveries for the tests, written from Shippo's docs (none is published as a captured delivery):
 * the "Webhooks" guide (`{event, test, data}`, data being a Track object), the API reference's "Track" and
 * "Tracking Status" objects, and the substatus codes of the tracking guide's "Event definitions".
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { bytes } from './common.js';
import { shippoSource } from '../../../src/ingest/shippo.js';
import type { SourceUpdate, WebhookHeaders, WebhookRequest, WebhookSecrets } from '../../../src/ingest/source.js';

export const TOKEN = 'shippo-url-token-7c1f';
export const SECRET = 'shippo-hmac-secret';
export const NOW = new Date('2025-11-18T12:00:00.000Z');

/** A track_updated delivery: `status` is the current Tracking Status, `history` the tracking_history. */
export function trackUpdated(status: Record<string, unknown> | null, history: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    event: 'track_updated',
    test: false,
    data: {
      messages: [],
      carrier: 'usps',
      tracking_number: '9205590164917312751089',
      address_from: { city: 'Las Vegas', state: 'NV', zip: '89101', country: 'US' },
      address_to: { city: 'Spotsylvania', state: 'VA', zip: '22551', country: 'US' },
      transaction: '1f2b1f0f3c6e4d9a8b7c6d5e4f3a2b1c',
      original_eta: '2025-11-20T00:00:00Z',
      eta: '2025-11-21T00:00:00Z',
      servicelevel: { token: 'usps_priority', name: 'Priority Mail' },
      metadata: 'Order 000123',
      tracking_status: status,
      tracking_history: history,
      ...extra,
    },
  };
}

export function trackingStatus(status: string, code: string | null, details: string, date: string | null, city = 'LAS VEGAS', extra: Record<string, unknown> = {}) {
  return {
    object_created: '2025-11-18T09:20:00.000Z',
    object_updated: '2025-11-18T09:20:00.000Z',
    object_id: `ts_${createHash('sha256').update(details + String(date)).digest('hex').slice(0, 12)}`,
    status,
    substatus: code === null ? null : { code, text: `Shippo text for ${code}`, action_required: false },
    status_details: details,
    status_date: date,
    location: { city, state: 'NV', zip: '89199', country: 'US' },
    ...extra,
  };
}

export const LABEL = trackingStatus('PRE_TRANSIT', 'information_received', 'Shipping Label Created, USPS Awaiting Item', '2025-11-17T15:02:00Z');
export const ACCEPTED = trackingStatus('TRANSIT', 'package_accepted', 'USPS picked up item', '2025-11-17T22:41:00Z');
export const DEPARTED = trackingStatus('TRANSIT', 'package_departed', 'Departed USPS Regional Facility', '2025-11-18T09:12:00Z');
export const IN_TRANSIT_BODY = trackUpdated(DEPARTED, [LABEL, ACCEPTED, DEPARTED]);

export const request = (body: unknown, query: Record<string, unknown> = { token: TOKEN }, headers: WebhookHeaders = {}): WebhookRequest => ({
  headers,
  rawBody: Buffer.isBuffer(body) ? body : bytes(body),
  query: query as Record<string, string | undefined>,
  now: NOW,
});
export const secrets: WebhookSecrets = { shippoWebhookToken: TOKEN };
export const withHmac: WebhookSecrets = { shippoWebhookToken: TOKEN, shippoWebhookSecret: SECRET };

export const tracked = (body: unknown): SourceUpdate => {
  const parsed = shippoSource.parse(request(body));
  if (parsed.kind !== 'tracking') throw new Error(`expected tracking news, got ${parsed.kind}`);
  expect(parsed.updates).toHaveLength(1);
  return parsed.updates[0] as SourceUpdate;
};


export { bytes, refusal } from './common.js';
