/**
 * The process's Prometheus metrics. One registry per process: every worker process and the HTTP process
 * export their own counts and Prometheus sums them, which is how counters are meant to be aggregated.
 * Label values come from closed sets (kind, channel, status, source, error code) so that no id, address
 * or number can ever become a label and blow up the series count.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'shipment_notifier_' });

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export const metrics = {
  updatesIngested: new Counter({
    name: 'shipment_notifier_updates_ingested_total',
    help: 'Tracking updates applied by the tracking worker, by source and whether they changed the shipment.',
    labelNames: ['source', 'changed'] as const,
    registers: [registry],
  }),
  notifications: new Counter({
    name: 'shipment_notifier_notifications_total',
    help: 'Notification status transitions: the status decided at fan-out (queued, held, skipped, suppressed) and the outcome of sending (sent, failed, suppressed, superseded).',
    labelNames: ['kind', 'channel', 'status'] as const,
    registers: [registry],
  }),
  providerErrors: new Counter({
    name: 'shipment_notifier_provider_errors_total',
    help: 'Failed delivery attempts, by channel and error code (ChannelError codes; OTHER for anything else).',
    labelNames: ['channel', 'code'] as const,
    registers: [registry],
  }),
  updateToSend: new Histogram({
    name: 'shipment_notifier_update_to_send_seconds',
    help: 'From the tracking update being received to the provider accepting the notification it caused.',
    labelNames: ['channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 24 * 3600],
    registers: [registry],
  }),
  queueDepth: new Gauge({
    name: 'shipment_notifier_queue_jobs',
    help: 'Jobs per queue and state, read from Redis when scraped.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  }),
};

/** The code a failed send is counted under: a channel error's own code, else a fixed bucket. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : 'OTHER';
}

/**
 * Records update-to-send latency for a notification caused by an update: from when the update reached
 * us (carried on the notification record) to when the provider accepted the message.
 */
export function observeUpdateToSend(receivedAt: string | undefined, channel: string, sentAt: Date): void {
  const at = Date.parse(receivedAt ?? '');
  if (Number.isFinite(at)) metrics.updateToSend.observe({ channel }, Math.max(0, (sentAt.getTime() - at) / 1000));
}

/** Sets the queue gauges from Redis just before a scrape, so they are never stale. */
export async function collectQueueDepths(queues: readonly Queue[]): Promise<void> {
  await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) metrics.queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
    }),
  );
}
