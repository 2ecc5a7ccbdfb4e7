/**
 * AfterShip's delivery statuses (`tag`) and sub-statuses (`subtag`) mapped to SPEC's status table.
 * Sources: AfterShip Tracking API docs, "Delivery Statuses" and "Delivery Sub-statuses" enums
 * (https://www.aftership.com/docs/tracking/enum/delivery-sub-statuses, versions 2025-04 and 2026-07), and
 * the help-centre article "Learn About Delivery Sub-Status" for the codes added on 2026-03-27
 * (Exception_016 onwards).
 *
 * AfterShip adds codes over time, so an unknown code is never refused: its family (the part before `_`)
 * gives the nearest status, and the raw words are kept on the event for the trail.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';

export interface MappedStatus {
  status: ShipmentStatus;
  subStatus?: SubStatus;
}

/** The nine tags of "Delivery Statuses". */
export const AFTERSHIP_TAGS: Readonly<Record<string, ShipmentStatus>> = {
  Pending: 'pending',
  InfoReceived: 'label_created',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AttemptFail: 'delivery_attempted',
  Delivered: 'delivered',
  AvailableForPickup: 'available_for_pickup',
  Exception: 'exception',
  Expired: 'expired',
};

const exception = (subStatus: SubStatus): MappedStatus => ({ status: 'exception', subStatus });

/**
 * Sub-tags whose meaning differs from their tag's, or refines it. A documented sub-tag missing here
 * (InTransit_001–009, Pending_001–006, Delivered_001–005, OutForDelivery_001/003/004, InfoReceived_001,
 * AvailableForPickup_001, Expired_001) means exactly its tag.
 */
export const AFTERSHIP_SUBTAGS: Readonly<Record<string, MappedStatus>> = {
  Exception_001: exception('other'),
  /** Customer moved. */
  Exception_002: exception('address_issue'),
  /** Customer refused delivery. */
  Exception_003: exception('recipient_refused'),
  /** Delayed (Customs clearance). */
  Exception_004: exception('customs_hold'),
  /** Delayed (External factors). */
  Exception_005: exception('carrier_delay'),
  /** Held for payment. */
  Exception_006: exception('payment_required'),
  /** Incorrect address. */
  Exception_007: exception('address_issue'),
  /** Pick up missed: the parcel waited at a pickup point and was not collected. */
  Exception_008: exception('held_at_location'),
  /** Rejected by carrier (non-compliance with its guidelines). */
  Exception_009: exception('rejected_by_carrier'),
  /** Returning to sender. */
  Exception_010: { status: 'return_to_sender', subStatus: 'returning' },
  /** Returned to sender: the return has reached the sender, which ends the shipment. */
  Exception_011: { status: 'return_to_sender', subStatus: 'returned' },
  /** Shipment damaged. */
  Exception_012: { status: 'failed', subStatus: 'damaged' },
  /** Shipment lost. */
  Exception_013: { status: 'failed', subStatus: 'lost' },
  /** Delayed (Processing issue): vehicle issue, sorting error, misroute. */
  Exception_016: exception('carrier_delay'),
  /** Delayed (Extreme weather). */
  Exception_017: exception('weather_delay'),
  /** Incorrect / missing documents required by regulatory agencies. */
  Exception_018: exception('customs_hold'),
  /** Delayed (Late flight). */
  Exception_019: exception('carrier_delay'),
  /** Shipment cancelled by the sender or carrier. */
  Exception_020: { status: 'cancelled' },
  /** Shipment disposed: destroyed or discarded. */
  Exception_021: { status: 'failed', subStatus: 'destroyed' },
  /** Addressee not available. */
  AttemptFail_002: { status: 'delivery_attempted', subStatus: 'recipient_unavailable' },
  /** Business closed at the time of delivery. */
  AttemptFail_003: { status: 'delivery_attempted', subStatus: 'recipient_unavailable' },
};

/** An Exception sub-tag nobody has told us about is still a problem with the parcel. */
const FAMILY_DEFAULTS: Readonly<Record<string, MappedStatus>> = {
  Exception: exception('other'),
};

function family(subtag: string): string {
  const underscore = subtag.indexOf('_');
  return underscore < 0 ? subtag : subtag.slice(0, underscore);
}

function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  // hasOwn: tags come from the request, and `constructor` is on every object.
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The normalized status of a tag and sub-tag. The sub-tag decides when it belongs to the tag (or the tag
 * is missing); a sub-tag from another family is a contradiction, and the tag, AfterShip's headline, wins.
 * A tag AfterShip may add later maps to `unknown`: kept in the history, moving nothing.
 */
export function mapAftershipTag(tag: string | undefined, subtag: string | undefined): MappedStatus {
  const tagStatus = tag === undefined ? undefined : ownEntry(AFTERSHIP_TAGS, tag);
  if (subtag !== undefined) {
    const subFamily = family(subtag);
    if (tagStatus === undefined || subFamily === tag) {
      const exact = ownEntry(AFTERSHIP_SUBTAGS, subtag);
      if (exact !== undefined) return exact;
      const familyStatus = ownEntry(AFTERSHIP_TAGS, subFamily);
      if (familyStatus !== undefined) return ownEntry(FAMILY_DEFAULTS, subFamily) ?? { status: familyStatus };
    }
  }
  return tagStatus === undefined ? { status: 'unknown' } : { status: tagStatus };
}
