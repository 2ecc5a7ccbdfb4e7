/**
 * Seller alert escalation (issue "Delivery policy", point 4). A seller alert is a notification to a seller
 * about something that needs them: a parcel in trouble (`exception`, `lost`, `returned_to_sender`, `stalled`,
 * `not_scanned`, `delayed`, `delivery_attempted`). When one is sent by email or push, an `escalate` job is
 * scheduled `ESCALATE_AFTER_HOURS` later; unless the seller acknowledged it (`POST /v1/alerts/:id/ack`)
 * by then, it is re-sent once by SMS. The SMS is a notification record of its own, sent by the ordinary
 * send path, so suppression (STOP), the SMS curfew and send idempotency all apply to it.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { holdUntil } from '../domain/quiet-hours.js';
import { hoursToMs } from '../domain/time.js';
import type { NotificationKind } from '../domain/types.js';
import type { NotificationRecord, NotificationStore, TrailEntry } from '../store/notifications.js';
import { backoffWithJitter } from './backoff.js';
import type { PipelineDeps } from './deps.js';
import { ESCALATE_QUEUE } from './names.js';
import { notificationId } from './notify.js';

export const SELLER_ALERT_KINDS: ReadonlySet<NotificationKind> = new Set([
  'exception',
  'lost',
  'returned_to_sender',
  'stalled',
  'not_scanned',
  'delayed',
  'delivery_attempted',
]);

/** Suffix of the discriminator of an escalation's SMS: its id differs from any SMS fan-out sent itself. */
export const ESCALATED_SUFFIX = ':escalated';
export const DEFAULT_ESCALATE_AFTER_HOURS = 4;
/** Trail step names this module writes and reads. */
export const ACK_STEP = 'acknowledged';

export interface EscalateJob {
  notificationId: string;
}

export type EscalationOutcome = 'acknowledged' | 'escalated' | 'already_escalated' | 'reached_by_sms' | 'not_an_alert';

export function isSellerAlert(record: Pick<NotificationRecord, 'role' | 'kind' | 'discriminator'>): boolean {
  return record.role === 'seller' && SELLER_ALERT_KINDS.has(record.kind) && !record.discriminator.endsWith(ESCALATED_SUFFIX);
}

/** Only an alert that went out on a channel the seller may not watch closely is escalated (SMS is the escalation). */
export function needsEscalation(record: NotificationRecord): boolean {
  return isSellerAlert(record) && (record.channel === 'email' || record.channel === 'push');
}

export function acknowledgement(trail: readonly TrailEntry[]): TrailEntry | undefined {
  return trail.find((e) => e.step === ACK_STEP);
}

/** Records the acknowledgement once; a repeat returns the first one unchanged. */
export async function acknowledgeAlert(notifications: NotificationStore, id: string, by: string, now: Date): Promise<{ entry: TrailEntry; first: boolean }> {
  const existing = acknowledgement(await notifications.trail(id));
  if (existing) return { entry: existing, first: false };
  const entry: TrailEntry = { at: now.toISOString(), step: ACK_STEP, detail: `by ${by}` };
  await notifications.note(id, now, ACK_STEP, entry.detail);
  return { entry, first: true };
}

export function createEscalationQueue(connection: Redis, prefix: string): Queue<EscalateJob> {
  return new Queue<EscalateJob>(ESCALATE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'jitter' }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/** BullMQ job ids may not contain ':'; notification ids never do. One escalation per alert. */
export const escalationJobId = (notificationId: string) => `esc-${notificationId}`;

/**
 * Schedules the escalation of a just-sent seller alert; anything else is left alone. Re-running it (a send
 * job retried after "sent") re-adds the same job id, which BullMQ ignores.
 */
export async function scheduleEscalation(deps: PipelineDeps, queue: Queue<EscalateJob>, notificationIdSent: string): Promise<boolean> {
  const record = await deps.stores.notifications.get(notificationIdSent);
  if (!record || record.status !== 'sent' || !needsEscalation(record)) return false;
  const hours = deps.settings.escalateAfterHours ?? DEFAULT_ESCALATE_AFTER_HOURS;
  await queue.add('escalate', { notificationId: record.id }, { jobId: escalationJobId(record.id), delay: hoursToMs(hours) });
  const first = !(await deps.stores.notifications.trail(record.id)).some((e) => e.step === 'escalation_scheduled');
  if (first) await deps.stores.notifications.note(record.id, deps.now(), 'escalation_scheduled', `re-sent by SMS after ${hours} h unless acknowledged`);
  return true;
}

/** The escalate job: acknowledged → nothing; otherwise one SMS notification through the ordinary send path. */
export async function processEscalation(deps: PipelineDeps, job: EscalateJob): Promise<EscalationOutcome> {
  const { notifications, recipients } = deps.stores;
  const alert = await notifications.get(job.notificationId);
  if (!alert) throw new UnrecoverableError(`unknown notification ${job.notificationId}`);
  if (!needsEscalation(alert)) return 'not_an_alert';
  const now = deps.now();
  const trail = await notifications.trail(alert.id);
  const ack = acknowledgement(trail);
  if (ack) {
    if (!trail.some((e) => e.step === 'escalation_not_needed')) {
      await notifications.note(alert.id, now, 'escalation_not_needed', `acknowledged at ${ack.at}${ack.detail ? ` ${ack.detail}` : ''}`);
    }
    return 'acknowledged';
  }
  const subjectId = alert.shipmentId ?? alert.orderId;
  // Fan-out may have sent this very alert by SMS already (exception and lost go to sellers by SMS by default).
  const sibling = await notifications.get(notificationId(subjectId, alert.kind, alert.discriminator, alert.recipientId, 'sms'));
  if (sibling && (sibling.status === 'sent' || sibling.status === 'delivered')) {
    if (!trail.some((e) => e.step === 'escalation_not_needed')) {
      await notifications.note(alert.id, now, 'escalation_not_needed', `already sent by SMS as ${sibling.id}`);
    }
    return 'reached_by_sms';
  }

  const recipient = await recipients.get(alert.recipientId);
  if (!recipient) throw new UnrecoverableError(`unknown recipient ${alert.recipientId}`);
  const id = notificationId(subjectId, alert.kind, `${alert.discriminator}${ESCALATED_SUFFIX}`, recipient.id, 'sms');
  const suppression = recipient.suppressed?.sms;
  // The seller's own "no SMS" (for every kind, or for this one) holds; the kind's default channels do not,
  // since they are why the alert went by email in the first place.
  const refused = recipient.preferences.channels?.sms?.enabled === false || recipient.preferences.kinds?.[alert.kind]?.sms === false;
  const noPhone = !recipient.phone?.trim();
  // Urgent for the recipient's own quiet hours; the SMS curfew (21:00–08:00 local) still holds, as for any SMS.
  const hold = suppression || refused || noPhone ? null : holdUntil({ now, timezone: recipient.timezone, quietHours: recipient.preferences.quietHours, channel: 'sms', urgent: true });
  const record: NotificationRecord = {
    id,
    kind: alert.kind,
    discriminator: `${alert.discriminator}${ESCALATED_SUFFIX}`,
    channel: 'sms',
    recipientId: recipient.id,
    role: recipient.role,
    orderId: alert.orderId,
    ...(alert.shipmentId ? { shipmentId: alert.shipmentId } : {}),
    status: suppression ? 'suppressed' : refused || noPhone ? 'skipped' : hold ? 'held' : 'queued',
    ...(suppression
      ? { reason: 'unsubscribed' }
      : refused
        ? { reason: 'preference_off' }
        : noPhone
          ? { reason: 'no_address' }
          : hold
            ? { reason: 'quiet_hours', holdUntil: hold.toISOString() }
            : {}),
    causedBy: `escalation of ${alert.id} (not acknowledged)`,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const created = await notifications.create(record);
  const stored = created ? record : await notifications.get(id);
  if (stored && (stored.status === 'queued' || stored.status === 'held')) {
    const delay = stored.holdUntil ? Date.parse(stored.holdUntil) - now.getTime() : 0;
    await deps.queues.addSend('sms', { notificationId: id }, delay);
  }
  if (!created) return 'already_escalated';
  await notifications.note(alert.id, now, 'escalated', `not acknowledged; re-sent by SMS as ${id} (${record.status}${record.reason ? `: ${record.reason}` : ''})`);
  return 'escalated';
}

export interface RunningEscalation {
  worker: Worker;
  close(): Promise<void>;
}

export function startEscalationWorker(deps: PipelineDeps, connection: Redis, concurrency: number): RunningEscalation {
  const worker = new Worker<EscalateJob>(
    ESCALATE_QUEUE,
    async (job: Job<EscalateJob>) => {
      if (typeof job.data !== 'object' || job.data === null || typeof job.data.notificationId !== 'string') throw new UnrecoverableError('malformed escalate job payload');
      return processEscalation(deps, job.data);
    },
    { connection, prefix: deps.keys.bullPrefix, concurrency, settings: { backoffStrategy: backoffWithJitter } },
  );
  worker.on('failed', (job, err) => deps.logger.warn({ queue: ESCALATE_QUEUE, jobId: job?.id, err: err.message }, 'escalation failed'));
  worker.on('error', (err) => deps.logger.error({ queue: ESCALATE_QUEUE, err: err.message }, 'worker error'));
  return { worker, close: () => worker.close() };
}
