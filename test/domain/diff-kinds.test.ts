import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../../src/domain/diff.js';
import { DomainError } from '../../src/domain/errors.js';
import type { TrackingEvent } from '../../src/domain/types.js';
import { at, dateAt, ev, keys, OPTIONS, run, shipment, upd } from './fixtures.js';

describe('event → kind mapping (table at the top of diff.ts)', () => {
  const cases: { name: string; events: TrackingEvent[]; expected: string[] }[] = [
    { name: 'label', events: [ev('label_created', 0)], expected: ['label_created:-'] },
    { name: 'first in_transit is shipped', events: [ev('label_created', 0), ev('in_transit', 1)], expected: ['label_created:-', 'shipped:-'] },
    {
      name: 'later in_transit scans are one in_transit_update a day',
      events: [ev('in_transit', 1), ev('in_transit', 2), ev('in_transit', 3), ev('in_transit', 26)],
      expected: ['shipped:-', 'in_transit_update:2026-11-20', 'in_transit_update:2026-11-21'],
    },
    { name: 'out_for_delivery as first scan also says shipped', events: [ev('out_for_delivery', 1)], expected: ['shipped:-', 'out_for_delivery:1'] },
    { name: 'pickup', events: [ev('in_transit', 1), ev('available_for_pickup', 2)], expected: ['shipped:-', 'available_for_pickup:-'] },
    { name: 'attempt', events: [ev('in_transit', 1), ev('delivery_attempted', 2)], expected: ['shipped:-', 'delivery_attempted:1'] },
    { name: 'delivered as first scan is only delivered', events: [ev('label_created', 0), ev('delivered', 1)], expected: ['label_created:-', 'delivered:-'] },
    {
      name: 'carrier delay is delayed, not exception',
      events: [ev('in_transit', 1), ev('exception', 2, { subStatus: 'carrier_delay' })],
      expected: ['shipped:-', 'delayed:carrier_delay'],
    },
    { name: 'address issue', events: [ev('in_transit', 1), ev('exception', 2, { subStatus: 'address_issue' })], expected: ['shipped:-', 'exception:address_issue'] },
    { name: 'return', events: [ev('in_transit', 1), ev('return_to_sender', 2)], expected: ['shipped:-', 'returned_to_sender:-'] },
    { name: 'failed is lost', events: [ev('in_transit', 1), ev('failed', 2, { subStatus: 'lost' })], expected: ['shipped:-', 'lost:-'] },
    { name: 'cancelled', events: [ev('label_created', 0), ev('cancelled', 1)], expected: ['label_created:-', 'order_cancelled:-'] },
    { name: 'expired says nothing', events: [ev('in_transit', 1), ev('expired', 2)], expected: ['shipped:-'] },
    { name: 'unknown and pending say nothing', events: [ev('pending', 0), ev('unknown', 1)], expected: [] },
  ];

  it.each(cases)('$name', ({ events, expected }) => {
    expect(keys(run([upd(events)]).triggers)).toEqual(expected);
  });

  it('fires the same kinds whether the events come in one update or one at a time', () => {
    for (const { events, expected } of cases) {
      expect(keys(run(events.map((e) => upd([e]))).triggers)).toEqual(expected);
    }
  });
});

describe('applyUpdate: the state it keeps', () => {
  it('tracks the last carrier scan, which a label is not', () => {
    const labelled = run([upd([ev('label_created', 0)])]).state;
    expect(labelled.lastScanAt).toBeUndefined();
    const scanned = run([upd([ev('in_transit', 3)]), upd([ev('exception', 9)]), upd([ev('in_transit', 5)])], labelled).state;
    expect(scanned.lastScanAt).toBe(at(9));
  });

  it('keeps the proof of delivery, merging fields a later update adds', () => {
    const first = run([upd([ev('delivered', 2)], { proof: { signedBy: 'J. DOE', time: at(2) } })]).state;
    expect(first.proof).toEqual({ signedBy: 'J. DOE', time: at(2) });
    const more = applyUpdate(first, upd([], { status: 'delivered', proof: { photoUrl: 'https://carrier.example/pod.jpg' } }), dateAt(4), OPTIONS);
    expect(more.changed).toBe(true);
    expect(more.state.proof).toEqual({ signedBy: 'J. DOE', time: at(2), photoUrl: 'https://carrier.example/pod.jpg' });
  });

  it('ignores a proof while the parcel is not delivered', () => {
    const r = applyUpdate(shipment(), upd([ev('in_transit', 1)], { proof: { signedBy: 'X' } }), dateAt(2), OPTIONS);
    expect(r.state.proof).toBeUndefined();
  });

  it('stamps updatedAt with now only when something changed, and does not touch its input', () => {
    const start = shipment();
    const frozen = structuredClone(start);
    const r = applyUpdate(start, upd([ev('in_transit', 1)]), dateAt(2), OPTIONS);
    expect(r.state.updatedAt).toBe(at(2));
    expect(start).toEqual(frozen);
    expect(applyUpdate(r.state, upd([ev('in_transit', 1)]), dateAt(9), OPTIONS).state.updatedAt).toBe(at(2));
  });

  it('survives a JSON round trip, as the store keeps it', () => {
    const r = run([upd([ev('in_transit', 1), ev('exception', 2, { subStatus: 'customs_hold' })], { estimatedDelivery: '2026-11-24' })]);
    const reloaded = JSON.parse(JSON.stringify(r.state));
    expect(applyUpdate(reloaded, upd([ev('exception', 2, { subStatus: 'customs_hold' })], { estimatedDelivery: '2026-11-24' }), dateAt(5), OPTIONS).changed).toBe(false);
  });

  it('dates a bare status assertion no earlier than the newest known event', () => {
    const ahead = run([upd([ev('in_transit', 10)])]).state;
    const r = applyUpdate(ahead, upd([], { status: 'out_for_delivery' }), dateAt(4), OPTIONS);
    expect(r.newEvents[0]?.time).toBe(at(10));
    expect(keys(r.triggers)).toEqual(['out_for_delivery:1']);
  });

  it('turns a bare sub-status change into an event', () => {
    const held = run([upd([ev('in_transit', 1), ev('exception', 2, { subStatus: 'customs_hold' })])]).state;
    const r = applyUpdate(held, upd([], { status: 'exception', subStatus: 'payment_required' }), dateAt(6), OPTIONS);
    expect(r.newEvents[0]).toMatchObject({ status: 'exception', subStatus: 'payment_required', description: 'Exception: payment required' });
    expect(keys(r.triggers)).toEqual(['exception:payment_required']);
  });
});

describe('applyUpdate: refusals', () => {
  it('refuses an update for another shipment with SHIPMENT_MISMATCH', () => {
    const call = () => applyUpdate(shipment(), upd([ev('in_transit', 1)], { shipmentId: 'shp_2' }), dateAt(2), OPTIONS);
    expect(call).toThrow(DomainError);
    expect(call).toThrow(expect.objectContaining({ code: 'SHIPMENT_MISMATCH' }));
  });

  it('refuses an event whose time is not a time with EVENT_TIME_INVALID', () => {
    const call = () => applyUpdate(shipment(), upd([ev('in_transit', 1, { time: 'yesterday' })]), dateAt(2), OPTIONS);
    expect(call).toThrow(expect.objectContaining({ code: 'EVENT_TIME_INVALID', details: { field: 'event time', value: 'yesterday' } }));
  });
});
