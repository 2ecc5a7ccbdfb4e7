/**
 * A shipment's identity: creating its first state, and recognising one event however it reached us.
 */
import { createHash } from 'node:crypto';
import { parseInstant, toIso } from './time.js';
import type { ShipmentState, TrackingEvent } from './types.js';

export interface NewShipmentInit {
  id: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string;
}

/** A shipment nobody has scanned yet. Its status is only ever moved on by `applyUpdate`. */
export function newShipmentState(init: NewShipmentInit, now: Date): ShipmentState {
  const at = now.toISOString();
  return {
    id: init.id,
    orderId: init.orderId,
    carrier: init.carrier,
    trackingNumber: init.trackingNumber,
    trackingUrl: init.trackingUrl,
    status: 'pending',
    events: [],
    fired: [],
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

const MINUTE_MS = 60_000;

/**
 * Sources disagree on the small things: case (`MEMPHIS, TN` / `Memphis TN`), punctuation, spacing, and
 * whether a time carries seconds. Folding those away lets the same scan from a webhook and a poller match.
 */
function normalizeText(value: string | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Identity of an event (SPEC rule 2): time (to the minute), status, location and description, normalized.
 * A short hex digest, so it is safe inside Redis keys and job ids. The source is deliberately left out.
 * Throws `EVENT_TIME_INVALID` when the event's time cannot be read.
 */
export function eventFingerprint(e: TrackingEvent): string {
  const minute = Math.floor(parseInstant(e.time, 'event time') / MINUTE_MS) * MINUTE_MS;
  const parts = [toIso(minute), e.status, normalizeText(e.location), normalizeText(e.description)];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
