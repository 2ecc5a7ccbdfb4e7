/**
 * Hostile input for the AfterShip and EasyPost sources (issue point 8): arbitrary bytes, headers and
 * JSON shapes, and enormous strings. Whatever arrives, verify and parse either succeed with a well-formed
 * result or throw the typed error the HTTP layer turns into 400/401; nothing else escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isShipmentStatus } from '../../src/domain/status.js';
import { aftershipSource, signAftership } from '../../src/ingest/aftership.js';
import { AFTERSHIP_SUBTAGS, AFTERSHIP_TAGS } from '../../src/ingest/aftership-tags.js';
import { easypostSource, signEasypost } from '../../src/ingest/easypost.js';
import { EASYPOST_PROBLEM_DETAILS, EASYPOST_STATUSES } from '../../src/ingest/easypost-statuses.js';
import { WebhookPayloadError, WebhookSignatureError } from '../../src/ingest/errors.js';
import type { ParsedWebhook, WebhookHeaders, WebhookRequest, WebhookSource } from '../../src/ingest/source.js';

const SECRETS = { aftershipWebhookSecret: 'fuzz-aftership-secret', easypostWebhookSecret: 'fuzz-\u00e9asypost-secret' };
const SOURCES: [WebhookSource, (body: Buffer) => WebhookHeaders][] = [
  [aftershipSource, (body) => ({ 'aftership-hmac-sha256': signAftership(SECRETS.aftershipWebhookSecret, body) })],
  [easypostSource, (body) => ({ 'x-hmac-signature': signEasypost(SECRETS.easypostWebhookSecret, body) })],
];

const request = (rawBody: Buffer, headers: WebhookHeaders = {}): WebhookRequest => ({ headers, rawBody, query: {}, now: new Date() });

/** Parses, and checks that a result is well formed or the refusal is the typed 400. */
function parseChecked(source: WebhookSource, rawBody: Buffer): ParsedWebhook | undefined {
  let parsed: ParsedWebhook;
  try {
    parsed = source.parse(request(rawBody));
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect((error as WebhookPayloadError).field.length).toBeGreaterThan(0);
    return undefined;
  }
  expect(typeof parsed.deliveryId === 'string' && parsed.deliveryId.length > 0 && parsed.deliveryId.length <= 128).toBe(true);
  if (parsed.kind === 'ignored') {
    expect(typeof parsed.reason).toBe('string');
    return parsed;
  }
  expect(parsed.kind).toBe('tracking');
  for (const update of parsed.updates) {
    expect(update.trackingNumber.trim().length).toBeGreaterThan(0);
    expect(isShipmentStatus(update.status)).toBe(true);
    if (update.estimatedDelivery !== undefined) expect(Number.isNaN(Date.parse(update.estimatedDelivery))).toBe(false);
    for (const event of update.events) {
      // The diff parses event times; anything a source emits must be a UTC ISO instant.
      expect(new Date(event.time).toISOString()).toBe(event.time);
      expect(isShipmentStatus(event.status)).toBe(true);
      expect(event.source).toBe(source.name);
      expect(event.description.length).toBeGreaterThan(0);
    }
  }
  return parsed;
}

const weird = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.constant('constructor'), fc.constant('__proto__'));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: weird });
const isoTime = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().slice(0, 19), d.toISOString().slice(0, 10), `${d.toISOString().slice(0, 19)}+05:30`));
const word = fc.string({ minLength: 1, maxLength: 12 });

const aftershipCheckpoint = fc.record(
  {
    checkpoint_time: maybe(isoTime),
    tag: maybe(fc.oneof(fc.constantFrom(...Object.keys(AFTERSHIP_TAGS)), word)),
    subtag: maybe(fc.oneof(fc.constantFrom(...Object.keys(AFTERSHIP_SUBTAGS)), word)),
    message: maybe(word),
    city: maybe(word),
    country_region_name: maybe(word),
    location: maybe(word),
  },
  { requiredKeys: [] },
);
const aftershipBody = fc.record(
  {
    event: maybe(fc.constantFrom('tracking_update', 'edd_revise', 'tracking_pending_time', 'return.approved')),
    event_id: maybe(fc.uuid()),
    event_type: maybe(word),
    msg: maybe(
      fc.record(
        {
          tracking_number: maybe(word),
          slug: maybe(fc.constantFrom('ups', 'usps', 'fedex-uk', 'dhl')),
          tag: maybe(fc.constantFrom(...Object.keys(AFTERSHIP_TAGS))),
          subtag: maybe(fc.constantFrom(...Object.keys(AFTERSHIP_SUBTAGS))),
          signed_by: maybe(word),
          expected_delivery: maybe(isoTime),
          aftership_estimated_delivery_date: maybe(fc.record({ estimated_delivery_date: maybe(isoTime) })),
          latest_estimated_delivery: maybe(fc.record({ datetime: maybe(isoTime), datetime_max: maybe(isoTime) })),
          checkpoints: maybe(fc.array(maybe(aftershipCheckpoint), { maxLength: 6 })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const easypostDetail = fc.record(
  {
    datetime: maybe(isoTime),
    status: maybe(fc.oneof(fc.constantFrom(...Object.keys(EASYPOST_STATUSES)), word)),
    status_detail: maybe(fc.oneof(fc.constantFrom(...Object.keys(EASYPOST_PROBLEM_DETAILS)), word)),
    message: maybe(word),
    carrier_code: maybe(word),
    tracking_location: maybe(fc.record({ city: maybe(word), state: maybe(word), zip: maybe(word), country: maybe(word) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const easypostBody = fc.record(
  {
    id: maybe(fc.stringMatching(/^evt_[0-9a-f]{8}$/)),
    object: maybe(fc.constant('Event')),
    description: maybe(fc.constantFrom('tracker.updated', 'tracker.created', 'batch.created')),
    result: maybe(
      fc.record(
        {
          tracking_code: maybe(word),
          carrier: maybe(fc.constantFrom('USPS', 'UPS', 'FedEx', 'DHLExpress', 'CanadaPost')),
          status: maybe(fc.constantFrom(...Object.keys(EASYPOST_STATUSES))),
          status_detail: maybe(fc.constantFrom(...Object.keys(EASYPOST_PROBLEM_DETAILS))),
          signed_by: maybe(word),
          est_delivery_date: maybe(isoTime),
          carrier_detail: maybe(fc.record({ est_delivery_date_local: maybe(isoTime) }, { requiredKeys: [] })),
          tracking_details: maybe(fc.array(maybe(easypostDetail), { maxLength: 6 })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe.each(SOURCES.map(([source, sign]) => [source.name, source, sign] as const))('%s under hostile input', (_, source, sign) => {
  const shaped = source === aftershipSource ? aftershipBody : easypostBody;

  it('parses arbitrary bytes into a result or a typed 400', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void parseChecked(source, Buffer.from(bytes))), { numRuns: 300 });
  });

  it('parses any JSON value into a result or a typed 400', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void parseChecked(source, Buffer.from(JSON.stringify(value) ?? 'null'))), { numRuns: 300 });
  });

  it('parses the provider\u2019s shape with any field of any type into a result or a typed 400', () => {
    let tracked = 0;
    fc.assert(
      fc.property(shaped, (body) => {
        if (parseChecked(source, Buffer.from(JSON.stringify(body)))?.kind === 'tracking') tracked++;
      }),
      { numRuns: 1000 },
    );
    // The generator must reach the mapping code, not only the early refusals. About 4% of shaped
    // bodies parse fully; 10 of 1000 leaves room for chance without letting the generator go blind.
    expect(tracked).toBeGreaterThan(10);
  });

  it('refuses arbitrary signature headers with a typed 401', () => {
    const names = fc.constantFrom('aftership-hmac-sha256', 'as-signature-hmac-sha256', 'am-webhook-signature', 'x-hmac-signature', 'X-HMAC-SIGNATURE', 'other');
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(names, value), fc.uint8Array({ maxLength: 256 }), (headers, bytes) => {
        expect(() => source.verify(request(Buffer.from(bytes), headers as WebhookHeaders), SECRETS)).toThrow(WebhookSignatureError);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts any body signed with the secret and refuses it with any byte flipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), (bytes, at) => {
        const body = Buffer.from(bytes);
        const headers = sign(body);
        expect(() => source.verify(request(body, headers), SECRETS)).not.toThrow();
        const tampered = Buffer.from(body);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ 0x20;
        expect(() => source.verify(request(tampered, headers), SECRETS)).toThrow(WebhookSignatureError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('enormous input', () => {
  const huge = 'x'.repeat(2_000_000);

  it('verifies and parses megabyte strings quickly and keeps them intact', () => {
    const aftership = Buffer.from(JSON.stringify({ event: 'tracking_update', event_id: huge, msg: { tracking_number: huge, tag: huge, checkpoints: [{ checkpoint_time: '2026-11-20T00:00:00Z', message: huge }] } }));
    const easypost = Buffer.from(JSON.stringify({ id: 'evt_1', description: 'tracker.updated', result: { tracking_code: huge, status: huge, tracking_details: [{ datetime: huge }] } }));
    const started = Date.now();
    expect(() => aftershipSource.verify(request(aftership, { 'aftership-hmac-sha256': huge }), SECRETS)).toThrow(WebhookSignatureError);
    const parsed = aftershipSource.parse(request(aftership));
    expect(parsed.kind === 'tracking' && parsed.updates[0]?.events[0]?.description.length).toBe(huge.length);
    expect(parsed.deliveryId).toMatch(/^sha256:/);
    expect(() => easypostSource.parse(request(easypost))).toThrow(WebhookPayloadError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('parses ten thousand checkpoints and deep nesting without crashing', () => {
    const checkpoints = Array.from({ length: 10_000 }, (_, i) => ({ checkpoint_time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), tag: 'InTransit' }));
    const parsed = aftershipSource.parse(request(Buffer.from(JSON.stringify({ event: 'tracking_update', msg: { tracking_number: '1', checkpoints } }))));
    expect(parsed.kind === 'tracking' && parsed.updates[0]?.events.length).toBe(10_000);
    const deep = Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    for (const source of [aftershipSource, easypostSource]) expect(() => source.parse(request(deep))).toThrow(WebhookPayloadError);
  });
});
