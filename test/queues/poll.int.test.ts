/**
 * Carrier polling end to end on real parts: the app (HTTP API, BullMQ on Redis, every worker) pointed at the
 * carrier simulator. A shipment created through the API is scheduled, polled as the test clock moves, its
 * scans become notifications, and polling stops at delivery.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierSlug } from '../../src/ingest/carriers/types.js';
import { POLL_SCHEDULER_QUEUE, pollQueueName } from '../../src/queues/names.js';
import { createPollSchedule } from '../../src/store/poll-schedule.js';
import { startCarrierSimulator, type CarrierSimulator } from '../../src/simulator/server.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const clock = testClock(Date.parse('2026-11-18T12:00:00.000Z'));
let sim: CarrierSimulator;
let app: TestApp;

beforeAll(async () => {
  sim = await startCarrierSimulator({ now: clock.now });
  app = await startTestApp({
    env: { ...sim.env(), DHL_RATE_LIMIT_PER_SECOND: '2', UPS_RATE_LIMIT_PER_SECOND: '50' },
    now: clock.now,
    polling: { tickMs: 150 },
  });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  expect((await app.api('POST', '/v1/orders', order('o-poll'))).status).toBe(202);
});

afterAll(async () => {
  await app.close();
  await sim.close();
  await dropPrefix(app.config.keyPrefix);
});

const schedule = () => createPollSchedule(app.redis, app.deps.keys);
const polls = (number: string) => sim.requests.filter((r) => r.endpoint === 'track' && r.trackingNumber === number).length;

async function createShipment(trackingNumber: string): Promise<string> {
  const res = await app.api('POST', '/v1/shipments', { orderId: 'o-poll', trackingNumber });
  expect(res.status).toBe(201);
  return res.body.shipmentId as string;
}

/** Moves the clock to the shipment's next due time and waits for the poll it triggers to finish (and reschedule). */
async function pollOnce(carrier: CarrierSlug, shipmentId: string, number: string): Promise<void> {
  const queue = new Queue(pollQueueName(carrier), { connection: app.redis, prefix: app.deps.keys.bullPrefix });
  const completed = async () => (await queue.getJobCounts('completed')).completed ?? 0;
  const before = { polls: polls(number), done: await completed() };
  const due = await eventually(() => schedule().dueAt(carrier, shipmentId), `${shipmentId} scheduled`);
  clock.advance(Math.max(0, due - clock.now().getTime()) + 1000);
  await eventually(async () => polls(number) > before.polls && (await completed()) > before.done, `a poll of ${number}`);
  await queue.close();
}

async function notifications(shipmentId: string): Promise<NotificationRecord[]> {
  return (await app.api('GET', `/v1/notifications?shipmentId=${shipmentId}`)).body.notifications;
}

describe('carrier polling, end to end', () => {
  it('runs one repeatable scheduler job, not one per shipment', async () => {
    const scheduler = new Queue(POLL_SCHEDULER_QUEUE, { connection: app.redis, prefix: app.deps.keys.bullPrefix });
    expect(await scheduler.getJobSchedulersCount()).toBe(1);
    await scheduler.close();
  });

  it('a shipment created through the API is polled until delivered, and its scans become notifications', async () => {
    const number = '1ZSIM0010300000017';
    const shipmentId = await createShipment(number);
    // The label alone: first poll hours away.
    const firstDue = await eventually(() => schedule().dueAt('ups', shipmentId), 'the shipment scheduled');
    expect(firstDue - clock.now().getTime()).toBeGreaterThan(5.9 * HOUR);

    const expected = ['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered'];
    for (const status of expected) {
      await pollOnce('ups', shipmentId, number);
      await eventually(async () => (await app.api('GET', `/v1/shipments/${shipmentId}`)).body.shipment.status === status, `status ${status}`);
    }
    await eventually(async () => (await schedule().dueAt('ups', shipmentId)) === null, 'polling stopped at delivery');

    const kinds = await eventually(async () => {
      const list = await notifications(shipmentId);
      const found = new Set(list.map((n) => n.kind));
      return ['label_created', 'shipped', 'out_for_delivery', 'delivered'].every((k) => found.has(k as never)) ? found : undefined;
    }, 'label, shipped, out-for-delivery and delivered notifications');
    expect(kinds.has('exception')).toBe(false);
    const { body } = await app.api('GET', `/v1/shipments/${shipmentId}`);
    expect(body.shipment.proof).toMatchObject({ signedBy: 'R. MORALES' });
    expect(body.timeline.filter((e: { source: string }) => e.source === 'ups')).toHaveLength(5);

    // Nothing more is asked of the carrier once the parcel is delivered.
    const after = polls(number);
    clock.advance(48 * HOUR);
    await new Promise((r) => setTimeout(r, 600));
    expect(polls(number)).toBe(after);
  });

  it('an address exception reaches buyer and seller once, however often it is polled again', async () => {
    const number = '1ZSIM0010300000026';
    const shipmentId = await createShipment(number);
    for (let i = 0; i < 3; i++) await pollOnce('ups', shipmentId, number);
    const exceptions = async () => (await notifications(shipmentId)).filter((n) => n.kind === 'exception');
    const first = await eventually(async () => {
      const list = await exceptions();
      return list.some((n) => n.role === 'seller') && list.some((n) => n.role === 'buyer') ? list : undefined;
    }, 'the address exception sent to buyer and seller');
    expect(first.every((n) => n.discriminator === 'address_issue')).toBe(true);
    // The next polls repeat the exception scan among newer ones: no second exception message.
    await pollOnce('ups', shipmentId, number);
    await eventually(async () => (await app.api('GET', `/v1/shipments/${shipmentId}`)).body.shipment.status === 'out_for_delivery', 'out for delivery');
    const after = await exceptions();
    expect(after.every((n) => n.discriminator === 'address_issue')).toBe(true);
    const perRecipientChannel = after.map((n) => `${n.recipientId}/${n.channel}`);
    expect(new Set(perRecipientChannel).size).toBe(perRecipientChannel.length);
  });

  it('a shipment a webhook source reports on is no longer polled', async () => {
    const number = '1ZSIM0010300000035';
    const shipmentId = await createShipment(number);
    await eventually(() => schedule().dueAt('ups', shipmentId), 'scheduled');
    await app.queues.addUpdate({
      updateId: 'aftership-test-1',
      update: { shipmentId, status: 'in_transit', events: [{ time: clock.now().toISOString(), status: 'in_transit', description: 'Picked up', source: 'aftership' }], source: 'aftership' },
      receivedAt: clock.now().toISOString(),
    });
    await eventually(async () => (await schedule().webhookSource(shipmentId)) === 'aftership', 'marked webhook-fed');
    expect(await schedule().dueAt('ups', shipmentId)).toBeNull();
    clock.advance(7 * HOUR);
    await new Promise((r) => setTimeout(r, 600));
    expect(polls(number)).toBe(0);
  });

  it('a malformed poll job fails at once, without asking the carrier', async () => {
    const queue = new Queue(pollQueueName('ups'), { connection: app.redis, prefix: app.deps.keys.bullPrefix });
    const before = sim.requests.length;
    const job = await queue.add('poll', { carrier: 'dhl', shipmentId: 42 }, { attempts: 5 });
    await eventually(async () => (await job.getState()) === 'failed', 'the malformed job failed');
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(sim.requests.length).toBe(before);
    await queue.close();
  });

  it("respects the carrier's rate limit across many due shipments", async () => {
    const numbers = ['2000005000', '2000005011', '2000005022', '2000005033', '2000005044', '2000005055'];
    const ids: string[] = [];
    for (const n of numbers) ids.push(await createShipment(n));
    for (const id of ids) await eventually(() => schedule().dueAt('dhl', id), `${id} scheduled`);
    clock.advance(7 * HOUR);
    await eventually(async () => numbers.every((n) => polls(n) >= 1), 'every DHL shipment polled', 20_000);
    const times = sim.requests.filter((r) => r.carrier === 'dhl').map((r) => r.at);
    // Two a second: six polls span at least two seconds.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1900);
    // Not known to DHL: each is asked again at the pre-scan interval, not dropped.
    for (const id of ids) expect(await schedule().dueAt('dhl', id)).toBeGreaterThan(clock.now().getTime() + 5 * HOUR);
  });
});
