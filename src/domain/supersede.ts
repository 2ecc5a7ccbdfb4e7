/**
 * Whether a held message has gone stale (SPEC: "A held message that a later status makes stale is
 * dropped"): checked against the shipment's state at release time, so an out_for_delivery held for the
 * night is dropped once the parcel is delivered, and only `delivered` is sent.
 */
import { isTerminal } from './rank.js';
import type { ShipmentStatus } from './status.js';
import type { NotificationKind, ShipmentState } from './types.js';

type StateView = Pick<ShipmentState, 'status' | 'subStatus'>;

/** The story is over for the buyer: delivered, ended, or on its way back to the sender. */
function settled(state: StateView): boolean {
  return isTerminal(state) || state.status === 'return_to_sender';
}

const BEFORE_FIRST_SCAN: ReadonlySet<ShipmentStatus> = new Set(['pending', 'label_created']);

/**
 * Stale-when rules per kind. Kinds that report an ending, a delivery problem that still needs the
 * reader, or an order-level fact are never stale; a `delivered` message is stale only after the SPEC's
 * correction (delivered → return_to_sender), when it would tell the buyer something no longer true.
 */
const STALE_WHEN: Readonly<Record<NotificationKind, (state: StateView) => boolean>> = {
  order_confirmed: () => false,
  order_cancelled: () => false,
  // A tracking number is old news once the carrier has the parcel.
  label_created: (s) => !BEFORE_FIRST_SCAN.has(s.status),
  not_scanned: (s) => !BEFORE_FIRST_SCAN.has(s.status),
  shipped: settled,
  // A digest of scans is superseded by the next step, not only by the end.
  in_transit_update: (s) => s.status !== 'in_transit',
  delayed: settled,
  // "Today" is over once the run ended in an attempt, a pickup point, an exception or a delivery.
  out_for_delivery: (s) => s.status !== 'out_for_delivery',
  delivery_attempted: settled,
  available_for_pickup: settled,
  exception: settled,
  stalled: settled,
  delivered: (s) => s.status === 'return_to_sender',
  returned_to_sender: () => false,
  lost: () => false,
  // About a number that was refused, so no shipment exists whose progress could make it stale.
  invalid_tracking_number: () => false,
};

export function isSuperseded(kind: NotificationKind, state: ShipmentState): boolean {
  return STALE_WHEN[kind](state);
}
