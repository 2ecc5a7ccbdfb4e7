/**
 * The notification log: `GET /v1/notifications` lists, `GET /v1/notifications/:id` answers "why was this
 * sent, or not?" with the whole trail from the update that caused it to the provider's answer.
 */
import type { FastifyInstance } from 'fastify';
import { isUrgentKind } from '../domain/kinds.js';
import { resolveChannels } from '../domain/preferences.js';
import type { ChannelName, Recipient } from '../domain/types.js';
import { QUEUE_NAMES } from '../queues/names.js';
import type { NotifyJob, UpdateJob } from '../queues/payloads.js';
import { jobId } from '../queues/queues.js';
import { localeChain } from '../render/locale.js';
import type { NotificationRecord, TrailEntry } from '../store/notifications.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { idParams, notificationQuerySchema } from './schemas.js';

export type TrailStepName = 'source_update' | 'diff_change' | 'preference_decision' | 'quiet_hours' | 'render' | 'provider_answer' | 'status_change';

export interface TrailStep {
  step: TrailStepName;
  /** When it happened; null when nothing kept says (a source update gone from the queue). */
  at: string | null;
  detail: string;
  data?: Record<string, unknown>;
}

const PARTS: Record<ChannelName, string[]> = { email: ['email.subject', 'email.html', 'email.text'], sms: ['sms'], push: ['push.title', 'push.body'] };
const PROVIDER_STATUSES = new Set(['sent', 'delivered', 'failed']);

/** Times in the trail come from the app's clock (job payloads, records); BullMQ's own stamps are wall-clock and are not mixed in. */
async function findJob<T>(deps: HttpDeps, queueName: string, id: string): Promise<{ data: T } | null> {
  const queue = deps.queues.all.find((q) => q.name === queueName);
  return ((await queue?.getJob(id)) as { data: T } | undefined) ?? null;
}

async function sourceStep(deps: HttpDeps, record: NotificationRecord, notify: NotifyJob | undefined): Promise<TrailStep> {
  const updateId = /^update (.+)$/.exec(record.causedBy)?.[1];
  if (!updateId) return { step: 'source_update', at: notify?.triggeredAt ?? null, detail: `caused by ${record.causedBy}` };
  const job = await findJob<UpdateJob>(deps, QUEUE_NAMES.updates, jobId('u', updateId));
  if (!job) {
    return {
      step: 'source_update',
      at: null,
      detail: `update ${updateId} is no longer kept in the updates queue (completed jobs are kept for a day); its events are in the shipment's timeline`,
      data: { updateId, kept: false },
    };
  }
  const { update, receivedAt } = job.data;
  const last = update.events[update.events.length - 1];
  return {
    step: 'source_update',
    at: receivedAt,
    detail: `update ${updateId} from ${update.source}: ${update.status}${update.subStatus ? `/${update.subStatus}` : ''}, ${update.events.length} event(s)`,
    data: {
      updateId,
      kept: true,
      source: update.source,
      status: update.status,
      ...(update.subStatus ? { subStatus: update.subStatus } : {}),
      ...(update.estimatedDelivery ? { estimatedDelivery: update.estimatedDelivery } : {}),
      ...(last ? { lastEvent: { time: last.time, status: last.status, description: last.description } } : {}),
    },
  };
}

async function diffStep(deps: HttpDeps, record: NotificationRecord, notify: NotifyJob | undefined): Promise<TrailStep> {
  const key = `${record.kind}:${record.discriminator}`;
  const shipment = record.shipmentId ? await deps.stores.shipments.get(record.shipmentId) : null;
  const fired = shipment ? shipment.fired.includes(key) : undefined;
  return {
    step: 'diff_change',
    at: notify?.triggeredAt ?? null,
    detail: `trigger ${key}${shipment ? ` on shipment ${shipment.id} (now ${shipment.status}${shipment.subStatus ? `/${shipment.subStatus}` : ''})` : ` on order ${record.orderId}`}`,
    data: { trigger: key, kind: record.kind, discriminator: record.discriminator, ...(fired !== undefined ? { firedOnShipment: fired } : {}) },
  };
}

/** Which rule of the resolution order decides this channel for this recipient today. */
function ruleOf(record: NotificationRecord, recipient: Recipient): string {
  if (recipient.suppressed?.[record.channel]) return `suppressed: ${recipient.suppressed[record.channel]!.reason}`;
  if (recipient.preferences.kinds?.[record.kind]?.[record.channel] !== undefined) return 'recipient kind override';
  if (recipient.preferences.channels?.[record.channel]?.enabled === false) return 'recipient channel switch (off)';
  return 'admin or built-in default for the role';
}

function decisionStep(record: NotificationRecord, decided: TrailEntry | undefined, recipient: Recipient | null): TrailStep {
  const now = recipient ? resolveChannels(record.kind, recipient).find((d) => d.channel === record.channel) : undefined;
  return {
    step: 'preference_decision',
    at: decided?.at ?? record.createdAt,
    detail: decided?.detail ?? `${record.status}${record.reason ? ` (${record.reason})` : ''}`,
    data: {
      channel: record.channel,
      recipientId: record.recipientId,
      role: record.role,
      ...(recipient && now
        ? { recomputedNow: { send: now.send, ...(now.reason ? { reason: now.reason } : {}), rule: ruleOf(record, recipient) } }
        : { recomputedNow: 'recipient no longer exists' }),
    },
  };
}

function quietStep(record: NotificationRecord, decided: TrailEntry | undefined, recipient: Recipient | null): TrailStep {
  const held = decided?.detail?.startsWith('held') ?? record.holdUntil !== undefined;
  const zone = recipient?.timezone ?? 'unknown zone';
  const window = recipient?.preferences.quietHours;
  const detail = held
    ? `held until ${record.holdUntil ?? '?'} (${record.channel === 'sms' ? 'SMS curfew 21:00–08:00 or ' : ''}quiet hours${window ? ` ${window.start}–${window.end}` : ''}, ${zone})`
    : 'not held';
  return { step: 'quiet_hours', at: decided?.at ?? record.createdAt, detail, data: { held, ...(record.holdUntil ? { holdUntil: record.holdUntil } : {}), urgent: isUrgentKind(record.kind), timezone: zone } };
}

/** Rendering happens in the send worker right before the provider call, so it shares that entry's time. */
function renderStep(record: NotificationRecord, attempt: TrailEntry, recipient: Recipient | null): TrailStep {
  const chain = localeChain(recipient?.locale ?? 'en');
  const sms = /(\d+) (\S+) segment/.exec(attempt.detail ?? '');
  return {
    step: 'render',
    at: attempt.at,
    detail: `${PARTS[record.channel].join(', ')} for locale ${chain.join(' → ')}${sms ? `; ${sms[1]} ${sms[2]} segment(s)` : ''}`,
    data: { parts: PARTS[record.channel], localeChain: chain, ...(sms ? { smsSegments: Number(sms[1]), smsEncoding: sms[2] } : {}) },
  };
}

export async function notificationTrail(deps: HttpDeps, record: NotificationRecord, trail: TrailEntry[]): Promise<TrailStep[]> {
  const subjectType = record.shipmentId ? 'shipment' : 'order';
  const notify = (await findJob<NotifyJob>(deps, QUEUE_NAMES.notify, jobId('n', subjectType, record.shipmentId ?? record.orderId, record.kind, record.discriminator)))?.data;
  const recipient = await deps.stores.recipients.get(record.recipientId);
  const decided = trail.find((e) => e.step === 'decided');
  const steps: TrailStep[] = [await sourceStep(deps, record, notify), await diffStep(deps, record, notify), decisionStep(record, decided, recipient)];
  if (!['skipped', 'suppressed'].includes(decided?.detail?.split(' ')[0] ?? record.status)) steps.push(quietStep(record, decided, recipient));
  let rendered = false;
  for (const entry of trail) {
    if (entry === decided) continue;
    const status = entry.step.split(' ')[0]!;
    if (!rendered && (status === 'sent' || status === 'failed')) {
      steps.push(renderStep(record, entry, recipient));
      rendered = true;
    }
    steps.push({
      step: PROVIDER_STATUSES.has(status) ? 'provider_answer' : 'status_change',
      at: entry.at,
      detail: `${entry.step}${entry.detail ? `: ${entry.detail}` : ''}`,
      ...(status === 'sent' && record.providerId ? { data: { providerId: record.providerId } } : {}),
    });
  }
  // Stable sort: an unknown time stays in causal order at the front; equal times keep causal order.
  return steps.map((s, i) => ({ s, i, t: s.at === null ? -Infinity : Date.parse(s.at) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.s);
}

export function registerNotificationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { notifications } = deps.stores;

  app.get('/v1/notifications', async (request) => {
    const query = parseInput(notificationQuerySchema, request.query, 'query');
    return { notifications: await notifications.list(query) };
  });

  app.get('/v1/notifications/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const record = await notifications.get(id);
    if (!record) throw new ApiError(404, 'not_found', `No notification "${id}".`, [{ field: 'id', message: 'unknown' }]);
    const trail = await notifications.trail(id);
    return { notification: record, steps: await notificationTrail(deps, record, trail), trail };
  });
}
