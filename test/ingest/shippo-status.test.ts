import { describe, expect, it } from 'vitest';
import { isShipmentStatus } from '../../src/domain/status.js';
import { mapShippoStatus, SHIPPO_STATUSES, SHIPPO_SUBSTATUS_CODES } from '../../src/ingest/shippo-status.js';

// Shippo tracking guide, "Event definitions": each code under the status Shippo lists it with.
const DOCUMENTED: Record<string, string[]> = {
  UNKNOWN: ['other'],
  PRE_TRANSIT: ['information_received'],
  TRANSIT: [
    'address_issue', 'contact_carrier', 'delayed', 'delivery_attempted', 'delivery_rescheduled', 'delivery_scheduled',
    'location_inaccessible', 'notice_left', 'out_for_delivery', 'package_accepted', 'package_arrived', 'package_damaged',
    'package_departed', 'package_forwarded', 'package_held', 'package_processed', 'package_processing', 'pickup_available',
    'reschedule_delivery',
  ],
  DELIVERED: ['delivered'],
  RETURNED: ['return_to_sender', 'package_unclaimed'],
  FAILURE: ['package_undeliverable', 'package_disposed', 'package_lost'],
};

describe('mapShippoStatus', () => {
  it('knows every documented status and substatus code', () => {
    expect([...SHIPPO_STATUSES].sort()).toEqual(Object.keys(DOCUMENTED).sort());
    expect([...SHIPPO_SUBSTATUS_CODES].sort()).toEqual(Object.values(DOCUMENTED).flat().sort());
  });

  it.each([
    ['UNKNOWN', undefined, 'pending'],
    ['PRE_TRANSIT', undefined, 'label_created'],
    ['TRANSIT', undefined, 'in_transit'],
    ['DELIVERED', undefined, 'delivered'],
    ['RETURNED', undefined, 'return_to_sender'],
    ['FAILURE', undefined, 'failed'],
  ])('maps the status %s alone with SPEC\u2019s table', (status, code, expected) => {
    expect(mapShippoStatus(status, code)).toEqual({ status: expected });
  });

  // Every documented pair, as it arrives: SPEC's Shippo column plus the sub-status each code adds.
  it.each([
    ['UNKNOWN', 'other', { status: 'pending' }],
    ['PRE_TRANSIT', 'information_received', { status: 'label_created' }],
    ['TRANSIT', 'address_issue', { status: 'exception', subStatus: 'address_issue' }],
    ['TRANSIT', 'contact_carrier', { status: 'exception', subStatus: 'other' }],
    ['TRANSIT', 'delayed', { status: 'exception', subStatus: 'carrier_delay' }],
    ['TRANSIT', 'delivery_attempted', { status: 'delivery_attempted' }],
    ['TRANSIT', 'delivery_rescheduled', { status: 'in_transit', subStatus: 'rescheduled' }],
    ['TRANSIT', 'delivery_scheduled', { status: 'in_transit' }],
    ['TRANSIT', 'location_inaccessible', { status: 'delivery_attempted', subStatus: 'address_issue' }],
    ['TRANSIT', 'notice_left', { status: 'delivery_attempted', subStatus: 'recipient_unavailable' }],
    ['TRANSIT', 'out_for_delivery', { status: 'out_for_delivery' }],
    ['TRANSIT', 'package_accepted', { status: 'in_transit' }],
    ['TRANSIT', 'package_arrived', { status: 'in_transit' }],
    ['TRANSIT', 'package_damaged', { status: 'exception', subStatus: 'damaged' }],
    ['TRANSIT', 'package_departed', { status: 'in_transit' }],
    ['TRANSIT', 'package_forwarded', { status: 'in_transit' }],
    ['TRANSIT', 'package_held', { status: 'exception', subStatus: 'held_at_location' }],
    ['TRANSIT', 'package_processed', { status: 'in_transit' }],
    ['TRANSIT', 'package_processing', { status: 'in_transit' }],
    ['TRANSIT', 'pickup_available', { status: 'available_for_pickup' }],
    ['TRANSIT', 'reschedule_delivery', { status: 'exception', subStatus: 'rescheduled' }],
    ['DELIVERED', 'delivered', { status: 'delivered' }],
    ['RETURNED', 'return_to_sender', { status: 'return_to_sender', subStatus: 'returning' }],
    ['RETURNED', 'package_unclaimed', { status: 'return_to_sender', subStatus: 'returning' }],
    ['FAILURE', 'package_undeliverable', { status: 'failed' }],
    ['FAILURE', 'package_disposed', { status: 'failed', subStatus: 'destroyed' }],
    ['FAILURE', 'package_lost', { status: 'failed', subStatus: 'lost' }],
  ])('maps %s + %s', (status, code, expected) => {
    expect(mapShippoStatus(status, code)).toEqual(expected);
  });

  it('lets a code refine a status only while the parcel is moving', () => {
    expect(mapShippoStatus('PRE_TRANSIT', 'address_issue')).toEqual({ status: 'exception', subStatus: 'address_issue' });
    expect(mapShippoStatus('UNKNOWN', 'out_for_delivery')).toEqual({ status: 'out_for_delivery' });
    expect(mapShippoStatus('DELIVERED', 'delayed')).toEqual({ status: 'delivered' });
    expect(mapShippoStatus('DELIVERED', 'out_for_delivery')).toEqual({ status: 'delivered' });
  });

  it('never ends a shipment on a code alone', () => {
    expect(mapShippoStatus('TRANSIT', 'package_lost')).toEqual({ status: 'in_transit' });
    expect(mapShippoStatus('TRANSIT', 'package_disposed')).toEqual({ status: 'in_transit' });
    expect(mapShippoStatus('TRANSIT', 'delivered')).toEqual({ status: 'in_transit' });
  });

  it('keeps a code\u2019s reason under a problem status of another family', () => {
    expect(mapShippoStatus('FAILURE', 'package_damaged')).toEqual({ status: 'failed', subStatus: 'damaged' });
    expect(mapShippoStatus('RETURNED', 'address_issue')).toEqual({ status: 'return_to_sender', subStatus: 'address_issue' });
    expect(mapShippoStatus('RETURNED', 'package_lost')).toEqual({ status: 'return_to_sender', subStatus: 'lost' });
  });

  it('reads a code Shippo adds later as its status, and an unknown status as unknown unless its code says more', () => {
    expect(mapShippoStatus('TRANSIT', 'drone_dispatched')).toEqual({ status: 'in_transit' });
    expect(mapShippoStatus('FAILURE', 'eaten_by_goat')).toEqual({ status: 'failed' });
    expect(mapShippoStatus('TELEPORTED', undefined)).toEqual({ status: 'unknown' });
    expect(mapShippoStatus('TELEPORTED', 'pickup_available')).toEqual({ status: 'available_for_pickup' });
    expect(mapShippoStatus('TELEPORTED', 'package_lost')).toEqual({ status: 'unknown' });
  });

  it('does not read Object.prototype for codes named like its properties', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const mapped = mapShippoStatus('TRANSIT', name);
      expect(mapped).toEqual({ status: 'in_transit' });
      expect(mapShippoStatus(name, name).status).toBe('unknown');
    }
  });

  it('always answers a status of the normalized model', () => {
    for (const status of [...SHIPPO_STATUSES, 'NEW']) {
      for (const code of [...SHIPPO_SUBSTATUS_CODES, 'new', undefined]) expect(isShipmentStatus(mapShippoStatus(status, code).status)).toBe(true);
    }
  });
});
