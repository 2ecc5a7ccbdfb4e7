import { createHash } from 'node:crypto';
import type { TrackingUpdate } from '../domain/types.js';
import type { ShipmentStore } from '../store/shipments.js';
import { identifyTrackingNumber } from './tracking-number.js';

/** The project's own update format (`POST /v1/tracking-updates`, `/webhooks/generic`), after schema validation. */
export interface NormalizedUpdateInput {
  trackingNumber?: string | undefined;
  shipmentId?: string | undefined;
  carrier?: string | undefined;
  status: TrackingUpdate['status'];
  subStatus?: string | undefined;
  estimatedDelivery?: string | undefined;
  events: { time: string; status: TrackingUpdate['status']; subStatus?: string | undefined; description: string; location?: string | undefined }[];
  proof?: { time?: string | undefined; signedBy?: string | undefined; photoUrl?: string | undefined; location?: string | undefined } | undefined;
}

export class UnknownShipmentError extends Error {
  readonly code = 'unknown_shipment';
  constructor(readonly field: 'shipmentId' | 'trackingNumber', value: string) {
    super(`No shipment is registered for ${field} "${value}"; create it with POST /v1/shipments first.`);
  }
}

/** Finds the shipment an update is about: by id, or by tracking number (validated, carrier detected). */
export async function resolveShipmentId(store: ShipmentStore, input: Pick<NormalizedUpdateInput, 'shipmentId' | 'trackingNumber' | 'carrier'>): Promise<string> {
  if (input.shipmentId) {
    if (!(await store.get(input.shipmentId))) throw new UnknownShipmentError('shipmentId', input.shipmentId);
    return input.shipmentId;
  }
  const info = identifyTrackingNumber(input.trackingNumber ?? '', input.carrier);
  const id = await store.findByTrackingNumber(info.carrier, info.trackingNumber);
  if (!id) throw new UnknownShipmentError('trackingNumber', info.trackingNumber);
  return id;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toTrackingUpdate(shipmentId: string, input: NormalizedUpdateInput, source: string): TrackingUpdate {
  return definedOnly({
    shipmentId,
    status: input.status,
    subStatus: input.subStatus,
    estimatedDelivery: input.estimatedDelivery,
    events: input.events.map((e) => definedOnly({ ...e, time: new Date(e.time).toISOString(), source, rawStatus: e.status })),
    proof: input.proof ? definedOnly(input.proof) : undefined,
    source,
  }) as TrackingUpdate;
}

/** Same content, same id: a client retrying a POST enqueues nothing new. */
export function contentUpdateId(update: TrackingUpdate): string {
  return createHash('sha256').update(JSON.stringify(update)).digest('hex').slice(0, 32);
}
