import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { isUrgentKind, kindAudience, type KindDefaultsTable } from '../domain/kinds.js';
import { resolveChannels, withFallback } from '../domain/preferences.js';
import { holdUntil } from '../domain/quiet-hours.js';
import type { ChannelName, NotificationKind, Recipient } from '../domain/types.js';
import type { NotificationRecord } from '../store/notifications.js';
import type { PipelineDeps } from './deps.js';
import { foldIntoDigest, isDigestKind } from './digest.js';
import type { NotifyJob } from './payloads.js';
import { metrics } from '../metrics.js';

/**
 * One notification per (subject, kind, discriminator, recipient, channel): the id is derived from
 * those, so a re-run of fan-out finds the records it already wrote and decides nothing twice.
 */
export function notificationId(subjectId: string, kind: NotificationKind, discriminator: string, recipientId: string, channel: ChannelName): string {
  const h = createHash('sha256').update([subjectId, kind, discriminator, recipientId, channel].join('\u0000')).digest('hex');
  return `ntf_${h.slice(0, 32)}`;
}

/** Admin overrides as they stand now (static settings in tests, the store in a running service). */
export async function adminDefaults(deps: PipelineDeps): Promise<Partial<KindDefaultsTable> | undefined> {
  return (await deps.kindDefaults?.get()) ?? deps.settings.kindDefaults;
}

export async function isUrgent(deps: PipelineDeps, kind: NotificationKind): Promise<boolean> {
  return isUrgentKind(kind, await adminDefaults(deps));
}

/** Fans one notification out to the order's buyer and seller over the channels their preferences allow. */
export async function processNotify(deps: PipelineDeps, job: NotifyJob): Promise<NotificationRecord[]> {
  const { orders, recipients } = deps.stores;
  const order = await orders.get(job.subject.orderId);
  if (!order) throw new UnrecoverableError(`unknown order ${job.subject.orderId}`);
  const shipmentId = job.subject.type === 'shipment' ? job.subject.shipmentId : undefined;
  const defaults = await adminDefaults(deps);
  const audience = kindAudience(job.kind, defaults);

  const decided: NotificationRecord[] = [];
  for (const recipientId of [order.buyerId, order.sellerId]) {
    const recipient = await recipients.get(recipientId);
    if (!recipient) {
      deps.logger.warn({ recipientId, kind: job.kind }, 'recipient not found; nothing sent to them');
      continue;
    }
    if (!audience.includes(recipient.role) && !hasKindOverride(recipient, job.kind)) continue;
    decided.push(...(await fanOutToRecipient(deps, job, recipient, order.orderId, shipmentId, defaults)));
  }
  return decided;
}

function hasKindOverride(recipient: Recipient, kind: NotificationKind): boolean {
  const override = recipient.preferences.kinds?.[kind];
  return !!override && Object.values(override).some((v) => v === true);
}

async function fanOutToRecipient(
  deps: PipelineDeps,
  job: NotifyJob,
  recipient: Recipient,
  orderId: string,
  shipmentId: string | undefined,
  defaults: Partial<KindDefaultsTable> | undefined,
): Promise<NotificationRecord[]> {
  const now = deps.now();
  const subjectId = shipmentId ?? orderId;
  const urgent = isUrgentKind(job.kind, defaults);
  const records: NotificationRecord[] = [];

  const decisions = withFallback(job.kind, recipient, resolveChannels(job.kind, recipient, defaults), defaults);
  for (const decision of decisions) {
    // A wanted in-transit update joins its window's digest; a refused one is recorded per trigger as for any kind.
    if (decision.send && shipmentId && isDigestKind(job.kind)) {
      const digest = await foldIntoDigest(deps, job, recipient, orderId, shipmentId, decision, urgent);
      if (digest) records.push(digest);
      continue;
    }
    const id = notificationId(subjectId, job.kind, job.discriminator, recipient.id, decision.channel);
    const hold = decision.send
      ? holdUntil({ now, timezone: recipient.timezone, quietHours: recipient.preferences.quietHours, channel: decision.channel, urgent })
      : null;
    const record: NotificationRecord = {
      id,
      kind: job.kind,
      discriminator: job.discriminator,
      channel: decision.channel,
      recipientId: recipient.id,
      role: recipient.role,
      orderId,
      ...(shipmentId ? { shipmentId } : {}),
      status: !decision.send ? (decision.reason === 'unsubscribed' ? 'suppressed' : 'skipped') : hold ? 'held' : 'queued',
      ...(!decision.send
        ? { reason: decision.reason }
        : hold
          ? { reason: 'quiet_hours', holdUntil: hold.toISOString() }
          : decision.fallbackFor
            ? { reason: `fallback for ${decision.fallbackFor.channel} (${decision.fallbackFor.reason})` }
            : {}),
      causedBy: job.causedBy,
      ...(job.receivedAt ? { receivedAt: job.receivedAt } : {}),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const created = await deps.stores.notifications.create(record);
    if (created) metrics.notifications.inc({ kind: record.kind, channel: record.channel, status: record.status });
    const stored = created ? record : await deps.stores.notifications.get(id);
    if (!stored) continue;
    records.push(stored);
    // Re-adding the send job for an existing queued/held record is what makes a crash between
    // "record written" and "job added" harmless: BullMQ ignores a job id it already has.
    if (stored.status === 'queued' || stored.status === 'held') {
      const delay = stored.holdUntil ? Date.parse(stored.holdUntil) - now.getTime() : 0;
      await deps.queues.addSend(stored.channel, { notificationId: id }, delay);
    }
  }
  return records;
}
