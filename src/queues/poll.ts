/**
 * Carrier polling for shipments no webhook reports on (SPEC pipeline: "pollers → ingest").
 *
 * - Due shipments live in the schedule (`src/store/poll-schedule.ts`), one sorted set per carrier.
 * - One repeatable job on `poll-scheduler` (every `tickMs`) takes due shipments in batches, leasing them,
 *   onto one queue per carrier (`poll-ups`…) whose worker carries that carrier's rate limit. A shipment
 *   already queued is not queued twice (BullMQ deduplication on the shipment id).
 * - The poll processor asks the carrier, enqueues the normalized update on `updates` under a content-hash
 *   id (the diff decides what fires), and sets the next due time by status (`poll-interval.ts`); a terminal
 *   status unschedules. A carrier that does not know the number yet is asked again at the pre-scan interval.
 * - 429 and 5xx retry with backoff, honouring Retry-After; a refused credential or request fails the job at
 *   once. Either way the lease brings the shipment back after `leaseMs`, so a lost poll is never lost for good.
 */
import { Queue, UnrecoverableError, Worker, type BackoffStrategy, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { isTerminal } from '../domain/rank.js';
import type { ShipmentState, TrackingUpdate } from '../domain/types.js';
import { CarrierError, CarrierNotFoundError, retryAfterOf } from '../ingest/carriers/errors.js';
import { pollDelayMs } from '../ingest/carriers/poll-interval.js';
import type { CarrierAdapter, CarrierSlug } from '../ingest/carriers/types.js';
import { contentUpdateId } from '../ingest/normalized.js';
import type { SourceUpdate } from '../ingest/source.js';
import type { PollSchedule } from '../store/poll-schedule.js';
import { BACKOFF_CAP_MS, backoffWithJitter } from './backoff.js';
import type { PipelineDeps, PollingHook } from './deps.js';
import { POLL_SCHEDULER_QUEUE, pollQueueName } from './names.js';
import { jobId } from './queues.js';

/** Update sources that push news themselves; a shipment they report on is not polled any more. */
export const WEBHOOK_SOURCES: ReadonlySet<string> = new Set(['aftership', 'easypost', 'shippo', '17track', 'tiktok-shop', 'generic']);

export interface PollingOptions {
  adapters: ReadonlyMap<CarrierSlug, CarrierAdapter>;
  schedule: PollSchedule;
  /** Base interval (`POLL_INTERVAL_MINUTES`), scaled by status. */
  intervalMinutes: number;
  /** Requests per second allowed per carrier (`<CARRIER>_RATE_LIMIT_PER_SECOND`). */
  rateLimits: Readonly<Record<CarrierSlug, number>>;
  /** How often the scheduler looks for due shipments. @defaultValue 30000 */
  tickMs?: number;
  /** Shipments taken off the schedule per batch. @defaultValue 100 */
  batchSize?: number;
  /** A carrier queue holding this many waiting polls gets no more until it drains. @defaultValue 1000 */
  maxBacklog?: number;
  /** A taken shipment comes due again after this long unless its poll reschedules it first. @defaultValue 30 minutes */
  leaseMs?: number;
}

export interface PollJob {
  carrier: CarrierSlug;
  shipmentId: string;
  /** When it was due (ms), which makes each pick's job id distinct. */
  dueAt: number;
}

export type PollOutcome = 'gone' | 'terminal' | 'webhook_fed' | 'not_found' | 'polled';

const POLL_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The hook the track worker calls after each update (see `PollingHook`). */
export function createPollingHook(schedule: PollSchedule, polled: ReadonlySet<string>, intervalMinutes: number, now: () => Date): PollingHook {
  return {
    async afterUpdate(state, update) {
      if (!polled.has(state.carrier)) return;
      if (WEBHOOK_SOURCES.has(update.source)) {
        await schedule.markWebhookFed(state.carrier, state.id, update.source);
        return;
      }
      const delay = pollDelayMs(state, intervalMinutes);
      if (delay === null) await schedule.unschedule(state.carrier, state.id);
      else await schedule.schedule(state.carrier, state.id, now().getTime() + delay);
    },
  };
}

/** A carrier's Retry-After wins over our own backoff; otherwise exponential with jitter (`backoff.ts`). */
export const pollBackoff: BackoffStrategy = (attemptsMade, type, err) => {
  const retryAfter = retryAfterOf(err);
  if (retryAfter !== undefined && retryAfter > 0) return Math.min(retryAfter + Math.floor(Math.random() * 250), BACKOFF_CAP_MS);
  return backoffWithJitter(attemptsMade, type, err);
};

export interface PollContext {
  deps: Pick<PipelineDeps, 'stores' | 'queues' | 'now' | 'logger'>;
  options: PollingOptions;
  queues: ReadonlyMap<CarrierSlug, Queue>;
}

/** One scheduler tick: moves due shipments of every polled carrier onto its queue. Returns how many. */
export async function runSchedulerTick(ctx: PollContext): Promise<Partial<Record<CarrierSlug, number>>> {
  const { schedule } = ctx.options;
  const batchSize = ctx.options.batchSize ?? 100;
  const maxBacklog = ctx.options.maxBacklog ?? 1000;
  const leaseMs = ctx.options.leaseMs ?? 30 * 60_000;
  const moved: Partial<Record<CarrierSlug, number>> = {};
  for (const [carrier, queue] of ctx.queues) {
    let count = 0;
    for (;;) {
      const room = maxBacklog - (await queue.getWaitingCount());
      if (room <= 0) break;
      const now = ctx.deps.now().getTime();
      const taken = await schedule.takeDue(carrier, now, Math.min(batchSize, room), now + leaseMs);
      if (taken.length === 0) break;
      await queue.addBulk(
        taken.map(({ shipmentId, dueAt }) => ({
          name: 'poll',
          data: { carrier, shipmentId, dueAt } satisfies PollJob,
          opts: { ...POLL_JOB_OPTIONS, jobId: jobId('p', carrier, shipmentId, String(dueAt)), deduplication: { id: shipmentId } },
        })),
      );
      count += taken.length;
      if (taken.length < batchSize) break;
    }
    if (count > 0) moved[carrier] = count;
  }
  return moved;
}

/** Polls one shipment. Throws a retryable error for the job to retry, or `UnrecoverableError`. */
export async function processPoll(ctx: PollContext, job: PollJob): Promise<PollOutcome> {
  const { schedule } = ctx.options;
  const state = await ctx.deps.stores.shipments.get(job.shipmentId);
  if (state === null || state.carrier !== job.carrier) {
    await schedule.unschedule(job.carrier, job.shipmentId);
    return 'gone';
  }
  if (isTerminal(state)) {
    await schedule.unschedule(job.carrier, job.shipmentId);
    return 'terminal';
  }
  if ((await schedule.webhookSource(state.id)) !== null) {
    await schedule.unschedule(job.carrier, job.shipmentId);
    return 'webhook_fed';
  }
  const adapter = ctx.options.adapters.get(job.carrier);
  if (adapter === undefined) throw new UnrecoverableError(`${job.carrier} is not configured in this process`);

  let snapshot: SourceUpdate;
  try {
    snapshot = await adapter.track(state.trackingNumber);
  } catch (err) {
    if (err instanceof CarrierNotFoundError) {
      await reschedule(ctx, state, { status: 'pending' });
      return 'not_found';
    }
    if (err instanceof CarrierError && !err.retryable) throw new UnrecoverableError(`${err.code}: ${err.message}`);
    throw err;
  }
  const update = toUpdate(state.id, snapshot);
  if (update.events.length > 0 || (update.status !== 'pending' && update.status !== 'unknown')) {
    await ctx.deps.queues.addUpdate({ updateId: `${job.carrier}-${contentUpdateId(update)}`, update, receivedAt: ctx.deps.now().toISOString() });
  }
  await reschedule(ctx, state, snapshot);
  return 'polled';
}

async function reschedule(ctx: PollContext, state: ShipmentState, reported: Pick<SourceUpdate, 'status' | 'subStatus'>): Promise<void> {
  const delay = pollDelayMs(reported, ctx.options.intervalMinutes);
  if (delay === null) await ctx.options.schedule.unschedule(state.carrier, state.id);
  // XX: a shipment unscheduled meanwhile (webhook-fed, terminal) stays off the schedule.
  else await ctx.options.schedule.reschedule(state.carrier, state.id, ctx.deps.now().getTime() + delay);
}

function toUpdate(shipmentId: string, snapshot: SourceUpdate): TrackingUpdate {
  return {
    shipmentId,
    status: snapshot.status,
    ...(snapshot.subStatus === undefined ? {} : { subStatus: snapshot.subStatus }),
    ...(snapshot.estimatedDelivery === undefined ? {} : { estimatedDelivery: snapshot.estimatedDelivery }),
    events: snapshot.events,
    ...(snapshot.proof === undefined ? {} : { proof: snapshot.proof }),
    source: snapshot.carrier ?? 'carrier',
  };
}

/** Payloads come from Redis, where anything can be written; a malformed one fails at once instead of retrying. */
function checkedPollJob(data: unknown, carrier: CarrierSlug): PollJob {
  const job = data as Partial<PollJob> | null;
  if (typeof job !== 'object' || job === null || job.carrier !== carrier || typeof job.shipmentId !== 'string' || job.shipmentId === '' || typeof job.dueAt !== 'number') {
    throw new UnrecoverableError(`malformed ${pollQueueName(carrier)} job payload`);
  }
  return job as PollJob;
}

/** BullMQ's limiter counts whole jobs per window: 20/s stays 20 per second, 0.2/s becomes 1 per 5 s, 2.5/s 1 per 400 ms. */
export function limiterFor(perSecond: number): { max: number; duration: number } {
  return Number.isInteger(perSecond) ? { max: perSecond, duration: 1000 } : { max: 1, duration: Math.ceil(1000 / perSecond) };
}

export interface RunningPolling {
  workers: Worker[];
  close(): Promise<void>;
}

/** Starts the scheduler and one rate-limited worker per configured carrier. */
export async function startPolling(deps: PipelineDeps, connection: Redis, options: PollingOptions, concurrency: number): Promise<RunningPolling> {
  const prefix = deps.keys.bullPrefix;
  const queues = new Map<CarrierSlug, Queue>();
  for (const carrier of options.adapters.keys()) queues.set(carrier, new Queue(pollQueueName(carrier), { connection, prefix }));
  const ctx: PollContext = { deps, options, queues };
  const scheduler = new Queue(POLL_SCHEDULER_QUEUE, { connection, prefix });
  await scheduler.upsertJobScheduler('poll-tick', { every: options.tickMs ?? 30_000 }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } });

  const log = (worker: Worker) => {
    worker.on('failed', (job, err) => deps.logger.warn({ queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'poll failed'));
    worker.on('error', (err) => deps.logger.error({ queue: worker.name, err: err.message }, 'worker error'));
    return worker;
  };
  const workers = [
    log(new Worker(POLL_SCHEDULER_QUEUE, async () => runSchedulerTick(ctx), { connection, prefix, concurrency: 1 })),
    ...[...queues.keys()].map((carrier) =>
      log(
        new Worker(pollQueueName(carrier), async (job: Job<PollJob>) => processPoll(ctx, checkedPollJob(job.data, carrier)), {
          connection,
          prefix,
          concurrency,
          limiter: limiterFor(options.rateLimits[carrier]),
          settings: { backoffStrategy: pollBackoff },
        }),
      ),
    ),
  ];
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([scheduler, ...queues.values()].map((q) => q.close()));
    },
  };
}
