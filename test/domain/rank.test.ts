import { describe, expect, it } from 'vitest';
import { isTerminal, statusRank } from '../../src/domain/rank.js';
import { PROGRESS_STATUSES, SHIPMENT_STATUSES } from '../../src/domain/status.js';

describe('statusRank', () => {
  it('ranks the progress statuses strictly in the SPEC order', () => {
    const ranks = PROGRESS_STATUSES.map(statusRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('places side statuses where they sit in a story', () => {
    expect(statusRank('unknown')).toBeLessThan(statusRank('pending'));
    expect(statusRank('exception')).toBe(statusRank('in_transit'));
    expect(statusRank('return_to_sender')).toBeGreaterThan(statusRank('delivered'));
    for (const ending of ['failed', 'cancelled', 'expired'] as const) expect(statusRank(ending)).toBeGreaterThan(statusRank('return_to_sender'));
  });

  it('ranks every status', () => {
    for (const status of SHIPMENT_STATUSES) expect(Number.isInteger(statusRank(status))).toBe(true);
  });
});

describe('isTerminal', () => {
  it.each([
    ['delivered', undefined, true],
    ['failed', 'lost', true],
    ['cancelled', undefined, true],
    ['expired', undefined, true],
    ['return_to_sender', 'returned', true],
    ['return_to_sender', 'returning', false],
    ['return_to_sender', undefined, false],
    ['exception', 'returned', false],
    ['delivery_attempted', undefined, false],
    ['in_transit', undefined, false],
    ['pending', undefined, false],
    ['unknown', undefined, false],
  ] as const)('%s/%s → %s', (status, subStatus, terminal) => {
    expect(isTerminal({ status, subStatus })).toBe(terminal);
  });
});
