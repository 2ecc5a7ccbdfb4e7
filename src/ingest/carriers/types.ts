/**
 * What every carrier poller shares: the carriers polled, the adapter contract, and the shape a carrier's
 * own status words are mapped into. Pure types and constants.
 */
import type { ShipmentStatus, SubStatus } from '../../domain/status.js';
import type { SourceUpdate } from '../source.js';

/** Carriers whose tracking APIs are polled; the slugs `identifyTrackingNumber` gives their numbers. */
export const POLLED_CARRIERS = ['usps', 'ups', 'fedex', 'dhl'] as const;
export type CarrierSlug = (typeof POLLED_CARRIERS)[number];

export function isPolledCarrier(value: string): value is CarrierSlug {
  return (POLLED_CARRIERS as readonly string[]).includes(value);
}

/** A carrier's status word or code, mapped onto SPEC's taxonomy. */
export interface MappedStatus {
  status: ShipmentStatus;
  subStatus?: SubStatus;
}

/**
 * One carrier's tracking API. `track` returns what the carrier knows now, normalized: events carry
 * `source` = the carrier slug and keep the carrier's raw status, sub-status and code.
 */
export interface CarrierAdapter {
  readonly carrier: CarrierSlug;
  /** @throws CarrierError (`CarrierNotFoundError` when the carrier does not know the number yet). */
  track(trackingNumber: string): Promise<SourceUpdate>;
}

/** Settings every adapter takes besides its credentials. */
export interface AdapterHttpOptions {
  /** API root, without a trailing slash, e.g. `https://onlinetools.ups.com`. */
  baseUrl: string;
  /** Abandon a call after this long (the poll is retried). @defaultValue 15000 */
  timeoutMs?: number;
  /** Clock for token expiry; real time unless a test moves it. @defaultValue `Date.now` */
  now?: () => number;
}
