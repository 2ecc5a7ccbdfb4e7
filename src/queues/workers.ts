import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { backoffWithJitter } from './backoff.js';
import type { PipelineDeps } from './deps.js';
import { WORKER_QUEUE, type PipelineWorkerName, type WorkerName } from './names.js';
import { processNotify } from './notify.js';
import type { NotifyJob, SendJob, UpdateJob } from './payloads.js';
import { startPolling, type PollingOptions, type RunningPolling } from './poll.js';
import { processSend } from './send.js';
import { processUpdate } from './track.js';
import { createEscalationQueue, scheduleEscalation, startEscalationWorker, type EscalateJob, type RunningEscalation } from './escalate.js';
import { startSweep, type RunningSweep, type SweepOptions } from './sweep.js';

export interface WorkerOptions {
  /** Jobs run at once, per worker (for `poll`: per carrier). @defaultValue 10 for each */
  concurrency: Partial<Record<WorkerName, number>>;
  /** What the `poll` worker polls; without it, or with no carrier configured, `poll` starts nothing. */
  polling?: PollingOptions | undefined;
  /** Tuning of the timer sweep (tests, demo); it needs `deps.sweepIndex` to run. */
  sweep?: SweepOptions | undefined;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight (SIGTERM drain). */
  close(): Promise<void>;
}

/** Payloads come from Redis, where anything can be written; a malformed one fails at once instead of retrying. */
function assertPayload(ok: boolean, queue: string): void {
  if (!ok) throw new UnrecoverableError(`malformed ${queue} job payload`);
}
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null;

function processorFor(deps: PipelineDeps, name: PipelineWorkerName, escalations: Queue<EscalateJob> | undefined) {
  switch (name) {
    case 'track':
      return (job: Job<UpdateJob>) => {
        assertPayload(isObject(job.data) && isObject(job.data.update) && typeof job.data.update.shipmentId === 'string' && Array.isArray(job.data.update.events), 'updates');
        return processUpdate(deps, job.data);
      };
    case 'notify':
      return async (job: Job<NotifyJob>) => {
        assertPayload(isObject(job.data) && isObject(job.data.subject) && typeof job.data.subject.orderId === 'string' && typeof job.data.kind === 'string', 'notify');
        return (await processNotify(deps, job.data)).map((r) => `${r.id} ${r.status}`);
      };
    case 'email':
    case 'sms':
    case 'push':
      return async (job: Job<SendJob>) => {
        assertPayload(isObject(job.data) && typeof job.data.notificationId === 'string', name);
        const outcome = await processSend(deps, name, job.data, { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 });
        // Inside the job, not in a 'completed' listener: if scheduling fails the job retries, finds the
        // notification already sent, and schedules again, so no seller alert goes unwatched.
        if (escalations && (outcome === 'sent' || outcome === 'already-sent')) await scheduleEscalation(deps, escalations, job.data.notificationId);
        return outcome;
      };
  }
}

/** Starts the chosen workers; each gets its own blocking connection, as BullMQ requires. */
export async function startWorkers(deps: PipelineDeps, names: readonly WorkerName[], connection: Redis, options: WorkerOptions): Promise<RunningWorkers> {
  const pipeline = names.filter((name): name is PipelineWorkerName => name in WORKER_QUEUE);
  const escalations = pipeline.includes('email') || pipeline.includes('push') ? createEscalationQueue(connection, deps.keys.bullPrefix) : undefined;
  const workers = pipeline.map((name) => {
    const worker = new Worker(WORKER_QUEUE[name], processorFor(deps, name, escalations) as (job: Job) => Promise<unknown>, {
      connection,
      prefix: deps.keys.bullPrefix,
      concurrency: options.concurrency[name] ?? 10,
      settings: { backoffStrategy: backoffWithJitter },
    });
    // One bad job fails alone; the worker logs it and goes on.
    worker.on('failed', (job, err) => deps.logger.warn({ queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('error', (err) => deps.logger.error({ queue: worker.name, err: err.message }, 'worker error'));
    return worker;
  });
  let polling: RunningPolling | undefined;
  if (names.includes('poll')) {
    if (options.polling === undefined || options.polling.adapters.size === 0) {
      deps.logger.info('poll: no carrier credentials configured; carrier polling is off');
    } else {
      polling = await startPolling(deps, connection, options.polling, options.concurrency.poll ?? 10);
      deps.logger.info({ carriers: [...options.polling.adapters.keys()] }, 'poll: polling carriers');
    }
  }
  let sweep: RunningSweep | undefined;
  if (names.includes('sweep')) {
    if (deps.sweepIndex === undefined) deps.logger.info('sweep: no timer index configured; the timer sweep is off');
    else sweep = await startSweep(deps, connection, deps.sweepIndex, options.sweep);
  }
  const escalation: RunningEscalation | undefined = names.includes('escalate') ? startEscalationWorker(deps, connection, options.concurrency.escalate ?? 10) : undefined;
  return {
    workers: [...workers, ...(polling?.workers ?? []), ...(sweep ? [sweep.worker] : []), ...(escalation ? [escalation.worker] : [])],
    async close() {
      await Promise.all([...workers.map((w) => w.close()), polling?.close(), sweep?.close(), escalation?.close()]);
      await escalations?.close();
    },
  };
}
