/**
 * How soon a shipment is polled again, by what it last reported. Pure policy: the base interval
 * (`POLL_INTERVAL_MINUTES`) times a factor per status.
 *
 * | status                                   | factor | at the default 120 min |
 * |------------------------------------------|--------|------------------------|
 * | pending, label_created, unknown          | 3      | 6 h: nothing moves before the first scan |
 * | in_transit, exception, delivery_attempted | 1      | 2 h                    |
 * | out_for_delivery                         | 0.25   | 30 min: delivery is hours away |
 * | available_for_pickup, return_to_sender   | 2      | 4 h: waiting on a person, or on the way back |
 * | delivered, failed, cancelled, expired, return delivered | —  | polling stops (SPEC rule 4) |
 */
import { isTerminal } from '../../domain/rank.js';
import type { ShipmentStatus, SubStatus } from '../../domain/status.js';

export const POLL_INTERVAL_FACTORS: Readonly<Record<ShipmentStatus, number>> = {
  pending: 3,
  label_created: 3,
  unknown: 3,
  in_transit: 1,
  exception: 1,
  delivery_attempted: 1,
  out_for_delivery: 0.25,
  available_for_pickup: 2,
  return_to_sender: 2,
  delivered: 1,
  failed: 1,
  cancelled: 1,
  expired: 1,
};

/** Milliseconds until the next poll, or null when the status is terminal and polling stops. */
export function pollDelayMs(state: { status: ShipmentStatus; subStatus?: SubStatus | undefined }, baseMinutes: number): number | null {
  if (isTerminal(state.subStatus === undefined ? { status: state.status } : { status: state.status, subStatus: state.subStatus })) return null;
  return Math.round(baseMinutes * 60_000 * POLL_INTERVAL_FACTORS[state.status]);
}
