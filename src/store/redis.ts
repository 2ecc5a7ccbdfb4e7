import { Redis } from 'ioredis';

export class RedisPolicyError extends Error {
  readonly code = 'EREDISPOLICY';
}

/**
 * One connection factory for the whole process. BullMQ workers need `maxRetriesPerRequest: null`
 * so a blocking command survives a Redis restart instead of failing the worker.
 */
export function createRedis(url: string, options: { forWorkers?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.forWorkers ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    // Many jobs run at once, each a few commands: commands issued in the same tick share one
    // socket write instead of one syscall each (the largest cost in a worker's profile).
    enableAutoPipelining: !options.forWorkers,
  });
}

/**
 * Queues, idempotency records and shipment state must never be evicted: an evicted idempotency
 * record is a duplicate message, an evicted job is a lost one. Refuse to start otherwise.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
  const policy = reply[1] ?? 'unknown';
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}", but shipment-notifier needs "noeviction" so that no job or idempotency record is ever evicted: run "CONFIG SET maxmemory-policy noeviction" or set it in redis.conf.`,
    );
  }
}
