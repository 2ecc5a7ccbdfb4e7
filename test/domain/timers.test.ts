import { describe, expect, it } from 'vitest';
import { checkTimers, DEFAULT_TIMER_OPTIONS, type TimerOptions } from '../../src/domain/diff.js';
import type { ShipmentState } from '../../src/domain/types.js';
import { at, dateAt, ev, keys, run, shipment, upd } from './fixtures.js';

const TIMERS: TimerOptions = { delayThresholdHours: 24, stallHours: 72, notScannedHours: 48 };

function timerKeys(state: ShipmentState, nowHours: number, options: TimerOptions = TIMERS): string[] {
  return keys(checkTimers(state, dateAt(nowHours), options).triggers);
}

describe('rule 5: an ETA missed with no delivery fires delayed', () => {
  const inTransit = (eta: string) => run([upd([ev('in_transit', 1)], { estimatedDelivery: eta })]).state;

  it('fires delayed:missed:<date> once a timed ETA has passed, not before', () => {
    const state = inTransit(at(30));
    expect(timerKeys(state, 30)).toEqual([]);
    expect(timerKeys(state, 30.5)).toEqual(['delayed:missed:2026-11-21']);
  });

  it('waits for a bare ETA date to be over everywhere on Earth', () => {
    const state = inTransit('2026-11-21');
    // 2026-11-22T12:00Z is midnight ending the 21st at UTC−12.
    expect(timerKeys(state, 52)).toEqual([]);
    expect(timerKeys(state, 52.1)).toEqual(['delayed:missed:2026-11-21']);
  });

  it('fires it once, adds the key to the state and stamps updatedAt', () => {
    const first = checkTimers(inTransit(at(30)), dateAt(40), TIMERS);
    expect(first.changed).toBe(true);
    expect(first.state.fired).toContain('delayed:missed:2026-11-21');
    expect(first.state.updatedAt).toBe(at(40));
    expect(checkTimers(first.state, dateAt(41), TIMERS)).toMatchObject({ changed: false, triggers: [] });
  });

  it('does not fire once delivered, nor while the parcel waits at a pickup point', () => {
    const delivered = run([upd([ev('in_transit', 1), ev('delivered', 20)], { estimatedDelivery: at(30) })]).state;
    expect(timerKeys(delivered, 100)).toEqual([]);
    const pickup = run([upd([ev('available_for_pickup', 20)], { estimatedDelivery: at(30) })]).state;
    expect(timerKeys(pickup, 40)).toEqual([]);
  });
});

describe('rule 7: no carrier scan for stallHours while in transit fires stalled', () => {
  it('fires stalled after stallHours without a scan, keyed by the last scan', () => {
    const state = run([upd([ev('in_transit', 1)])]).state;
    expect(timerKeys(state, 72.9)).toEqual([]);
    expect(timerKeys(state, 73)).toEqual([`stalled:${at(1)}`]);
  });

  it('fires again after a newer scan stalls in turn, but never twice for one scan', () => {
    const stalled = checkTimers(run([upd([ev('in_transit', 1)])]).state, dateAt(80), TIMERS).state;
    expect(timerKeys(stalled, 90)).toEqual([]);
    const moved = run([upd([ev('in_transit', 100)])], stalled).state;
    expect(timerKeys(moved, 171)).toEqual([]);
    expect(timerKeys(moved, 172)).toEqual([`stalled:${at(100)}`]);
  });

  it('honours the configured stallHours', () => {
    const state = run([upd([ev('out_for_delivery', 1)])]).state;
    expect(timerKeys(state, 13, { ...TIMERS, stallHours: 12 })).toEqual([`stalled:${at(1)}`]);
  });

  it('watches the parcel while the carrier holds it, not while it waits for the buyer or has ended', () => {
    const held = ['in_transit', 'out_for_delivery', 'delivery_attempted', 'exception'] as const;
    for (const status of held) expect(timerKeys(run([upd([ev(status, 1)])]).state, 200)).toContain(`stalled:${at(1)}`);
    const notHeld = ['available_for_pickup', 'delivered', 'return_to_sender', 'cancelled'] as const;
    for (const status of notHeld) expect(timerKeys(run([upd([ev(status, 1)])]).state, 200)).toEqual([]);
  });
});

describe('rule 7: a label with no carrier scan after notScannedHours fires not_scanned', () => {
  it('fires not_scanned notScannedHours after the label event', () => {
    const state = run([upd([ev('label_created', 10)])]).state;
    expect(timerKeys(state, 57.9)).toEqual([]);
    expect(timerKeys(state, 58)).toEqual(['not_scanned:-']);
  });

  it('counts from registration when no source reported the label yet', () => {
    const registered = shipment(0);
    expect(timerKeys(registered, 47)).toEqual([]);
    expect(timerKeys(registered, 48)).toEqual(['not_scanned:-']);
    expect(timerKeys(registered, 48, { ...TIMERS, notScannedHours: 96 })).toEqual([]);
  });

  it('does not fire once the carrier has scanned the parcel', () => {
    const scanned = run([upd([ev('label_created', 0), ev('in_transit', 60)])]).state;
    expect(timerKeys(scanned, 61)).toEqual([]);
  });

  it('fires both a missed ETA and not_scanned when both are due', () => {
    const state = run([upd([ev('label_created', 0)], { estimatedDelivery: at(24) })]).state;
    expect(timerKeys(state, 50)).toEqual(['delayed:missed:2026-11-21', 'not_scanned:-']);
  });
});

describe('timer defaults', () => {
  it('documents the SPEC defaults', () => {
    expect(DEFAULT_TIMER_OPTIONS).toEqual({ delayThresholdHours: 24, stallHours: 72, notScannedHours: 48 });
  });
});
