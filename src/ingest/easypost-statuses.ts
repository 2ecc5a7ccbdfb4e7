/**
 * EasyPost Tracker `status` and `status_detail` mapped to SPEC's status table.
 * Source: EasyPost API docs, "Trackers" (https://docs.easypost.com/docs/trackers), which lists the ten
 * statuses and the `status_detail` values. EasyPost publishes no mapping between the two, so the status
 * leads and a detail only says more: it turns a moving parcel into an attempt or an exception (SPEC:
 * "+delivery_exception/refused" → delivery_attempted; "delayed, held, weather_delay, transit_exception" →
 * exception), or names why a parcel failed. Unknown values are kept raw by the caller and mapped to the
 * nearest status here, never refused.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';

export interface MappedStatus {
  status: ShipmentStatus;
  subStatus?: SubStatus;
}

export const EASYPOST_STATUSES: Readonly<Record<string, ShipmentStatus>> = {
  unknown: 'unknown',
  pre_transit: 'label_created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  available_for_pickup: 'available_for_pickup',
  return_to_sender: 'return_to_sender',
  failure: 'failed',
  cancelled: 'cancelled',
  // EasyPost could not track the code at all: nothing is known about the parcel.
  error: 'unknown',
};

/** Statuses of a parcel still on its way, which a problem detail may turn into an attempt or an exception. */
const MOVING: ReadonlySet<string> = new Set(['unknown', 'pre_transit', 'in_transit', 'out_for_delivery', 'available_for_pickup']);

const exception = (subStatus: SubStatus): MappedStatus => ({ status: 'exception', subStatus });

/**
 * Details that change what a moving parcel's status means. Every other documented detail
 * (`address_correction`, `arrived_at_destination`, `arrived_at_facility`, `arrived_at_pickup_location`,
 * `awaiting_information`, `departed_facility`, `departed_origin_facility`, `in_transit`, `label_created`,
 * `out_for_delivery`, `received_at_destination_facility`, `received_at_origin_facility`, `status_update`,
 * `transferred_to_destination_carrier`, `unknown`) describes ordinary progress and leaves the status as it is.
 */
export const EASYPOST_PROBLEM_DETAILS: Readonly<Record<string, MappedStatus>> = {
  delivery_exception: { status: 'delivery_attempted' },
  refused: { status: 'delivery_attempted', subStatus: 'recipient_refused' },
  delayed: exception('carrier_delay'),
  weather_delay: exception('weather_delay'),
  held: exception('held_at_location'),
  transit_exception: exception('other'),
  // A missorted parcel goes the wrong way first: a carrier delay, in the buyer's words.
  missorted: exception('carrier_delay'),
  damaged: exception('damaged'),
  lost: exception('lost'),
  // Not in EasyPost's list, but some carriers' details arrive spelled this way.
  address_exception: exception('address_issue'),
  return: { status: 'return_to_sender', subStatus: 'returning' },
  cancelled: { status: 'cancelled' },
  failure: { status: 'failed' },
  expired: { status: 'expired' },
};

/** What a detail says about a parcel that has already reached an end. */
const ENDING_DETAILS: Readonly<Record<string, Readonly<Record<string, SubStatus>>>> = {
  failure: { lost: 'lost', damaged: 'damaged' },
};

function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  // hasOwn: values come from the request, and `constructor` is on every object.
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The normalized status of an EasyPost status and detail. `unknown` with no tracking details yet is a
 * tracker waiting for its first scan, which SPEC calls `pending`.
 */
export function mapEasypostStatus(status: string | undefined, detail: string | undefined, hasDetails = true): MappedStatus {
  const base = status === undefined ? undefined : ownEntry(EASYPOST_STATUSES, status);
  if (status === 'unknown' && !hasDetails) return { status: 'pending' };
  if (base === undefined || status === undefined) return { status: 'unknown' };
  if (detail !== undefined && MOVING.has(status)) {
    const problem = ownEntry(EASYPOST_PROBLEM_DETAILS, detail);
    if (problem !== undefined) return problem;
  }
  if (base === 'return_to_sender') return { status: base, subStatus: 'returning' };
  const ending = ownEntry(ENDING_DETAILS, status);
  const subStatus = ending !== undefined && detail !== undefined ? ownEntry(ending, detail) : undefined;
  return subStatus === undefined ? { status: base } : { status: base, subStatus };
}
