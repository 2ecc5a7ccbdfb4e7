import { POLLED_CARRIERS, type CarrierSlug } from '../ingest/carriers/types.js';

/** Queue names. One queue per pipeline stage, one per channel so each scales and rate-limits on its own. */
export const QUEUE_NAMES = {
  updates: 'updates',
  notify: 'notify',
  email: 'email',
  sms: 'sms',
  push: 'push',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** The queue whose one repeatable job takes due shipments off the polling schedule. */
export const POLL_SCHEDULER_QUEUE = 'poll-scheduler';

/** The queue whose one repeatable job checks due shipment timers (`stalled`, `not_scanned`, missed ETA). */
export const SWEEP_QUEUE = 'sweep';

/** Delayed jobs that re-send an unacknowledged seller alert by SMS. */
export const ESCALATE_QUEUE = 'escalate';

/** One polling queue per carrier (`poll-ups`…), so each gets that carrier's rate limit. */
export function pollQueueName(carrier: CarrierSlug): `poll-${CarrierSlug}` {
  return `poll-${carrier}`;
}

export const POLL_QUEUE_NAMES = POLLED_CARRIERS.map(pollQueueName);

/**
 * Worker names as given to `--workers`: `track` consumes `updates`, `poll` runs the polling scheduler and
 * the per-carrier pollers, `sweep` the timer sweep, `escalate` the seller-alert escalations; the rest consume
 * their namesake.
 */
export const WORKER_NAMES = ['track', 'notify', 'email', 'sms', 'push', 'poll', 'sweep', 'escalate'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** Workers that consume exactly one pipeline queue. */
export type PipelineWorkerName = Exclude<WorkerName, 'poll' | 'sweep' | 'escalate'>;

export const WORKER_QUEUE: Record<PipelineWorkerName, QueueName> = {
  track: 'updates',
  notify: 'notify',
  email: 'email',
  sms: 'sms',
  push: 'push',
};
