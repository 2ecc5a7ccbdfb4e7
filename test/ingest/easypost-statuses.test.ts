import { describe, expect, it } from 'vitest';
import { EASYPOST_PROBLEM_DETAILS, EASYPOST_STATUSES, mapEasypostStatus } from '../../src/ingest/easypost-statuses.js';

// EasyPost API docs, "Trackers": the ten values of `status`, with SPEC's row for each.
const STATUSES: [string, string, string | undefined][] = [
  ['unknown', 'unknown', undefined],
  ['pre_transit', 'label_created', undefined],
  ['in_transit', 'in_transit', undefined],
  ['out_for_delivery', 'out_for_delivery', undefined],
  ['delivered', 'delivered', undefined],
  ['available_for_pickup', 'available_for_pickup', undefined],
  ['return_to_sender', 'return_to_sender', 'returning'],
  ['failure', 'failed', undefined],
  ['cancelled', 'cancelled', undefined],
  ['error', 'unknown', undefined],
];

// EasyPost API docs, "Trackers": every documented `status_detail`, read on an in-transit parcel.
const DETAILS_IN_TRANSIT: [string, string, string | undefined][] = [
  ['address_correction', 'in_transit', undefined],
  ['arrived_at_destination', 'in_transit', undefined],
  ['arrived_at_facility', 'in_transit', undefined],
  ['arrived_at_pickup_location', 'in_transit', undefined],
  ['awaiting_information', 'in_transit', undefined],
  ['cancelled', 'cancelled', undefined],
  ['damaged', 'exception', 'damaged'],
  ['delayed', 'exception', 'carrier_delay'],
  ['delivery_exception', 'delivery_attempted', undefined],
  ['departed_facility', 'in_transit', undefined],
  ['departed_origin_facility', 'in_transit', undefined],
  ['expired', 'expired', undefined],
  ['failure', 'failed', undefined],
  ['held', 'exception', 'held_at_location'],
  ['in_transit', 'in_transit', undefined],
  ['label_created', 'in_transit', undefined],
  ['lost', 'exception', 'lost'],
  ['missorted', 'exception', 'carrier_delay'],
  ['out_for_delivery', 'in_transit', undefined],
  ['received_at_destination_facility', 'in_transit', undefined],
  ['received_at_origin_facility', 'in_transit', undefined],
  ['refused', 'delivery_attempted', 'recipient_refused'],
  ['return', 'return_to_sender', 'returning'],
  ['status_update', 'in_transit', undefined],
  ['transferred_to_destination_carrier', 'in_transit', undefined],
  ['transit_exception', 'exception', 'other'],
  ['unknown', 'in_transit', undefined],
  ['weather_delay', 'exception', 'weather_delay'],
  // Seen from some carriers though not in the docs' list.
  ['address_exception', 'exception', 'address_issue'],
];

const mapped = (status: string, subStatus: string | undefined) => (subStatus === undefined ? { status } : { status, subStatus });

describe('mapEasypostStatus', () => {
  it.each(STATUSES)('maps the status %s to %s', (status, expected, subStatus) => {
    expect(mapEasypostStatus(status, undefined)).toEqual(mapped(expected, subStatus));
  });

  it.each(DETAILS_IN_TRANSIT)('maps in_transit + %s to %s (%s)', (detail, expected, subStatus) => {
    expect(mapEasypostStatus('in_transit', detail)).toEqual(mapped(expected, subStatus));
  });

  it('reads SPEC\u2019s attempt details the same on every moving status', () => {
    for (const status of ['pre_transit', 'in_transit', 'out_for_delivery', 'available_for_pickup', 'unknown']) {
      expect(mapEasypostStatus(status, 'delivery_exception')).toEqual({ status: 'delivery_attempted' });
      expect(mapEasypostStatus(status, 'weather_delay')).toEqual({ status: 'exception', subStatus: 'weather_delay' });
    }
  });

  it('lets a detail only refine a parcel that has reached an end', () => {
    expect(mapEasypostStatus('delivered', 'delivery_exception')).toEqual({ status: 'delivered' });
    expect(mapEasypostStatus('delivered', 'arrived_at_pickup_location')).toEqual({ status: 'delivered' });
    expect(mapEasypostStatus('failure', 'lost')).toEqual({ status: 'failed', subStatus: 'lost' });
    expect(mapEasypostStatus('failure', 'damaged')).toEqual({ status: 'failed', subStatus: 'damaged' });
    expect(mapEasypostStatus('failure', 'weather_delay')).toEqual({ status: 'failed' });
    expect(mapEasypostStatus('return_to_sender', 'delayed')).toEqual({ status: 'return_to_sender', subStatus: 'returning' });
    expect(mapEasypostStatus('cancelled', 'refused')).toEqual({ status: 'cancelled' });
  });

  it('calls a tracker with no details yet pending, as SPEC\u2019s table says', () => {
    expect(mapEasypostStatus('unknown', undefined, false)).toEqual({ status: 'pending' });
    expect(mapEasypostStatus('unknown', 'status_update', false)).toEqual({ status: 'pending' });
    expect(mapEasypostStatus('unknown', undefined, true)).toEqual({ status: 'unknown' });
    expect(mapEasypostStatus('in_transit', undefined, false)).toEqual({ status: 'in_transit' });
  });

  it('keeps values EasyPost adds later as the nearest status', () => {
    expect(mapEasypostStatus('in_transit', 'rerouted_by_drone')).toEqual({ status: 'in_transit' });
    expect(mapEasypostStatus('in_orbit', 'arrived_at_facility')).toEqual({ status: 'unknown' });
    expect(mapEasypostStatus(undefined, 'delayed')).toEqual({ status: 'unknown' });
    expect(mapEasypostStatus('constructor', 'toString')).toEqual({ status: 'unknown' });
    expect(mapEasypostStatus('in_transit', 'constructor')).toEqual({ status: 'in_transit' });
  });

  it('covers every documented status and names only problem details it documents or has seen', () => {
    expect(Object.keys(EASYPOST_STATUSES).sort()).toEqual(STATUSES.map(([s]) => s).sort());
    const documented = new Set(DETAILS_IN_TRANSIT.map(([d]) => d));
    for (const detail of Object.keys(EASYPOST_PROBLEM_DETAILS)) expect(documented.has(detail)).toBe(true);
  });
});
