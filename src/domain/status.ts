/**
 * The normalized status taxonomy (SPEC "Normalized tracking model").
 * Every source maps into these values; nothing downstream sees a carrier's own words.
 */

/** Forward-progress statuses, in rank order. */
export const PROGRESS_STATUSES = [
  'pending',
  'label_created',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'delivery_attempted',
  'delivered',
] as const;

/** Statuses outside the progress ladder. */
export const SIDE_STATUSES = [
  'exception',
  'return_to_sender',
  'failed',
  'cancelled',
  'expired',
  'unknown',
] as const;

export const SHIPMENT_STATUSES = [...PROGRESS_STATUSES, ...SIDE_STATUSES] as const;

export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Sub-statuses are an open set; these are the ones the SPEC names. */
export const KNOWN_SUB_STATUSES = [
  'customs_hold',
  'address_issue',
  'recipient_refused',
  'recipient_unavailable',
  'payment_required',
  'signature_required',
  'weather_delay',
  'carrier_delay',
  'damaged',
  'lost',
  'held_at_location',
  'rescheduled',
  'returning',
  'returned',
  'label_voided',
  'other',
] as const;

export type SubStatus = (typeof KNOWN_SUB_STATUSES)[number] | (string & {});

export function isShipmentStatus(value: unknown): value is ShipmentStatus {
  return typeof value === 'string' && (SHIPMENT_STATUSES as readonly string[]).includes(value);
}
