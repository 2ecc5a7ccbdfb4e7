/**
 * The in-transit digest: a buyer who turned `in_transit_update` on gets one email per order and window
 * (one UTC day) listing every scan of every parcel of the order, sent when the window ends.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, REDIS_URL, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const ON = { preferences: { kinds: { in_transit_update: { email: true } } } };

async function setUp(app: TestApp, buyerExtra: Record<string, unknown>): Promise<[string, string]> {
  await app.api('PUT', '/v1/recipients/buyer-1', buyer(buyerExtra));
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-1'));
  const ids: string[] = [];
  for (const trackingNumber of UPS_NUMBERS) {
    const id = (await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber })).body.shipmentId as string;
    await eventually(async () => (await app.deps.stores.shipments.get(id))?.status === 'label_created', 'label created');
    ids.push(id);
  }
  return [ids[0]!, ids[1]!];
}

const scan = (time: string, description: string) => ({ time, status: 'in_transit', description, location: 'Louisville, KY, US' });
const pickup = (time: string) => ({ time, status: 'in_transit', description: 'Picked up' });

async function track(app: TestApp, shipmentId: string, events: object[]): Promise<void> {
  const res = await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'in_transit', events });
  expect(res.status).toBeLessThan(300);
}

/** The buyer's in-transit records on `channel` (`all` for every channel), once there are `count` of them. */
async function digests(app: TestApp, count: number, what: string, channel = 'email'): Promise<NotificationRecord[]> {
  return eventually(async () => {
    const list = (await app.deps.stores.notifications.list({ orderId: 'o-1', limit: 1000 })).filter((n) => n.kind === 'in_transit_update' && (channel === 'all' || n.channel === channel));
    return list.length === count ? list : null;
  }, what);
}

/** The clock has passed the end of the window: release the delayed send jobs now instead of waiting a day. */
async function promoteDelayed(app: TestApp): Promise<void> {
  const queue = new Queue('email', { connection: { url: REDIS_URL }, prefix: app.deps.keys.bullPrefix });
  for (const job of await queue.getJobs(['delayed'])) await job.promote();
  await queue.close();
}

/** The outbox email for a notification, with quoted-printable soft breaks and escapes undone. */
async function email(app: TestApp, notificationId: string): Promise<string> {
  const dir = join(app.config.outboxDir!, 'email');
  const file = (await readdir(dir)).find((f) => f.startsWith(notificationId));
  const raw = await readFile(join(dir, file!), 'utf8');
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('in-transit digest, turned on', () => {
  // Labels are made at 22:00 UTC the day before, so every scan below is newer than them (older ones would be late).
  const clock = testClock(Date.parse('2026-11-17T22:00:00.000Z'));
  let app: TestApp;
  let a: string;
  let b: string;
  const aEvents = [pickup('2026-11-17T22:30:00Z')];

  beforeAll(async () => {
    app = await startTestApp({ now: clock.now });
    [a, b] = await setUp(app, ON);
    clock.advance(HOUR);
    await track(app, a, aEvents);
    await track(app, b, [pickup('2026-11-17T22:40:00Z')]);
    clock.advance(7 * HOUR);
  });
  afterAll(async () => {
    await app.close();
    await dropPrefix(app.config.keyPrefix);
  });

  it('sends one email for three scans of one shipment in a window, at the end of the window, listing all three', async () => {
    for (const [time, text] of [['2026-11-18T03:00:00Z', 'Arrived at hub one'], ['2026-11-18T06:00:00Z', 'Departed hub one'], ['2026-11-18T09:00:00Z', 'Arrived at hub two']] as const) {
      aEvents.push(scan(time, text));
      await track(app, a, aEvents);
    }
    await eventually(async () => (await app.deps.stores.shipments.get(a))?.events.some((e) => e.description === 'Arrived at hub two'), 'scans stored');
    const [held] = await digests(app, 1, 'digest decided');
    expect(held).toMatchObject({ channel: 'email', recipientId: 'buyer-1', status: 'held', reason: 'digest', holdUntil: '2026-11-19T00:00:00.000Z' });
    const job = await new Queue('email', { connection: { url: REDIS_URL }, prefix: app.deps.keys.bullPrefix }).getJob(held!.id);
    expect(await job!.getState()).toBe('delayed');

    clock.advance(18 * HOUR);
    await promoteDelayed(app);
    const sent = await eventually(async () => ((await app.deps.stores.notifications.get(held!.id))?.status === 'sent' ? true : null), 'digest sent');
    expect(sent).toBe(true);
    const mail = await email(app, held!.id);
    for (const text of ['Arrived at hub one', 'Departed hub one', 'Arrived at hub two']) expect(mail).toContain(text);
    // The pickup was the day before: it had its own "shipped" message and is not in this window.
    expect(mail).not.toContain('Picked up');
    expect(mail).not.toContain(UPS_NUMBERS[1]);
  });

  it('sends scans of the next window as a second email, with both shipments of the order in one message', async () => {
    clock.advance(6 * HOUR);
    aEvents.push(scan('2026-11-19T02:00:00Z', 'Arrived at hub three'));
    await track(app, a, aEvents);
    await track(app, b, [pickup('2026-11-17T22:40:00Z'), scan('2026-11-19T04:00:00Z', 'Second parcel at hub')]);
    const list = await eventually(async () => {
      const all = await digests(app, 2, 'second digest decided');
      const second = all.find((n) => n.status === 'held');
      const trail = second ? await app.deps.stores.notifications.trail(second.id) : [];
      return trail.filter((e) => e.step === 'digest').length === 2 ? all : null;
    }, 'both shipments folded');
    const second = list.find((n) => n.status === 'held')!;
    expect(second.holdUntil).toBe('2026-11-20T00:00:00.000Z');
    const trail = await app.deps.stores.notifications.trail(second.id);
    expect(trail.filter((e) => e.step === 'digest').map((e) => e.detail!.split(' ')[1]).sort()).toEqual([a, b].sort());

    clock.advance(24 * HOUR);
    await promoteDelayed(app);
    await eventually(async () => ((await app.deps.stores.notifications.get(second.id))?.status === 'sent' ? true : null), 'second digest sent');
    const mail = await email(app, second.id);
    for (const text of ['Arrived at hub three', 'Second parcel at hub', UPS_NUMBERS[0]!, UPS_NUMBERS[1]!]) expect(mail).toContain(text);
    expect(mail).not.toContain('Arrived at hub two');
    const all = await digests(app, 2, 'two digests');
    expect(all.map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  it('drops a digest whose every shipment has moved on by the end of the window (superseded)', async () => {
    aEvents.push(scan('2026-11-20T03:00:00Z', 'Arrived at hub four'));
    await track(app, a, aEvents);
    const third = await eventually(async () => (await digests(app, 3, 'third digest decided')).find((n) => n.status === 'held'), 'third digest held');
    await track(app, a, [...aEvents, { time: '2026-11-20T05:00:00Z', status: 'delivered', description: 'Delivered' }]);
    await eventually(async () => (await app.deps.stores.shipments.get(a))?.status === 'delivered', 'delivered');
    clock.advance(24 * HOUR);
    await promoteDelayed(app);
    const done = await eventually(async () => {
      const r = await app.deps.stores.notifications.get(third.id);
      return r?.status === 'skipped' ? r : null;
    }, 'third digest dropped');
    expect(done.reason).toBe('superseded');
  });
});

describe('in-transit digest, not turned on', () => {
  const clock = testClock(Date.parse('2026-11-17T22:00:00.000Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ now: clock.now });
    const [a] = await setUp(app, {});
    clock.advance(HOUR);
    await track(app, a!, [pickup('2026-11-17T22:30:00Z')]);
    clock.advance(7 * HOUR);
    await track(app, a!, [pickup('2026-11-17T22:30:00Z'), scan('2026-11-18T03:00:00Z', 'Arrived at hub one')]);
  });
  afterAll(async () => {
    await app.close();
    await dropPrefix(app.config.keyPrefix);
  });

  it('records the decision as skipped (preference_off) and sends nothing', async () => {
    const list = await digests(app, 3, 'in-transit decisions', 'all');
    expect(list.every((n) => n.status === 'skipped' && n.reason === 'preference_off')).toBe(true);
    clock.advance(24 * HOUR);
    await promoteDelayed(app);
    const queue = new Queue('email', { connection: { url: REDIS_URL }, prefix: app.deps.keys.bullPrefix });
    for (const n of list) expect(await queue.getJob(n.id)).toBeUndefined();
    await queue.close();
  });
});
