/**
 * What the aggregators (Shippo, 17TRACK) report beside their scans, turned into what the diff reads:
 * the current status, and the proof of a delivery.
 */
import type { DeliveryProof, TrackingEvent } from '../domain/types.js';

/** Statuses the diff never moves a shipment to; an event for them would only clutter the timeline. */
const SILENT = new Set<TrackingEvent['status']>(['pending', 'unknown']);

/**
 * `events` plus `current` as an event, unless it is already among them or they are empty.
 *
 * The current status is sometimes one that no scan carries: 17TRACK's `Expired` or a delay it computed, a
 * Shippo `tracking_status` without a date. The diff derives a shipment's status from its events whenever an
 * update has any, so such a status would be lost. It becomes one more event, dated just after the newest
 * scan: deterministic, so a redelivery of the same body yields the same event (and the diff drops it).
 */
export function withCurrentStatus(events: TrackingEvent[], current: Omit<TrackingEvent, 'time'>): TrackingEvent[] {
  if (events.length === 0 || SILENT.has(current.status)) return events;
  const carried = events.some(
    (event) => event.status === current.status && (current.subStatus === undefined || event.subStatus === current.subStatus),
  );
  if (carried) return events;
  // reduce, not Math.max(...): a spread of a very long list overflows the argument limit.
  const newest = events.reduce((max, event) => Math.max(max, Date.parse(event.time)), Number.NEGATIVE_INFINITY);
  // One millisecond later: after the newest scan in time order, yet the same minute for the diff's fingerprint.
  return [...events, { ...current, time: new Date(newest + 1).toISOString() }];
}

/** Aggregators give no signer or photo; the time and place of the newest delivery scan are the proof they have. */
export function deliveryProofOf(events: readonly TrackingEvent[]): DeliveryProof | undefined {
  const delivered = events.filter((event) => event.status === 'delivered').at(-1);
  if (delivered === undefined) return undefined;
  return delivered.location === undefined ? { time: delivered.time } : { time: delivered.time, location: delivered.location };
}
