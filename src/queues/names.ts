/** Queue names. One queue per pipeline stage, one per channel so each scales and rate-limits on its own. */
export const QUEUE_NAMES = {
  updates: 'updates',
  notify: 'notify',
  email: 'email',
  sms: 'sms',
  push: 'push',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Worker names as given to `--workers`: `track` consumes `updates`, the rest consume their namesake. */
export const WORKER_NAMES = ['track', 'notify', 'email', 'sms', 'push'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

export const WORKER_QUEUE: Record<WorkerName, QueueName> = {
  track: 'updates',
  notify: 'notify',
  email: 'email',
  sms: 'sms',
  push: 'push',
};
