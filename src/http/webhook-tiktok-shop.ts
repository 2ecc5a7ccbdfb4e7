import type { FastifyInstance } from 'fastify';
import {
  parseTikTokShopWebhook,
  TIKTOK_SHOP_SOURCE,
  verifyTikTokShopWebhook,
  type TikTokShopNotification,
} from '../ingest/tiktok-shop.js';
import { applyOrderStatus, relinkPackages, shipmentUpdateFor, type RelinkDecision, type StatusDecision } from '../ingest/tiktok-shop-orders.js';
import type { MarketplaceEvent, MarketplaceEventStatus } from '../store/marketplace-events.js';
import type { HttpDeps } from './deps.js';
import { ApiError } from './errors.js';

type OrderStatusNotification = Extract<TikTokShopNotification, { kind: 'order_status' }>;
type PackageNotification = Extract<TikTokShopNotification, { kind: 'package_update' }>;

/** The outcome for one order, before it becomes a marketplace event record. */
interface Outcome {
  status: MarketplaceEventStatus;
  orderId?: string;
  rawStatus?: string;
  detail: string;
}

/**
 * `POST /webhooks/tiktok-shop`. Checks run in the order that keeps bad input harmless: signature (401) →
 * parse (400) → replay check on `tts_notification_id` (200 `{duplicate: true}`) → act → record. Every
 * delivery we could read is answered 200, an unknown order too: TikTok retries anything else for hours
 * (partner docs, "Webhooks overview"), and the record makes it visible at `GET /v1/marketplace-events`.
 */
export function registerTikTokShopWebhook(app: FastifyInstance, deps: HttpDeps): void {
  app.post(`/webhooks/${TIKTOK_SHOP_SOURCE}`, async (request, reply) => {
    const credentials = deps.settings.tiktokShop;
    if (!credentials) {
      throw new ApiError(503, 'not_configured', 'This endpoint is off: set TIKTOK_SHOP_APP_KEY and TIKTOK_SHOP_APP_SECRET to enable it.');
    }
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    verifyTikTokShopWebhook({ ...credentials, headers: request.headers, rawBody });
    const notification = parseTikTokShopWebhook(rawBody);
    const { deliveryId } = notification;
    if (!(await deps.receipts.firstSeen(TIKTOK_SHOP_SOURCE, deliveryId))) {
      return reply.code(200).send({ duplicate: true, deliveryId });
    }
    const receivedAt = deps.now().toISOString();
    try {
      const outcomes = await act(deps, notification, receivedAt);
      await deps.stores.orders.marketplaceEvents.record(outcomes.map((o) => toEvent(notification, o, receivedAt)));
      return reply.code(200).send({ deliveryId, type: notification.typeName, outcomes: outcomes.map(({ orderId, status }) => ({ orderId, status })) });
    } catch (err) {
      // Part may be done: TikTok's retry brings the delivery again, and every step is idempotent.
      await deps.receipts.forget(TIKTOK_SHOP_SOURCE, deliveryId);
      throw err;
    }
  });
}

async function act(deps: HttpDeps, notification: TikTokShopNotification, receivedAt: string): Promise<Outcome[]> {
  switch (notification.kind) {
    case 'order_status':
      return [await onOrderStatus(deps, notification, receivedAt)];
    case 'package_update':
      return onPackageUpdate(deps, notification);
    default:
      return [
        {
          status: 'ignored',
          ...(notification.orderId === undefined ? {} : { orderId: notification.orderId }),
          detail: `${notification.typeName} events are acknowledged and not acted on.`,
        },
      ];
  }
}

async function onOrderStatus(deps: HttpDeps, n: OrderStatusNotification, receivedAt: string): Promise<Outcome> {
  const { orders } = deps.stores;
  const about = { orderId: n.orderId, rawStatus: n.orderStatus };
  const unknown: Outcome = { ...about, status: 'unknown_order', detail: `No order "${n.orderId}" is registered; register it with POST /v1/orders.` };
  if (!n.status) {
    if (!(await orders.get(n.orderId))) return unknown;
    return { ...about, status: 'unrecognized_status', detail: `"${n.orderStatus}" is not a TikTok Shop order status this version knows; the order was left as it is.` };
  }
  // Assigned inside the compare-and-set callback, which may run more than once; the last run is the one stored.
  let decision = 'unrecognized' as StatusDecision;
  const order = await orders.update(n.orderId, (o) => {
    decision = applyOrderStatus(o, n.orderStatus, n.updatedAt);
    return decision === 'advance';
  });
  if (!order) return unknown;
  if (decision === 'backwards') {
    const current = order.marketplaceStatus?.status ?? 'none';
    return { ...about, status: 'stale', detail: `The order is already ${current}; ${n.orderStatus} would move it backwards, so it was only recorded.` };
  }
  const moved: MarketplaceEventStatus = decision === 'advance' ? 'applied' : 'unchanged';
  const causedBy = `${TIKTOK_SHOP_SOURCE} ${n.orderStatus} (${n.deliveryId})`;
  switch (n.status.effect) {
    case 'confirm':
    case 'cancel': {
      const kind = n.status.effect === 'confirm' ? 'order_confirmed' : 'order_cancelled';
      // Same subject, kind and discriminator as POST /v1/orders: the job id and the notification ids are
      // derived from them, so a confirmation already sent is not sent again.
      await deps.queues.addNotify({ subject: { type: 'order', orderId: n.orderId }, kind, discriminator: '-', causedBy, triggeredAt: receivedAt });
      return { ...about, status: moved, detail: `${n.orderStatus}: ${kind} enqueued (sent at most once per order).` };
    }
    case 'advance': {
      if (order.shipmentIds.length === 0) {
        return { ...about, status: 'no_shipments', detail: `${n.orderStatus} recorded; the order has no shipment yet (POST /v1/shipments).` };
      }
      for (const shipmentId of order.shipmentIds) {
        await deps.queues.addUpdate({
          // From the content, not the delivery: the same news under another notification id is one job.
          updateId: `${TIKTOK_SHOP_SOURCE}-${n.orderId}-${shipmentId}-${n.orderStatus}-${n.updatedAt}`,
          update: shipmentUpdateFor(shipmentId, n.orderStatus, n.status, n.updatedAt),
          receivedAt,
        });
      }
      return { ...about, status: moved, detail: `${n.orderStatus}: ${order.shipmentIds.length} shipment update(s) enqueued.` };
    }
    default:
      return { ...about, status: moved, detail: `${n.orderStatus} recorded on the order.` };
  }
}

async function onPackageUpdate(deps: HttpDeps, n: PackageNotification): Promise<Outcome[]> {
  const { orders, shipments } = deps.stores;
  const packageIds = [...new Set(n.packages.map((p) => p.packageId))];
  const registered = new Set<string>();
  for (const packageId of packageIds) if (await shipments.get(packageId)) registered.add(packageId);

  const outcomes: Outcome[] = [];
  const orderIds = [...new Set(n.packages.flatMap((p) => p.orderIds))];
  for (const orderId of orderIds) {
    const about = { orderId, rawStatus: n.scType };
    let decision = 'unchanged' as RelinkDecision;
    const order = await orders.update(orderId, (o) => {
      const result = relinkPackages(o, { packages: n.packages, at: n.updatedAt }, registered);
      decision = result.decision;
      return result.dirty;
    });
    if (!order) {
      outcomes.push({ ...about, status: 'unknown_order', detail: `No order "${orderId}" is registered; its packages were not linked.` });
    } else if (decision === 'stale') {
      outcomes.push({ ...about, status: 'stale', detail: `The order was re-packed later (${order.packagesUpdatedAt}); this ${n.scType} was only recorded.` });
    } else {
      const packages = (order.packages ?? []).map((p) => p.packageId).join(', ');
      outcomes.push({ ...about, status: decision === 'relinked' ? 'applied' : 'unchanged', detail: `${n.scType}: the order is in package(s) ${packages}.` });
    }
  }
  return outcomes;
}

function toEvent(n: TikTokShopNotification, o: Outcome, receivedAt: string): MarketplaceEvent {
  return {
    source: TIKTOK_SHOP_SOURCE,
    deliveryId: n.deliveryId,
    type: n.typeName,
    rawType: n.type,
    status: o.status,
    ...(o.orderId === undefined ? {} : { orderId: o.orderId }),
    ...(o.rawStatus === undefined ? {} : { rawStatus: o.rawStatus }),
    ...(n.shopId === undefined ? {} : { shopId: n.shopId }),
    ...('updatedAt' in n ? { occurredAt: n.updatedAt } : n.sentAt === undefined ? {} : { occurredAt: n.sentAt }),
    receivedAt,
    detail: o.detail,
  };
}
