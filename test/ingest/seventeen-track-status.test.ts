import { describe, expect, it } from 'vitest';
import { isShipmentStatus } from '../../src/domain/status.js';
import {
  mapSeventeenTrackEvent,
  mapSeventeenTrackStatus,
  SEVENTEEN_TRACK_STATUSES,
  SEVENTEEN_TRACK_SUB_STATUSES,
  seventeenTrackCarrier,
} from '../../src/ingest/seventeen-track-status.js';

describe('mapSeventeenTrackStatus', () => {
  it('knows the nine main statuses of API v2.2', () => {
    expect([...SEVENTEEN_TRACK_STATUSES].sort()).toEqual(
      ['NotFound', 'InfoReceived', 'InTransit', 'Expired', 'AvailableForPickup', 'OutForDelivery', 'DeliveryFailure', 'Delivered', 'Exception'].sort(),
    );
  });

  it.each([
    ['NotFound', 'pending'],
    ['InfoReceived', 'label_created'],
    ['InTransit', 'in_transit'],
    ['Expired', 'expired'],
    ['AvailableForPickup', 'available_for_pickup'],
    ['OutForDelivery', 'out_for_delivery'],
    ['DeliveryFailure', 'delivery_attempted'],
    ['Delivered', 'delivered'],
  ])('maps the main status %s with SPEC\u2019s table', (main, expected) => {
    expect(mapSeventeenTrackStatus(main, undefined)).toEqual({ status: expected });
  });

  it('says why for an exception whose sub-status is not given', () => {
    expect(mapSeventeenTrackStatus('Exception', undefined)).toEqual({ status: 'exception', subStatus: 'other' });
  });

  // Every documented sub-status, under its main status as 17TRACK sends it.
  it.each([
    ['NotFound', 'NotFound_Other', { status: 'pending' }],
    ['NotFound', 'NotFound_InvalidCode', { status: 'pending' }],
    ['InfoReceived', 'InfoReceived', { status: 'label_created' }],
    ['InTransit', 'InTransit_PickedUp', { status: 'in_transit' }],
    ['InTransit', 'InTransit_Other', { status: 'in_transit' }],
    ['InTransit', 'InTransit_Departure', { status: 'in_transit' }],
    ['InTransit', 'InTransit_Arrival', { status: 'in_transit' }],
    ['InTransit', 'InTransit_CustomsProcessing', { status: 'in_transit' }],
    ['InTransit', 'InTransit_CustomsReleased', { status: 'in_transit' }],
    ['InTransit', 'InTransit_CustomsRequiringInformation', { status: 'exception', subStatus: 'customs_hold' }],
    ['Expired', 'Expired_Other', { status: 'expired' }],
    ['AvailableForPickup', 'AvailableForPickup_Other', { status: 'available_for_pickup' }],
    ['OutForDelivery', 'OutForDelivery_Other', { status: 'out_for_delivery' }],
    ['DeliveryFailure', 'DeliveryFailure_Other', { status: 'delivery_attempted' }],
    ['DeliveryFailure', 'DeliveryFailure_NoBody', { status: 'delivery_attempted', subStatus: 'recipient_unavailable' }],
    ['DeliveryFailure', 'DeliveryFailure_Security', { status: 'delivery_attempted', subStatus: 'customs_hold' }],
    ['DeliveryFailure', 'DeliveryFailure_Rejected', { status: 'delivery_attempted', subStatus: 'recipient_refused' }],
    ['DeliveryFailure', 'DeliveryFailure_InvalidAddress', { status: 'delivery_attempted', subStatus: 'address_issue' }],
    ['Delivered', 'Delivered_Other', { status: 'delivered' }],
    ['Exception', 'Exception_Other', { status: 'exception', subStatus: 'other' }],
    ['Exception', 'Exception_Returning', { status: 'return_to_sender', subStatus: 'returning' }],
    ['Exception', 'Exception_Returned', { status: 'return_to_sender', subStatus: 'returned' }],
    ['Exception', 'Exception_NoBody', { status: 'exception', subStatus: 'recipient_unavailable' }],
    ['Exception', 'Exception_Security', { status: 'exception', subStatus: 'customs_hold' }],
    ['Exception', 'Exception_Damage', { status: 'failed', subStatus: 'damaged' }],
    ['Exception', 'Exception_Rejected', { status: 'exception', subStatus: 'recipient_refused' }],
    ['Exception', 'Exception_Delayed', { status: 'exception', subStatus: 'carrier_delay' }],
    ['Exception', 'Exception_Lost', { status: 'failed', subStatus: 'lost' }],
    ['Exception', 'Exception_Destroyed', { status: 'failed', subStatus: 'destroyed' }],
    ['Exception', 'Exception_Cancel', { status: 'cancelled' }],
  ])('maps %s / %s', (main, sub, expected) => {
    expect(mapSeventeenTrackStatus(main, sub)).toEqual(expected);
    expect(SEVENTEEN_TRACK_SUB_STATUSES).toContain(sub);
  });

  it('lists exactly the thirty documented sub-statuses', () => {
    expect(new Set(SEVENTEEN_TRACK_SUB_STATUSES).size).toBe(30);
  });

  it('reads a sub-status 17TRACK adds later by its prefix, then by the main status; nothing known is unknown', () => {
    expect(mapSeventeenTrackStatus('Exception', 'Exception_Quarantined')).toEqual({ status: 'exception', subStatus: 'other' });
    expect(mapSeventeenTrackStatus('InTransit', 'InTransit_Teleported')).toEqual({ status: 'in_transit' });
    expect(mapSeventeenTrackStatus('InTransit', 'Weird')).toEqual({ status: 'in_transit' });
    expect(mapSeventeenTrackStatus('Vanished', 'Vanished_Other')).toEqual({ status: 'unknown' });
    expect(mapSeventeenTrackStatus(undefined, 'OutForDelivery_ByDrone')).toEqual({ status: 'out_for_delivery' });
    expect(mapSeventeenTrackStatus(undefined, undefined)).toEqual({ status: 'unknown' });
  });

  it('does not read Object.prototype for names like its properties', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'constructor_Other']) {
      expect(mapSeventeenTrackStatus(name, name)).toEqual({ status: 'unknown' });
      expect(mapSeventeenTrackEvent(name, name)).toEqual({ status: 'unknown' });
    }
  });

  it('always answers a status of the normalized model', () => {
    for (const main of [...SEVENTEEN_TRACK_STATUSES, 'New', undefined]) {
      for (const sub of [...SEVENTEEN_TRACK_SUB_STATUSES, 'New_Thing', undefined]) {
        expect(isShipmentStatus(mapSeventeenTrackStatus(main, sub).status)).toBe(true);
      }
    }
  });
});

describe('mapSeventeenTrackEvent', () => {
  it('prefers the event\u2019s sub-status, then its milestone stage', () => {
    expect(mapSeventeenTrackEvent('Arrival', 'Exception_Delayed')).toEqual({ status: 'exception', subStatus: 'carrier_delay' });
    expect(mapSeventeenTrackEvent('Returned', undefined)).toEqual({ status: 'return_to_sender', subStatus: 'returned' });
    expect(mapSeventeenTrackEvent('PickedUp', 'Nonsense')).toEqual({ status: 'in_transit' });
    expect(mapSeventeenTrackEvent(undefined, undefined)).toEqual({ status: 'unknown' });
  });

  it.each([
    ['InfoReceived', 'label_created'],
    ['PickedUp', 'in_transit'],
    ['Departure', 'in_transit'],
    ['Arrival', 'in_transit'],
    ['AvailableForPickup', 'available_for_pickup'],
    ['OutForDelivery', 'out_for_delivery'],
    ['Delivered', 'delivered'],
    ['Returning', 'return_to_sender'],
  ])('maps the milestone stage %s', (stage, status) => {
    expect(mapSeventeenTrackEvent(stage, undefined).status).toBe(status);
  });
});

describe('seventeenTrackCarrier', () => {
  it('maps the numeric codes of the carriers the project tracks, and nothing else', () => {
    expect([21051, 100001, 100002, 100003, 7041].map(seventeenTrackCarrier)).toEqual(['usps', 'dhl', 'ups', 'fedex', 'dhl']);
    for (const other of [3011, 0, -1, 100002.5, '100002', null, undefined, {}]) expect(seventeenTrackCarrier(other)).toBeUndefined();
  });
});
