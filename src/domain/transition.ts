/**
 * The status machine behind SPEC rules 3 and 4: which event may move a shipment on, and where to.
 * `applyUpdate` folds every known event through `step` in time order, so the result depends only on the
 * set of events, never on the order in which they arrived.
 */
import { isTerminal, statusRank } from './rank.js';
import type { ShipmentStatus, SubStatus } from './status.js';
import type { TrackingEvent } from './types.js';

export interface Progress {
  status: ShipmentStatus;
  subStatus?: SubStatus;
  /** Delivery attempts seen: a new attempt begins each time the status enters `delivery_attempted`. */
  attempts: number;
  /** Last accepted status other than `exception`: where the parcel stands once the exception clears. */
  base: ShipmentStatus;
}

export const START: Progress = { status: 'pending', attempts: 0, base: 'pending' };

/** Rule 3: these may follow any non-terminal status, whatever its rank (and so may the endings). */
const FOLLOW_ANYTHING: ReadonlySet<ShipmentStatus> = new Set([
  'exception',
  'delivery_attempted',
  'return_to_sender',
  'failed',
  'cancelled',
  'expired',
]);

/** After a failed attempt the carrier tries again or leaves the parcel at a pickup point. */
const AFTER_ATTEMPT: ReadonlySet<ShipmentStatus> = new Set(['out_for_delivery', 'available_for_pickup']);

/**
 * On the way back to the sender, scans describe the return leg, not a delivery to the buyer: only the
 * return's own progress, its arrival (a `delivered` scan) and an ending count. Exceptions and attempts on
 * that leg are kept in the history but would mislead the buyer, so they do not move the status.
 */
const RETURN_LEG: ReadonlySet<ShipmentStatus> = new Set(['return_to_sender', 'delivered', 'failed', 'cancelled', 'expired']);

function accepts(p: Progress, e: Pick<TrackingEvent, 'status'>): boolean {
  if (e.status === 'unknown' || e.status === 'pending') return false;
  // Rule 4: the one correction the SPEC names after a terminal status.
  if (isTerminal(p)) return p.status === 'delivered' && e.status === 'return_to_sender';
  if (p.base === 'return_to_sender') return RETURN_LEG.has(e.status);
  if (FOLLOW_ANYTHING.has(e.status) || e.status === p.status) return true;
  const rank = statusRank(e.status);
  const from = statusRank(p.base);
  if (rank > from) return true;
  // An exception that clears: the parcel is moving again at the level it had reached.
  if (p.status === 'exception' && rank === from) return true;
  return p.base === 'delivery_attempted' && AFTER_ATTEMPT.has(e.status);
}

/** The progress after `e`, or `undefined` when `e` only enters the history (rules 3 and 4). */
export function step(p: Progress, e: Pick<TrackingEvent, 'status' | 'subStatus'>): Progress | undefined {
  if (!accepts(p, e)) return undefined;
  let status = e.status;
  let subStatus = e.subStatus;
  if (p.base === 'return_to_sender' && status === 'delivered') {
    // A delivery while returning is the return arriving at the sender.
    status = 'return_to_sender';
    subStatus = 'returned';
  } else if (status === p.status && subStatus === undefined) {
    // A repeat scan that names no sub-status does not erase the one we know.
    subStatus = p.subStatus;
  }
  const attempts = p.attempts + (status === 'delivery_attempted' && p.status !== 'delivery_attempted' ? 1 : 0);
  const base = status === 'exception' ? p.base : status;
  return subStatus === undefined ? { status, attempts, base } : { status, subStatus, attempts, base };
}

/**
 * Whether a buyer is still waiting for a delivery the carrier has promised: not over, not on its way
 * back, not waiting at a pickup point for the buyer. Only then do ETA changes mean anything (rule 5).
 */
export function awaitsDelivery(state: Pick<Progress, 'status' | 'subStatus'>): boolean {
  if (isTerminal(state)) return false;
  return state.status !== 'return_to_sender' && state.status !== 'available_for_pickup';
}
