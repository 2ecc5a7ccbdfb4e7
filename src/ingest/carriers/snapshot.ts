/**
 * Turns what an adapter read from a carrier into the normalized `SourceUpdate`: events in time order, one
 * current status, the ETA and proof. Shared so that every carrier answers the same questions the same way
 * (what if the current status is a code we do not know? what if there is no event at all?).
 */
import type { DeliveryProof, TrackingEvent } from '../../domain/types.js';
import type { SourceUpdate } from '../source.js';
import type { CarrierSlug, MappedStatus } from './types.js';

export interface RawCarrierEvent extends MappedStatus {
  /** ISO instant, or undefined when the carrier's stamp could not be read (the event is then dropped). */
  time: string | undefined;
  description: string | undefined;
  location?: string | undefined;
  rawStatus?: string | undefined;
  rawSubStatus?: string | undefined;
  rawCode?: string | undefined;
}

export interface SnapshotParts {
  carrier: CarrierSlug;
  trackingNumber: string;
  /** The carrier's own current status, mapped; `unknown` or absent defers to the newest event. */
  current?: MappedStatus | undefined;
  /** The carrier's current status words, kept for the trail. */
  rawStatus?: string | undefined;
  events: RawCarrierEvent[];
  estimatedDelivery?: string | undefined;
  proof?: DeliveryProof | undefined;
}

export function buildSnapshot(parts: SnapshotParts): SourceUpdate {
  const events = parts.events
    .filter((e): e is RawCarrierEvent & { time: string } => e.time !== undefined)
    .map((e) => toEvent(parts.carrier, e))
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const newest = events.at(-1);
  const current = parts.current !== undefined && parts.current.status !== 'unknown' ? parts.current : newest;
  const status = current?.status ?? 'pending';
  const subStatus = current?.subStatus;
  const proof = status === 'delivered' ? compact(parts.proof) : undefined;
  return {
    trackingNumber: parts.trackingNumber,
    carrier: parts.carrier,
    status,
    ...(subStatus === undefined ? {} : { subStatus }),
    ...(parts.estimatedDelivery === undefined ? {} : { estimatedDelivery: parts.estimatedDelivery }),
    events,
    ...(proof === undefined ? {} : { proof }),
    ...(parts.rawStatus === undefined ? {} : { rawStatus: parts.rawStatus }),
  };
}

function toEvent(carrier: CarrierSlug, e: RawCarrierEvent & { time: string }): TrackingEvent {
  const event: TrackingEvent = {
    time: e.time,
    status: e.status,
    description: e.description ?? e.rawStatus ?? e.status.replaceAll('_', ' '),
    source: carrier,
  };
  if (e.subStatus !== undefined) event.subStatus = e.subStatus;
  if (e.location !== undefined) event.location = e.location;
  if (e.rawStatus !== undefined) event.rawStatus = e.rawStatus;
  if (e.rawSubStatus !== undefined) event.rawSubStatus = e.rawSubStatus;
  if (e.rawCode !== undefined) event.rawCode = e.rawCode;
  return event;
}

function compact(proof: DeliveryProof | undefined): DeliveryProof | undefined {
  if (proof === undefined) return undefined;
  const kept = Object.fromEntries(Object.entries(proof).filter(([, v]) => v !== undefined)) as DeliveryProof;
  return Object.keys(kept).length === 0 ? undefined : kept;
}
