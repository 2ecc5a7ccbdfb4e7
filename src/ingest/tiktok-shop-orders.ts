/**
 * What TikTok Shop events do to a stored order, as pure functions that mutate the order in place so
 * that the store can run them inside its compare-and-set loop (`OrderStore.update`).
 *
 * TikTok retries a delivery for hours and does not promise order (partner docs, "Webhooks overview"),
 * so every decision is idempotent and a late, older event never undoes a newer one.
 */
import type { Order, OrderPackage, TrackingUpdate } from '../domain/types.js';
import { TIKTOK_SHOP_SOURCE, tiktokOrderStatus, type TikTokOrderStatus } from './tiktok-shop.js';

export type StatusDecision =
  /** A newer status: stored on the order, its effect carried out. */
  | 'advance'
  /** The status the order already has (a redelivery, or CANCEL after CANCELLED): effects again, idempotent. */
  | 'repeat'
  /** Older than the order's status, or after a cancellation: recorded elsewhere, not acted on. */
  | 'backwards'
  /** A word this version does not know: the order is left as it is. */
  | 'unrecognized';

/** Where `next` stands relative to the order's current marketplace status. */
export function decideOrderStatus(current: string | undefined, next: string): StatusDecision {
  const incoming = tiktokOrderStatus(next);
  if (!incoming) return 'unrecognized';
  const existing = current === undefined ? undefined : tiktokOrderStatus(current);
  if (!existing) return 'advance';
  if (existing.effect === 'cancel') return incoming.effect === 'cancel' ? 'repeat' : 'backwards';
  // A delivered order is not cancelled any more: refunds after delivery are reverse orders (type 2/12).
  if (incoming.effect === 'cancel') return existing.normalized === 'delivered' ? 'backwards' : 'advance';
  return incoming.rank > existing.rank ? 'advance' : incoming.rank === existing.rank ? 'repeat' : 'backwards';
}

/** Stores `status` on the order when it moves it forward; returns the decision. */
export function applyOrderStatus(order: Order, status: string, at: string): StatusDecision {
  const decision = decideOrderStatus(order.marketplaceStatus?.status, status);
  const known = tiktokOrderStatus(status) as TikTokOrderStatus;
  if (decision === 'advance') order.marketplaceStatus = { source: TIKTOK_SHOP_SOURCE, status, normalized: known.normalized, at };
  return decision;
}

/** The tracking update an IN_TRANSIT or DELIVERED order status means for one of its shipments. */
export function shipmentUpdateFor(shipmentId: string, orderStatus: string, status: TikTokOrderStatus, at: string): TrackingUpdate {
  const words = orderStatus.toLowerCase().replaceAll('_', ' ');
  return {
    shipmentId,
    status: status.normalized,
    events: [{ time: at, status: status.normalized, description: `TikTok Shop: order ${words}`, source: TIKTOK_SHOP_SOURCE, rawStatus: orderStatus }],
    source: TIKTOK_SHOP_SOURCE,
  };
}

export type RelinkDecision = 'relinked' | 'unchanged' | 'stale';

export interface RelinkResult {
  decision: RelinkDecision;
  /** Whether the order was mutated and must be written (the time alone may have moved). */
  dirty: boolean;
}

export interface PackageUpdate {
  packages: readonly { packageId: string; orderIds: readonly string[] }[];
  /** `data.update_time`. */
  at: string;
}

/**
 * Re-links the order to the packages of a PACKAGE_UPDATE (split, combine and their undoing). The event is
 * read as the current packing of every order it names: the order's packages become exactly those that list
 * it. A shipment registered under a package's id (`POST /v1/shipments` with `shipmentId` = package id) is
 * linked to the order, and one whose package no longer carries the order is unlinked, so an IN_TRANSIT for
 * the order moves the parcels that really carry it. Other shipments are left alone.
 *
 * @param shipmentIds package ids that are registered shipments
 */
export function relinkPackages(order: Order, update: PackageUpdate, shipmentIds: ReadonlySet<string>): RelinkResult {
  if (order.packagesUpdatedAt !== undefined && Date.parse(update.at) < Date.parse(order.packagesUpdatedAt)) return { decision: 'stale', dirty: false };
  const packages: OrderPackage[] = update.packages
    .filter((p) => p.orderIds.includes(order.orderId))
    .map((p) => ({ packageId: p.packageId, orderIds: [...new Set(p.orderIds)].sort() }))
    .sort((a, b) => (a.packageId < b.packageId ? -1 : a.packageId > b.packageId ? 1 : 0));
  const kept = new Set(packages.map((p) => p.packageId));
  const dropped = new Set((order.packages ?? []).map((p) => p.packageId).filter((packageId) => !kept.has(packageId)));
  const linked = order.shipmentIds.filter((id) => !dropped.has(id));
  for (const packageId of kept) if (shipmentIds.has(packageId) && !linked.includes(packageId)) linked.push(packageId);

  const changed = JSON.stringify([packages, linked]) !== JSON.stringify([order.packages ?? [], order.shipmentIds]);
  // The time moves on even when nothing else changes, so that an older event arriving later stays stale.
  const dirty = changed || order.packagesUpdatedAt !== update.at;
  order.packages = packages;
  order.shipmentIds = linked;
  order.packagesUpdatedAt = update.at;
  return { decision: changed ? 'relinked' : 'unchanged', dirty };
}
