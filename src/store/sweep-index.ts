/**
 * The timer index: one Redis sorted set of non-terminal shipments, member = shipment id, score = the
 * earliest instant (ms) at which a time-driven kind (`delayed`, `stalled`, `not_scanned`) could fire for it.
 * The sweep reads only the due head of this set, so its cost follows the due shipments, never the keyspace.
 *
 * Taking due members moves their score forward by a lease in the same script: two sweeps running at once
 * never take the same member, and a sweep that dies mid-batch loses nothing (the lease runs out).
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { runScript, script } from './scripts.js';

const TAKE_DUE = script(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due do redis.call('ZADD', KEYS[1], ARGV[3], due[i]) end
return due
`);

export interface SweepIndex {
  /** Sets when the shipment is next due; `null` removes it (terminal, or nothing left to wait for). */
  set(shipmentId: string, dueAt: number | null): Promise<void>;
  /** Atomically takes up to `limit` shipments due at `now`, leased until `leaseUntil`. */
  takeDue(now: number, limit: number, leaseUntil: number): Promise<string[]>;
  dueAt(shipmentId: string): Promise<number | null>;
  size(): Promise<number>;
}

export function createSweepIndex(redis: Redis, keys: Keys): SweepIndex {
  const key = `${keys.prefix}:sweep:due`;
  return {
    async set(shipmentId, dueAt) {
      if (dueAt === null) await redis.zrem(key, shipmentId);
      else await redis.zadd(key, Math.round(dueAt), shipmentId);
    },
    async takeDue(now, limit, leaseUntil) {
      return (await runScript(redis, TAKE_DUE, [key], [Math.round(now), limit, Math.round(leaseUntil)])) as string[];
    },
    async dueAt(shipmentId) {
      const score = await redis.zscore(key, shipmentId);
      return score === null ? null : Number(score);
    },
    async size() {
      return redis.zcard(key);
    },
  };
}
