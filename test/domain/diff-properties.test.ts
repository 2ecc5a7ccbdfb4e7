import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../../src/domain/diff.js';
import { eventFingerprint } from '../../src/domain/shipment.js';
import { SHIPMENT_STATUSES } from '../../src/domain/status.js';
import type { ShipmentState, TrackingEvent, TrackingUpdate } from '../../src/domain/types.js';
import { HOUR, OPTIONS, shipment, T0, upd } from './fixtures.js';

const arbEvent: fc.Arbitrary<TrackingEvent> = fc
  .record({
    minute: fc.integer({ min: 0, max: 14 * 24 * 60 }),
    status: fc.constantFrom(...SHIPMENT_STATUSES),
    subStatus: fc.option(fc.constantFrom('customs_hold', 'address_issue', 'weather_delay', 'returning', 'returned', 'lost'), { nil: undefined }),
    location: fc.constantFrom('Memphis, TN', 'Louisville, KY', 'Madrid', undefined),
    description: fc.constantFrom('Arrived at facility', 'Departed facility', 'Scan', 'Update'),
  })
  .map(({ minute, status, subStatus, location, description }) => {
    const event: TrackingEvent = { time: new Date(T0 + minute * 60_000).toISOString(), status, description, source: 'api' };
    if (subStatus !== undefined) event.subStatus = subStatus;
    if (location !== undefined) event.location = location;
    return event;
  });

/** Events unique by fingerprint: two different events with one fingerprint are one event by definition (rule 2). */
const arbHistory = fc.array(arbEvent, { minLength: 1, maxLength: 24 }).map((events) => {
  const byFingerprint = new Map<string, TrackingEvent>();
  for (const e of events) if (!byFingerprint.has(eventFingerprint(e))) byFingerprint.set(eventFingerprint(e), e);
  return [...byFingerprint.values()];
});

/** The same events re-sent by other sources, shuffled and cut into updates of random sizes. */
const arbArrival = (events: TrackingEvent[]) =>
  fc
    .tuple(
      fc.shuffledSubarray([...events, ...events.map((e) => ({ ...e, source: 'aftership' }))], { minLength: events.length * 2 }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
    )
    .map(([shuffled, sizes]) => {
      const updates: TrackingUpdate[] = [];
      for (let i = 0, k = 0; i < shuffled.length; k++) {
        const size = sizes[k % sizes.length] ?? 1;
        updates.push(upd(shuffled.slice(i, i + size)));
        i += size;
      }
      return updates;
    });

interface Outcome {
  state: ShipmentState;
  firedKeys: string[];
  results: ReturnType<typeof applyUpdate>[];
}

function deliver(updates: TrackingUpdate[]): Outcome {
  let state = shipment();
  const firedKeys: string[] = [];
  const results = updates.map((update, i) => {
    const result = applyUpdate(state, update, new Date(T0 + (15 * 24 + i) * HOUR), OPTIONS);
    state = result.state;
    firedKeys.push(...result.triggers.map((t) => t.key));
    return result;
  });
  return { state, firedKeys, results };
}

const summary = (s: ShipmentState) => ({
  status: s.status,
  subStatus: s.subStatus,
  attempts: s.attempts,
  events: s.events.map(eventFingerprint),
  lastScanAt: s.lastScanAt,
});

describe('diff properties (fast-check)', () => {
  it('ends in the same status, sub-status, events and attempts whatever the order of arrival', () => {
    fc.assert(
      fc.property(
        arbHistory.chain((events) => fc.tuple(fc.constant(events), arbArrival(events), arbArrival(events))),
        ([events, orderA, orderB]) => {
          const reference = deliver([upd([...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)))]);
          expect(summary(deliver(orderA).state)).toEqual(summary(reference.state));
          expect(summary(deliver(orderB).state)).toEqual(summary(reference.state));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fires each trigger key at most once overall, and records every key it fired', () => {
    fc.assert(
      fc.property(arbHistory.chain(arbArrival), (updates) => {
        const { state, firedKeys } = deliver(updates);
        expect(new Set(firedKeys).size).toBe(firedKeys.length);
        expect(state.fired).toEqual(firedKeys);
        for (const key of firedKeys) expect(key).toMatch(/^[a-z_]+:.+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when any update already applied arrives again (rule 1)', () => {
    fc.assert(
      fc.property(arbHistory.chain(arbArrival), fc.nat(), (updates, pick) => {
        const { state } = deliver(updates);
        const again = updates[pick % updates.length];
        if (again === undefined) return;
        const result = applyUpdate(state, again, new Date(T0 + 40 * 24 * HOUR), OPTIONS);
        expect(result.changed).toBe(false);
        expect(result.triggers).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('reports as new exactly the events the state did not hold before', () => {
    fc.assert(
      fc.property(arbHistory.chain(arbArrival), (updates) => {
        const { results } = deliver(updates);
        const everNew = results.flatMap((r) => r.newEvents.map(eventFingerprint));
        expect(new Set(everNew).size).toBe(everNew.length);
        expect(everNew.sort()).toEqual(results.at(-1)?.state.events.map(eventFingerprint).sort());
      }),
      { numRuns: 200 },
    );
  });
});
