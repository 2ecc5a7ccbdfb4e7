import type { Redis } from 'ioredis';
import type { Order } from '../domain/types.js';
import { createDocument, readDocument, updateDocument } from './documents.js';
import type { Keys } from './keys.js';
import { createMarketplaceEventStore, type MarketplaceEventStore } from './marketplace-events.js';

export interface OrderStore {
  get(id: string): Promise<Order | null>;
  /** Stores the order unless it exists; returns the stored one either way. */
  createIfAbsent(order: Order): Promise<{ order: Order; created: boolean }>;
  addShipment(orderId: string, shipmentId: string): Promise<boolean>;
  /**
   * Applies `change` (which mutates the order and returns whether anything changed) by compare-and-set,
   * calling it again on a fresh copy if someone committed in between. Null when there is no such order.
   */
  update(orderId: string, change: (order: Order) => boolean): Promise<Order | null>;
  /**
   * What marketplaces told us about orders, including orders not registered (yet): kept beside the
   * orders because that is where an operator looks when an order did not move.
   */
  readonly marketplaceEvents: MarketplaceEventStore;
}

export function createOrderStore(redis: Redis, keys: Keys): OrderStore {
  const get = async (id: string) => (await readDocument<Order>(redis, keys.order(id)))?.doc ?? null;
  return {
    get,
    async createIfAbsent(order) {
      if (await createDocument(redis, keys.order(order.orderId), order)) return { order, created: true };
      return { order: (await get(order.orderId)) ?? order, created: false };
    },
    async addShipment(orderId, shipmentId) {
      const order = await updateDocument<Order>(redis, keys.order(orderId), (o) => {
        if (o.shipmentIds.includes(shipmentId)) return false;
        o.shipmentIds.push(shipmentId);
        return true;
      });
      return order !== null;
    },
    update(orderId, change) {
      return updateDocument<Order>(redis, keys.order(orderId), change);
    },
    marketplaceEvents: createMarketplaceEventStore(redis, keys),
  };
}
