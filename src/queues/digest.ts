/**
 * The in-transit digest (SPEC: `in_transit_update` is off by default and sent as a digest).
 *
 * A recipient who turned `in_transit_update` on gets at most one message per order, channel and window:
 * the first trigger of a window creates a `held` notification whose id derives from (order, recipient,
 * channel, window) and whose send job is delayed to the end of the window; every later trigger of the same
 * window (another scan day of the same parcel, another parcel of the same order) is folded into it. At send
 * time the message lists the scans of every folded shipment that fall inside the window.
 *
 * Membership is kept in the notification's own trail (a `digest` entry per trigger, appended with RPUSH, so
 * two triggers folding at once cannot lose each other), which also makes every fold visible in
 * `GET /v1/notifications/:id`.
 */
import { createHash } from 'node:crypto';
import type { ChannelDecision } from '../domain/preferences.js';
import { holdUntil } from '../domain/quiet-hours.js';
import { isSuperseded } from '../domain/supersede.js';
import { tryParseInstant } from '../domain/time.js';
import type { NotificationKind, Recipient, ShipmentState } from '../domain/types.js';
import type { TemplateDigest, TemplateEvent } from '../render/context.js';
import type { NotificationRecord } from '../store/notifications.js';
import type { PipelineDeps } from './deps.js';
import type { NotifyJob } from './payloads.js';

/**
 * Length of a digest window, in fixed UTC buckets starting at 00:00 UTC. One day, because the diff fires
 * `in_transit_update` at most once per shipment per scan date: a shorter window would see later scans of
 * the same day fire nothing and so never send them. The release instant still respects quiet hours.
 * @defaultValue 24
 */
export const DIGEST_WINDOW_HOURS = 24;

const WINDOW_MS = DIGEST_WINDOW_HOURS * 3_600_000;
const DIGEST_STEP = 'digest';
const MEMBER = /^shipment (\S+) /;

export function isDigestKind(kind: NotificationKind): boolean {
  return kind === 'in_transit_update';
}

export interface DigestWindow {
  start: Date;
  end: Date;
}

export function digestWindow(now: Date): DigestWindow {
  const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
  return { start: new Date(start), end: new Date(start + WINDOW_MS) };
}

/** The digest's id: one per (order, recipient, channel, window), whichever shipment or scan day fired first. */
export function digestNotificationId(orderId: string, recipientId: string, channel: string, window: DigestWindow): string {
  const h = createHash('sha256').update(['digest', orderId, 'in_transit_update', window.start.toISOString(), recipientId, channel].join('\u0000')).digest('hex');
  return `ntf_${h.slice(0, 32)}`;
}

const DISCRIMINATOR_PREFIX = 'window:';

function windowOf(record: NotificationRecord): DigestWindow | null {
  if (!record.discriminator.startsWith(DISCRIMINATOR_PREFIX)) return null;
  const start = Date.parse(record.discriminator.slice(DISCRIMINATOR_PREFIX.length));
  return Number.isNaN(start) ? null : { start: new Date(start), end: new Date(start + WINDOW_MS) };
}

/**
 * Creates this window's digest for the recipient and channel, or folds the trigger into the one that exists.
 * The send job is (re-)added with the same id either way, so a crash between steps is repaired by a re-run.
 */
export async function foldIntoDigest(
  deps: PipelineDeps,
  job: NotifyJob,
  recipient: Recipient,
  orderId: string,
  shipmentId: string,
  decision: ChannelDecision,
  urgent: boolean,
): Promise<NotificationRecord | null> {
  const { notifications } = deps.stores;
  const now = deps.now();
  const window = digestWindow(now);
  const id = digestNotificationId(orderId, recipient.id, decision.channel, window);
  // Released at the end of the window, unless that instant falls in the recipient's quiet hours.
  const release = holdUntil({ now: window.end, timezone: recipient.timezone, quietHours: recipient.preferences.quietHours, channel: decision.channel, urgent }) ?? window.end;
  const record: NotificationRecord = {
    id,
    kind: job.kind,
    discriminator: `${DISCRIMINATOR_PREFIX}${window.start.toISOString()}`,
    channel: decision.channel,
    recipientId: recipient.id,
    role: recipient.role,
    orderId,
    shipmentId,
    status: 'held',
    reason: decision.fallbackFor ? `digest; fallback for ${decision.fallbackFor.channel} (${decision.fallbackFor.reason})` : 'digest',
    holdUntil: release.toISOString(),
    causedBy: job.causedBy,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const created = await notifications.create(record);
  const stored = created ? record : await notifications.get(id);
  if (!stored) return null;
  const member = `shipment ${shipmentId} ${job.kind}:${job.discriminator}; caused by ${job.causedBy}`;
  const known = (await notifications.trail(id)).some((e) => e.step === DIGEST_STEP && e.detail === member);
  if (!known) {
    const late = stored.status !== 'held' ? ` (arrived after the digest left as ${stored.status}; not in it)` : '';
    await notifications.note(id, now, DIGEST_STEP, `${member}${late}`);
  }
  if (stored.status === 'held') {
    await deps.queues.addSend(stored.channel, { notificationId: id }, Date.parse(stored.holdUntil ?? release.toISOString()) - now.getTime());
  }
  return stored;
}

export interface LoadedDigest {
  /** Folded shipments still in transit, in the order they joined the digest. */
  shipments: ShipmentState[];
  /** How many shipments were folded in, in transit or not. */
  folded: number;
  context: TemplateDigest;
}

/** The digest behind a notification, or null when the record is not a digest (e.g. decided before digests existed). */
export async function loadDigest(deps: PipelineDeps, record: NotificationRecord): Promise<LoadedDigest | null> {
  const window = windowOf(record);
  if (!isDigestKind(record.kind) || !window) return null;
  const ids: string[] = [];
  for (const entry of await deps.stores.notifications.trail(record.id)) {
    const match = entry.step === DIGEST_STEP && !entry.detail?.includes('(arrived after') ? MEMBER.exec(entry.detail ?? '') : null;
    if (match?.[1] && !ids.includes(match[1])) ids.push(match[1]);
  }
  const states = (await Promise.all(ids.map((id) => deps.stores.shipments.get(id)))).filter((s): s is ShipmentState => s !== null);
  // A parcel that is out for delivery or delivered by now has had its own message; its scans are stale.
  const shipments = states.filter((s) => !isSuperseded(record.kind, s));
  return {
    shipments,
    folded: ids.length,
    context: { shipments: shipments.map((s) => ({ carrier: s.carrierName ?? s.carrier, trackingNumber: s.trackingNumber, trackingUrl: s.trackingUrl, events: scansIn(s, window) })) },
  };
}

/** The scans inside the window, oldest first; the latest scan when the carrier dated none inside it (a late or skewed clock). */
function scansIn(shipment: ShipmentState, window: DigestWindow): TemplateEvent[] {
  const inside = shipment.events.filter((e) => {
    const ms = tryParseInstant(e.time);
    return ms !== undefined && ms >= window.start.getTime() && ms < window.end.getTime();
  });
  const chosen = inside.length > 0 ? inside : shipment.events.slice(-1);
  return chosen.map((e) => ({ time: e.time, description: e.description, status: e.status, ...(e.location ? { location: e.location } : {}) }));
}
