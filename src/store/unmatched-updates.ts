import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** A webhook delivery about a parcel we could not match to a shipment: kept so an operator can see it. */
export interface UnmatchedUpdate {
  source: string;
  deliveryId: string;
  trackingNumber: string;
  carrier?: string;
  status: string;
  /** `unknown_tracking_number` (valid, but no shipment has it) or `invalid_tracking_number`. */
  reason: 'unknown_tracking_number' | 'invalid_tracking_number';
  receivedAt: string;
}

/** The newest this many are kept; older ones are dropped. @defaultValue 1000 */
const KEEP = 1000;

export interface UnmatchedUpdateStore {
  add(entry: UnmatchedUpdate): Promise<void>;
  list(source?: string, limit?: number): Promise<UnmatchedUpdate[]>;
}

export function createUnmatchedUpdateStore(redis: Redis, keys: Keys): UnmatchedUpdateStore {
  const key = `${keys.prefix}:unmatched-updates`;
  return {
    async add(entry) {
      await redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, KEEP - 1).exec();
    },
    async list(source, limit = 100) {
      const raw = await redis.lrange(key, 0, KEEP - 1);
      return raw
        .map((r) => JSON.parse(r) as UnmatchedUpdate)
        .filter((u) => !source || u.source === source)
        .slice(0, limit);
    },
  };
}
