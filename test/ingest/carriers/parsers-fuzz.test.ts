/**
 * Fuzz every carrier parser with fast-check: arbitrary JSON, and bodies shaped like each carrier's answer with
 * arbitrary values in every field. A parser either returns a valid normalized update or throws a typed
 * `CarrierError`; never a TypeError, never an event with an unreadable time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHIPMENT_STATUSES } from '../../../src/domain/status.js';
import { compactInstant, isoDateOrInstant, isoInstant } from '../../../src/ingest/carriers/carrier-time.js';
import { parseDhlTracking } from '../../../src/ingest/carriers/dhl.js';
import { CarrierError } from '../../../src/ingest/carriers/errors.js';
import { parseFedexTracking } from '../../../src/ingest/carriers/fedex.js';
import { providerMessageOf } from '../../../src/ingest/carriers/http.js';
import { MAX_TEXT_CHARS } from '../../../src/ingest/carriers/json-shape.js';
import { statusFromText } from '../../../src/ingest/carriers/keywords.js';
import { parseUpsTracking } from '../../../src/ingest/carriers/ups.js';
import { parseUspsTracking } from '../../../src/ingest/carriers/usps.js';
import type { SourceUpdate } from '../../../src/ingest/source.js';

const PARSERS = { ups: parseUpsTracking, usps: parseUspsTracking, fedex: parseFedexTracking, dhl: parseDhlTracking };
const NUMBER = '1ZSIM0010300000017';

function checkUpdate(update: SourceUpdate): void {
  expect(SHIPMENT_STATUSES).toContain(update.status);
  let previous = Number.NEGATIVE_INFINITY;
  for (const event of update.events) {
    const ms = Date.parse(event.time);
    expect(Number.isNaN(ms)).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(previous);
    previous = ms;
    expect(SHIPMENT_STATUSES).toContain(event.status);
    expect(typeof event.description).toBe('string');
    expect(event.description.length).toBeLessThanOrEqual(2 * MAX_TEXT_CHARS + 2);
  }
  if (update.estimatedDelivery !== undefined) expect(Number.isNaN(Date.parse(update.estimatedDelivery))).toBe(false);
  if (update.proof?.photoUrl !== undefined) expect(update.proof.photoUrl).toMatch(/^https?:/);
}

/** Returns the update when there was one, so a property can check that its shapes do get parsed. */
function parsesOrTypedError(parse: (body: unknown, n: string) => SourceUpdate, body: unknown): SourceUpdate | undefined {
  let update: SourceUpdate;
  try {
    update = parse(body, NUMBER);
  } catch (err) {
    expect(err).toBeInstanceOf(CarrierError);
    return undefined;
  }
  checkUpdate(update);
  return update;
}

/** Any JSON-ish value, including the ones a documented string field should never hold, and huge strings. */
const leaf = fc.oneof(
  fc.string(),
  fc.constantFrom('D', 'I', 'X', 'M', 'RS', '021', '011', 'OD', 'DL', 'DE', 'SE', '01', 'OF', 'GX', 'transit', 'delivered', 'failure', 'pre-transit', 'Delivered', 'Alert'),
  fc.constantFrom('20261118', '074700', '2026-11-18T10:00:00-05:00', '2026-11-18T10:00:00', '2026-02-30T10:00:00Z', '-05:00', '+99:99'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('__proto__', 'constructor', 'toString'),
  fc.constant('x'.repeat(200_000)),
  fc.dictionary(fc.string(), fc.string()),
  fc.array(fc.string()),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly the documented shape, sometimes anything at all in its place. */
const loose = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: leaf, weight: 1 });
/** Times a carrier really writes, mostly, so that events get past the time check and into the mapping. */
const isoTime = loose(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
const compactDay = loose(fc.constantFrom('20261118', '20261119', '20261231'));
const compactTime = loose(fc.constantFrom('074700', '120000', '235959', '74700'));

const upsBody = fc.record({
  trackResponse: loose(
    fc.record({
      shipment: loose(
        fc.array(
          fc.record({
            package: loose(
              fc.array(
                fc.record({
                  trackingNumber: loose(fc.constant(NUMBER)),
                  deliveryDate: loose(fc.array(fc.record({ type: loose(fc.constantFrom('SDD', 'RDD', 'DEL')), date: leaf }))),
                  currentStatus: loose(fc.record({ type: leaf, statusCode: leaf, description: leaf, code: leaf })),
                  deliveryInformation: loose(fc.record({ receivedBy: leaf, location: leaf })),
                  activity: loose(fc.array(fc.record({ status: loose(fc.record({ type: leaf, statusCode: leaf, description: leaf, code: leaf })), date: compactDay, time: compactTime, gmtDate: compactDay, gmtTime: compactTime, gmtOffset: leaf, location: loose(fc.record({ address: loose(fc.record({ city: leaf, stateProvince: leaf, countryCode: leaf })) })) }), { maxLength: 6 })),
                }),
                { maxLength: 3 },
              ),
            ),
            warnings: maybe(fc.array(fc.record({ code: leaf, message: leaf }))),
          }),
          { maxLength: 3 },
        ),
      ),
    }),
  ),
});

const fedexBody = fc.record({
  output: loose(
    fc.record({
      completeTrackResults: loose(
        fc.array(
          fc.record({
            trackResults: loose(
              fc.array(
                fc.record({
                  trackingNumberInfo: loose(fc.record({ trackingNumber: leaf })),
                  error: maybe(fc.record({ code: leaf, message: leaf })),
                  latestStatusDetail: loose(fc.record({ code: leaf, derivedCode: leaf, description: leaf, ancillaryDetails: loose(fc.array(fc.record({ reasonDescription: leaf }))), delayDetail: loose(fc.record({ status: loose(fc.constant('DELAYED')), type: leaf })) })),
                  dateAndTimes: loose(fc.array(fc.record({ type: loose(fc.constantFrom('ESTIMATED_DELIVERY', 'ACTUAL_DELIVERY')), dateTime: leaf }))),
                  deliveryDetails: loose(fc.record({ receivedByName: leaf, locationDescription: leaf })),
                  scanEvents: loose(fc.array(fc.record({ date: isoTime, eventType: leaf, derivedStatusCode: leaf, eventDescription: leaf, exceptionDescription: leaf, exceptionCode: leaf, scanLocation: loose(fc.record({ city: leaf })) }), { maxLength: 6 })),
                }),
                { maxLength: 3 },
              ),
            ),
          }),
          { maxLength: 2 },
        ),
      ),
    }),
  ),
});

const uspsBody = fc.record({
  statusCategory: maybe(leaf),
  status: maybe(leaf),
  expectedDeliveryTimeStamp: maybe(leaf),
  predictedDeliveryTimeStamp: maybe(leaf),
  trackingEvents: maybe(loose(fc.array(fc.record({ eventCode: leaf, eventType: leaf, eventTimestamp: leaf, GMTTimestamp: isoTime, GMTOffset: leaf, eventCity: leaf, name: leaf }), { maxLength: 6 }))),
});

const dhlEvent = fc.record({ timestamp: isoTime, statusCode: leaf, status: leaf, description: leaf, remark: leaf, location: loose(fc.record({ address: loose(fc.record({ addressLocality: leaf })) })) });
const dhlBody = fc.record({
  shipments: loose(
    fc.array(
      fc.record({
        id: loose(fc.constant(NUMBER)),
        status: loose(dhlEvent),
        estimatedTimeOfDelivery: maybe(leaf),
        details: loose(fc.record({ proofOfDelivery: loose(fc.record({ timestamp: leaf, signatureUrl: leaf, documentUrl: leaf, signed: loose(fc.record({ name: leaf, familyName: leaf })) })) })),
        events: loose(fc.array(dhlEvent, { maxLength: 6 })),
      }),
      { maxLength: 3 },
    ),
  ),
});

const SHAPED = { ups: upsBody, usps: uspsBody, fedex: fedexBody, dhl: dhlBody };

describe.each(Object.keys(PARSERS) as (keyof typeof PARSERS)[])('%s parser under fuzz', (carrier) => {
  const parse = PARSERS[carrier];

  it('arbitrary JSON values: a valid update or a typed CarrierError', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => void parsesOrTypedError(parse, body)), { numRuns: 300 });
  });

  it('arbitrary text parsed as JSON where it parses: the same', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: fed as a bare string
        }
        parsesOrTypedError(parse, body);
      }),
      { numRuns: 200 },
    );
  });

  it("bodies shaped like the carrier's answer with arbitrary values in every field: the same", () => {
    let parsed = 0;
    let events = 0;
    fc.assert(
      fc.property(SHAPED[carrier], (body) => {
        const update = parsesOrTypedError(parse, body);
        if (update !== undefined) {
          parsed += 1;
          events += update.events.length;
        }
      }),
      { numRuns: 300 },
    );
    // The shapes must reach the mapping code, not only the first shape check.
    expect(parsed).toBeGreaterThan(30);
    expect(events).toBeGreaterThan(0);
  });
});

describe('helpers under fuzz', () => {
  it('time readers never throw, and what they return is a real instant', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: undefined }), (a, b, offset) => {
        for (const value of [isoInstant(a, offset), compactInstant(a, b, offset), isoDateOrInstant(a)]) {
          if (value !== undefined) expect(Number.isNaN(Date.parse(value))).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('providerMessageOf and statusFromText take any text, including enormous text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant('{"detail":"'.padEnd(2_000_000, 'y'))), (text) => {
        const message = providerMessageOf(text);
        if (message !== undefined) expect(message.length).toBeLessThanOrEqual(300);
        const mapped = statusFromText(text.slice(0, 2 * MAX_TEXT_CHARS));
        if (mapped !== undefined) expect(SHIPMENT_STATUSES).toContain(mapped.status);
      }),
      { numRuns: 200 },
    );
  });
});
