/**
 * The scheduler tick and the poll processor on a real Redis and real BullMQ queues, polling the carrier
 * simulator. No workers run here: each step is called directly so that its effect can be read exactly.
 */
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newShipmentState } from '../../src/domain/shipment.js';
import type { ShipmentState } from '../../src/domain/types.js';
import { CarrierRateLimitedError, CarrierUnavailableError } from '../../src/ingest/carriers/errors.js';
import { createCarrierAdapters } from '../../src/ingest/carriers/registry.js';
import type { CarrierSlug } from '../../src/ingest/carriers/types.js';
import { createLogger } from '../../src/log.js';
import { pollQueueName } from '../../src/queues/names.js';
import { createPollingHook, limiterFor, pollBackoff, processPoll, runSchedulerTick, type PollContext } from '../../src/queues/poll.js';
import { createQueues, type Queues } from '../../src/queues/queues.js';
import { createKeys } from '../../src/store/keys.js';
import { createPollSchedule, type PollSchedule } from '../../src/store/poll-schedule.js';
import { createShipmentStore, type ShipmentStore } from '../../src/store/shipments.js';
import { SIMULATOR_CREDENTIALS, startCarrierSimulator, type CarrierSimulator } from '../../src/simulator/server.js';
import { dropPrefix, REDIS_URL, TEST_EPOCH } from '../support/app.js';

const HOUR = 3_600_000;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const prefixes: string[] = [];

let sim: CarrierSimulator;
let clock: number;
let schedule: PollSchedule;
let shipments: ShipmentStore;
let queues: Queues;
let pollQueues: Map<CarrierSlug, Queue>;
let ctx: PollContext;

beforeEach(async () => {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  const keys = createKeys(prefix);
  clock = TEST_EPOCH;
  sim = await startCarrierSimulator({ now: () => new Date(clock) });
  schedule = createPollSchedule(redis, keys);
  shipments = createShipmentStore(redis, keys);
  queues = createQueues(redis, keys.bullPrefix);
  const adapters = createCarrierAdapters(
    {
      ups: { ...SIMULATOR_CREDENTIALS.ups, baseUrl: sim.urls.ups },
      dhl: { ...SIMULATOR_CREDENTIALS.dhl, baseUrl: sim.urls.dhl },
      fedex: { apiKey: 'wrong', secretKey: 'wrong', baseUrl: sim.urls.fedex },
    },
    { timeoutMs: 2000 },
  );
  pollQueues = new Map([...adapters.keys()].map((c) => [c, new Queue(pollQueueName(c), { connection: redis, prefix: keys.bullPrefix })]));
  ctx = {
    deps: { stores: { shipments } as PollContext['deps']['stores'], queues, now: () => new Date(clock), logger: createLogger('silent') },
    options: { adapters, schedule, intervalMinutes: 120, rateLimits: { usps: 1, ups: 1, fedex: 1, dhl: 1 }, batchSize: 100, maxBacklog: 1000, leaseMs: 30 * 60_000 },
    queues: pollQueues,
  };
});

afterEach(async () => {
  await sim.close();
  await Promise.all([...pollQueues.values()].map((q) => q.close()));
  await queues.close();
});

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
  await redis.quit();
});

async function shipment(carrier: CarrierSlug, trackingNumber: string, id = `shp_${trackingNumber}`): Promise<ShipmentState> {
  const state = newShipmentState({ id, orderId: 'order-1', carrier, trackingNumber, trackingUrl: 'https://example.com/t' }, new Date(clock));
  await shipments.create(state);
  return state;
}

async function updateJobs() {
  return (await queues.all[0]!.getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.data as { updateId: string; update: { source: string; status: string; events: unknown[] } });
}

describe('runSchedulerTick', () => {
  it('moves due shipments onto their carrier queue in batches, each once, and leaves the rest', async () => {
    for (let i = 0; i < 250; i++) await schedule.schedule('ups', `shp_${i}`, clock - 1000);
    await schedule.schedule('ups', 'not_yet', clock + HOUR);
    await schedule.schedule('usps', 'unpolled_carrier', clock - 1000);

    expect(await runSchedulerTick(ctx)).toEqual({ ups: 250 });
    const queued = await pollQueues.get('ups')!.getJobs(['waiting']);
    expect(queued).toHaveLength(250);
    expect(new Set(queued.map((j) => j.data.shipmentId)).size).toBe(250);
    expect(queued[0]?.data).toMatchObject({ carrier: 'ups', dueAt: clock - 1000 });
    expect(await schedule.dueAt('ups', 'not_yet')).toBe(clock + HOUR);
    // A carrier without credentials is not polled; its entry just stays.
    expect(await schedule.dueAt('usps', 'unpolled_carrier')).toBe(clock - 1000);
    // Leased: the next tick finds nothing due.
    expect(await runSchedulerTick(ctx)).toEqual({});
  });

  it('does not queue a shipment twice while its poll is still waiting, even after the lease ran out', async () => {
    await schedule.schedule('dhl', 'shp_1', clock - 1000);
    await runSchedulerTick(ctx);
    clock += 31 * 60_000;
    expect(await runSchedulerTick(ctx)).toEqual({ dhl: 1 });
    expect(await pollQueues.get('dhl')!.getWaitingCount()).toBe(1);
  });

  it('concurrent ticks never queue the same shipment twice', async () => {
    for (let i = 0; i < 300; i++) await schedule.schedule('ups', `shp_${i}`, clock - 1000);
    const moved = await Promise.all(Array.from({ length: 5 }, () => runSchedulerTick({ ...ctx, options: { ...ctx.options, batchSize: 37 } })));
    expect(moved.reduce((sum, m) => sum + (m.ups ?? 0), 0)).toBe(300);
    const queued = await pollQueues.get('ups')!.getJobs(['waiting']);
    expect(new Set(queued.map((j) => j.data.shipmentId)).size).toBe(300);
    expect(queued).toHaveLength(300);
  });

  it('stops filling a carrier queue at its backlog limit; the rest stay due', async () => {
    for (let i = 0; i < 50; i++) await schedule.schedule('ups', `shp_${i}`, clock - 1000);
    const small = { ...ctx, options: { ...ctx.options, batchSize: 10, maxBacklog: 25 } };
    expect(await runSchedulerTick(small)).toEqual({ ups: 25 });
    expect(await runSchedulerTick(small)).toEqual({});
    expect((await schedule.takeDue('ups', clock, 100, clock + HOUR)).length).toBe(25);
  });
});

describe('processPoll', () => {
  it('enqueues the normalized update under a content id and schedules the next poll by status', async () => {
    const s = await shipment('ups', '1ZSIM0010300000017');
    await schedule.schedule('ups', s.id, clock);
    expect(await processPoll(ctx, { carrier: 'ups', shipmentId: s.id, dueAt: clock })).toBe('polled');
    const [job] = await updateJobs();
    expect(job?.updateId).toMatch(/^ups-[0-9a-f]{32}$/);
    expect(job?.update).toMatchObject({ shipmentId: s.id, source: 'ups', status: 'label_created' });
    // Before the first scan: three times the base interval.
    expect(await schedule.dueAt('ups', s.id)).toBe(clock + 6 * HOUR);

    clock += 6 * HOUR;
    await processPoll(ctx, { carrier: 'ups', shipmentId: s.id, dueAt: clock });
    expect(await schedule.dueAt('ups', s.id)).toBe(clock + 2 * HOUR);
  });

  it('the same carrier answer twice is one update job', async () => {
    const s = await shipment('ups', '1ZSIM0010300000053');
    await schedule.schedule('ups', s.id, clock);
    await processPoll(ctx, { carrier: 'ups', shipmentId: s.id, dueAt: clock });
    await processPoll(ctx, { carrier: 'ups', shipmentId: s.id, dueAt: clock });
    expect(await updateJobs()).toHaveLength(1);
  });

  it('stops polling when the carrier reports a terminal status', async () => {
    const s = await shipment('dhl', '1000012344');
    await schedule.schedule('dhl', s.id, clock);
    for (let i = 0; i < 4; i++) {
      await processPoll(ctx, { carrier: 'dhl', shipmentId: s.id, dueAt: clock });
      expect(await schedule.dueAt('dhl', s.id)).not.toBeNull();
      clock += HOUR;
    }
    await processPoll(ctx, { carrier: 'dhl', shipmentId: s.id, dueAt: clock });
    expect((await updateJobs()).map((j) => j.update.status).sort()).toEqual(['delivered', 'in_transit', 'in_transit', 'label_created', 'out_for_delivery']);
    expect(await schedule.dueAt('dhl', s.id)).toBeNull();
  });

  it('a number the carrier does not know yet: no update, asked again at the pre-scan interval', async () => {
    const s = await shipment('ups', '1Z999AA10123456784');
    await schedule.schedule('ups', s.id, clock);
    expect(await processPoll(ctx, { carrier: 'ups', shipmentId: s.id, dueAt: clock })).toBe('not_found');
    expect(await updateJobs()).toEqual([]);
    expect(await schedule.dueAt('ups', s.id)).toBe(clock + 6 * HOUR);
  });

  it('does not ask the carrier about a shipment that is terminal, webhook-fed or gone, and unschedules it', async () => {
    const done = await shipment('ups', '1ZSIM0010300000026');
    await shipments.commit(0, { ...done, status: 'delivered' }, []);
    const fed = await shipment('ups', '1ZSIM0010300000035');
    await schedule.markWebhookFed('ups', fed.id, 'easypost');
    for (const id of [done.id, fed.id, 'shp_missing']) await schedule.schedule('ups', id, clock);

    expect(await processPoll(ctx, { carrier: 'ups', shipmentId: done.id, dueAt: clock })).toBe('terminal');
    expect(await processPoll(ctx, { carrier: 'ups', shipmentId: fed.id, dueAt: clock })).toBe('webhook_fed');
    expect(await processPoll(ctx, { carrier: 'ups', shipmentId: 'shp_missing', dueAt: clock })).toBe('gone');
    expect(sim.requests).toEqual([]);
    expect(await schedule.size('ups')).toBe(0);
  });

  it('refused credentials fail the job for good; the lease brings the shipment back later', async () => {
    const s = await shipment('fedex', '700000012345');
    await schedule.takeDue('fedex', clock, 1, clock + 30 * 60_000);
    await schedule.schedule('fedex', s.id, clock + 30 * 60_000);
    const failure = processPoll(ctx, { carrier: 'fedex', shipmentId: s.id, dueAt: clock });
    await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(failure).rejects.toThrow(/AUTH_FAILED/);
    expect(await schedule.dueAt('fedex', s.id)).toBe(clock + 30 * 60_000);
  });

  it('429 and 5xx are thrown as they are, for the job to retry with backoff', async () => {
    const s = await shipment('dhl', '1000091536');
    sim.failNext('dhl', { status: 429, retryAfter: '20' });
    sim.failNext('dhl', { status: 502 });
    await expect(processPoll(ctx, { carrier: 'dhl', shipmentId: s.id, dueAt: clock })).rejects.toBeInstanceOf(CarrierRateLimitedError);
    await expect(processPoll(ctx, { carrier: 'dhl', shipmentId: s.id, dueAt: clock })).rejects.toBeInstanceOf(CarrierUnavailableError);
    expect(await processPoll(ctx, { carrier: 'dhl', shipmentId: s.id, dueAt: clock })).toBe('polled');
  });
});

describe('pollBackoff and limiterFor', () => {
  it("waits at least the carrier's Retry-After, else backs off exponentially with jitter", () => {
    const limited = new CarrierRateLimitedError({ carrier: 'ups', retryAfterMs: 20_000 });
    for (let i = 0; i < 20; i++) {
      const wait = pollBackoff(1, 'jitter', limited);
      expect(wait).toBeGreaterThanOrEqual(20_000);
      expect(wait).toBeLessThan(20_250);
    }
    const outage = new CarrierUnavailableError('down', { carrier: 'ups' });
    expect(pollBackoff(1, 'jitter', outage)).toBeLessThanOrEqual(1000);
    const fourth = pollBackoff(4, 'jitter', outage);
    expect(fourth).toBeGreaterThanOrEqual(4000);
    expect(fourth).toBeLessThanOrEqual(8000);
  });

  it('turns a rate per second into whole jobs per window', () => {
    expect(limiterFor(10)).toEqual({ max: 10, duration: 1000 });
    expect(limiterFor(0.2)).toEqual({ max: 1, duration: 5000 });
    expect(limiterFor(0.016)).toEqual({ max: 1, duration: 62_500 });
    expect(limiterFor(2.5)).toEqual({ max: 1, duration: 400 });
  });
});

describe('createPollingHook', () => {
  it('schedules by status, stops at a terminal one, and stops for good on a webhook source', async () => {
    const hook = createPollingHook(schedule, new Set(['ups']), 120, () => new Date(clock));
    const s = await shipment('ups', '1ZSIM0010300000044');
    await hook.afterUpdate({ ...s, status: 'label_created' }, { shipmentId: s.id, status: 'label_created', events: [], source: 'api' });
    expect(await schedule.dueAt('ups', s.id)).toBe(clock + 6 * HOUR);
    await hook.afterUpdate({ ...s, status: 'out_for_delivery' }, { shipmentId: s.id, status: 'out_for_delivery', events: [], source: 'ups' });
    expect(await schedule.dueAt('ups', s.id)).toBe(clock + 30 * 60_000);
    await hook.afterUpdate({ ...s, status: 'delivered' }, { shipmentId: s.id, status: 'delivered', events: [], source: 'ups' });
    expect(await schedule.dueAt('ups', s.id)).toBeNull();

    const other = await shipment('ups', '1ZSIM0010300000053');
    await hook.afterUpdate({ ...other, status: 'in_transit' }, { shipmentId: other.id, status: 'in_transit', events: [], source: 'api' });
    await hook.afterUpdate({ ...other, status: 'in_transit' }, { shipmentId: other.id, status: 'in_transit', events: [], source: 'aftership' });
    expect(await schedule.dueAt('ups', other.id)).toBeNull();
    expect(await schedule.webhookSource(other.id)).toBe('aftership');
    await hook.afterUpdate({ ...other, status: 'out_for_delivery' }, { shipmentId: other.id, status: 'out_for_delivery', events: [], source: 'api' });
    expect(await schedule.dueAt('ups', other.id)).toBeNull();
  });

  it('leaves shipments of carriers that are not polled alone', async () => {
    const hook = createPollingHook(schedule, new Set(['ups']), 120, () => new Date(clock));
    const s = await shipment('dhl', '1000170721');
    await hook.afterUpdate({ ...s, status: 'in_transit' }, { shipmentId: s.id, status: 'in_transit', events: [], source: 'api' });
    expect(await schedule.size('dhl')).toBe(0);
  });
});
