/**
 * TikTok Shop webhooks: signature check and parsing, pure apart from `crypto`.
 *
 * TikTok Shop Partner Center docs, "Webhooks overview" and the per-event pages
 * (https://partner.tiktokshop.com/docv2/page/1-order-status-change, …/4-package-update): every event is
 * POSTed as JSON `{type, tts_notification_id, shop_id, timestamp, data}` with the header
 * `Authorization: hex(HMAC-SHA256(app_secret, app_key + raw body))` — bare lower-case hex, no scheme.
 * What the events do to orders lives in `tiktok-shop-orders.ts`; the route in `src/http/webhook-tiktok-shop.ts`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ShipmentStatus } from '../domain/status.js';
import { WebhookPayloadError, WebhookSignatureError } from './errors.js';
import type { WebhookHeaders } from './source.js';

/** Name of the source: the route's path segment and the `source` of the events it produces. */
export const TIKTOK_SHOP_SOURCE = 'tiktok-shop';

export const TIKTOK_SHOP_SIGNATURE_HEADER = 'authorization';

/** Event types by number, as the webhook-subscription API names them (`event_type`). */
export const TIKTOK_SHOP_EVENT_TYPES: Readonly<Record<number, string>> = {
  1: 'ORDER_STATUS_CHANGE',
  2: 'REVERSE_ORDER_STATUS_CHANGE',
  3: 'RECIPIENT_ADDRESS_UPDATE',
  4: 'PACKAGE_UPDATE',
  5: 'PRODUCT_STATUS_CHANGE',
  6: 'SELLER_DEAUTHORIZATION',
  7: 'UPCOMING_AUTHORIZATION_EXPIRATION',
  11: 'CANCELLATION_STATUS_CHANGE',
  12: 'RETURN_STATUS_CHANGE',
};

/** What an order status asks of us once it is accepted (see SPEC's status table, TikTok Shop column). */
export type OrderStatusEffect =
  /** Only remembered on the order. */
  | 'record'
  /** `order_confirmed`, unless it was sent already. */
  | 'confirm'
  /** Every shipment of the order moves to `normalized`. */
  | 'advance'
  /** `order_cancelled`. */
  | 'cancel';

export interface TikTokOrderStatus {
  /** Place in the order's life; a lower rank arriving later is a move backwards. */
  rank: number;
  normalized: ShipmentStatus;
  effect: OrderStatusEffect;
}

/** Above every forward rank: nothing follows a cancellation. */
const CANCELLED_RANK = 100;

/**
 * `order_status` values of ORDER_STATUS_CHANGE. The event page spells the cancelled state `CANCEL` and the
 * 202309 Order API spells it `CANCELLED`; both arrive. `PARTIALLY_SHIPPING` (Order API 202309: some
 * packages shipped) is not in SPEC's table: it does not say which parcels moved, so it is only recorded.
 */
export const TIKTOK_ORDER_STATUSES: Readonly<Record<string, TikTokOrderStatus>> = {
  UNPAID: { rank: 0, normalized: 'pending', effect: 'record' },
  ON_HOLD: { rank: 1, normalized: 'pending', effect: 'record' },
  AWAITING_SHIPMENT: { rank: 2, normalized: 'pending', effect: 'confirm' },
  PARTIALLY_SHIPPING: { rank: 3, normalized: 'in_transit', effect: 'record' },
  AWAITING_COLLECTION: { rank: 4, normalized: 'label_created', effect: 'record' },
  IN_TRANSIT: { rank: 5, normalized: 'in_transit', effect: 'advance' },
  DELIVERED: { rank: 6, normalized: 'delivered', effect: 'advance' },
  COMPLETED: { rank: 7, normalized: 'delivered', effect: 'record' },
  CANCEL: { rank: CANCELLED_RANK, normalized: 'cancelled', effect: 'cancel' },
  CANCELLED: { rank: CANCELLED_RANK, normalized: 'cancelled', effect: 'cancel' },
};

/** The known meaning of a TikTok order status, or undefined for a word this version does not know. */
export function tiktokOrderStatus(status: string): TikTokOrderStatus | undefined {
  return Object.hasOwn(TIKTOK_ORDER_STATUSES, status) ? TIKTOK_ORDER_STATUSES[status] : undefined;
}

export interface TikTokShopCredentials {
  appKey: string;
  appSecret: string;
}

/** The `Authorization` value TikTok Shop sends with `rawBody`. */
export function signTikTokShopWebhook(credentials: TikTokShopCredentials, rawBody: Buffer): string {
  // The body is signed as bytes: decoding it first would alter invalid UTF-8 and break the match.
  return createHmac('sha256', credentials.appSecret).update(credentials.appKey, 'utf8').update(rawBody).digest('hex');
}

/** Throws `WebhookSignatureError` (→ 401) unless `Authorization` is the body's signature. Constant-time. */
export function verifyTikTokShopWebhook(args: TikTokShopCredentials & { headers: WebhookHeaders; rawBody: Buffer }): void {
  const values = Object.entries(args.headers)
    .filter(([name, value]) => name.toLowerCase() === TIKTOK_SHOP_SIGNATURE_HEADER && value !== undefined)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value as string]))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length !== 1) {
    throw new WebhookSignatureError(
      'missing_header',
      TIKTOK_SHOP_SIGNATURE_HEADER,
      values.length === 0
        ? 'The Authorization header is missing; TikTok Shop signs every webhook with it.'
        : 'The Authorization header must appear exactly once.',
    );
  }
  const expected = Buffer.from(signTikTokShopWebhook(args, args.rawBody), 'utf8');
  // Hex is case-insensitive; anything else simply fails to match.
  const given = Buffer.from((values[0] as string).toLowerCase(), 'utf8');
  // timingSafeEqual throws on unequal lengths; a length difference reveals nothing about the key.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      TIKTOK_SHOP_SIGNATURE_HEADER,
      'The Authorization header is not the signature of this body; check TIKTOK_SHOP_APP_KEY and TIKTOK_SHOP_APP_SECRET ' +
        'against Partner Center, and that no proxy alters the body.',
    );
  }
}

interface Envelope {
  /** Replay key: `tts_notification_id`, or for older bodies without one a hash of the bytes. */
  deliveryId: string;
  type: number;
  /** `ORDER_STATUS_CHANGE`…, or `TYPE_<n>` for a number this version does not know. */
  typeName: string;
  shopId?: string;
  /** The envelope's `timestamp`: when TikTok sent it. */
  sentAt?: string;
}

export type TikTokShopNotification =
  | (Envelope & {
      kind: 'order_status';
      orderId: string;
      /** As sent, so a word this version does not know is kept. */
      orderStatus: string;
      /** Its meaning, undefined when unknown. */
      status: TikTokOrderStatus | undefined;
      onHold?: boolean;
      /** `data.update_time`: when the order changed. */
      updatedAt: string;
    })
  | (Envelope & {
      kind: 'package_update';
      /** `COMBINE`, `SPLIT`, `CANCEL_COMBINE`… kept as sent. */
      scType: string;
      roleType?: string;
      packages: { packageId: string; orderIds: string[] }[];
      updatedAt: string;
    })
  /** Any other event type: acknowledged and recorded, nothing else. */
  | (Envelope & { kind: 'other'; orderId?: string });

/**
 * Ids are JSON strings: TikTok's are 18-digit numbers, beyond what a JSON number can carry exactly, and
 * they become Redis keys and job ids, so the same character set as the API's ids is required.
 */
const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9._~-]+$/, 'expected an id of letters, digits and . _ ~ -');
/** Unix seconds up to the year 2100: a millisecond value or garbage is refused rather than misread. */
const unixSeconds = z.number().int().min(0).max(4_102_444_800);
const word = z.string().trim().min(1).max(64);

const envelopeSchema = z.object({
  type: z.number().int().min(0).max(1_000_000),
  tts_notification_id: id.optional(),
  shop_id: id.optional(),
  timestamp: unixSeconds.optional(),
  data: z.unknown().optional(),
});

const orderStatusData = z.object({ order_id: id, order_status: word, update_time: unixSeconds, is_on_hold_order: z.unknown().optional() });

const packageUpdateData = z.object({
  sc_type: word,
  role_type: word.optional(),
  package_list: z.array(z.object({ package_id: id, order_id_list: z.array(id).min(1).max(1000) })).min(1).max(1000),
  update_time: unixSeconds,
});

/** Parses a verified body; throws `WebhookPayloadError` (→ 400) naming the field, never anything untyped. */
export function parseTikTokShopWebhook(rawBody: Buffer): TikTokShopNotification {
  const envelope = validate(envelopeSchema, readJson(rawBody), '');
  const base: Envelope = {
    deliveryId: envelope.tts_notification_id ?? `body-${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`,
    type: envelope.type,
    typeName: TIKTOK_SHOP_EVENT_TYPES[envelope.type] ?? `TYPE_${envelope.type}`,
    ...(envelope.shop_id === undefined ? {} : { shopId: envelope.shop_id }),
    ...(envelope.timestamp === undefined ? {} : { sentAt: isoSeconds(envelope.timestamp) }),
  };
  if (envelope.type === 1) {
    const data = validate(orderStatusData, envelope.data, 'data');
    return {
      ...base,
      kind: 'order_status',
      orderId: data.order_id,
      orderStatus: data.order_status,
      status: tiktokOrderStatus(data.order_status),
      ...(typeof data.is_on_hold_order === 'boolean' ? { onHold: data.is_on_hold_order } : {}),
      updatedAt: isoSeconds(data.update_time),
    };
  }
  if (envelope.type === 4) {
    const data = validate(packageUpdateData, envelope.data, 'data');
    return {
      ...base,
      kind: 'package_update',
      scType: data.sc_type,
      ...(data.role_type === undefined ? {} : { roleType: data.role_type }),
      packages: data.package_list.map((p) => ({ packageId: p.package_id, orderIds: [...new Set(p.order_id_list)] })),
      updatedAt: isoSeconds(data.update_time),
    };
  }
  // Other events are only recorded; their order id is kept when it has the documented shape.
  const orderId = id.safeParse((envelope.data as { order_id?: unknown } | null | undefined)?.order_id);
  return { ...base, kind: 'other', ...(orderId.success ? { orderId: orderId.data } : {}) };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function readJson(rawBody: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(rawBody);
  } catch {
    throw new WebhookPayloadError('The body is not UTF-8 text.', 'body');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookPayloadError('The body is not valid JSON.', 'body');
  }
}

function validate<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].filter((part) => part !== '').join('.');
  const field = path === '' ? 'body' : path;
  throw new WebhookPayloadError(`Invalid TikTok Shop event: ${field}: ${issue?.message ?? 'malformed'}.`, field);
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
