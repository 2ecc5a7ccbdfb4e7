/** DHL Shipment Tracking – Unified parsing, with payloads written from its published response schema. */
import { describe, expect, it } from 'vitest';
import { mapDhlStatus, parseDhlTracking } from '../../../src/ingest/carriers/dhl.js';
import { CarrierNotFoundError, CarrierResponseError } from '../../../src/ingest/carriers/errors.js';

const NUMBER = '00340434292135100186';

const status = (timestamp: string, statusCode: string, words: string, description: string, remark?: string) => ({
  timestamp,
  location: { address: { countryCode: 'DE', postalCode: '53113', addressLocality: 'Bonn' } },
  statusCode,
  status: words,
  description,
  ...(remark === undefined ? {} : { remark }),
});

describe('parseDhlTracking', () => {
  it('reads a delivered shipment with its proof of delivery', () => {
    const update = parseDhlTracking(
      {
        shipments: [
          {
            id: NUMBER,
            service: 'parcel-de',
            status: status('2026-11-20T10:15:00+01:00', 'delivered', 'DELIVERED', 'The shipment has been delivered to the recipient'),
            details: {
              proofOfDelivery: { timestamp: '2026-11-20T10:15:00+01:00', signatureUrl: 'https://www.dhl.de/pod/sig.png', signed: { familyName: 'Schmidt', givenName: 'Anna' } },
            },
            events: [
              status('2026-11-20T10:15:00+01:00', 'delivered', 'DELIVERED', 'The shipment has been delivered to the recipient'),
              status('2026-11-20T07:02:00+01:00', 'transit', 'OUT FOR DELIVERY', 'The shipment has been loaded onto the delivery vehicle'),
              status('2026-11-19T18:30:00', 'transit', 'PROCESSED', 'The shipment has been processed in the parcel center'),
              status('2026-11-18T12:00:00+01:00', 'pre-transit', 'INFORMATION RECEIVED', 'The instruction data for this shipment have been provided by the sender to DHL electronically'),
            ],
          },
        ],
      },
      NUMBER,
    );
    expect(update.status).toBe('delivered');
    expect(update.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
    // A stamp without a zone is read as UTC.
    expect(update.events[1]).toMatchObject({ time: '2026-11-19T18:30:00.000Z', location: 'Bonn, 53113, DE', rawStatus: 'transit', rawSubStatus: 'PROCESSED' });
    expect(update.proof).toEqual({ time: '2026-11-20T09:15:00.000Z', signedBy: 'Anna Schmidt', photoUrl: 'https://www.dhl.de/pod/sig.png', location: 'Bonn, 53113, DE' });
  });

  it('keeps the estimated time of delivery, and only http(s) proof links', () => {
    const update = parseDhlTracking(
      {
        shipments: [
          {
            id: NUMBER,
            status: status('2026-11-20T10:15:00Z', 'delivered', 'DELIVERED', 'Delivered'),
            estimatedTimeOfDelivery: '2026-11-20T18:00:00Z',
            details: { proofOfDelivery: { documentUrl: 'javascript:alert(1)', signed: { name: 'A. SCHMIDT' } } },
            events: [],
          },
        ],
      },
      NUMBER,
    );
    expect(update.estimatedDelivery).toBe('2026-11-20T18:00:00Z');
    expect(update.proof).toMatchObject({ signedBy: 'A. SCHMIDT' });
    expect(update.proof?.photoUrl).toBeUndefined();
  });

  it('an empty shipments list is "not found"; no list at all is a bad response', () => {
    expect(() => parseDhlTracking({ shipments: [] }, NUMBER)).toThrow(CarrierNotFoundError);
    expect(() => parseDhlTracking({ status: 404, title: 'Not found' }, NUMBER)).toThrow(CarrierResponseError);
  });
});

describe('mapDhlStatus', () => {
  it.each([
    ['pre-transit', 'The instruction data have been provided', 'label_created', undefined],
    ['transit', 'The shipment has been processed', 'in_transit', undefined],
    ['transit', 'The shipment has been loaded onto the delivery vehicle', 'out_for_delivery', undefined],
    ['transit', 'The shipment is ready for pick-up at the parcel shop', 'available_for_pickup', undefined],
    ['transit', 'Delivery is delayed due to severe weather', 'exception', 'weather_delay'],
    ['transit', 'The shipment has been delivered', 'in_transit', undefined],
    ['delivered', 'The shipment has been delivered', 'delivered', undefined],
    ['delivered', 'The shipment has been returned to the sender', 'return_to_sender', 'returned'],
    ['failure', 'The recipient was not at home; a delivery attempt was made', 'delivery_attempted', 'recipient_unavailable'],
    ['failure', 'Incorrect address', 'exception', 'address_issue'],
    ['failure', 'The shipment was lost', 'failed', 'lost'],
    ['failure', 'Something went wrong', 'exception', 'other'],
    ['unknown', 'Out for delivery', 'out_for_delivery', undefined],
    ['unknown', 'Zustellbasis', 'unknown', undefined],
    ['brand-new', 'The shipment has been delivered', 'delivered', undefined],
  ])('%s with %j → %s/%s', (code, words, status, subStatus) => {
    expect(mapDhlStatus(code, words)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });
});
