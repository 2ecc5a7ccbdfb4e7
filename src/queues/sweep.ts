/**
 * The timer sweep (SPEC rules 5 and 7): `delayed` for a missed ETA, `stalled`, `not_scanned` fire on the
 * passing of time, not on an update, so something has to look. What it looks at is the timer index
 * (`src/store/sweep-index.ts`), kept by the track worker after each commit: the sweep takes only the due
 * members, never scans keys.
 *
 * Each taken shipment goes through the same compare-and-set commit as an update (`track.ts`): the triggers
 * are committed as pending with the state and their `fired` keys, so an update or a second sweep racing this
 * one re-diffs against the committed state and cannot fire the same kind twice (SPEC rule 6).
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isTerminal } from '../domain/rank.js';
import { checkTimers, DEFAULT_TIMER_OPTIONS, type TimerOptions } from '../domain/timers.js';
import { etaDeadline, hoursToMs, tryParseInstant } from '../domain/time.js';
import type { ShipmentState } from '../domain/types.js';
import type { PendingTrigger } from '../store/shipments.js';
import type { SweepIndex } from '../store/sweep-index.js';
import type { PipelineDeps } from './deps.js';
import { SWEEP_QUEUE } from './names.js';
import { enqueueTriggers, flushPending, TIMER_UPDATE_PREFIX } from './track.js';

export interface SweepOptions {
  /** How often the one repeatable sweep job runs. @defaultValue 300000 (5 minutes) */
  tickMs?: number;
  /** Shipments taken off the index per batch. @defaultValue 100 */
  batchSize?: number;
  /** A taken shipment comes due again after this long unless its check re-scores it first. @defaultValue 10 minutes */
  leaseMs?: number;
}

const MAX_COMMIT_ATTEMPTS = 200;

export function timerOptions(deps: Pick<PipelineDeps, 'settings'>): TimerOptions {
  const s = deps.settings;
  return {
    delayThresholdHours: s.delayThresholdHours,
    stallHours: s.stallHours ?? DEFAULT_TIMER_OPTIONS.stallHours,
    notScannedHours: s.notScannedHours ?? DEFAULT_TIMER_OPTIONS.notScannedHours,
  };
}

/**
 * The earliest instant a timer kind could fire for this shipment, or null (terminal: nothing will).
 * Candidates are deliberately loose (no status test): a spurious one costs one cheap check that finds
 * nothing, a missing one would lose a notification. With `after`, candidates at or before it are dropped:
 * the sweep has just checked the shipment at that instant, so they are fired (or could not fire).
 */
export function nextTimerAt(state: ShipmentState, options: TimerOptions, after?: number): number | null {
  if (isTerminal(state)) return null;
  const candidates: number[] = [];
  const deadline = state.eta === undefined ? undefined : etaDeadline(state.eta);
  // checkTimers wants `now > deadline`, strictly.
  if (deadline !== undefined) candidates.push(deadline + 1);
  const since = tryParseInstant(state.lastScanAt) ?? tryParseInstant(state.updatedAt);
  if (since !== undefined) candidates.push(since + hoursToMs(options.stallHours));
  if (state.lastScanAt === undefined) {
    const label = tryParseInstant(state.events.find((e) => e.status === 'label_created')?.time) ?? tryParseInstant(state.createdAt);
    if (label !== undefined) candidates.push(label + hoursToMs(options.notScannedHours));
  }
  const future = after === undefined ? candidates : candidates.filter((c) => c > after);
  return future.length === 0 ? null : Math.min(...future);
}

/** Checks one shipment's timers at `deps.now()` and re-scores it. Returns the trigger keys it fired. */
export async function sweepShipment(deps: PipelineDeps, index: SweepIndex, shipmentId: string): Promise<string[]> {
  const { shipments } = deps.stores;
  const options = timerOptions(deps);
  await flushPending(deps, shipmentId);
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const state = await shipments.get(shipmentId);
    if (!state) {
      await index.set(shipmentId, null);
      return [];
    }
    const now = deps.now();
    const result = checkTimers(state, now, options);
    if (!result.changed) {
      await index.set(shipmentId, nextTimerAt(state, options, now.getTime()));
      return [];
    }
    const pending: PendingTrigger[] = result.triggers.map((t) => ({ ...t, shipmentId, updateId: `${TIMER_UPDATE_PREFIX}${now.toISOString()}`, at: now.toISOString() }));
    if (await shipments.commit(state.version, result.state, pending)) {
      await enqueueTriggers(deps, state.orderId, pending);
      await index.set(shipmentId, nextTimerAt(result.state, options, now.getTime()));
      return pending.map((t) => t.key);
    }
  }
  throw new Error(`shipment ${shipmentId} kept changing under ${MAX_COMMIT_ATTEMPTS} attempts to check its timers`);
}

/** One sweep: takes due shipments in leased batches until none is due. Returns the triggers fired, by shipment. */
export async function runSweepTick(deps: PipelineDeps, index: SweepIndex, options: SweepOptions = {}): Promise<Record<string, string[]>> {
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const fired: Record<string, string[]> = {};
  for (;;) {
    const now = deps.now().getTime();
    const taken = await index.takeDue(now, batchSize, now + leaseMs);
    for (const shipmentId of taken) {
      try {
        const keys = await sweepShipment(deps, index, shipmentId);
        if (keys.length > 0) fired[shipmentId] = keys;
      } catch (err) {
        // One broken shipment must not stop the sweep; its lease brings it back for another try.
        deps.logger.warn({ shipmentId, err: err instanceof Error ? err.message : String(err) }, 'sweep: timer check failed');
      }
    }
    if (taken.length < batchSize) return fired;
  }
}

export interface RunningSweep {
  worker: Worker;
  close(): Promise<void>;
}

/** Installs the one repeatable sweep job (an upsert: every process agrees on it) and its worker. */
export async function startSweep(deps: PipelineDeps, connection: Redis, index: SweepIndex, options: SweepOptions = {}): Promise<RunningSweep> {
  const prefix = deps.keys.bullPrefix;
  const queue = new Queue(SWEEP_QUEUE, { connection, prefix });
  await queue.upsertJobScheduler('sweep-tick', { every: options.tickMs ?? 300_000 }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } });
  // One tick at a time per process; two processes may overlap, which the lease and the commit make harmless.
  const worker = new Worker(SWEEP_QUEUE, async () => runSweepTick(deps, index, options), { connection, prefix, concurrency: 1 });
  worker.on('failed', (job, err) => deps.logger.warn({ queue: SWEEP_QUEUE, jobId: job?.id, err: err.message }, 'sweep failed'));
  worker.on('error', (err) => deps.logger.error({ queue: SWEEP_QUEUE, err: err.message }, 'worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
