import { describe, expect, it } from 'vitest';
import { isShipmentStatus } from '../../src/domain/status.js';
import { AFTERSHIP_SUBTAGS, AFTERSHIP_TAGS, mapAftershipTag } from '../../src/ingest/aftership-tags.js';

// AfterShip Tracking docs, "Delivery Statuses": the nine tags, and the row of SPEC's status table for each.
const TAGS: [string, string][] = [
  ['Pending', 'pending'],
  ['InfoReceived', 'label_created'],
  ['InTransit', 'in_transit'],
  ['OutForDelivery', 'out_for_delivery'],
  ['AttemptFail', 'delivery_attempted'],
  ['Delivered', 'delivered'],
  ['AvailableForPickup', 'available_for_pickup'],
  ['Exception', 'exception'],
  ['Expired', 'expired'],
];

// AfterShip Tracking docs, "Delivery Sub-statuses" (2026-07) and the help-centre list of codes added on
// 2026-03-27: every documented code with the status and sub-status we give it.
const SUBTAGS: [string, string, string | undefined][] = [
  ['Pending_001', 'pending', undefined],
  ['Pending_002', 'pending', undefined],
  ['Pending_003', 'pending', undefined],
  ['Pending_004', 'pending', undefined],
  ['Pending_005', 'pending', undefined],
  ['Pending_006', 'pending', undefined],
  ['InfoReceived_001', 'label_created', undefined],
  ['InTransit_001', 'in_transit', undefined],
  ['InTransit_002', 'in_transit', undefined],
  ['InTransit_003', 'in_transit', undefined],
  ['InTransit_004', 'in_transit', undefined],
  ['InTransit_005', 'in_transit', undefined],
  ['InTransit_006', 'in_transit', undefined],
  ['InTransit_007', 'in_transit', undefined],
  ['InTransit_008', 'in_transit', undefined],
  ['InTransit_009', 'in_transit', undefined],
  ['OutForDelivery_001', 'out_for_delivery', undefined],
  ['OutForDelivery_003', 'out_for_delivery', undefined],
  ['OutForDelivery_004', 'out_for_delivery', undefined],
  ['AttemptFail_001', 'delivery_attempted', undefined],
  ['AttemptFail_002', 'delivery_attempted', 'recipient_unavailable'],
  ['AttemptFail_003', 'delivery_attempted', 'recipient_unavailable'],
  ['Delivered_001', 'delivered', undefined],
  ['Delivered_002', 'delivered', undefined],
  ['Delivered_003', 'delivered', undefined],
  ['Delivered_004', 'delivered', undefined],
  ['Delivered_005', 'delivered', undefined],
  ['AvailableForPickup_001', 'available_for_pickup', undefined],
  ['Exception_001', 'exception', 'other'],
  ['Exception_002', 'exception', 'address_issue'],
  ['Exception_003', 'exception', 'recipient_refused'],
  ['Exception_004', 'exception', 'customs_hold'],
  ['Exception_005', 'exception', 'carrier_delay'],
  ['Exception_006', 'exception', 'payment_required'],
  ['Exception_007', 'exception', 'address_issue'],
  ['Exception_008', 'exception', 'held_at_location'],
  ['Exception_009', 'exception', 'rejected_by_carrier'],
  ['Exception_010', 'return_to_sender', 'returning'],
  ['Exception_011', 'return_to_sender', 'returned'],
  ['Exception_012', 'failed', 'damaged'],
  ['Exception_013', 'failed', 'lost'],
  ['Exception_014', 'exception', 'other'],
  ['Exception_015', 'exception', 'other'],
  ['Exception_016', 'exception', 'carrier_delay'],
  ['Exception_017', 'exception', 'weather_delay'],
  ['Exception_018', 'exception', 'customs_hold'],
  ['Exception_019', 'exception', 'carrier_delay'],
  ['Exception_020', 'cancelled', undefined],
  ['Exception_021', 'failed', 'destroyed'],
  ['Expired_001', 'expired', undefined],
];

describe('mapAftershipTag', () => {
  it.each(TAGS)('maps the tag %s alone to %s', (tag, status) => {
    expect(mapAftershipTag(tag, undefined)).toEqual({ status });
  });

  it.each(SUBTAGS)('maps %s to %s (%s)', (subtag, status, subStatus) => {
    const tag = subtag.slice(0, subtag.indexOf('_'));
    const expected = subStatus === undefined ? { status } : { status, subStatus };
    expect(mapAftershipTag(tag, subtag)).toEqual(expected);
    // A checkpoint may carry its sub-tag without a tag; the sub-tag alone says the same.
    expect(mapAftershipTag(undefined, subtag)).toEqual(expected);
  });

  it('lists only sub-tags whose family is a tag, and only statuses of the model', () => {
    for (const [subtag, mapped] of Object.entries(AFTERSHIP_SUBTAGS)) {
      expect(Object.keys(AFTERSHIP_TAGS)).toContain(subtag.split('_')[0]);
      expect(isShipmentStatus(mapped.status)).toBe(true);
    }
  });

  it('maps a new sub-tag of a known family to the family\u2019s status', () => {
    expect(mapAftershipTag('InTransit', 'InTransit_013')).toEqual({ status: 'in_transit' });
    expect(mapAftershipTag('Delivered', 'Delivered_009')).toEqual({ status: 'delivered' });
    expect(mapAftershipTag('Exception', 'Exception_099')).toEqual({ status: 'exception', subStatus: 'other' });
    expect(mapAftershipTag(undefined, 'AttemptFail_007')).toEqual({ status: 'delivery_attempted' });
  });

  it('lets the tag win when the sub-tag belongs to another family', () => {
    expect(mapAftershipTag('Delivered', 'InTransit_001')).toEqual({ status: 'delivered' });
    expect(mapAftershipTag('InTransit', 'Exception_013')).toEqual({ status: 'in_transit' });
  });

  it('maps what it cannot place to unknown', () => {
    expect(mapAftershipTag(undefined, undefined)).toEqual({ status: 'unknown' });
    expect(mapAftershipTag('Lost', undefined)).toEqual({ status: 'unknown' });
    expect(mapAftershipTag('Lost', 'Lost_001')).toEqual({ status: 'unknown' });
    expect(mapAftershipTag(undefined, 'Weird')).toEqual({ status: 'unknown' });
    expect(mapAftershipTag('intransit', undefined)).toEqual({ status: 'unknown' });
    expect(mapAftershipTag('hasOwnProperty', '__proto___001')).toEqual({ status: 'unknown' });
  });
});
