import { describe, expect, it } from 'vitest';
import { SHIPMENT_STATUSES } from '../../../src/domain/status.js';
import { pollDelayMs } from '../../../src/ingest/carriers/poll-interval.js';

const MIN = 60_000;

describe('pollDelayMs: the interval adapts to status', () => {
  it('waits hours before the first scan, less in transit, least out for delivery', () => {
    expect(pollDelayMs({ status: 'pending' }, 120)).toBe(360 * MIN);
    expect(pollDelayMs({ status: 'label_created' }, 120)).toBe(360 * MIN);
    expect(pollDelayMs({ status: 'in_transit' }, 120)).toBe(120 * MIN);
    expect(pollDelayMs({ status: 'exception', subStatus: 'weather_delay' }, 120)).toBe(120 * MIN);
    expect(pollDelayMs({ status: 'out_for_delivery' }, 120)).toBe(30 * MIN);
    expect(pollDelayMs({ status: 'available_for_pickup' }, 120)).toBe(240 * MIN);
    expect(pollDelayMs({ status: 'return_to_sender', subStatus: 'returning' }, 120)).toBe(240 * MIN);
  });

  it('scales with the base interval', () => {
    expect(pollDelayMs({ status: 'in_transit' }, 1)).toBe(MIN);
    expect(pollDelayMs({ status: 'out_for_delivery' }, 1)).toBe(15_000);
  });

  it('stops at every terminal status, a return only once it has reached the sender', () => {
    for (const status of ['delivered', 'failed', 'cancelled', 'expired'] as const) expect(pollDelayMs({ status }, 120), status).toBeNull();
    expect(pollDelayMs({ status: 'return_to_sender', subStatus: 'returned' }, 120)).toBeNull();
  });

  it('gives every non-terminal status a positive interval', () => {
    for (const status of SHIPMENT_STATUSES) {
      const delay = pollDelayMs({ status }, 120);
      if (delay !== null) expect(delay, status).toBeGreaterThan(0);
    }
  });
});
