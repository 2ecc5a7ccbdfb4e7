/**
 * Builders for domain tests: a shipment, events an hour apart from a fixed start, and a runner that
 * applies updates one after another the way the track worker does.
 */
import { applyUpdate, type DiffOptions } from '../../src/domain/diff.js';
import { newShipmentState } from '../../src/domain/shipment.js';
import type { ShipmentStatus, SubStatus } from '../../src/domain/status.js';
import type { ShipmentState, TrackingEvent, TrackingUpdate, Trigger } from '../../src/domain/types.js';

export const T0 = Date.parse('2026-11-20T08:00:00.000Z');
export const HOUR = 3_600_000;
export const OPTIONS: DiffOptions = { delayThresholdHours: 24 };

export function at(hours: number): string {
  return new Date(T0 + hours * HOUR).toISOString();
}

export function dateAt(hours: number): Date {
  return new Date(T0 + hours * HOUR);
}

export function ev(status: ShipmentStatus, hours: number, extra: Partial<TrackingEvent> & { subStatus?: SubStatus } = {}): TrackingEvent {
  return {
    time: at(hours),
    status,
    description: `${status} scan at +${hours}h`,
    location: 'Memphis, TN',
    source: 'api',
    ...extra,
  };
}

export function shipment(createdAtHours = 0): ShipmentState {
  return newShipmentState(
    { id: 'shp_1', orderId: 'ord_1', carrier: 'ups', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
    dateAt(createdAtHours),
  );
}

export function upd(events: TrackingEvent[], extra: Partial<TrackingUpdate> = {}): TrackingUpdate {
  const last = events[events.length - 1];
  return { shipmentId: 'shp_1', status: last?.status ?? 'pending', events, source: 'api', ...extra };
}

export interface Run {
  state: ShipmentState;
  /** Every trigger fired, across all updates, in order. */
  triggers: Trigger[];
  /** Trigger keys fired by each update. */
  perUpdate: string[][];
}

/** Applies the updates in order; update `i` is applied at `nowHours[i]` (default: one hour after its newest event). */
export function run(updates: TrackingUpdate[], start: ShipmentState = shipment(), options: DiffOptions = OPTIONS): Run {
  let state = start;
  const triggers: Trigger[] = [];
  const perUpdate: string[][] = [];
  for (const update of updates) {
    const newest = Math.max(T0, ...update.events.map((e) => Date.parse(e.time)), Date.parse(state.updatedAt));
    const result = applyUpdate(state, update, new Date(newest + HOUR), options);
    state = result.state;
    triggers.push(...result.triggers);
    perUpdate.push(result.triggers.map((t) => t.key));
  }
  return { state, triggers, perUpdate };
}

export function keys(triggers: readonly Trigger[]): string[] {
  return triggers.map((t) => t.key);
}
