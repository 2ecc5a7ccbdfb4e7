/**
 * The timer sweep on real Redis and BullMQ: `not_scanned` and `stalled` are found through the timer index
 * (a sorted set the track worker keeps), fire exactly once even when sweeps race, and no key is scanned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweepTick, sweepShipment } from '../../src/queues/sweep.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { createShipmentStore } from '../../src/store/shipments.js';
import { createSweepIndex, type SweepIndex } from '../../src/store/sweep-index.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const clock = testClock();
let app: TestApp;
let index: SweepIndex;

beforeAll(async () => {
  // The repeatable tick runs once at start and then not for an hour: the tests drive the sweep themselves.
  app = await startTestApp({ now: clock.now, sweep: { tickMs: HOUR } });
  index = app.deps.sweepIndex!;
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  expect((await app.api('POST', '/v1/orders', order('o-sweep'))).status).toBe(202);
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

async function notifications(shipmentId: string, kind: string): Promise<NotificationRecord[]> {
  const list: NotificationRecord[] = (await app.api('GET', `/v1/notifications?shipmentId=${shipmentId}`)).body.notifications;
  return list.filter((n) => n.kind === kind);
}

async function createShipment(trackingNumber: string): Promise<string> {
  const res = await app.api('POST', '/v1/shipments', { orderId: 'o-sweep', trackingNumber });
  expect(res.status).toBe(201);
  const id: string = res.body.shipmentId;
  await eventually(async () => (await index.dueAt(id)) !== null, 'the track worker to put the shipment on the timer index');
  return id;
}

describe('the timer sweep', () => {
  let unscanned: string;
  let moving: string;

  it('puts a new shipment on the index at its earliest timer (NOT_SCANNED_HOURS after the label)', async () => {
    unscanned = await createShipment(UPS_NUMBERS[0]!);
    const state = (await app.deps.stores.shipments.get(unscanned))!;
    expect(await index.dueAt(unscanned)).toBe(Date.parse(state.createdAt) + app.config.notScannedHours * HOUR);
  });

  it('does nothing before a timer is due', async () => {
    expect(await runSweepTick(app.deps, index)).toEqual({});
    expect(await notifications(unscanned, 'not_scanned')).toEqual([]);
  });

  it('finds a never-scanned label after NOT_SCANNED_HOURS and fires not_scanned once, though sweeps race', async () => {
    clock.advance((app.config.notScannedHours + 1) * HOUR);
    const results = await Promise.all([runSweepTick(app.deps, index), runSweepTick(app.deps, index), sweepShipment(app.deps, index, unscanned), sweepShipment(app.deps, index, unscanned)]);
    const fired = [...Object.values(results[0]).flat(), ...Object.values(results[1]).flat(), ...results[2], ...results[3]];
    expect(fired.filter((key) => key.startsWith('not_scanned'))).toHaveLength(1);
    const records = await eventually(async () => {
      const list = await notifications(unscanned, 'not_scanned');
      return list.length > 0 && list.every((n) => n.status !== 'queued') && list;
    }, 'the not_scanned notification');
    expect(records.filter((n) => n.status !== 'skipped').map((n) => `${n.recipientId}/${n.channel}`)).toEqual(['seller-1/email']);
    expect(records[0]!.causedBy).toMatch(/^timer sweep at /);
    // A later sweep does not fire it again, and the shipment waits for its next timer (stall), not now.
    expect(await sweepShipment(app.deps, index, unscanned)).toEqual([]);
    expect(await index.dueAt(unscanned)).toBeGreaterThan(clock.now().getTime());
  });

  it('finds a parcel with no scan for STALL_HOURS and fires stalled once, though sweeps race', async () => {
    moving = await createShipment(UPS_NUMBERS[1]!);
    const scanAt = clock.now().toISOString();
    await app.api('POST', '/v1/tracking-updates', {
      trackingNumber: UPS_NUMBERS[1],
      status: 'in_transit',
      events: [{ time: scanAt, status: 'in_transit', description: 'Departed facility', location: 'Louisville, KY' }],
    });
    await eventually(async () => (await index.dueAt(moving)) === Date.parse(scanAt) + app.config.stallHours * HOUR, 'the scan to re-score the shipment');
    clock.advance((app.config.stallHours - 1) * HOUR);
    expect(await sweepShipment(app.deps, index, moving)).toEqual([]);

    clock.advance(2 * HOUR);
    const results = await Promise.all([runSweepTick(app.deps, index), runSweepTick(app.deps, index), sweepShipment(app.deps, index, moving)]);
    const fired = [...Object.values(results[0]).flat(), ...Object.values(results[1]).flat(), ...results[2]];
    expect(fired.filter((key) => key.startsWith('stalled'))).toHaveLength(1);
    const records = await eventually(async () => {
      const list = await notifications(moving, 'stalled');
      return list.length >= 2 && list.every((n) => n.status !== 'queued') && list;
    }, 'the stalled notifications');
    expect(records.filter((n) => n.status !== 'skipped').map((n) => `${n.recipientId}/${n.channel}`).sort()).toEqual(['buyer-1/email', 'seller-1/email']);
  });

  it('takes a delivered shipment off the index', async () => {
    await app.api('POST', '/v1/tracking-updates', {
      trackingNumber: UPS_NUMBERS[1],
      status: 'delivered',
      events: [{ time: clock.now().toISOString(), status: 'delivered', description: 'Delivered', location: 'Brooklyn, NY' }],
    });
    await eventually(async () => (await index.dueAt(moving)) === null, 'the delivered shipment to leave the index');
  });

  it('never scans keys: every Redis call it makes is recorded, and none is SCAN or KEYS', async () => {
    await index.set(unscanned, clock.now().getTime() - 1);
    // MONITOR would see other test files' traffic too; a recording client sees exactly this sweep's.
    const calls: string[] = [];
    const recording = new Proxy(app.redis, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push(prop === 'evalsha' || prop === 'eval' ? `${prop} ${String(args[2])}` : prop.toLowerCase());
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const deps = { ...app.deps, stores: { ...app.deps.stores, shipments: createShipmentStore(recording, app.deps.keys) } };
    await runSweepTick(deps, createSweepIndex(recording, app.deps.keys));
    expect(calls).toContain(`evalsha ${app.config.keyPrefix}:sweep:due`);
    expect(calls.filter((c) => /^(scan|keys|sscan|hscan|zscan|scanstream|call|sendcommand)\b/.test(c))).toEqual([]);
  });

  it('runs as ONE repeatable job', async () => {
    const sweepQueue = app.workers.workers.find((w) => w.name === 'sweep');
    expect(sweepQueue).toBeDefined();
    const { Queue } = await import('bullmq');
    const queue = new Queue('sweep', { connection: app.redis, prefix: app.deps.keys.bullPrefix });
    try {
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['sweep-tick']);
    } finally {
      await queue.close();
    }
  });
});
