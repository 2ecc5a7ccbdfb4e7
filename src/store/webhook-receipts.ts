import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** How long a delivered webhook id is remembered; providers retry for hours, not weeks. @defaultValue 7 days */
const RECEIPT_TTL_SECONDS = 7 * 24 * 3600;

/** Remembers webhook delivery ids so a replayed delivery is answered 200 and enqueues nothing. */
export interface WebhookReceipts {
  /** True when this id is seen for the first time (and is now recorded). */
  firstSeen(source: string, id: string): Promise<boolean>;
  forget(source: string, id: string): Promise<void>;
}

export function createWebhookReceipts(redis: Redis, keys: Keys): WebhookReceipts {
  return {
    async firstSeen(source, id) {
      return (await redis.set(keys.webhookReceipt(source, id), '1', 'EX', RECEIPT_TTL_SECONDS, 'NX')) === 'OK';
    },
    async forget(source, id) {
      await redis.del(keys.webhookReceipt(source, id));
    },
  };
}
