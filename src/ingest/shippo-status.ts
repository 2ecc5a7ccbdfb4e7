/**
 * Shippo's tracking statuses and substatus codes mapped to SPEC's status table.
 * Sources: Shippo API reference, "Tracking Status" object (`status`: UNKNOWN, PRE_TRANSIT, TRANSIT, DELIVERED,
 * RETURNED, FAILURE; `substatus: {code, text, action_required}`) and the tracking guide's "Event definitions"
 * (https://docs.goshippo.com/docs/tracking/tracking/#event-definitions), which lists each substatus code
 * under the status it comes with.
 *
 * The top-level status is authoritative: a substatus refines it. It may change the status only while the
 * parcel is still on its way (UNKNOWN, PRE_TRANSIT, TRANSIT), because Shippo reports attempts, holds and
 * out-for-delivery as TRANSIT with a substatus. Codes Shippo adds later are kept raw and read by their
 * status alone, never refused.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';

export interface MappedStatus {
  status: ShipmentStatus;
  subStatus?: SubStatus;
}

/** The six documented values of `tracking_status.status`. */
const STATUSES: ReadonlyMap<string, ShipmentStatus> = new Map([
  ['UNKNOWN', 'pending'],
  ['PRE_TRANSIT', 'label_created'],
  ['TRANSIT', 'in_transit'],
  ['DELIVERED', 'delivered'],
  // RETURNED covers "on its way back" as well as "back with the sender"; the return's own delivery scan ends it.
  ['RETURNED', 'return_to_sender'],
  ['FAILURE', 'failed'],
]);

/** Statuses under which a substatus may name a more precise status than its parent. */
const MOVING: ReadonlySet<string> = new Set(['UNKNOWN', 'PRE_TRANSIT', 'TRANSIT']);

/** Where a reason helps whatever the code's family: a code seen elsewhere may still say why (RETURNED, address_issue). */
const PROBLEMS: ReadonlySet<ShipmentStatus> = new Set(['exception', 'delivery_attempted', 'return_to_sender', 'failed']);

interface CodeMeaning {
  /** The status the code is listed under in "Event definitions". */
  family: string;
  /** The status this code stands for while the parcel is moving; absent: its parent's. */
  status?: ShipmentStatus;
  subStatus?: SubStatus;
}

const code = (family: string, status?: ShipmentStatus, subStatus?: SubStatus): CodeMeaning => ({
  family,
  ...(status === undefined ? {} : { status }),
  ...(subStatus === undefined ? {} : { subStatus }),
});

/** Every substatus code in "Event definitions", under the status it is listed with. */
const CODES: ReadonlyMap<string, CodeMeaning> = new Map<string, CodeMeaning>([
  ['information_received', code('PRE_TRANSIT')],
  ['address_issue', code('TRANSIT', 'exception', 'address_issue')],
  ['contact_carrier', code('TRANSIT', 'exception', 'other')],
  ['delayed', code('TRANSIT', 'exception', 'carrier_delay')],
  ['delivery_attempted', code('TRANSIT', 'delivery_attempted')],
  // The carrier moved the delivery day on its own (no action required): still on its way, ETA news follows.
  ['delivery_rescheduled', code('TRANSIT', undefined, 'rescheduled')],
  ['delivery_scheduled', code('TRANSIT')],
  // The driver could not reach the door (gate, building access): an attempt the buyer must act on.
  ['location_inaccessible', code('TRANSIT', 'delivery_attempted', 'address_issue')],
  // A notice is left when nobody was there to receive the parcel.
  ['notice_left', code('TRANSIT', 'delivery_attempted', 'recipient_unavailable')],
  ['out_for_delivery', code('TRANSIT', 'out_for_delivery')],
  ['package_accepted', code('TRANSIT')],
  ['package_arrived', code('TRANSIT')],
  ['package_damaged', code('TRANSIT', 'exception', 'damaged')],
  ['package_departed', code('TRANSIT')],
  ['package_forwarded', code('TRANSIT')],
  ['package_held', code('TRANSIT', 'exception', 'held_at_location')],
  ['package_processed', code('TRANSIT')],
  ['package_processing', code('TRANSIT')],
  ['pickup_available', code('TRANSIT', 'available_for_pickup')],
  // Unlike delivery_rescheduled, the recipient must arrange the new delivery (action_required: true).
  ['reschedule_delivery', code('TRANSIT', 'exception', 'rescheduled')],
  // Endings are never inferred from a code: only a DELIVERED or FAILURE status ends a shipment.
  ['delivered', code('DELIVERED')],
  // Both mean the parcel is heading back, not yet that the sender has it.
  ['return_to_sender', code('RETURNED', 'return_to_sender', 'returning')],
  ['package_unclaimed', code('RETURNED', 'return_to_sender', 'returning')],
  ['package_undeliverable', code('FAILURE')],
  ['package_disposed', code('FAILURE', undefined, 'destroyed')],
  ['package_lost', code('FAILURE', undefined, 'lost')],
  ['other', code('UNKNOWN')],
]);

/** Every substatus code and status this module knows (for tests and documentation). */
export const SHIPPO_SUBSTATUS_CODES: readonly string[] = [...CODES.keys()];
export const SHIPPO_STATUSES: readonly string[] = [...STATUSES.keys()];

/**
 * The normalized status for a Shippo status and substatus code. An undocumented status reads as `unknown`
 * (which never moves a shipment) unless its code says more; an undocumented code reads as its status.
 */
export function mapShippoStatus(status: string, substatusCode: string | undefined): MappedStatus {
  const parent = STATUSES.get(status);
  const meaning = substatusCode === undefined ? undefined : CODES.get(substatusCode);
  const override = parent === undefined || MOVING.has(status) ? meaning?.status : undefined;
  const mapped = override ?? parent ?? 'unknown';
  const speaks = meaning !== undefined && (meaning.family === status || override !== undefined || PROBLEMS.has(mapped));
  // An exception always says why, `other` when nothing more precise is known.
  const subStatus = (speaks ? meaning.subStatus : undefined) ?? (mapped === 'exception' ? 'other' : undefined);
  return subStatus === undefined ? { status: mapped } : { status: mapped, subStatus };
}
