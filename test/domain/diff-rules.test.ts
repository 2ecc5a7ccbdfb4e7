import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../../src/domain/diff.js';
import { eventFingerprint } from '../../src/domain/shipment.js';
import { checkTimers } from '../../src/domain/timers.js';
import { dateAt, ev, keys, OPTIONS, run, shipment, upd } from './fixtures.js';

describe('rule 1: the same snapshot twice produces no event and no message', () => {
  it('applies a snapshot once, then reports nothing changed and returns the state untouched', () => {
    const snapshot = upd([ev('label_created', 0), ev('in_transit', 2)], { estimatedDelivery: '2026-11-24' });
    const first = applyUpdate(shipment(), snapshot, dateAt(3), OPTIONS);
    expect(first.changed).toBe(true);
    expect(keys(first.triggers)).toEqual(['label_created:-', 'shipped:-']);

    const second = applyUpdate(first.state, snapshot, dateAt(5), OPTIONS);
    expect(second).toEqual({ state: first.state, newEvents: [], triggers: [], changed: false });
    expect(second.state).toBe(first.state);
  });

  it('treats the same scan from another source, spelled differently, as the same event', () => {
    const first = applyUpdate(shipment(), upd([ev('in_transit', 2, { location: 'Memphis, TN', description: 'Arrived at Facility' })]), dateAt(3), OPTIONS);
    const echo = ev('in_transit', 2, { location: '  MEMPHIS  TN ', description: 'arrived at facility.', source: 'aftership', rawStatus: 'InTransit' });
    const second = applyUpdate(first.state, upd([echo], { source: 'aftership' }), dateAt(4), OPTIONS);
    expect(second.changed).toBe(false);
    expect(second.state.events).toHaveLength(1);
  });

  it('does not repeat a bare status snapshot (no events) that it already turned into an event', () => {
    const bare = upd([], { status: 'in_transit' });
    const first = applyUpdate(shipment(), bare, dateAt(1), OPTIONS);
    expect(first.newEvents).toHaveLength(1);
    expect(first.newEvents[0]).toMatchObject({ status: 'in_transit', time: dateAt(1).toISOString(), description: 'In transit', source: 'api' });
    expect(keys(first.triggers)).toEqual(['shipped:-']);
    expect(applyUpdate(first.state, bare, dateAt(9), OPTIONS).changed).toBe(false);
  });

  it('ignores a bare status that is behind the current one, so a lagging source does not grow the history', () => {
    const { state } = run([upd([ev('out_for_delivery', 5)])]);
    const lagging = applyUpdate(state, upd([], { status: 'in_transit' }), dateAt(7), OPTIONS);
    expect(lagging.changed).toBe(false);
  });
});

describe('rule 2: events are identified by fingerprint and merged in time order', () => {
  it('merges events in time order whatever order they arrive in, within and across updates', () => {
    const { state } = run([upd([ev('in_transit', 5), ev('label_created', 0)]), upd([ev('in_transit', 3), ev('out_for_delivery', 8)])]);
    expect(state.events.map((e) => e.time)).toEqual([0, 3, 5, 8].map((h) => dateAt(h).toISOString()));
  });

  it('reports only the events it did not know as new, in time order', () => {
    const first = applyUpdate(shipment(), upd([ev('label_created', 0), ev('in_transit', 2)]), dateAt(3), OPTIONS);
    const second = applyUpdate(first.state, upd([ev('in_transit', 6), ev('label_created', 0), ev('in_transit', 4), ev('in_transit', 2)]), dateAt(7), OPTIONS);
    expect(second.newEvents.map(eventFingerprint)).toEqual([ev('in_transit', 4), ev('in_transit', 6)].map(eventFingerprint));
    expect(second.state.events).toHaveLength(4);
  });

  it('keeps duplicates within one update once', () => {
    const { state } = run([upd([ev('in_transit', 2), ev('in_transit', 2, { source: 'easypost' })])]);
    expect(state.events).toHaveLength(1);
  });

  it('keeps two scans at the same instant in a stable order: the label before the first scan', () => {
    const { state } = run([upd([ev('in_transit', 1), ev('label_created', 1)])]);
    expect(state.events.map((e) => e.status)).toEqual(['label_created', 'in_transit']);
    expect(state.status).toBe('in_transit');
  });
});

describe('rule 3: the status only moves forward by rank', () => {
  it('records a lower-rank scan that comes later but changes nothing and sends nothing', () => {
    const before = run([upd([ev('in_transit', 1), ev('out_for_delivery', 5)])]).state;
    const result = applyUpdate(before, upd([ev('in_transit', 6)]), dateAt(7), OPTIONS);
    expect(result.state.status).toBe('out_for_delivery');
    expect(result.state.events).toHaveLength(3);
    expect(result.triggers).toEqual([]);
  });

  it('records a late scan (older than the newest known) and fires nothing, even when it outranks', () => {
    const before = run([upd([ev('in_transit', 1), ev('in_transit', 6, { location: 'Dallas, TX' })])]).state;
    const result = applyUpdate(before, upd([ev('out_for_delivery', 4)]), dateAt(8), OPTIONS);
    expect(result.changed).toBe(true);
    expect(result.triggers).toEqual([]);
    expect(result.state.events.map((e) => e.status)).toEqual(['in_transit', 'out_for_delivery', 'in_transit']);
  });

  it('lets exception, delivery_attempted and return_to_sender follow any non-terminal status', () => {
    expect(run([upd([ev('out_for_delivery', 1), ev('exception', 2, { subStatus: 'address_issue' })])]).state).toMatchObject({
      status: 'exception',
      subStatus: 'address_issue',
    });
    expect(run([upd([ev('label_created', 1), ev('delivery_attempted', 2)])]).state).toMatchObject({ status: 'delivery_attempted', attempts: 1 });
    expect(run([upd([ev('available_for_pickup', 1), ev('return_to_sender', 2, { subStatus: 'returning' })])]).state.status).toBe('return_to_sender');
  });

  it('lets out_for_delivery happen again after an attempt, and counts the next attempt', () => {
    const r = run([
      upd([ev('out_for_delivery', 1)]),
      upd([ev('delivery_attempted', 3, { subStatus: 'recipient_unavailable' })]),
      upd([ev('out_for_delivery', 25)]),
      upd([ev('delivery_attempted', 27)]),
    ]);
    expect(r.perUpdate).toEqual([['shipped:-', 'out_for_delivery:1'], ['delivery_attempted:1'], ['out_for_delivery:2'], ['delivery_attempted:2']]);
    expect(r.state).toMatchObject({ status: 'delivery_attempted', attempts: 2 });
  });

  it('counts repeated attempt scans without a new delivery run as one attempt', () => {
    const r = run([upd([ev('out_for_delivery', 1), ev('delivery_attempted', 3), ev('delivery_attempted', 4, { description: 'Notice left' })])]);
    expect(r.state.attempts).toBe(1);
    expect(keys(r.triggers).filter((k) => k.startsWith('delivery_attempted'))).toEqual(['delivery_attempted:1']);
  });

  it('resumes from an exception when the parcel moves again at the level it had reached', () => {
    const r = run([upd([ev('in_transit', 1)]), upd([ev('exception', 20, { subStatus: 'customs_hold' })]), upd([ev('in_transit', 30)])]);
    expect(r.state.status).toBe('in_transit');
    expect(r.state.subStatus).toBeUndefined();
    expect(r.perUpdate[2]).toEqual(['in_transit_update:2026-11-21']);
  });

  it('does not let an exception lower the bar: a scan below the level reached stays history', () => {
    const r = run([upd([ev('out_for_delivery', 1), ev('exception', 2), ev('in_transit', 3)])]);
    expect(r.state.status).toBe('exception');
  });
});

describe('rule 4: a terminal status ends it; later updates are recorded but only a named correction notifies', () => {
  it('records scans after delivery without changing the status or notifying', () => {
    const delivered = run([upd([ev('out_for_delivery', 1), ev('delivered', 3)])]).state;
    const later = applyUpdate(delivered, upd([ev('in_transit', 5), ev('exception', 6, { subStatus: 'damaged' }), ev('failed', 7)]), dateAt(8), OPTIONS);
    expect(later.changed).toBe(true);
    expect(later.state.status).toBe('delivered');
    expect(later.state.events).toHaveLength(5);
    expect(later.triggers).toEqual([]);
  });

  it('notifies returned_to_sender for the delivered → return_to_sender correction', () => {
    const delivered = run([upd([ev('delivered', 3)])]).state;
    const corrected = applyUpdate(delivered, upd([ev('return_to_sender', 30, { subStatus: 'returning' })]), dateAt(31), OPTIONS);
    expect(corrected.state).toMatchObject({ status: 'return_to_sender', subStatus: 'returning' });
    expect(keys(corrected.triggers)).toEqual(['returned_to_sender:-']);
  });

  it('ends a return once it reaches the sender: a delivered scan on the way back is the return arriving', () => {
    const r = run([upd([ev('in_transit', 1), ev('return_to_sender', 5, { subStatus: 'returning' })]), upd([ev('in_transit', 20), ev('delivered', 40)])]);
    expect(r.state).toMatchObject({ status: 'return_to_sender', subStatus: 'returned' });
    expect(r.perUpdate[1]).toEqual([]);
    expect(checkTimers(r.state, dateAt(400), { delayThresholdHours: 24, stallHours: 72, notScannedHours: 48 }).changed).toBe(false);
  });

  it('keeps cancelled, failed and expired final', () => {
    for (const ending of ['cancelled', 'failed', 'expired'] as const) {
      const r = run([upd([ev('in_transit', 1), ev(ending, 2)]), upd([ev('delivered', 9)])]);
      expect(r.state.status).toBe(ending);
      expect(r.perUpdate[1]).toEqual([]);
    }
  });
});

describe('rule 5: an ETA moved later by at least the threshold fires delayed', () => {
  const withEta = (eta: string) => run([upd([ev('in_transit', 1)], { estimatedDelivery: eta })]).state;

  it('fires delayed with the new ETA date as discriminator', () => {
    const result = applyUpdate(withEta('2026-11-23'), upd([ev('in_transit', 5)], { estimatedDelivery: '2026-11-24' }), dateAt(6), OPTIONS);
    expect(keys(result.triggers)).toContain('delayed:2026-11-24');
    expect(result.state.eta).toBe('2026-11-24');
  });

  it('does not fire for a move shorter than the threshold, an earlier ETA or a first ETA', () => {
    const start = withEta('2026-11-23T10:00:00Z');
    expect(applyUpdate(start, upd([], { status: 'in_transit', estimatedDelivery: '2026-11-24T09:00:00Z' }), dateAt(6), OPTIONS).triggers).toEqual([]);
    expect(applyUpdate(start, upd([], { status: 'in_transit', estimatedDelivery: '2026-11-22' }), dateAt(6), OPTIONS).triggers).toEqual([]);
    const first = applyUpdate(run([upd([ev('in_transit', 1)])]).state, upd([], { status: 'in_transit', estimatedDelivery: '2026-12-24' }), dateAt(6), OPTIONS);
    expect(first).toMatchObject({ changed: true, triggers: [] });
  });

  it('honours the configured threshold', () => {
    const update = upd([], { status: 'in_transit', estimatedDelivery: '2026-11-25' });
    expect(applyUpdate(withEta('2026-11-23'), update, dateAt(6), { delayThresholdHours: 72 }).triggers).toEqual([]);
    expect(keys(applyUpdate(withEta('2026-11-23'), update, dateAt(6), { delayThresholdHours: 48 }).triggers)).toEqual(['delayed:2026-11-25']);
  });

  it('keeps the date written in a zoned ETA rather than its UTC date', () => {
    const result = applyUpdate(withEta('2026-11-23'), upd([], { status: 'in_transit', estimatedDelivery: '2026-11-24T20:00:00-05:00' }), dateAt(6), OPTIONS);
    expect(keys(result.triggers)).toEqual(['delayed:2026-11-24']);
  });

  it('fires one delayed when a carrier-delay scan and a later ETA come together', () => {
    const result = applyUpdate(withEta('2026-11-23'), upd([ev('exception', 5, { subStatus: 'weather_delay' })], { estimatedDelivery: '2026-11-26' }), dateAt(6), OPTIONS);
    expect(keys(result.triggers)).toEqual(['delayed:weather_delay']);
  });

  it('ignores ETA changes once delivered, and an unreadable ETA', () => {
    const delivered = run([upd([ev('delivered', 2)], { estimatedDelivery: '2026-11-21' })]).state;
    expect(applyUpdate(delivered, upd([], { status: 'delivered', estimatedDelivery: '2026-11-29' }), dateAt(6), OPTIONS).triggers).toEqual([]);
    const garbled = applyUpdate(withEta('2026-11-23'), upd([], { status: 'in_transit', estimatedDelivery: 'soon' }), dateAt(6), OPTIONS);
    expect(garbled.changed).toBe(false);
  });
});

describe('rule 6: each kind fires at most once per shipment per discriminator', () => {
  it('fires exception once per sub-status, and again for a different one', () => {
    const r = run([
      upd([ev('in_transit', 1), ev('exception', 2, { subStatus: 'customs_hold' })]),
      upd([ev('exception', 8, { subStatus: 'customs_hold', description: 'Still held' })]),
      upd([ev('exception', 12, { subStatus: 'address_issue' })]),
      upd([ev('exception', 14)]),
    ]);
    expect(r.perUpdate).toEqual([['shipped:-', 'exception:customs_hold'], [], ['exception:address_issue'], []]);
  });

  it('names an exception without a sub-status `other`', () => {
    expect(keys(run([upd([ev('in_transit', 1), ev('exception', 2)])]).triggers)).toEqual(['shipped:-', 'exception:other']);
  });

  it('adds fired keys to the returned state and never produces a key already there', () => {
    const start = { ...shipment(), fired: ['shipped:-'] };
    const r = run([upd([ev('label_created', 0), ev('in_transit', 2)])], start);
    expect(keys(r.triggers)).toEqual(['label_created:-']);
    expect(r.state.fired).toEqual(['shipped:-', 'label_created:-']);
  });

  it('fires nothing twice when a second concurrent update is re-applied on the state the first one produced', () => {
    // The store retries the loser of a version race on the fresh state; the domain must then stay silent.
    const base = run([upd([ev('in_transit', 1)])]).state;
    const a = applyUpdate(base, upd([ev('out_for_delivery', 5)]), dateAt(6), OPTIONS);
    const b = applyUpdate(base, upd([ev('out_for_delivery', 5, { source: 'shippo' })], { source: 'shippo' }), dateAt(6), OPTIONS);
    expect(keys(a.triggers)).toEqual(keys(b.triggers));
    const retried = applyUpdate(a.state, upd([ev('out_for_delivery', 5, { source: 'shippo' })], { source: 'shippo' }), dateAt(6), OPTIONS);
    expect(retried.triggers).toEqual([]);
  });

  it('does not bump the version (the store owns it)', () => {
    const r = run([upd([ev('in_transit', 1)])], { ...shipment(), version: 7 });
    expect(r.state.version).toBe(7);
  });
});
