import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../../src/domain/types.js';
import { deliveryProofOf, withCurrentStatus } from '../../src/ingest/aggregator-events.js';

const scan = (time: string, status: TrackingEvent['status'], extra: Partial<TrackingEvent> = {}): TrackingEvent => ({
  time,
  status,
  description: `${status} scan`,
  source: 'test',
  ...extra,
});

describe('withCurrentStatus', () => {
  const scans = [scan('2026-11-18T09:00:00.000Z', 'label_created'), scan('2026-11-18T12:30:00.000Z', 'in_transit')];

  it('adds a status no scan carries one millisecond after the newest scan, whatever the order of the list', () => {
    const current = { status: 'expired' as const, description: 'Expired', source: 'test', rawStatus: 'Expired' };
    expect(withCurrentStatus([...scans].reverse(), current).at(-1)).toEqual({ ...current, time: '2026-11-18T12:30:00.001Z' });
  });

  it('adds nothing when a scan carries the status (and its sub-status, when one is named)', () => {
    expect(withCurrentStatus(scans, { status: 'in_transit', description: 'x', source: 'test' })).toBe(scans);
    const held = [...scans, scan('2026-11-18T13:00:00.000Z', 'exception', { subStatus: 'customs_hold' })];
    expect(withCurrentStatus(held, { status: 'exception', subStatus: 'customs_hold', description: 'x', source: 'test' })).toBe(held);
    expect(withCurrentStatus(held, { status: 'exception', subStatus: 'carrier_delay', description: 'x', source: 'test' })).toHaveLength(4);
  });

  it('leaves an empty list to the diff\u2019s own status assertion, and never adds a status that cannot move a shipment', () => {
    expect(withCurrentStatus([], { status: 'delivered', description: 'x', source: 'test' })).toEqual([]);
    expect(withCurrentStatus(scans, { status: 'unknown', description: 'x', source: 'test' })).toBe(scans);
    expect(withCurrentStatus(scans, { status: 'pending', description: 'x', source: 'test' })).toBe(scans);
  });

  it('handles a list longer than the engine\u2019s argument limit', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => scan(new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), 'in_transit'));
    expect(withCurrentStatus(many, { status: 'exception', description: 'x', source: 'test' }).at(-1)?.time).toBe(
      new Date(Date.UTC(2026, 0, 1) + 299_999 * 1000 + 1).toISOString(),
    );
  });
});

describe('deliveryProofOf', () => {
  it('takes the time and place of the newest delivery scan', () => {
    const events = [
      scan('2026-11-19T10:00:00.000Z', 'delivered', { location: 'Front desk' }),
      scan('2026-11-20T10:00:00.000Z', 'delivered', { location: 'Porch' }),
      scan('2026-11-21T10:00:00.000Z', 'return_to_sender'),
    ];
    expect(deliveryProofOf(events)).toEqual({ time: '2026-11-20T10:00:00.000Z', location: 'Porch' });
    expect(deliveryProofOf([scan('2026-11-19T10:00:00.000Z', 'delivered')])).toEqual({ time: '2026-11-19T10:00:00.000Z' });
    expect(deliveryProofOf([scan('2026-11-19T10:00:00.000Z', 'in_transit')])).toBeUndefined();
  });
});
