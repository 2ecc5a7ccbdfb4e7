/**
 * Status ranks: the order in which a shipment's story moves forward (SPEC "Diff rules", rule 3).
 */
import type { ShipmentStatus } from './status.js';
import type { ShipmentState } from './types.js';

/**
 * The progress ladder keeps the SPEC's order. Side statuses sit where they belong in a story:
 * `exception` at the in-transit level (a problem does not advance a parcel), `return_to_sender`
 * just above `delivered` (so the delivered → return correction is a step forward), the statuses
 * that end a shipment without delivery last, and `unknown` below everything because it tells nothing.
 */
const RANKS: Readonly<Record<ShipmentStatus, number>> = {
  unknown: -1,
  pending: 0,
  label_created: 1,
  in_transit: 2,
  exception: 2,
  out_for_delivery: 3,
  available_for_pickup: 4,
  delivery_attempted: 5,
  delivered: 6,
  return_to_sender: 7,
  failed: 8,
  cancelled: 8,
  expired: 8,
};

export function statusRank(status: ShipmentStatus): number {
  return RANKS[status];
}

const ALWAYS_TERMINAL: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'failed', 'cancelled', 'expired']);

/** Terminal statuses end polling; a return is terminal only once it has reached the sender. */
export function isTerminal(state: Pick<ShipmentState, 'status' | 'subStatus'>): boolean {
  if (ALWAYS_TERMINAL.has(state.status)) return true;
  return state.status === 'return_to_sender' && state.subStatus === 'returned';
}
