import { describe, expect, it } from 'vitest';
import type { ShipmentStatus, SubStatus } from '../../src/domain/status.js';
import { isSuperseded } from '../../src/domain/supersede.js';
import type { NotificationKind } from '../../src/domain/types.js';
import { shipment } from './fixtures.js';

function stateOf(status: ShipmentStatus, subStatus?: SubStatus) {
  return { ...shipment(), status, ...(subStatus !== undefined && { subStatus }) };
}

/** [kind, states in which a held message of that kind is stale, states in which it is still worth sending] */
const table: [NotificationKind, [ShipmentStatus, SubStatus?][], [ShipmentStatus, SubStatus?][]][] = [
  ['order_confirmed', [], [['delivered'], ['cancelled']]],
  ['order_cancelled', [], [['cancelled'], ['delivered']]],
  ['label_created', [['in_transit'], ['exception'], ['delivered']], [['pending'], ['label_created']]],
  ['not_scanned', [['in_transit'], ['cancelled']], [['pending'], ['label_created']]],
  ['shipped', [['delivered'], ['failed'], ['return_to_sender', 'returning']], [['in_transit'], ['out_for_delivery'], ['exception']]],
  ['in_transit_update', [['out_for_delivery'], ['exception'], ['delivered']], [['in_transit']]],
  ['delayed', [['delivered'], ['cancelled']], [['in_transit'], ['exception']]],
  ['out_for_delivery', [['delivered'], ['delivery_attempted'], ['available_for_pickup'], ['exception']], [['out_for_delivery']]],
  ['delivery_attempted', [['delivered'], ['return_to_sender']], [['delivery_attempted'], ['out_for_delivery'], ['available_for_pickup']]],
  ['available_for_pickup', [['delivered'], ['return_to_sender', 'returned']], [['available_for_pickup']]],
  ['exception', [['delivered'], ['failed']], [['exception'], ['in_transit']]],
  ['stalled', [['delivered'], ['expired']], [['in_transit']]],
  ['delivered', [['return_to_sender', 'returning']], [['delivered']]],
  ['returned_to_sender', [], [['return_to_sender', 'returned'], ['delivered']]],
  ['lost', [], [['failed'], ['delivered']]],
  ['invalid_tracking_number', [], [['pending'], ['delivered'], ['cancelled']]],
];

describe('isSuperseded', () => {
  it('covers every kind', () => {
    expect(table.map(([kind]) => kind).sort()).toEqual(
      ['order_confirmed', 'order_cancelled', 'label_created', 'shipped', 'in_transit_update', 'delayed', 'out_for_delivery', 'delivery_attempted', 'available_for_pickup', 'exception', 'delivered', 'returned_to_sender', 'lost', 'stalled', 'not_scanned', 'invalid_tracking_number'].sort(),
    );
  });

  describe.each(table)('%s', (kind, stale, fresh) => {
    // Kinds that are never stale have no stale row; `it.each` refuses an empty table.
    if (stale.length > 0) it.each(stale)('is stale once the shipment is %s/%s', (status, subStatus) => {
      expect(isSuperseded(kind, stateOf(status, subStatus))).toBe(true);
    });
    it.each(fresh)('is still sent while the shipment is %s/%s', (status, subStatus) => {
      expect(isSuperseded(kind, stateOf(status, subStatus))).toBe(false);
    });
  });

  it('drops a held out_for_delivery once delivered arrives, and keeps the delivered message (SPEC example)', () => {
    const delivered = stateOf('delivered');
    expect(isSuperseded('out_for_delivery', delivered)).toBe(true);
    expect(isSuperseded('delivered', delivered)).toBe(false);
  });
});
