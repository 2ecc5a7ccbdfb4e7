/** USPS Tracking v3 parsing, with payloads written from the USPS Tracking 3.x API documentation. */
import { describe, expect, it } from 'vitest';
import { CarrierNotFoundError, CarrierResponseError } from '../../../src/ingest/carriers/errors.js';
import { mapUspsCategory, mapUspsEvent, parseUspsTracking } from '../../../src/ingest/carriers/usps.js';

const NUMBER = '9400100000000000012344';

const event = (eventCode: string, eventType: string, eventTimestamp: string, GMTTimestamp: string | undefined, extra: Record<string, unknown> = {}) => ({
  eventType,
  eventTimestamp,
  ...(GMTTimestamp === undefined ? {} : { GMTTimestamp }),
  GMTOffset: '-05:00',
  eventCountry: '',
  eventCity: 'SPRINGFIELD',
  eventState: 'IL',
  eventZIP: '62701',
  firm: '',
  name: '',
  authorizedAgent: false,
  eventCode,
  ...extra,
});

describe('parseUspsTracking', () => {
  it('reads a delivered item: category, events oldest first, GMT times, who received it', () => {
    const update = parseUspsTracking(
      {
        trackingNumber: NUMBER,
        mailClass: 'Priority Mail',
        status: 'Delivered, In/At Mailbox',
        statusCategory: 'Delivered',
        statusSummary: 'Your item was delivered in or at the mailbox at 11:52 am on November 20, 2026 in SPRINGFIELD, IL 62701.',
        trackingEvents: [
          event('01', 'Delivered, In/At Mailbox', '2026-11-20T11:52:00', '2026-11-20T16:52:00Z', { name: 'A GARCIA' }),
          event('OF', 'Out for Delivery', '2026-11-20T06:10:00', '2026-11-20T11:10:00Z'),
          event('10', 'Arrived at USPS Regional Facility', '2026-11-19T22:03:00', undefined),
          event('03', 'USPS picked up item', '2026-11-18T15:00:00', '2026-11-18T20:00:00Z'),
          event('GX', 'Shipping Label Created, USPS Awaiting Item', '2026-11-18T09:00:00', '2026-11-18T14:00:00Z'),
        ],
      },
      NUMBER,
    );
    expect(update.status).toBe('delivered');
    expect(update.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    // No GMTTimestamp: the local stamp with GMTOffset.
    expect(update.events[2]).toMatchObject({ time: '2026-11-20T03:03:00.000Z', location: 'SPRINGFIELD, IL, 62701', rawCode: '10', source: 'usps' });
    expect(update.proof).toEqual({ time: '2026-11-20T16:52:00.000Z', signedBy: 'A GARCIA', location: 'SPRINGFIELD, IL, 62701' });
    expect(update.rawStatus).toBe('Delivered: Delivered, In/At Mailbox');
  });

  it('reads an expected delivery written as midnight as a date', () => {
    const update = parseUspsTracking({ statusCategory: 'In Transit', status: 'In Transit to Next Facility', expectedDeliveryTimeStamp: '2026-11-22T00:00:00Z', trackingEvents: [] }, NUMBER);
    expect(update.estimatedDelivery).toBe('2026-11-22');
    expect(update.status).toBe('in_transit');
  });

  it('an "Alert" is refined by the status words', () => {
    const update = parseUspsTracking({ statusCategory: 'Alert', status: 'Undeliverable as Addressed', trackingEvents: [event('05', 'Undeliverable as Addressed', '2026-11-20T10:00:00', '2026-11-20T15:00:00Z')] }, NUMBER);
    expect(update).toMatchObject({ status: 'exception', subStatus: 'address_issue' });
  });

  it('an answer with neither a category nor events is "not found"; one that is not an object is a bad response', () => {
    expect(() => parseUspsTracking({ error: { code: '404', message: 'Not found' } }, NUMBER)).toThrow(CarrierNotFoundError);
    for (const body of [[], 'x', null, 3]) expect(() => parseUspsTracking(body, NUMBER)).toThrow(CarrierResponseError);
  });
});

describe('USPS mapping', () => {
  it.each([
    ['GX', 'label_created', undefined],
    ['MA', 'label_created', undefined],
    ['03', 'in_transit', undefined],
    ['OF', 'out_for_delivery', undefined],
    ['01', 'delivered', undefined],
    ['14', 'available_for_pickup', undefined],
    ['02', 'delivery_attempted', 'recipient_unavailable'],
    ['04', 'delivery_attempted', 'recipient_refused'],
    ['21', 'exception', 'address_issue'],
    ['09', 'return_to_sender', 'returning'],
    ['11', 'failed', 'lost'],
  ])('event code %s → %s/%s', (code, status, subStatus) => {
    expect(mapUspsEvent(code, undefined)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });

  it('an unknown event code is read from its words, else counts as a scan in transit', () => {
    expect(mapUspsEvent('Z9', 'Available for Pickup')).toEqual({ status: 'available_for_pickup' });
    expect(mapUspsEvent('Z9', 'Processing Exception, Other')).toEqual({ status: 'in_transit' });
    expect(mapUspsEvent(undefined, 'Delivery Delayed Due to Severe Weather')).toEqual({ status: 'exception', subStatus: 'weather_delay' });
  });

  it.each([
    ['Pre-Shipment', undefined, 'label_created', undefined],
    ['Accepted', undefined, 'in_transit', undefined],
    ['In-Transit', undefined, 'in_transit', undefined],
    ['Out for Delivery', undefined, 'out_for_delivery', undefined],
    ['Available for Pickup', undefined, 'available_for_pickup', undefined],
    ['Delivery Attempt', 'Notice Left (No Authorized Recipient Available)', 'delivery_attempted', 'recipient_unavailable'],
    ['Alert', 'Return to Sender Processed', 'return_to_sender', 'returning'],
    ['Alert', 'Something unusual', 'exception', 'other'],
    ['Brand New Category', 'Delivered, Front Door/Porch', 'delivered', undefined],
  ])('category %s with %j → %s/%s', (category, words, status, subStatus) => {
    expect(mapUspsCategory(category, words)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });
});
