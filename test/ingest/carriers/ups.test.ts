/** UPS Track API v1 parsing, with payloads written from the published OpenAPI schema (UPS-API/api-documentation, Tracking.yaml). */
import { describe, expect, it } from 'vitest';
import { CarrierNotFoundError, CarrierResponseError } from '../../../src/ingest/carriers/errors.js';
import { mapUpsStatus, parseUpsTracking } from '../../../src/ingest/carriers/ups.js';

const NUMBER = '1Z5R89390357567127';

function activity(type: string, statusCode: string, description: string, gmt: [string, string], city = 'LOUISVILLE', code = 'XX') {
  return {
    location: { address: { city, stateProvince: 'KY', postalCode: '40213', country: 'US', countryCode: 'US' }, slic: '4021' },
    status: { type, description, code, statusCode },
    date: gmt[0],
    time: gmt[1],
    gmtDate: gmt[0],
    gmtTime: gmt[1],
    gmtOffset: '-05:00',
  };
}

const delivered = {
  trackResponse: {
    shipment: [
      {
        inquiryNumber: NUMBER,
        package: [
          {
            trackingNumber: NUMBER,
            deliveryDate: [{ type: 'DEL', date: '20261120' }],
            deliveryTime: { type: 'DEL', endTime: '143000' },
            deliveryInformation: { location: 'Front Door', receivedBy: 'MORALES', deliveryPhoto: { photo: 'iVBORw0KGgo=', photoCaptureInd: 'Y', photoDispositionCode: 'V' } },
            currentStatus: { description: 'Delivered', code: 'KB', statusCode: '011', type: 'D', simplifiedTextDescription: 'Delivered' },
            activity: [
              activity('D', '011', 'DELIVERED', ['20261120', '193000'], 'CHICAGO', 'KB'),
              activity('I', '021', 'Out For Delivery Today', ['20261120', '130500'], 'CHICAGO', 'OT'),
              activity('I', '005', 'Arrived at Facility', ['20261119', '74700'], 'CHICAGO', 'AR'),
              activity('P', '038', 'Pickup Scan', ['20261118', '210000'], 'LOUISVILLE', 'PU'),
              activity('M', '003', 'Shipper created a label, UPS has not received the package yet.', ['20261118', '150000'], 'LOUISVILLE', 'MP'),
            ],
          },
        ],
      },
    ],
  },
};

describe('parseUpsTracking', () => {
  it('reads a delivered package: events oldest first, GMT times, proof', () => {
    const update = parseUpsTracking(delivered, NUMBER);
    expect(update.status).toBe('delivered');
    expect(update.carrier).toBe('ups');
    expect(update.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(update.events[2]).toEqual({
      time: '2026-11-19T07:47:00.000Z',
      status: 'in_transit',
      description: 'Arrived at Facility',
      location: 'CHICAGO, KY, US',
      source: 'ups',
      rawStatus: 'I',
      rawSubStatus: '005',
      rawCode: 'AR',
    });
    expect(update.proof).toEqual({ time: '2026-11-20T19:30:00.000Z', signedBy: 'MORALES', location: 'Front Door' });
    // The photo is base64 image data, not a link a message could carry.
    expect(update.proof?.photoUrl).toBeUndefined();
    expect(update.rawStatus).toBe('Delivered');
  });

  it('takes the rescheduled delivery date over the scheduled one as the ETA', () => {
    const pkg = { trackingNumber: NUMBER, deliveryDate: [{ type: 'SDD', date: '20261121' }, { type: 'RDD', date: '20261123' }], activity: [activity('I', '005', 'Departed from Facility', ['20261119', '100000'])] };
    const update = parseUpsTracking({ trackResponse: { shipment: [{ package: [pkg] }] } }, NUMBER);
    expect(update.estimatedDelivery).toBe('2026-11-23');
    expect(update.status).toBe('in_transit');
    expect(update.proof).toBeUndefined();
  });

  it('falls back to local time with gmtOffset when GMT fields are missing', () => {
    const a = { ...activity('I', '005', 'Departed', ['20261119', '100000']), gmtDate: undefined, gmtTime: undefined };
    const update = parseUpsTracking({ trackResponse: { shipment: [{ package: [{ trackingNumber: NUMBER, activity: [a] }] }] } }, NUMBER);
    expect(update.events[0]?.time).toBe('2026-11-19T15:00:00.000Z');
  });

  it('drops an activity whose time cannot be read, keeps the rest', () => {
    const bad = { ...activity('I', '005', 'Departed', ['2026111', 'xx']), date: 'soon' };
    const update = parseUpsTracking({ trackResponse: { shipment: [{ package: [{ trackingNumber: NUMBER, activity: [bad, activity('P', '038', 'Pickup Scan', ['20261118', '210000'])] }] }] } }, NUMBER);
    expect(update.events).toHaveLength(1);
  });

  it('a shipment with a TW0001 warning and no package is "not found"', () => {
    const body = { trackResponse: { shipment: [{ inquiryNumber: NUMBER, warnings: [{ code: 'TW0001', message: 'Tracking Information Not Found' }] }] } };
    expect(() => parseUpsTracking(body, NUMBER)).toThrow(CarrierNotFoundError);
    expect(() => parseUpsTracking(body, NUMBER)).toThrow(expect.objectContaining({ providerMessage: 'Tracking Information Not Found' }));
  });

  it('an answer without trackResponse.shipment is a bad response', () => {
    for (const body of [{}, { trackResponse: {} }, [], 'x', null]) {
      expect(() => parseUpsTracking(body, NUMBER)).toThrow(CarrierResponseError);
    }
  });
});

describe('mapUpsStatus', () => {
  it.each([
    ['M', '003', 'label_created', undefined],
    ['MV', '007', 'cancelled', 'label_voided'],
    ['I', '021', 'out_for_delivery', undefined],
    ['X', '022', 'delivery_attempted', 'recipient_unavailable'],
    ['X', '061', 'delivery_attempted', 'signature_required'],
    ['X', '064', 'delivery_attempted', 'recipient_refused'],
    ['X', '029', 'exception', 'address_issue'],
    ['X', '032', 'exception', 'weather_delay'],
    ['X', '048', 'exception', 'carrier_delay'],
    ['X', '058', 'exception', 'customs_hold'],
    ['X', '059', 'failed', 'damaged'],
    ['X', '068', 'failed', 'lost'],
    ['D', '040', 'available_for_pickup', undefined],
    ['RS', '035', 'return_to_sender', 'returning'],
    ['RS', '034', 'return_to_sender', 'returned'],
    ['D', '011', 'delivered', undefined],
  ])('type %s code %s → %s/%s', (type, code, status, subStatus) => {
    expect(mapUpsStatus(type, code, undefined, true)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });

  it('an unknown code falls back to the type; an exception type is refined by its words', () => {
    expect(mapUpsStatus('I', '999', 'Whatever', true)).toEqual({ status: 'in_transit' });
    expect(mapUpsStatus('X', '999', 'ADDRESS INFORMATION REQUIRED', true)).toEqual({ status: 'exception', subStatus: 'address_issue' });
    expect(mapUpsStatus('X', undefined, 'Something odd happened', true)).toEqual({ status: 'exception' });
  });

  it('unknown type and code: the words, then in_transit for a scan or unknown for a bare status', () => {
    expect(mapUpsStatus('ZZ', '999', 'Out For Delivery Today', true)).toEqual({ status: 'out_for_delivery' });
    expect(mapUpsStatus('ZZ', '999', 'Zustellbasis', true)).toEqual({ status: 'in_transit' });
    expect(mapUpsStatus('ZZ', '999', 'Zustellbasis', false)).toEqual({ status: 'unknown' });
  });

  it('reads a numeric status code UPS sent without its leading zeros', () => {
    expect(mapUpsStatus('I', '21', undefined, true)).toEqual({ status: 'out_for_delivery' });
  });
});
