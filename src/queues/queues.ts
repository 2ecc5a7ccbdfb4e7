import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ChannelName } from '../domain/types.js';
import { QUEUE_NAMES, type QueueName } from './names.js';
import type { NotifyJob, SendJob, UpdateJob } from './payloads.js';

/**
 * Completed jobs are kept for a day so that a re-add of the same deterministic job id within that
 * time is a no-op in BullMQ itself; the notification records make it a no-op after that too.
 */
const KEEP = { removeOnComplete: { age: 24 * 3600, count: 100_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

const DEFAULTS: Record<QueueName, JobsOptions> = {
  updates: { attempts: 8, backoff: { type: 'jitter' }, ...KEEP },
  notify: { attempts: 8, backoff: { type: 'jitter' }, ...KEEP },
  email: { attempts: 10, backoff: { type: 'jitter' }, ...KEEP },
  sms: { attempts: 10, backoff: { type: 'jitter' }, ...KEEP },
  push: { attempts: 10, backoff: { type: 'jitter' }, ...KEEP },
};

/** BullMQ ids may not contain ':' nor be integers; a short hash keeps them uniform. */
export function jobId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

export interface Queues {
  readonly all: Queue[];
  addUpdate(job: UpdateJob): Promise<void>;
  addNotify(job: NotifyJob): Promise<void>;
  addSend(channel: ChannelName, job: SendJob, delayMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, bullPrefix: string): Queues {
  const make = (name: QueueName) =>
    new Queue(name, { connection, prefix: bullPrefix, defaultJobOptions: DEFAULTS[name] });
  const updates = make(QUEUE_NAMES.updates);
  const notify = make(QUEUE_NAMES.notify);
  const send: Record<ChannelName, Queue> = { email: make('email'), sms: make('sms'), push: make('push') };
  const all = [updates, notify, send.email, send.sms, send.push];

  return {
    all,
    async addUpdate(job) {
      await updates.add('update', job, { jobId: jobId('u', job.updateId) });
    },
    async addNotify(job) {
      const subjectId = job.subject.type === 'shipment' ? job.subject.shipmentId : job.subject.orderId;
      await notify.add(job.kind, job, { jobId: jobId('n', job.subject.type, subjectId, job.kind, job.discriminator) });
    },
    async addSend(channel, job, delayMs) {
      await send[channel].add(channel, job, { jobId: job.notificationId, ...(delayMs && delayMs > 0 ? { delay: delayMs } : {}) });
    },
    async close() {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
