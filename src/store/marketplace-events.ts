import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** Marketplaces whose webhooks are recorded here. */
export const MARKETPLACE_SOURCES = ['tiktok-shop'] as const;
export type MarketplaceSource = (typeof MARKETPLACE_SOURCES)[number];

/** What became of one marketplace delivery, for one order. */
export const MARKETPLACE_EVENT_STATUSES = [
  /** The order or its shipments changed, or a notification was enqueued. */
  'applied',
  /** Already known: nothing new was stored (effects were re-enqueued, which is idempotent). */
  'unchanged',
  /** Older than what the order already has (a status moving backwards): recorded, not acted on. */
  'stale',
  /** No order is registered under this id (`POST /v1/orders`); answered 200 so the marketplace stops retrying. */
  'unknown_order',
  /** A status word this version does not know; kept raw, the order left as it was. */
  'unrecognized_status',
  /** The order moved, but has no shipment to move with it yet. */
  'no_shipments',
  /** An event type this project does not act on. */
  'ignored',
] as const;
export type MarketplaceEventStatus = (typeof MARKETPLACE_EVENT_STATUSES)[number];

export interface MarketplaceEvent {
  source: MarketplaceSource;
  /** The delivery's id (`tts_notification_id`, or a hash of the body when the marketplace sent none). */
  deliveryId: string;
  /** The marketplace's name for the event type (`ORDER_STATUS_CHANGE`). */
  type: string;
  /** The type as sent (TikTok Shop: a number). */
  rawType: number;
  status: MarketplaceEventStatus;
  orderId?: string;
  /** The marketplace's own status word, kept raw (`AWAITING_SHIPMENT`, `COMBINE`). */
  rawStatus?: string;
  shopId?: string;
  /** When the marketplace says it happened. */
  occurredAt?: string;
  receivedAt: string;
  /** A sentence for the operator: what was done, or why not. */
  detail: string;
}

export interface MarketplaceEventQuery {
  source: MarketplaceSource;
  status?: MarketplaceEventStatus;
  orderId?: string;
  /** @defaultValue 100 */
  limit?: number;
}

export interface MarketplaceEventStore {
  record(events: readonly MarketplaceEvent[]): Promise<void>;
  /** Newest first. */
  list(query: MarketplaceEventQuery): Promise<MarketplaceEvent[]>;
}

/** The newest this many are kept per list; older ones are dropped. @defaultValue 1000 */
const KEEP = 1000;
/** An order's own list outlives any marketplace retry window but not the order's story. @defaultValue 30 days */
const ORDER_LIST_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Capped lists, newest first: one per source, one per (source, status) and one per (source, order), so
 * "every unknown order" and "everything about order X" are one LRANGE each. The `{source}` hash tag keeps
 * one record's lists on one Redis Cluster slot, so they are written in one MULTI.
 */
export function createMarketplaceEventStore(redis: Redis, keys: Keys): MarketplaceEventStore {
  const base = (source: string) => `${keys.prefix}:marketplace-events:{${source}}`;
  const bySource = (source: string) => base(source);
  const byStatus = (source: string, status: string) => `${base(source)}:status:${status}`;
  const byOrder = (source: string, orderId: string) => `${base(source)}:order:${orderId}`;

  return {
    async record(events) {
      if (events.length === 0) return;
      const multi = redis.multi();
      for (const event of events) {
        const json = JSON.stringify(event);
        multi.lpush(bySource(event.source), json).ltrim(bySource(event.source), 0, KEEP - 1);
        multi.lpush(byStatus(event.source, event.status), json).ltrim(byStatus(event.source, event.status), 0, KEEP - 1);
        if (event.orderId !== undefined) {
          const key = byOrder(event.source, event.orderId);
          multi.lpush(key, json).ltrim(key, 0, KEEP - 1).expire(key, ORDER_LIST_TTL_SECONDS);
        }
      }
      await multi.exec();
    },
    async list({ source, status, orderId, limit = 100 }) {
      const key = orderId !== undefined ? byOrder(source, orderId) : status !== undefined ? byStatus(source, status) : bySource(source);
      // An order's list is short; filtering it by status in memory keeps to one list per record kind.
      const window = orderId !== undefined && status !== undefined ? KEEP : limit;
      const events = (await redis.lrange(key, 0, window - 1)).map((raw) => JSON.parse(raw) as MarketplaceEvent);
      return events.filter((e) => status === undefined || e.status === status).slice(0, limit);
    },
  };
}
