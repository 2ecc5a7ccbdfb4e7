/** The polling schedule on a real Redis, under a random key prefix. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/store/keys.js';
import { createPollSchedule, WEBHOOK_FED_TTL_SECONDS, type PollSchedule } from '../../src/store/poll-schedule.js';
import { dropPrefix, REDIS_URL } from '../support/app.js';

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
let schedule: PollSchedule;
let prefix: string;

beforeEach(() => {
  prefix = `t${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  schedule = createPollSchedule(redis, createKeys(prefix));
});

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
  await redis.quit();
});

describe('poll schedule', () => {
  it('schedules, and only ever brings an entry forward', async () => {
    expect(await schedule.schedule('ups', 'shp_1', 5000)).toBe(true);
    await schedule.schedule('ups', 'shp_1', 9000);
    expect(await schedule.dueAt('ups', 'shp_1')).toBe(5000);
    await schedule.schedule('ups', 'shp_1', 1000);
    expect(await schedule.dueAt('ups', 'shp_1')).toBe(1000);
    expect(await schedule.dueAt('fedex', 'shp_1')).toBeNull();
  });

  it('reschedule sets the time of an entry still there, and adds nothing once it was removed', async () => {
    await schedule.schedule('dhl', 'shp_1', 1000);
    expect(await schedule.reschedule('dhl', 'shp_1', 9000)).toBe(true);
    expect(await schedule.dueAt('dhl', 'shp_1')).toBe(9000);
    await schedule.unschedule('dhl', 'shp_1');
    expect(await schedule.reschedule('dhl', 'shp_1', 9000)).toBe(false);
    expect(await schedule.dueAt('dhl', 'shp_1')).toBeNull();
  });

  it('takes due entries in batches, oldest first, and leases them', async () => {
    for (let i = 0; i < 25; i++) await schedule.schedule('usps', `shp_${String(i).padStart(2, '0')}`, 1000 + i);
    await schedule.schedule('usps', 'later', 10_000);
    const first = await schedule.takeDue('usps', 5000, 10, 60_000);
    expect(first.map((t) => t.shipmentId)).toEqual(Array.from({ length: 10 }, (_, i) => `shp_${String(i).padStart(2, '0')}`));
    expect(first[0]?.dueAt).toBe(1000);
    expect(await schedule.dueAt('usps', 'shp_00')).toBe(60_000);
    expect(await schedule.takeDue('usps', 5000, 100, 60_000)).toHaveLength(15);
    expect(await schedule.takeDue('usps', 5000, 100, 60_000)).toEqual([]);
    // The lease runs out: a poll that never rescheduled comes due again (with `later`, due by then too).
    expect(await schedule.takeDue('usps', 60_000, 100, 120_000)).toHaveLength(26);
    expect(await schedule.size('usps')).toBe(26);
  });

  it('never gives the same entry to two schedulers taking at once', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `shp_${i}`);
    await redis.zadd(`${prefix}:poll:due:ups`, ...ids.flatMap((id, i) => [String(i), id]));
    const batches = await Promise.all(Array.from({ length: 20 }, () => schedule.takeDue('ups', 5000, 73, 60_000)));
    const taken = batches.flat().map((t) => t.shipmentId);
    expect(taken).toHaveLength(1000);
    expect(new Set(taken).size).toBe(1000);
  });

  it('a webhook-fed shipment leaves the schedule and cannot be put back', async () => {
    await schedule.schedule('fedex', 'shp_1', 1000);
    await schedule.markWebhookFed('fedex', 'shp_1', 'aftership');
    expect(await schedule.dueAt('fedex', 'shp_1')).toBeNull();
    expect(await schedule.webhookSource('shp_1')).toBe('aftership');
    expect(await schedule.schedule('fedex', 'shp_1', 500)).toBe(false);
    expect(await schedule.reschedule('fedex', 'shp_1', 500)).toBe(false);
    expect(await schedule.dueAt('fedex', 'shp_1')).toBeNull();
    const ttl = await redis.ttl(`${prefix}:poll:webhook-fed:shp_1`);
    expect(ttl).toBeGreaterThan(WEBHOOK_FED_TTL_SECONDS - 60);
  });
});
