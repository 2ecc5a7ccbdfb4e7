import type { Redis } from 'ioredis';
import type { Order } from '../domain/types.js';
import { createDocument, readDocument, updateDocument } from './documents.js';
import type { Keys } from './keys.js';

export interface OrderStore {
  get(id: string): Promise<Order | null>;
  /** Stores the order unless it exists; returns the stored one either way. */
  createIfAbsent(order: Order): Promise<{ order: Order; created: boolean }>;
  addShipment(orderId: string, shipmentId: string): Promise<boolean>;
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
  };
}
