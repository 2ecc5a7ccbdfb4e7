/** FedEx Track API v1 parsing, with payloads written from FedEx's "Track by Tracking Number" response schema. */
import { describe, expect, it } from 'vitest';
import { CarrierNotFoundError, CarrierRequestError, CarrierResponseError } from '../../../src/ingest/carriers/errors.js';
import { mapFedexStatus, parseFedexTracking } from '../../../src/ingest/carriers/fedex.js';

const NUMBER = '123456789012';

const scan = (date: string, eventType: string, derivedStatusCode: string, eventDescription: string, exception: [string, string] = ['', '']) => ({
  date,
  eventType,
  eventDescription,
  exceptionCode: exception[0],
  exceptionDescription: exception[1],
  scanLocation: { streetLines: [''], city: 'MEMPHIS', stateOrProvinceCode: 'TN', postalCode: '38118', countryCode: 'US', residential: false },
  locationType: 'FEDEX_FACILITY',
  derivedStatusCode,
  derivedStatus: eventDescription,
});

function answer(result: Record<string, unknown>) {
  return {
    transactionId: '624deea6-b709-470c-8c39-4b5511281492',
    output: { completeTrackResults: [{ trackingNumber: NUMBER, trackResults: [{ trackingNumberInfo: { trackingNumber: NUMBER, trackingNumberUniqueId: '12029~123456789012~FDEG', carrierCode: 'FDXG' }, ...result }] }] },
  };
}

describe('parseFedexTracking', () => {
  it('reads a delivered shipment: events oldest first with offsets applied, delivery proof', () => {
    const update = parseFedexTracking(
      answer({
        latestStatusDetail: { code: 'DL', derivedCode: 'DL', statusByLocale: 'Delivered', description: 'Delivered', scanLocation: { city: 'Norton', stateOrProvinceCode: 'VA', countryCode: 'US' } },
        dateAndTimes: [
          { type: 'ACTUAL_DELIVERY', dateTime: '2026-11-20T14:24:00-05:00' },
          { type: 'ACTUAL_PICKUP', dateTime: '2026-11-18T16:00:00-06:00' },
        ],
        deliveryDetails: { receivedByName: 'JSMITH', locationDescription: 'Front desk/Reception', deliveryAttempts: '0' },
        scanEvents: [
          scan('2026-11-20T14:24:00-05:00', 'DL', 'DL', 'Delivered'),
          scan('2026-11-20T08:10:00-05:00', 'OD', 'OD', 'On FedEx vehicle for delivery'),
          scan('2026-11-19T03:30:00-06:00', 'AR', 'IT', 'Arrived at FedEx location'),
          scan('2026-11-18T16:00:00-06:00', 'PU', 'PU', 'Picked up'),
          scan('2026-11-18T09:00:00-06:00', 'OC', 'IN', 'Shipment information sent to FedEx'),
        ],
      }),
      NUMBER,
    );
    expect(update.status).toBe('delivered');
    expect(update.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(update.events[1]).toMatchObject({ time: '2026-11-18T22:00:00.000Z', location: 'MEMPHIS, TN, US', rawStatus: 'PU', rawCode: 'PU', source: 'fedex' });
    expect(update.proof).toEqual({ time: '2026-11-20T19:24:00.000Z', signedBy: 'JSMITH', location: 'Front desk/Reception' });
  });

  it('keeps the estimated delivery as FedEx writes it, so its date is the local one', () => {
    const update = parseFedexTracking(
      answer({ latestStatusDetail: { code: 'IT', derivedCode: 'IT', description: 'In transit' }, dateAndTimes: [{ type: 'ESTIMATED_DELIVERY', dateTime: '2026-11-22T20:00:00-05:00' }], scanEvents: [] }),
      NUMBER,
    );
    expect(update.estimatedDelivery).toBe('2026-11-22T20:00:00-05:00');
    expect(update.status).toBe('in_transit');
  });

  it('falls back to the estimated delivery window, and ignores an unreadable one', () => {
    const windowed = parseFedexTracking(answer({ latestStatusDetail: { code: 'IT' }, estimatedDeliveryTimeWindow: { window: { begins: '2026-11-22T09:00:00-05:00', ends: '2026-11-22T13:00:00-05:00' } } }), NUMBER);
    expect(windowed.estimatedDelivery).toBe('2026-11-22T13:00:00-05:00');
    const garbage = parseFedexTracking(answer({ latestStatusDetail: { code: 'IT' }, dateAndTimes: [{ type: 'ESTIMATED_DELIVERY', dateTime: 'TBD' }] }), NUMBER);
    expect(garbage.estimatedDelivery).toBeUndefined();
  });

  it('names the cause of a delivery exception from its description', () => {
    const update = parseFedexTracking(
      answer({
        latestStatusDetail: { code: 'DE', derivedCode: 'DE', description: 'Delivery exception', ancillaryDetails: [{ reason: '03', reasonDescription: 'Incorrect address' }] },
        scanEvents: [scan('2026-11-20T10:00:00-05:00', 'DE', 'DE', 'Delivery exception', ['03', 'Incorrect address - Apartment number or suite missing'])],
      }),
      NUMBER,
    );
    expect(update).toMatchObject({ status: 'exception', subStatus: 'address_issue' });
    expect(update.events[0]).toMatchObject({ status: 'exception', subStatus: 'address_issue', rawSubStatus: '03', description: 'Delivery exception: Incorrect address - Apartment number or suite missing' });
  });

  it('turns a weather delayDetail on an in-transit shipment into a weather delay', () => {
    const update = parseFedexTracking(answer({ latestStatusDetail: { code: 'IT', derivedCode: 'IT', description: 'In transit', delayDetail: { status: 'DELAYED', type: 'WEATHER', subType: 'SNOW' } } }), NUMBER);
    expect(update).toMatchObject({ status: 'exception', subStatus: 'weather_delay' });
  });

  it('TRACKING.TRACKINGNUMBER.NOTFOUND inside a 200 is "not found"; another error is a refused request', () => {
    const notFound = answer({ error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: "The tracking number you entered can't be found right now." } });
    expect(() => parseFedexTracking(notFound, NUMBER)).toThrow(CarrierNotFoundError);
    const invalid = answer({ error: { code: 'TRACKING.TRACKINGNUMBER.INVALID', message: 'Invalid tracking number' } });
    expect(() => parseFedexTracking(invalid, NUMBER)).toThrow(CarrierRequestError);
  });

  it('an answer without output.completeTrackResults is a bad response; an empty list is not found', () => {
    expect(() => parseFedexTracking({ transactionId: 'x' }, NUMBER)).toThrow(CarrierResponseError);
    expect(() => parseFedexTracking({ output: { completeTrackResults: [] } }, NUMBER)).toThrow(CarrierNotFoundError);
  });
});

describe('mapFedexStatus', () => {
  it.each([
    [['OC'], 'label_created', undefined],
    [['PU'], 'in_transit', undefined],
    [['IT', 'AR'], 'in_transit', undefined],
    [['OD'], 'out_for_delivery', undefined],
    [['HP'], 'available_for_pickup', undefined],
    [['DL'], 'delivered', undefined],
    [['DE'], 'delivery_attempted', 'recipient_unavailable'],
    [['SE'], 'exception', 'other'],
    [['CD'], 'exception', 'customs_hold'],
    [['DY'], 'exception', 'carrier_delay'],
    [['CA'], 'cancelled', 'label_voided'],
    [['RS'], 'return_to_sender', 'returning'],
    [['RM'], 'unknown', undefined],
  ] as const)('%j → %s/%s', (codes, status, subStatus) => {
    expect(mapFedexStatus([...codes], undefined, undefined, true)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });

  it('the derived code wins; an unknown code is read from its words, else in_transit for a scan', () => {
    expect(mapFedexStatus(['DL', 'XX'], undefined, undefined, true)).toEqual({ status: 'delivered' });
    expect(mapFedexStatus([undefined, 'ZZ'], 'Out for delivery', undefined, true)).toEqual({ status: 'out_for_delivery' });
    expect(mapFedexStatus(['ZZ'], 'Something new', undefined, true)).toEqual({ status: 'in_transit' });
    expect(mapFedexStatus(['ZZ'], 'Something new', undefined, false)).toEqual({ status: 'unknown' });
  });

  it('refines DE/SE by their reason, but only into a problem status', () => {
    expect(mapFedexStatus(['SE'], 'Shipment exception', 'Package refused by recipient', true)).toEqual({ status: 'delivery_attempted', subStatus: 'recipient_refused' });
    expect(mapFedexStatus(['SE'], 'Shipment exception', 'Arrived at FedEx location', true)).toEqual({ status: 'exception', subStatus: 'other' });
  });
});
