/**
 * The Shippo and 17TRACK sources under arbitrary input (issue point 8): random bytes, headers and query
 * strings, random JSON, a real delivery with any one field replaced by any JSON, enormous strings and deep
 * nesting. Whatever arrives, the answer is a sound update or a typed refusal, never an untyped throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isShipmentStatus } from '../../src/domain/status.js';
import { IngestError, WebhookPayloadError, WebhookSignatureError } from '../../src/ingest/errors.js';
import { seventeenTrackSource } from '../../src/ingest/seventeen-track.js';
import { shippoSource } from '../../src/ingest/shippo.js';
import type { ParsedWebhook, WebhookHeaders } from '../../src/ingest/source.js';
import { bytes, refusal } from './payloads/common.js';
import * as track17 from './payloads/seventeen-track.js';
import * as shippo from './payloads/shippo.js';

function typedOnly(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
  }
}

function expectSound(parsed: ParsedWebhook): void {
  expect(parsed.deliveryId).toMatch(/^sha256:[0-9a-f]{32}$/);
  if (parsed.kind !== 'tracking') return;
  for (const update of parsed.updates) {
    expect(isShipmentStatus(update.status)).toBe(true);
    for (const event of update.events) {
      expect(Number.isNaN(Date.parse(event.time))).toBe(false);
      expect(isShipmentStatus(event.status)).toBe(true);
    }
  }
}

/** `body` with the value at `path` replaced, on a deep copy. */
function replaced(body: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, any>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path.at(-1) as string] = value;
  return copy;
}

const anyBytes = fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b));
const anyHeaders = fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string())));
const anyQuery = fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)));

describe('shippoSource under arbitrary input', () => {
  it('verifies any bytes, headers and query with a typed refusal at worst', () => {
    fc.assert(
      fc.property(anyBytes, anyHeaders, anyQuery, fc.string(), (body, headers, query, signature) => {
        typedOnly(() => shippoSource.verify(shippo.request(body, query, { ...headers, 'shippo-auth-signature': signature }), shippo.withHmac));
        typedOnly(() => shippoSource.verify(shippo.request(body, { ...query, token: shippo.TOKEN }, headers), shippo.withHmac));
      }),
      { numRuns: 300 },
    );
  });

  it('parses any bytes and any JSON with a typed refusal at worst', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, fc.jsonValue().map(bytes)), (raw) => typedOnly(() => expectSound(shippoSource.parse(shippo.request(raw))))),
      { numRuns: 400 },
    );
  });

  it('parses a real delivery with any field replaced by any JSON into a sound update or a typed refusal', () => {
    const paths = [
      ['event'], ['data'], ['data', 'carrier'], ['data', 'eta'], ['data', 'tracking_number'], ['data', 'tracking_status'],
      ['data', 'tracking_history'], ['data', 'tracking_status', 'status'], ['data', 'tracking_status', 'substatus'],
      ['data', 'tracking_status', 'status_date'], ['data', 'tracking_status', 'location'], ['data', 'tracking_status', 'status_details'],
      ['data', 'tracking_history', '1'], ['data', 'tracking_history', '1', 'status_date'], ['data', 'tracking_history', '0', 'substatus', 'code'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        try {
          expectSound(shippoSource.parse(shippo.request(replaced(shippo.IN_TRANSIT_BODY, path, value))));
        } catch (error) {
          expect(error).toBeInstanceOf(IngestError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('copes with enormous strings, deep nesting and endless signature lists', () => {
    const huge = 'x'.repeat(2_000_000);
    const longNumber = { event: 'track_updated', data: { ...shippo.IN_TRANSIT_BODY.data, tracking_number: huge } };
    expect(refusal(() => shippoSource.parse(shippo.request(longNumber)), WebhookPayloadError).field).toBe('data.tracking_number');
    const longText = shippo.tracked(shippo.trackUpdated({ ...shippo.DEPARTED, status_details: huge }, []));
    expect(longText.events[0]?.description).toHaveLength(huge.length);
    expect(shippoSource.parse(shippo.request({ event: huge })).kind).toBe('ignored');
    typedOnly(() => shippoSource.parse(shippo.request(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))));
    const header = `t=${Math.floor(shippo.NOW.getTime() / 1000)},${'v1=ab,'.repeat(50_000)}`;
    const endless = () => shippoSource.verify(shippo.request('{}', { token: shippo.TOKEN }, { 'shippo-auth-signature': header }), shippo.withHmac);
    expect(refusal(endless, WebhookSignatureError).reason).toBe('no_matching_signature');
  });
});

describe('seventeenTrackSource under arbitrary input', () => {
  it('verifies any bytes and headers with a typed refusal at worst', () => {
    fc.assert(
      fc.property(anyBytes, anyHeaders, (body, headers: WebhookHeaders) => {
        typedOnly(() => seventeenTrackSource.verify(track17.request(body, headers), track17.secrets));
        typedOnly(() => seventeenTrackSource.verify(track17.request(body, { ...headers, sign: headers.sign ?? 'x' }), {}));
      }),
      { numRuns: 300 },
    );
  });

  it('parses any bytes and any JSON with a typed refusal at worst', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, fc.jsonValue().map(bytes)), (raw) => typedOnly(() => expectSound(seventeenTrackSource.parse(track17.request(raw))))),
      { numRuns: 400 },
    );
  });

  it('parses a real push with any field replaced by any JSON into a sound update or a typed refusal', () => {
    const info = ['data', 'track_info'];
    const event = [...info, 'tracking', 'providers', '0', 'events', '1'];
    const paths = [
      ['event'], ['data'], ['data', 'number'], ['data', 'carrier'], info, [...info, 'latest_status'], [...info, 'latest_status', 'status'],
      [...info, 'latest_status', 'sub_status'], [...info, 'latest_event'], [...info, 'time_metrics'], [...info, 'time_metrics', 'estimated_delivery_date'],
      [...info, 'tracking'], [...info, 'tracking', 'providers'], [...info, 'tracking', 'providers', '0', 'events'], event, [...event, 'time_utc'],
      [...event, 'time_iso'], [...event, 'sub_status'], [...event, 'stage'], [...event, 'address'], [...event, 'description_translation'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        try {
          expectSound(seventeenTrackSource.parse(track17.request(replaced(track17.IN_TRANSIT, path, value))));
        } catch (error) {
          expect(error).toBeInstanceOf(IngestError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('copes with enormous strings, many events and deep nesting', () => {
    const huge = '9'.repeat(2_000_000);
    const longNumber = { ...track17.IN_TRANSIT, data: { ...track17.IN_TRANSIT.data, number: huge } };
    expect(refusal(() => seventeenTrackSource.parse(track17.request(longNumber)), WebhookPayloadError).field).toBe('data.number');
    const many = Array.from({ length: 5_000 }, (_, i) => ({
      ...track17.ARRIVAL,
      time_utc: new Date(Date.UTC(2025, 10, 18) + i * 60_000).toISOString(),
      sub_status: null,
      stage: null,
    }));
    const lost = track17.tracked(track17.push('TRACKING_UPDATED', { status: 'Exception', sub_status: 'Exception_Lost' }, many));
    expect(lost.events).toHaveLength(5_001);
    expect(lost.events.at(-1)).toMatchObject({ status: 'failed', subStatus: 'lost' });
    typedOnly(() => seventeenTrackSource.parse(track17.request(Buffer.from(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`))));
    expect(refusal(() => seventeenTrackSource.verify(track17.request('{}', { sign: 'f'.repeat(5_000_000) }), track17.secrets), WebhookSignatureError).reason).toBe(
      'no_matching_signature',
    );
  });
});
