/**
 * Core data shapes shared by every layer. Pure types: no I/O, no behaviour.
 * Times are ISO-8601 strings in UTC (`2026-11-22T10:00:00.000Z`) so that state round-trips through JSON.
 */
import type { ShipmentStatus, SubStatus } from './status.js';

/** One carrier scan or status change, as normalized from any source. */
export interface TrackingEvent {
  time: string;
  status: ShipmentStatus;
  subStatus?: SubStatus;
  description: string;
  location?: string;
  /** Where the event came from: `api`, `generic`, `tiktok-shop`, `aftership`, a carrier poller… */
  source: string;
  rawStatus?: string;
  rawSubStatus?: string;
  rawCode?: string;
}

/** Proof of delivery, when the carrier gives any. */
export interface DeliveryProof {
  time?: string;
  signedBy?: string;
  photoUrl?: string;
  location?: string;
}

/** A normalized tracking update: a snapshot of what a source knows about one shipment. */
export interface TrackingUpdate {
  shipmentId: string;
  status: ShipmentStatus;
  subStatus?: SubStatus;
  /** Carrier's current estimated delivery (ISO time or date). */
  estimatedDelivery?: string;
  events: TrackingEvent[];
  proof?: DeliveryProof;
  source: string;
}

/** The stored state of one shipment. */
export interface ShipmentState {
  id: string;
  orderId: string;
  /** Carrier slug: `ups`, `usps`, `fedex`, `dhl`… */
  carrier: string;
  /** Carrier as people write it (`UPS`, `FedEx`), for messages. */
  carrierName?: string;
  trackingNumber: string;
  trackingUrl: string;
  status: ShipmentStatus;
  subStatus?: SubStatus;
  /** Current ETA as last reported. */
  eta?: string;
  /** Events, merged in time order, unique by fingerprint. */
  events: TrackingEvent[];
  /** Keys (`kind:discriminator`) of notifications already fired for this shipment (SPEC rule 6). */
  fired: string[];
  /** Number of delivery attempts seen. */
  attempts: number;
  proof?: DeliveryProof;
  /** Time of the most recent carrier scan (a label is not a scan). */
  lastScanAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency counter, bumped on every stored change. */
  version: number;
}

export const NOTIFICATION_KINDS = [
  'order_confirmed',
  'order_cancelled',
  'label_created',
  'shipped',
  'in_transit_update',
  'delayed',
  'out_for_delivery',
  'delivery_attempted',
  'available_for_pickup',
  'exception',
  'delivered',
  'returned_to_sender',
  'lost',
  'stalled',
  'not_scanned',
  'invalid_tracking_number',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notification the diff decided to fire; fan-out turns it into per-recipient, per-channel messages. */
export interface Trigger {
  kind: NotificationKind;
  /** Sub-status, attempt number, ETA date…; `-` when the kind has none (SPEC rule 6). */
  discriminator: string;
  /** `kind:discriminator`, unique per shipment. */
  key: string;
}

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const ROLES = ['buyer', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Per-kind channel override: `true` forces on, `false` forces off, absent defers. */
export type KindChannels = Partial<Record<ChannelName, boolean>>;

export interface QuietHours {
  /** `HH:MM`, local to the recipient. */
  start: string;
  end: string;
}

export interface Preferences {
  channels?: Partial<Record<ChannelName, { enabled: boolean }>>;
  kinds?: Partial<Record<NotificationKind, KindChannels>>;
  quietHours?: QuietHours;
}

/** Browser PushSubscription JSON. */
export interface PushSubscriptionJSON {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export interface Recipient {
  id: string;
  role: Role;
  name: string;
  email?: string;
  /** E.164. */
  phone?: string;
  /** BCP 47; falls back to `en`. */
  locale: string;
  /** IANA time zone. */
  timezone: string;
  pushSubscriptions: PushSubscriptionJSON[];
  preferences: Preferences;
  /** Suppressions: set by unsubscribe, bounce, STOP, provider errors. */
  suppressed?: Partial<Record<ChannelName, { reason: string; at: string }>>;
}

export interface OrderItem {
  name: string;
  quantity: number;
  price: number;
}

export interface Order {
  orderId: string;
  buyerId: string;
  sellerId: string;
  items: OrderItem[];
  total: number;
  currency: string;
  createdAt: string;
  shipmentIds: string[];
  /** The marketplace's own status for the order, as last accepted (TikTok Shop `order_status`). */
  marketplaceStatus?: MarketplaceOrderStatus;
  /** The marketplace's parcels that carry this order, after splits and combines. */
  packages?: OrderPackage[];
  /** When the marketplace last re-packed the order; an older package update is stale. */
  packagesUpdatedAt?: string;
}

export interface MarketplaceOrderStatus {
  /** `tiktok-shop`. */
  source: string;
  /** The marketplace's word, as sent (`AWAITING_SHIPMENT`). */
  status: string;
  /** Its row in SPEC's status table. */
  normalized: ShipmentStatus;
  /** When the marketplace says the order changed. */
  at: string;
}

export interface OrderPackage {
  /** The marketplace's package id; a shipment registered with this id is linked to the order. */
  packageId: string;
  /** Every order the package carries: more than one after a combine. */
  orderIds: string[];
}

export const NOTIFICATION_STATUSES = [
  'queued',
  'held',
  'sent',
  'delivered',
  'failed',
  'suppressed',
  'skipped',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
