import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import {
  ChannelError,
  HardBounceError,
  PermanentChannelError,
  RecipientOptedOutError,
  RetryableChannelError,
  SubscriptionGoneError,
} from '../channels/errors.js';
import type { SendResult } from '../channels/types.js';
import { isSuperseded } from '../domain/supersede.js';
import { redactContacts } from '../log.js';
import type { ChannelName, Recipient } from '../domain/types.js';
import type { NotificationRecord } from '../store/notifications.js';
import type { PipelineDeps } from './deps.js';
import { loadDigest, type LoadedDigest } from './digest.js';
import { templateContext, pushDelivery } from './message.js';
import { fallbackAfterFailure } from './fallback.js';
import { isUrgent } from './notify.js';
import type { SendJob } from './payloads.js';
import { errorCode, metrics, observeUpdateToSend } from '../metrics.js';

/** Long enough for a slow SMTP conversation; short enough that a crashed sender's lease lapses before the next retry. @defaultValue 60 s */
const SEND_LEASE_MS = 60_000;

export interface Attempt {
  /** 0 on the first run. */
  attemptsMade: number;
  maxAttempts: number;
}

export type SendOutcome = 'sent' | 'already-sent' | 'not-sendable' | 'superseded' | 'suppressed';

/**
 * Sends one notification on its channel, effectively once: the "sent" record is checked first and
 * written right after the provider accepts; a lease stops two copies of the job sending at once.
 */
export async function processSend(deps: PipelineDeps, channel: ChannelName, job: SendJob, attempt: Attempt): Promise<SendOutcome> {
  const { notifications, idempotency, recipients, shipments, orders } = deps.stores;
  const record = await notifications.get(job.notificationId);
  if (!record) throw new UnrecoverableError(`unknown notification ${job.notificationId}`);
  if (record.status !== 'queued' && record.status !== 'held') return 'not-sendable';

  const digest = await loadDigest(deps, record);
  // A digest speaks for its first parcel still in transit; it is stale only once every parcel in it has moved on.
  const shipment = digest ? (digest.shipments[0] ?? null) : record.shipmentId ? await shipments.get(record.shipmentId) : null;
  if (digest && digest.shipments.length === 0) {
    await notifications.update(record.id, { status: 'skipped', reason: 'superseded' }, deps.now(), `none of its ${digest.folded} shipment(s) is still in transit`);
    metrics.notifications.inc({ kind: record.kind, channel, status: 'superseded' });
    return 'superseded';
  }
  if (record.status === 'held' && shipment && isSuperseded(record.kind, shipment)) {
    await notifications.update(record.id, { status: 'skipped', reason: 'superseded' }, deps.now(), `shipment is now ${shipment.status}`);
    metrics.notifications.inc({ kind: record.kind, channel, status: 'superseded' });
    return 'superseded';
  }
  const recipient = await recipients.get(record.recipientId);
  if (!recipient) throw new UnrecoverableError(`unknown recipient ${record.recipientId}`);
  const suppression = recipient.suppressed?.[channel];
  if (suppression) {
    await notifications.update(record.id, { status: 'suppressed', reason: 'unsubscribed' }, deps.now(), suppression.reason);
    metrics.notifications.inc({ kind: record.kind, channel, status: 'suppressed' });
    return 'suppressed';
  }
  const previous = await idempotency.sentRecord(record.id);
  if (previous) {
    await notifications.update(record.id, { status: 'sent', providerId: previous }, deps.now(), 'already sent; not sent again');
    return 'already-sent';
  }

  const lease = await idempotency.acquire(record.id, SEND_LEASE_MS);
  if (!lease) throw new RetryableChannelError('another worker is sending this notification', { channel });
  try {
    const order = await orders.get(record.orderId);
    const result = await deliver(deps, channel, record, recipient, order, shipment, digest);
    await idempotency.markSent(record.id, result.providerId);
    await notifications.update(record.id, { status: 'sent', providerId: result.providerId }, deps.now(), result.detail);
    metrics.notifications.inc({ kind: record.kind, channel, status: 'sent' });
    observeUpdateToSend(record.receivedAt, channel, deps.now());
    return 'sent';
  } catch (err) {
    await recordFailure(deps, channel, record, recipient, err, attempt);
    throw isPermanent(err) ? new UnrecoverableError(err instanceof Error ? err.message : String(err)) : err;
  } finally {
    await idempotency.release(record.id, lease);
  }
}

async function deliver(
  deps: PipelineDeps,
  channel: ChannelName,
  record: NotificationRecord,
  recipient: Recipient,
  order: Parameters<typeof templateContext>[3],
  shipment: Parameters<typeof templateContext>[4],
  digest: LoadedDigest | null,
): Promise<SendResult> {
  const ctx = templateContext(deps, record, recipient, order, shipment, digest?.context ?? null);
  const notificationId = record.id;
  if (channel === 'email') {
    if (!recipient.email) throw new PermanentChannelError('recipient has no email address', { channel });
    const mail = deps.templates.email(record.kind, ctx);
    return deps.channels.email.send({ notificationId, to: recipient.email, ...mail, unsubscribeUrl: ctx.links.unsubscribe });
  }
  if (channel === 'sms') {
    if (!recipient.phone) throw new PermanentChannelError('recipient has no phone number', { channel });
    const sms = deps.templates.sms(record.kind, ctx);
    const result = await deps.channels.sms.send({ notificationId, to: recipient.phone, body: sms.body });
    return { ...result, detail: `${sms.segments} ${sms.encoding} segment(s)${result.detail ? `; ${result.detail}` : ''}` };
  }
  return deliverPush(deps, record, recipient, ctx);
}

/**
 * A recipient may have several browsers subscribed. Each subscription gets its own sent record, so a
 * retry after one browser's push service failed does not notify the others twice.
 */
async function deliverPush(deps: PipelineDeps, record: NotificationRecord, recipient: Recipient, ctx: ReturnType<typeof templateContext>): Promise<SendResult> {
  if (recipient.pushSubscriptions.length === 0) throw new PermanentChannelError('recipient has no push subscription', { channel: 'push' });
  const push = deps.templates.push(record.kind, ctx);
  const delivery = pushDelivery(record, await isUrgent(deps, record.kind));
  const accepted: string[] = [];
  const gone: string[] = [];
  for (const subscription of recipient.pushSubscriptions) {
    const subId = `${record.id}.${createHash('sha256').update(subscription.endpoint).digest('hex').slice(0, 16)}`;
    const done = await deps.stores.idempotency.sentRecord(subId);
    if (done) {
      accepted.push(done);
      continue;
    }
    try {
      const result = await deps.channels.push.send({ notificationId: record.id, subscription, ...push, url: ctx.links.track, ...delivery });
      await deps.stores.idempotency.markSent(subId, result.providerId);
      accepted.push(result.providerId);
    } catch (err) {
      if (!(err instanceof SubscriptionGoneError)) throw err;
      await deps.stores.recipients.removePushSubscription(recipient.id, subscription.endpoint);
      gone.push(subscription.endpoint);
    }
  }
  if (accepted.length === 0) throw new SubscriptionGoneError('every push subscription of this recipient is gone', { channel: 'push' });
  return { providerId: accepted.join(' '), ...(gone.length ? { detail: `${gone.length} expired subscription(s) removed` } : {}) };
}

/** A broken template or context fails the same way on every retry: fail at once, like a provider's permanent error. */
function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentChannelError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ETEMPLATE' || code === 'ECONTEXT';
}

async function recordFailure(deps: PipelineDeps, channel: ChannelName, record: NotificationRecord, recipient: Recipient, err: unknown, attempt: Attempt): Promise<void> {
  const now = deps.now();
  metrics.providerErrors.inc({ channel, code: errorCode(err) });
  // Provider replies often quote the address or number they refused; the log keeps neither.
  const reason = redactContacts(err instanceof ChannelError ? err.providerMessage ?? err.message : err instanceof Error ? err.message : String(err));
  if (err instanceof HardBounceError) await deps.stores.recipients.suppress(recipient.id, 'email', `hard bounce: ${reason}`, now);
  if (err instanceof RecipientOptedOutError) await deps.stores.recipients.suppress(recipient.id, 'sms', `opted out: ${reason}`, now);
  const permanent = isPermanent(err);
  const lastAttempt = attempt.attemptsMade + 1 >= attempt.maxAttempts;
  if (permanent || lastAttempt) {
    await deps.stores.notifications.update(record.id, { status: 'failed', reason }, now, permanent ? 'permanent error' : `gave up after ${attempt.maxAttempts} attempts`);
    metrics.notifications.inc({ kind: record.kind, channel, status: 'failed' });
    if (err instanceof SubscriptionGoneError || err instanceof RecipientOptedOutError) {
      await fallbackAfterFailure(deps, record, recipient, err instanceof SubscriptionGoneError ? 'push subscription gone' : 'number opted out');
    }
  } else {
    deps.logger.warn({ notificationId: record.id, channel, attempt: attempt.attemptsMade + 1, err: reason }, 'send failed; will retry');
  }
}
