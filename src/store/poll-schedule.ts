/**
 * The polling schedule: one Redis sorted set per carrier, member = shipment id, score = when it is next
 * due (ms since the epoch). A scheduler takes due members in batches with one Lua script that also pushes
 * their score forward by a lease, so two schedulers never take the same member, and a poll that is lost
 * (worker killed, job failed for good) comes due again when the lease runs out instead of never.
 *
 * A shipment fed by a webhook source (AfterShip, EasyPost, …) is marked as such for `WEBHOOK_FED_TTL_SECONDS`
 * and is never scheduled while marked: the marker and the schedule are changed by one script each, so a
 * reschedule racing a webhook cannot put the shipment back.
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { runScript, script } from './scripts.js';

/** A webhook-fed mark outlives any parcel's journey (carriers keep tracking data about 120 days). @defaultValue 180 days */
export const WEBHOOK_FED_TTL_SECONDS = 180 * 24 * 3600;

/** Takes up to ARGV[2] members due at ARGV[1] and leases them until ARGV[3]. */
const TAKE_DUE = script(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], ARGV[3], due[i]) end
return due
`);

/** Adds the member, or brings it forward (never back): unless the shipment is webhook-fed. */
const SCHEDULE = script(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], 'LT', ARGV[1], ARGV[2])
return 1
`);

const MARK_WEBHOOK_FED = script(`
redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3]))
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`);

export interface DuePoll {
  shipmentId: string;
  /** When it was due (ms). */
  dueAt: number;
}

export interface PollSchedule {
  /**
   * Schedules the shipment for `dueAt`, or brings an existing entry forward to it; an entry already due
   * sooner keeps its time. False when the shipment is webhook-fed (nothing is scheduled).
   */
  schedule(carrier: string, shipmentId: string, dueAt: number): Promise<boolean>;
  /** Sets the next due time of a shipment still on the schedule; false (and nothing added) if it was removed. */
  reschedule(carrier: string, shipmentId: string, dueAt: number): Promise<boolean>;
  unschedule(carrier: string, shipmentId: string): Promise<void>;
  /** Stops polling the shipment for good: a webhook source (`source`) reports on it. */
  markWebhookFed(carrier: string, shipmentId: string, source: string): Promise<void>;
  /** The webhook source that feeds the shipment, or null. */
  webhookSource(shipmentId: string): Promise<string | null>;
  /** Atomically takes up to `limit` shipments due at `now`, leased until `leaseUntil`. */
  takeDue(carrier: string, now: number, limit: number, leaseUntil: number): Promise<DuePoll[]>;
  /** When the shipment is next due, or null when it is not scheduled. */
  dueAt(carrier: string, shipmentId: string): Promise<number | null>;
  size(carrier: string): Promise<number>;
}

export function createPollSchedule(redis: Redis, keys: Keys): PollSchedule {
  const due = (carrier: string) => `${keys.prefix}:poll:due:${carrier}`;
  const fed = (shipmentId: string) => `${keys.prefix}:poll:webhook-fed:${shipmentId}`;
  return {
    async schedule(carrier, shipmentId, dueAt) {
      return (await runScript(redis, SCHEDULE, [due(carrier), fed(shipmentId)], [Math.round(dueAt), shipmentId])) === 1;
    },
    async reschedule(carrier, shipmentId, dueAt) {
      return (await redis.zadd(due(carrier), 'XX', 'CH', Math.round(dueAt), shipmentId)) === 1 || (await redis.zscore(due(carrier), shipmentId)) !== null;
    },
    async unschedule(carrier, shipmentId) {
      await redis.zrem(due(carrier), shipmentId);
    },
    async markWebhookFed(carrier, shipmentId, source) {
      await runScript(redis, MARK_WEBHOOK_FED, [due(carrier), fed(shipmentId)], [shipmentId, source, WEBHOOK_FED_TTL_SECONDS]);
    },
    async webhookSource(shipmentId) {
      return redis.get(fed(shipmentId));
    },
    async takeDue(carrier, now, limit, leaseUntil) {
      const flat = (await runScript(redis, TAKE_DUE, [due(carrier)], [Math.round(now), limit, Math.round(leaseUntil)])) as string[];
      const taken: DuePoll[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) taken.push({ shipmentId: flat[i]!, dueAt: Number(flat[i + 1]) });
      return taken;
    },
    async dueAt(carrier, shipmentId) {
      const score = await redis.zscore(due(carrier), shipmentId);
      return score === null ? null : Number(score);
    },
    async size(carrier) {
      return redis.zcard(due(carrier));
    },
  };
}
