import type { Redis } from 'ioredis';
import type { ShipmentState, Trigger } from '../domain/types.js';
import { readDocument } from './documents.js';
import { runScript, script } from './scripts.js';
import type { Keys } from './keys.js';

/**
 * Compare-and-set of a shipment's state. The diff runs in TypeScript (it is pure and tested there);
 * Redis only checks that nobody committed in between, and in the same step records the triggers the
 * diff produced as "pending", so a crash before they are enqueued cannot lose them.
 */
const COMMIT = script(`
local current = redis.call('HGET', KEYS[1], 'version')
if current == false then current = '-1' end
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'doc', ARGV[3])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
`);

/** Registers a shipment once per (carrier, tracking number); returns the id that owns the number. */
const CREATE = script(`
local owner = redis.call('GET', KEYS[2])
if owner then return {owner, 0} end
if redis.call('HSETNX', KEYS[1], 'doc', ARGV[2]) == 0 then return {'', 0} end
redis.call('HSET', KEYS[1], 'version', '0')
redis.call('SET', KEYS[2], ARGV[1])
return {ARGV[1], 1}
`);

export interface PendingTrigger extends Trigger {
  shipmentId: string;
  /** Identifies the update that caused it, for the notification trail. */
  updateId: string;
  at: string;
  /** When the update that fired it reached us, for the update-to-send latency. */
  receivedAt?: string;
}

export interface ShipmentStore {
  get(id: string): Promise<ShipmentState | null>;
  /**
   * Creates the shipment unless its tracking number is registered already. `owner` is the shipment
   * that holds the number (null when `state.id` exists with another number); `created` is true only
   * for the call that created it.
   */
  create(state: ShipmentState): Promise<{ owner: string | null; created: boolean }>;
  findByTrackingNumber(carrier: string, trackingNumber: string): Promise<string | null>;
  /**
   * Stores `next` (as version `expectedVersion + 1`) if the stored version is still `expectedVersion`;
   * false means someone else committed first and the caller must re-read and diff again.
   */
  commit(expectedVersion: number, next: ShipmentState, triggers: PendingTrigger[]): Promise<boolean>;
  pending(id: string): Promise<PendingTrigger[]>;
  clearPending(id: string, keys: string[]): Promise<void>;
}

export function createShipmentStore(redis: Redis, keys: Keys): ShipmentStore {
  return {
    async get(id) {
      return (await readDocument<ShipmentState>(redis, keys.shipment(id)))?.doc ?? null;
    },
    async create(state) {
      const [owner, created] = (await runScript(redis, CREATE, [keys.shipment(state.id), keys.trackingIndex(state.carrier, state.trackingNumber)], [state.id, JSON.stringify(state)])) as [string, number];
      return { owner: owner === '' ? null : owner, created: created === 1 };
    },
    async findByTrackingNumber(carrier, trackingNumber) {
      return redis.get(keys.trackingIndex(carrier, trackingNumber));
    },
    async commit(expectedVersion, next, triggers) {
      next.version = expectedVersion + 1;
      const args: string[] = [String(expectedVersion), String(next.version), JSON.stringify(next)];
      for (const t of triggers) args.push(t.key, JSON.stringify(t));
      const ok = await runScript(redis, COMMIT, [keys.shipment(next.id), keys.shipmentPending(next.id)], args);
      return ok === 1;
    },
    async pending(id) {
      const all = await redis.hgetall(keys.shipmentPending(id));
      return Object.values(all).map((v) => JSON.parse(v) as PendingTrigger);
    },
    async clearPending(id, triggerKeys) {
      if (triggerKeys.length > 0) await redis.hdel(keys.shipmentPending(id), ...triggerKeys);
    },
  };
}
