/**
 * What the passing of time alone can tell about a shipment (SPEC rules 5 and 7): a missed ETA, a parcel
 * that stopped moving, a label the carrier never scanned. Run on a schedule; the kinds and their
 * discriminators are listed in the table at the top of diff.ts.
 */
import type { DiffOptions, DiffResult } from './diff.js';
import { isTerminal } from './rank.js';
import type { ShipmentStatus } from './status.js';
import { calendarDate, etaDeadline, hoursToMs, toIso, tryParseInstant } from './time.js';
import { awaitsDelivery } from './transition.js';
import { makeTrigger, TriggerCollector } from './triggers.js';
import type { ShipmentState } from './types.js';

export interface TimerOptions extends DiffOptions {
  /**
   * Hours without a carrier scan, while the parcel is with the carrier, before `stalled` (SPEC `STALL_HOURS`).
   * @defaultValue 72
   */
  stallHours: number;
  /**
   * Hours after the label before `not_scanned` when no carrier scan came (SPEC `NOT_SCANNED_HOURS`).
   * @defaultValue 48
   */
  notScannedHours: number;
}

export const DEFAULT_TIMER_OPTIONS = { delayThresholdHours: 24, stallHours: 72, notScannedHours: 48 } as const satisfies TimerOptions;

/**
 * Statuses in which the carrier holds the parcel and should keep scanning it. A parcel waiting at a
 * pickup point waits for the buyer, and one on its way back no longer concerns the buyer.
 */
const STALL_STATUSES: ReadonlySet<ShipmentStatus> = new Set(['in_transit', 'out_for_delivery', 'delivery_attempted', 'exception']);

/** A shipment registered with a tracking number has a label even before any source says `label_created`. */
const UNSCANNED_STATUSES: ReadonlySet<ShipmentStatus> = new Set(['pending', 'label_created']);

function labelTime(state: ShipmentState): number | undefined {
  const label = state.events.find((e) => e.status === 'label_created');
  return tryParseInstant(label?.time) ?? tryParseInstant(state.createdAt);
}

/**
 * Fires the time-driven kinds that are due at `now`. `delayThresholdHours` is not used here: a missed ETA
 * is late by definition. It is part of the options so that one options object serves both functions.
 */
export function checkTimers(state: ShipmentState, now: Date, options: TimerOptions): DiffResult {
  const unchanged: DiffResult = { state, newEvents: [], triggers: [], changed: false };
  if (isTerminal(state)) return unchanged;
  const nowMs = now.getTime();
  const collector = new TriggerCollector(state.fired);

  if (state.eta !== undefined && awaitsDelivery(state)) {
    const deadline = etaDeadline(state.eta);
    const date = calendarDate(state.eta);
    if (deadline !== undefined && date !== undefined && nowMs > deadline) collector.add(makeTrigger('delayed', `missed:${date}`));
  }

  if (STALL_STATUSES.has(state.status)) {
    const since = tryParseInstant(state.lastScanAt) ?? tryParseInstant(state.updatedAt);
    if (since !== undefined && nowMs - since >= hoursToMs(options.stallHours)) collector.add(makeTrigger('stalled', toIso(since)));
  }

  if (UNSCANNED_STATUSES.has(state.status) && state.lastScanAt === undefined) {
    const since = labelTime(state);
    if (since !== undefined && nowMs - since >= hoursToMs(options.notScannedHours)) collector.add(makeTrigger('not_scanned'));
  }

  if (collector.triggers.length === 0) return unchanged;
  return {
    state: { ...state, fired: collector.firedAfter(state.fired), updatedAt: now.toISOString() },
    newEvents: [],
    triggers: collector.triggers,
    changed: true,
  };
}
