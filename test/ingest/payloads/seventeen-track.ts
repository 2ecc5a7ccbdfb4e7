/**
 * 17TRACK pushes for the tests, written from the Tracking API v2.2 documentation (none is published as a
 * captured push): the "WebHook" section gives the envelope `{event, data: {number, carrier, param, tag,
 * track_info}}`, and `track_info` has the shape of the `gettrackinfo` response's example (shipping_info,
 * latest_status, latest_event, time_metrics, milestone, misc_info, tracking.providers[].events[] newest first).
 */
import { expect } from 'vitest';
import { bytes } from './common.js';
import { seventeenTrackSource } from '../../../src/ingest/seventeen-track.js';
import type { SourceUpdate, WebhookHeaders, WebhookRequest, WebhookSecrets } from '../../../src/ingest/source.js';

export const API_KEY = '17track-api-key';
export const secrets: WebhookSecrets = { seventeentrackApiKey: API_KEY };

export const address = (city: string | null, state: string | null, postal: string | null) => ({
  country: 'US',
  state,
  city,
  street: null,
  postal_code: postal,
  coordinates: { longitude: null, latitude: null },
});
export function scan(timeIso: string, timeUtc: string, description: string, location: string | null, stage: string | null, sub: string | null) {
  return {
    time_iso: timeIso,
    time_utc: timeUtc,
    time_raw: { date: timeIso.slice(0, 10), time: timeIso.slice(11, 19), timezone: null },
    description,
    description_translation: null,
    location,
    stage,
    sub_status: sub,
    address: address(location?.split(',')[0] ?? null, null, null),
  };
}

export const LABEL = scan('2025-11-16T18:20:00-08:00', '2025-11-17T02:20:00Z', 'Shipper created a label, UPS has not received the package yet.', null, 'InfoReceived', 'InfoReceived');
export const PICKUP = scan('2025-11-17T19:05:00-08:00', '2025-11-18T03:05:00Z', 'Pickup Scan', 'Ontario, CA, US', 'PickedUp', 'InTransit_PickedUp');
export const ARRIVAL = scan('2025-11-18T04:12:00-06:00', '2025-11-18T10:12:00Z', 'Arrived at Facility', 'Hodgkins, IL, US', 'Arrival', 'InTransit_Arrival');

/** A push: `latest` is latest_status, `events` the provider's events, newest first. */
export function push(event: string, latest: { status: string; sub_status: string | null }, events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    event,
    data: {
      number: '1Z5R89390357567127',
      carrier: 100002,
      param: null,
      tag: 'order-1',
      track_info: {
        shipping_info: { shipper_address: address('ONTARIO', 'CA', '91761'), recipient_address: address('CHICAGO', 'IL', '60615') },
        latest_status: { ...latest, sub_status_descr: null },
        latest_event: events[0] ?? null,
        time_metrics: {
          days_after_order: 2,
          days_of_transit: 1,
          days_of_transit_done: 1,
          days_after_last_update: 0,
          estimated_delivery_date: { source: 'Official', from: '2025-11-20T00:00:00-06:00', to: '2025-11-20T23:59:59-06:00' },
        },
        milestone: [
          { key_stage: 'InfoReceived', time_iso: LABEL.time_iso, time_utc: LABEL.time_utc, time_raw: LABEL.time_raw },
          { key_stage: 'PickedUp', time_iso: PICKUP.time_iso, time_utc: PICKUP.time_utc, time_raw: PICKUP.time_raw },
          { key_stage: 'Delivered', time_iso: null, time_utc: null, time_raw: { date: null, time: null, timezone: null } },
        ],
        misc_info: { risk_factor: 0, service_type: 'UPS Ground', weight_raw: '2.00 LBS', weight_kg: '0.91', pieces: '1', local_key: 0 },
        tracking: {
          providers_hash: 1537458842,
          providers: [
            {
              provider: { key: 100002, name: 'UPS', alias: 'UPS', tel: '+1 800-742-5877', homepage: 'https://www.ups.com', country: 'US' },
              service_type: 'UPS Ground',
              latest_sync_status: 'Success',
              latest_sync_time: '2025-11-18T10:30:02Z',
              events_hash: -1023563498,
              events,
            },
          ],
        },
        ...extra,
      },
    },
  };
}
export const IN_TRANSIT = push('TRACKING_UPDATED', { status: 'InTransit', sub_status: 'InTransit_Arrival' }, [ARRIVAL, PICKUP, LABEL]);

export const request = (body: unknown, headers: WebhookHeaders = {}): WebhookRequest => ({
  headers,
  rawBody: Buffer.isBuffer(body) ? body : bytes(body),
  query: {},
  now: new Date('2025-11-18T12:00:00Z'),
});
export const tracked = (body: unknown): SourceUpdate => {
  const parsed = seventeenTrackSource.parse(request(body));
  if (parsed.kind !== 'tracking') throw new Error(`expected tracking news, got ${parsed.kind}`);
  expect(parsed.updates).toHaveLength(1);
  return parsed.updates[0] as SourceUpdate;
};


export { bytes, refusal } from './common.js';
