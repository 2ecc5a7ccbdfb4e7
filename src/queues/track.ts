import { applyUpdate } from '../domain/diff.js';
import type { PendingTrigger } from '../store/shipments.js';
import type { PipelineDeps } from './deps.js';
import type { UpdateJob } from './payloads.js';
import { UnrecoverableError } from 'bullmq';
import { nextTimerAt, timerOptions } from './sweep.js';
import { metrics } from '../metrics.js';

/** `updateId` of triggers the timer sweep fired: no update caused them, so their cause says "timer". */
export const TIMER_UPDATE_PREFIX = 'timer@';

/** Two updates of one shipment racing each other retry the diff; this many losses in a row means something is wrong. */
const MAX_COMMIT_ATTEMPTS = 200;

export interface TrackOutcome {
  changed: boolean;
  triggers: string[];
}

/**
 * Applies one normalized update to the stored shipment: diff in memory, commit by compare-and-set
 * (the triggers are committed with the state, as pending), then enqueue one notify job per trigger
 * and clear it from pending. A crash anywhere leaves either nothing committed (the retry redoes it)
 * or pending triggers that the retry enqueues first. Last, the polling schedule hears of the new state
 * (`deps.polling`) and so does the timer index (`deps.sweepIndex`); a retry tells them again, which is harmless.
 */
export async function processUpdate(deps: PipelineDeps, job: UpdateJob): Promise<TrackOutcome> {
  const { shipments } = deps.stores;
  const shipmentId = job.update.shipmentId;
  await flushPending(deps, shipmentId);

  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const state = await shipments.get(shipmentId);
    if (!state) throw new UnrecoverableError(`unknown shipment ${shipmentId}`);
    const now = deps.now();
    const result = applyUpdate(state, job.update, now, { delayThresholdHours: deps.settings.delayThresholdHours });
    if (!result.changed) {
      // Still told: a webhook source that repeats what a poller found must stop the polling all the same.
      await deps.polling?.afterUpdate(state, job.update);
      metrics.updatesIngested.inc({ source: job.update.source, changed: 'false' });
      return { changed: false, triggers: [] };
    }
    const pending: PendingTrigger[] = result.triggers.map((t) => ({
      ...t,
      shipmentId,
      updateId: job.updateId,
      at: now.toISOString(),
      ...(job.receivedAt ? { receivedAt: job.receivedAt } : {}),
    }));
    if (await shipments.commit(state.version, result.state, pending)) {
      await enqueueTriggers(deps, state.orderId, pending);
      await deps.sweepIndex?.set(shipmentId, nextTimerAt(result.state, timerOptions(deps)));
      await deps.polling?.afterUpdate(result.state, job.update);
      metrics.updatesIngested.inc({ source: job.update.source, changed: 'true' });
      return { changed: true, triggers: pending.map((t) => t.key) };
    }
  }
  throw new Error(`shipment ${shipmentId} kept changing under ${MAX_COMMIT_ATTEMPTS} attempts to apply update ${job.updateId}`);
}

export async function flushPending(deps: PipelineDeps, shipmentId: string): Promise<void> {
  const pending = await deps.stores.shipments.pending(shipmentId);
  if (pending.length === 0) return;
  const state = await deps.stores.shipments.get(shipmentId);
  if (state) await enqueueTriggers(deps, state.orderId, pending);
}

export async function enqueueTriggers(deps: PipelineDeps, orderId: string, pending: PendingTrigger[]): Promise<void> {
  for (const t of pending) {
    await deps.queues.addNotify({
      subject: { type: 'shipment', shipmentId: t.shipmentId, orderId },
      kind: t.kind,
      discriminator: t.discriminator,
      causedBy: t.updateId.startsWith(TIMER_UPDATE_PREFIX) ? `timer sweep at ${t.updateId.slice(TIMER_UPDATE_PREFIX.length)}` : `update ${t.updateId}`,
      triggeredAt: t.at,
      ...(t.receivedAt ? { receivedAt: t.receivedAt } : {}),
    });
  }
  if (pending[0]) await deps.stores.shipments.clearPending(pending[0].shipmentId, pending.map((t) => t.key));
}
