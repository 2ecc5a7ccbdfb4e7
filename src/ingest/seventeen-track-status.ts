/**
 * 17TRACK's statuses, sub-statuses, milestone stages and carrier codes mapped to SPEC's tables.
 * Source: 17TRACK Tracking API v2.2 documentation (https://api.17track.net/en/doc?version=v2.2), sections
 * "Main status", "Sub status", "Milestone" (`key_stage`) and the carrier list (numeric `key`).
 *
 * Every sub-status is named `<MainStatus>_<Reason>` (InfoReceived alone has no reason), so a sub-status
 * 17TRACK adds later still reads as its main status: kept raw on the event, never refused.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';

export interface MappedStatus {
  status: ShipmentStatus;
  subStatus?: SubStatus;
}

/** The nine main statuses (`latest_status.status`). */
const MAIN: ReadonlyMap<string, ShipmentStatus> = new Map([
  ['NotFound', 'pending'],
  ['InfoReceived', 'label_created'],
  ['InTransit', 'in_transit'],
  ['Expired', 'expired'],
  ['AvailableForPickup', 'available_for_pickup'],
  ['OutForDelivery', 'out_for_delivery'],
  ['DeliveryFailure', 'delivery_attempted'],
  ['Delivered', 'delivered'],
  ['Exception', 'exception'],
]);

const is = (status: ShipmentStatus, subStatus?: SubStatus): MappedStatus => (subStatus === undefined ? { status } : { status, subStatus });

/**
 * Sub-statuses whose meaning refines or differs from their main status. A documented one missing here
 * (NotFound_Other, NotFound_InvalidCode, InfoReceived, InTransit_PickedUp/_Departure/_Arrival/_Other,
 * InTransit_CustomsProcessing/_CustomsReleased, Expired_Other, AvailableForPickup_Other, OutForDelivery_Other,
 * DeliveryFailure_Other, Delivered_Other) means exactly its main status.
 */
const SUB: ReadonlyMap<string, MappedStatus> = new Map([
  // Customs asks for documents or duties before it releases the parcel: someone has to act.
  ['InTransit_CustomsRequiringInformation', is('exception', 'customs_hold')],
  ['DeliveryFailure_NoBody', is('delivery_attempted', 'recipient_unavailable')],
  // "Security" covers customs and unpaid duties as well as safety: the parcel is held for a check.
  ['DeliveryFailure_Security', is('delivery_attempted', 'customs_hold')],
  ['DeliveryFailure_Rejected', is('delivery_attempted', 'recipient_refused')],
  ['DeliveryFailure_InvalidAddress', is('delivery_attempted', 'address_issue')],
  ['Exception_Other', is('exception', 'other')],
  ['Exception_Returning', is('return_to_sender', 'returning')],
  ['Exception_Returned', is('return_to_sender', 'returned')],
  ['Exception_NoBody', is('exception', 'recipient_unavailable')],
  ['Exception_Security', is('exception', 'customs_hold')],
  ['Exception_Damage', is('failed', 'damaged')],
  ['Exception_Rejected', is('exception', 'recipient_refused')],
  ['Exception_Delayed', is('exception', 'carrier_delay')],
  ['Exception_Lost', is('failed', 'lost')],
  ['Exception_Destroyed', is('failed', 'destroyed')],
  ['Exception_Cancel', is('cancelled')],
]);

/** Every documented sub-status, for tests and documentation. */
export const SEVENTEEN_TRACK_SUB_STATUSES: readonly string[] = [
  'NotFound_Other',
  'NotFound_InvalidCode',
  'InfoReceived',
  'InTransit_PickedUp',
  'InTransit_Other',
  'InTransit_Departure',
  'InTransit_Arrival',
  'InTransit_CustomsProcessing',
  'InTransit_CustomsReleased',
  'InTransit_CustomsRequiringInformation',
  'Expired_Other',
  'AvailableForPickup_Other',
  'OutForDelivery_Other',
  'DeliveryFailure_Other',
  ...[...SUB.keys()].filter((key) => key.startsWith('DeliveryFailure_')),
  'Delivered_Other',
  ...[...SUB.keys()].filter((key) => key.startsWith('Exception_')),
];
export const SEVENTEEN_TRACK_STATUSES: readonly string[] = [...MAIN.keys()];

/**
 * The normalized status for a main status and sub-status. The sub-status wins when known; an unknown one
 * reads as its own prefix's main status, then as the main status given; a wholly unknown pair is `unknown`.
 */
export function mapSeventeenTrackStatus(main: string | undefined, sub: string | undefined): MappedStatus {
  const known = sub === undefined ? undefined : SUB.get(sub);
  if (known !== undefined) return known;
  const family = sub === undefined ? undefined : MAIN.get(sub.split('_')[0] ?? '');
  const status = family ?? (main === undefined ? undefined : MAIN.get(main)) ?? 'unknown';
  // An exception always says why, `other` when nothing more precise is known.
  return status === 'exception' ? is(status, 'other') : is(status);
}

/** Milestone stages (`key_stage`, and `stage` on events), for events that carry no sub-status. */
const STAGES: ReadonlyMap<string, MappedStatus> = new Map([
  ['InfoReceived', is('label_created')],
  ['PickedUp', is('in_transit')],
  ['Departure', is('in_transit')],
  ['Arrival', is('in_transit')],
  ['AvailableForPickup', is('available_for_pickup')],
  ['OutForDelivery', is('out_for_delivery')],
  ['Delivered', is('delivered')],
  ['Returning', is('return_to_sender', 'returning')],
  ['Returned', is('return_to_sender', 'returned')],
]);

/** An event's status: its sub-status when it has one, else its milestone stage, else `unknown`. */
export function mapSeventeenTrackEvent(stage: string | undefined, sub: string | undefined): MappedStatus {
  if (sub !== undefined) {
    const mapped = mapSeventeenTrackStatus(undefined, sub);
    if (mapped.status !== 'unknown') return mapped;
  }
  return (stage === undefined ? undefined : STAGES.get(stage)) ?? is('unknown');
}

/**
 * 17TRACK names carriers by number. The ones this project tracks itself map to their slugs; any other
 * stays undefined, and the tracking number's own format decides.
 */
const CARRIERS: ReadonlyMap<number, string> = new Map([
  [21051, 'usps'],
  [100001, 'dhl'], // DHL Express
  [100002, 'ups'],
  [100003, 'fedex'],
  [7041, 'dhl'], // DHL Paket (Deutsche Post DHL parcels in Germany)
]);

export function seventeenTrackCarrier(code: unknown): string | undefined {
  return typeof code === 'number' ? CARRIERS.get(code) : undefined;
}
