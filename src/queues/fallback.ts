import { kindDefault } from '../domain/kinds.js';
import { hasAddress } from '../domain/preferences.js';
import type { Recipient } from '../domain/types.js';
import type { NotificationRecord } from '../store/notifications.js';
import type { PipelineDeps } from './deps.js';
import { adminDefaults, notificationId } from './notify.js';

/**
 * The send-time half of the fallback rule: a channel that turned out unreachable only when sending
 * (every push subscription gone, the number opted out) hands the message to the kind's fallback channel,
 * once. Fan-out already wrote a `skipped (preference_off)` record for that channel; it is moved to
 * `queued` by a conditional transition, so a retry or a second failure cannot queue it twice.
 */
export async function fallbackAfterFailure(deps: PipelineDeps, record: NotificationRecord, failed: Recipient, why: string): Promise<string | null> {
  // Digests and escalations have ids of their own; their fallback would not find a matching record.
  if (record.kind === 'in_transit_update' || record.discriminator.endsWith(':escalated')) return null;
  if (failed.role !== 'buyer' && failed.role !== 'seller') return null;
  const fallback = kindDefault(record.kind, await adminDefaults(deps)).fallback?.[failed.role];
  if (!fallback || fallback === record.channel) return null;
  const recipient = await deps.stores.recipients.get(failed.id);
  if (!recipient || recipient.suppressed?.[fallback] || !hasAddress(fallback, recipient)) return null;
  if (recipient.preferences.channels?.[fallback]?.enabled === false || recipient.preferences.kinds?.[record.kind]?.[fallback] === false) return null;

  const id = notificationId(record.shipmentId ?? record.orderId, record.kind, record.discriminator, recipient.id, fallback);
  const { applied } = await deps.stores.notifications.transition(
    id,
    (current) => current.status === 'skipped' && current.reason === 'preference_off',
    { status: 'queued', reason: `fallback for ${record.channel} (${why})` },
    deps.now(),
    `${record.channel} could not reach the recipient: ${why}`,
  );
  if (!applied) return null;
  await deps.queues.addSend(fallback, { notificationId: id });
  return id;
}
