import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { runScript, script } from './scripts.js';

/**
 * The record that makes sending effectively-once. A channel job first looks for the "sent" record
 * and stops if it exists; otherwise it takes a short "sending" lease so a second copy of the job
 * (BullMQ stalled-job recovery while the first is still talking to the provider) waits instead of
 * sending too. The only window left is a crash after the provider accepted the message and before
 * `markSent` ran: then the retry sends again. That window is documented in the README.
 */
export interface IdempotencyStore {
  sentRecord(notificationId: string): Promise<string | null>;
  /** @returns a token to release with, or null if another sender holds the lease. */
  acquire(notificationId: string, leaseMs: number): Promise<string | null>;
  release(notificationId: string, token: string): Promise<void>;
  markSent(notificationId: string, providerId: string): Promise<void>;
}

const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Sent records outlive any retry or redelivery window by far. @defaultValue 30 days */
const SENT_TTL_SECONDS = 30 * 24 * 3600;

export function createIdempotencyStore(redis: Redis, keys: Keys): IdempotencyStore {
  return {
    sentRecord: (id) => redis.get(keys.sent(id)),
    async acquire(id, leaseMs) {
      const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      const ok = await redis.set(keys.sending(id), token, 'PX', leaseMs, 'NX');
      return ok === 'OK' ? token : null;
    },
    async release(id, token) {
      await runScript(redis, RELEASE, [keys.sending(id)], [token]);
    },
    async markSent(id, providerId) {
      await redis.set(keys.sent(id), providerId || 'sent', 'EX', SENT_TTL_SECONDS);
    },
  };
}
