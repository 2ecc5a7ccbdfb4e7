/**
 * The diff: one tracking update against the stored state of its shipment (SPEC "Diff rules" 1–7).
 *
 * Every known event is folded, in time order, through the status machine in transition.ts, so status,
 * sub-status and attempts depend only on the set of events, never on the order they arrived in.
 * A kind fires only for an event that is new (rule 2), not late (older than the newest event already
 * known), and accepted by the status machine (rules 3, 4); and then only if its key `kind:discriminator`
 * was never fired for this shipment (rule 6).
 *
 * | accepted event / condition                  | kind                 | discriminator                          |
 * |---------------------------------------------|----------------------|----------------------------------------|
 * | label_created                               | label_created        | `-`                                    |
 * | first carrier scan¹                         | shipped              | `-`                                    |
 * | in_transit after the first scan²            | in_transit_update    | the event's date: one a day, a digest  |
 * | out_for_delivery                            | out_for_delivery     | the attempt it leads to (attempts + 1) |
 * | available_for_pickup                        | available_for_pickup | `-`                                    |
 * | delivery_attempted                          | delivery_attempted   | the attempt number                     |
 * | exception, weather_delay/carrier_delay      | delayed              | the sub-status                         |
 * | exception, any other sub-status             | exception            | the sub-status, `other` when none      |
 * | delivered                                   | delivered            | `-`                                    |
 * | return_to_sender (or delivered → it)        | returned_to_sender   | `-`                                    |
 * | failed                                      | lost                 | `-`                                    |
 * | cancelled                                   | order_cancelled      | `-`                                    |
 * | expired, pending, unknown                   | —                    |                                        |
 * | ETA later by ≥ delayThresholdHours          | delayed              | the new ETA's date                     |
 * | ETA missed, not delivered (timers)          | delayed              | `missed:<ETA date>`                    |
 * | no scan for stallHours (timers)             | stalled              | time of the last scan                  |
 * | label, no scan for notScannedHours (timers) | not_scanned          | `-`                                    |
 *
 * ¹ An in_transit, out_for_delivery, available_for_pickup or delivery_attempted that moves a parcel on
 *   from pending/label_created; the latter three fire their own kind as well. A parcel whose first
 *   scan is `delivered` only gets `delivered`: "shipped" beside it would be noise.
 * ² Including an in_transit that clears an exception: the parcel is moving again.
 * One update fires at most one `delayed`, so a carrier-delay scan with a later ETA is one message.
 */
import { DomainError } from './errors.js';
import { statusRank } from './rank.js';
import { eventFingerprint } from './shipment.js';
import type { ShipmentStatus, SubStatus } from './status.js';
import { calendarDate, hoursToMs, parseInstant, toIso, tryParseInstant } from './time.js';
import { awaitsDelivery, type Progress, START, step } from './transition.js';
import { makeTrigger, TriggerCollector } from './triggers.js';
import type { DeliveryProof, ShipmentState, TrackingEvent, TrackingUpdate, Trigger } from './types.js';

export interface DiffOptions {
  /**
   * How much later a new ETA must be than the previous one to fire `delayed` (SPEC `DELAY_THRESHOLD_HOURS`).
   * @defaultValue 24
   */
  delayThresholdHours: number;
}

export interface DiffResult {
  state: ShipmentState;
  /** Events not known before, in time order (a status assertion appears here as a synthesized event). */
  newEvents: TrackingEvent[];
  triggers: Trigger[];
  /** False when the update changed nothing at all (rule 1): the caller need not store anything. */
  changed: boolean;
}

export const DEFAULT_DIFF_OPTIONS = { delayThresholdHours: 24 } as const satisfies DiffOptions;

export { checkTimers, DEFAULT_TIMER_OPTIONS, type TimerOptions } from './timers.js';

interface Indexed {
  event: TrackingEvent;
  fp: string;
  ms: number;
}

function indexed(event: TrackingEvent): Indexed {
  return { event, fp: eventFingerprint(event), ms: parseInstant(event.time, 'event time') };
}

/** Time order; same-instant events by rank (a label before its first scan), then by fingerprint, so the order is total. */
function byTime(a: Indexed, b: Indexed): number {
  return a.ms - b.ms || statusRank(a.event.status) - statusRank(b.event.status) || (a.fp < b.fp ? -1 : a.fp > b.fp ? 1 : 0);
}

const DELAY_SUB_STATUSES: ReadonlySet<SubStatus> = new Set(['weather_delay', 'carrier_delay']);

/** A pending or label-only event says nothing about the parcel having been handled by the carrier. */
const NOT_SCANS: ReadonlySet<ShipmentStatus> = new Set(['pending', 'label_created']);

function eventTriggers(before: Progress, after: Progress, event: Indexed): Trigger[] {
  const firstScan = statusRank(before.base) <= statusRank('label_created');
  const shipped = firstScan ? [makeTrigger('shipped')] : [];
  switch (after.status) {
    case 'label_created':
      return [makeTrigger('label_created')];
    case 'in_transit':
      return firstScan ? shipped : [makeTrigger('in_transit_update', calendarDate(event.event.time) ?? toIso(event.ms).slice(0, 10))];
    case 'out_for_delivery':
      return [...shipped, makeTrigger('out_for_delivery', String(after.attempts + 1))];
    case 'available_for_pickup':
      return [...shipped, makeTrigger('available_for_pickup')];
    case 'delivery_attempted':
      return [...shipped, makeTrigger('delivery_attempted', String(after.attempts))];
    case 'exception': {
      const sub = after.subStatus ?? 'other';
      return [DELAY_SUB_STATUSES.has(sub) ? makeTrigger('delayed', sub) : makeTrigger('exception', sub)];
    }
    case 'delivered':
      return [makeTrigger('delivered')];
    case 'return_to_sender':
      return [makeTrigger('returned_to_sender')];
    case 'failed':
      return [makeTrigger('lost')];
    case 'cancelled':
      return [makeTrigger('order_cancelled')];
    default:
      return [];
  }
}

function describeStatus(status: ShipmentStatus, subStatus: SubStatus | undefined): string {
  const words = (value: string) => value.replaceAll('_', ' ');
  const text = words(status);
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return subStatus === undefined ? sentence : `${sentence}: ${words(subStatus)}`;
}

/**
 * A snapshot without events (e.g. a bare status from a marketplace) asserts a status at `now`. It becomes
 * an event only when it says something new that the status machine accepts; otherwise a source repeating
 * an old or lower status on every poll would grow the history forever and break rule 1.
 * Its time is never before the newest known event, so an assertion is never "late".
 */
function statusAssertion(state: ShipmentState, current: Progress, update: TrackingUpdate, now: Date, newestKnown: number): TrackingEvent[] {
  const differs = update.status !== state.status || (update.subStatus !== undefined && update.subStatus !== state.subStatus);
  if (!differs || step(current, update) === undefined) return [];
  const event: TrackingEvent = {
    time: toIso(Math.max(now.getTime(), newestKnown)),
    status: update.status,
    description: describeStatus(update.status, update.subStatus),
    source: update.source,
  };
  if (update.subStatus !== undefined) event.subStatus = update.subStatus;
  return [event];
}

function fold(events: readonly Indexed[]): Progress {
  return events.reduce<Progress>((p, e) => step(p, e.event) ?? p, START);
}

/** Fields a later proof leaves out keep what an earlier one said. */
function mergeProof(previous: DeliveryProof | undefined, next: DeliveryProof): DeliveryProof {
  const merged: DeliveryProof = { ...previous };
  for (const [field, value] of Object.entries(next) as [keyof DeliveryProof, string | undefined][]) {
    if (value !== undefined) merged[field] = value;
  }
  return merged;
}

function sameProof(a: DeliveryProof | undefined, b: DeliveryProof | undefined): boolean {
  const fields: (keyof DeliveryProof)[] = ['time', 'signedBy', 'photoUrl', 'location'];
  return fields.every((f) => a?.[f] === b?.[f]);
}

/**
 * Applies a tracking update to a shipment's state (SPEC rules 1–6). Pure: `now` stamps `updatedAt` and
 * dates a status assertion. `version` is left alone (the store bumps it). The shipment's status is
 * derived from its events; set it only through this function.
 * Throws `SHIPMENT_MISMATCH` for another shipment's update and `EVENT_TIME_INVALID` for an unreadable event time.
 */
export function applyUpdate(state: ShipmentState, update: TrackingUpdate, now: Date, options: DiffOptions): DiffResult {
  if (update.shipmentId !== state.id) {
    throw new DomainError('SHIPMENT_MISMATCH', `An update for shipment ${update.shipmentId} was applied to shipment ${state.id}.`, {
      expected: state.id,
      received: update.shipmentId,
    });
  }
  const known = state.events.map(indexed);
  const newestKnown = known.reduce((max, e) => Math.max(max, e.ms), Number.NEGATIVE_INFINITY);
  const incoming = update.events.length > 0 ? update.events : statusAssertion(state, fold(known), update, now, newestKnown);

  const seen = new Set(known.map((e) => e.fp));
  const fresh: Indexed[] = [];
  for (const event of incoming) {
    const item = indexed(event);
    if (seen.has(item.fp)) continue;
    seen.add(item.fp);
    fresh.push(item);
  }
  const freshFps = new Set(fresh.map((e) => e.fp));
  const merged = [...known, ...fresh].sort(byTime);

  const collector = new TriggerCollector(state.fired);
  let progress = START;
  for (const item of merged) {
    const next = step(progress, item.event);
    if (next === undefined) continue;
    if (freshFps.has(item.fp) && item.ms >= newestKnown) {
      for (const trigger of eventTriggers(progress, next, item)) collector.add(trigger);
    }
    progress = next;
  }
  // Without a new event nothing can move; keeping the stored fields keeps rule 1 exact.
  if (fresh.length === 0) progress = { status: state.status, subStatus: state.subStatus, attempts: state.attempts, base: state.status };

  const eta = update.estimatedDelivery !== undefined && tryParseInstant(update.estimatedDelivery) !== undefined ? update.estimatedDelivery : state.eta;
  if (state.eta !== undefined && eta !== undefined && awaitsDelivery(progress) && !collector.has('delayed')) {
    const before = tryParseInstant(state.eta);
    const after = tryParseInstant(eta);
    if (before !== undefined && after !== undefined && after - before >= hoursToMs(options.delayThresholdHours)) {
      collector.add(makeTrigger('delayed', calendarDate(eta) ?? toIso(after).slice(0, 10)));
    }
  }

  const proof = progress.status === 'delivered' && update.proof !== undefined ? mergeProof(state.proof, update.proof) : state.proof;

  const previousScan = tryParseInstant(state.lastScanAt) ?? Number.NEGATIVE_INFINITY;
  const latestScan = merged.reduce((max, e) => (NOT_SCANS.has(e.event.status) ? max : Math.max(max, e.ms)), previousScan);
  const lastScanAt = latestScan > previousScan ? toIso(latestScan) : state.lastScanAt;

  const changed =
    fresh.length > 0 || collector.triggers.length > 0 || eta !== state.eta || !sameProof(proof, state.proof) || lastScanAt !== state.lastScanAt;
  if (!changed) return { state, newEvents: [], triggers: [], changed: false };

  const { subStatus: _sub, eta: _eta, proof: _proof, lastScanAt: _scan, ...rest } = state;
  const next: ShipmentState = {
    ...rest,
    status: progress.status,
    attempts: progress.attempts,
    events: merged.map((e) => e.event),
    fired: collector.firedAfter(state.fired),
    updatedAt: now.toISOString(),
    ...(progress.subStatus !== undefined && { subStatus: progress.subStatus }),
    ...(eta !== undefined && { eta }),
    ...(proof !== undefined && { proof }),
    ...(lastScanAt !== undefined && { lastScanAt }),
  };
  return { state: next, newEvents: merged.filter((e) => freshFps.has(e.fp)).map((e) => e.event), triggers: collector.triggers, changed: true };
}
