import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, dropPrefix, order, REDIS_URL, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';

let app: TestApp;
let redis: Redis;

async function keyCount(): Promise<number> {
  const [, keys] = await redis.scan('0', 'MATCH', `${app.config.keyPrefix}:*`, 'COUNT', 10_000);
  return keys.length;
}

/** Keys outside BullMQ's: what the API stored, as opposed to the jobs it enqueued. */
async function storedKeyCount(): Promise<number> {
  const [, keys] = await redis.scan('0', 'MATCH', `${app.config.keyPrefix}:*`, 'COUNT', 10_000);
  return keys.filter((key) => !key.startsWith(`${app.config.keyPrefix}:bull:`)).length;
}

async function alertJobs(orderId: string) {
  const jobs = await app.queues.all.find((q) => q.name === 'notify')!.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.data.kind === 'invalid_tracking_number' && j.data.subject.orderId === orderId);
}

beforeAll(async () => {
  // HTTP only: no workers, so every job the API enqueues stays visible in the queues.
  app = await startTestApp({ workers: [] });
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
  await redis.quit();
});

describe('admin token', () => {
  it('refuses /v1 without the bearer token, with the error body', async () => {
    const res = await app.api('GET', '/v1/recipients/x', undefined, { authorization: 'Bearer wrong-token-wrong-token' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthorized', details: [{ field: 'authorization' }] });
  });
  it('leaves ops endpoints open', async () => {
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ redis: 'ok' });
  });
});

describe('recipients', () => {
  it('stores and returns a recipient', async () => {
    const put = await app.api('PUT', '/v1/recipients/buyer-1', buyer({ timezone: 'America/New_York', preferences: { quietHours: { start: '21:00', end: '08:00' } } }));
    expect(put.status).toBe(200);
    const got = await app.api('GET', '/v1/recipients/buyer-1');
    expect(got.body).toMatchObject({ id: 'buyer-1', role: 'buyer', timezone: 'America/New_York', pushSubscriptions: [] });
  });

  it.each([
    ['phone', { phone: '555-0142' }],
    ['email', { email: 'not-an-email' }],
    ['timezone', { timezone: 'Mars/Olympus' }],
    ['role', { role: 'king' }],
    ['preferences.quietHours.start', { preferences: { quietHours: { start: '25:00', end: '08:00' } } }],
  ])('names the bad field %s and stores nothing', async (field, patch) => {
    const before = await keyCount();
    const res = await app.api('PUT', '/v1/recipients/bad-1', buyer(patch));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await keyCount()).toBe(before);
  });

  it('adds a browser push subscription', async () => {
    const sub = { endpoint: 'https://push.example.com/send/abc', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } };
    const res = await app.api('POST', '/v1/recipients/buyer-1/push-subscriptions', sub);
    expect(res.status).toBe(201);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toHaveLength(1);
    const bad = await app.api('POST', '/v1/recipients/buyer-1/push-subscriptions', { ...sub, endpoint: 'http://insecure.example.com' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('endpoint');
  });
});

describe('orders and shipments', () => {
  it('accepts an order (202) and enqueues order_confirmed once however often it is posted', async () => {
    await app.api('PUT', '/v1/recipients/seller-1', seller());
    expect((await app.api('POST', '/v1/orders', order('o-1'))).status).toBe(202);
    expect((await app.api('POST', '/v1/orders', order('o-1'))).status).toBe(202);
    const jobs = await app.queues.all.find((q) => q.name === 'notify')!.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.kind === 'order_confirmed' && j.data.subject.orderId === 'o-1')).toHaveLength(1);
  });

  it('refuses an order whose buyer is unknown, naming buyerId, and enqueues nothing', async () => {
    const before = await app.queues.all.find((q) => q.name === 'notify')!.count();
    const res = await app.api('POST', '/v1/orders', { ...order('o-2'), buyerId: 'nobody' });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('buyerId');
    expect(await app.queues.all.find((q) => q.name === 'notify')!.count()).toBe(before);
  });

  it('creates a shipment with carrier and tracking URL; 422 for a bad check digit', async () => {
    const res = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ carrier: 'ups', trackingUrl: expect.stringContaining(UPS_NUMBERS[0]!) });
    const again = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
    expect(again.status).toBe(200);
    expect(again.body.shipmentId).toBe(res.body.shipmentId);

    // The order exists, so the bad check digit also enqueues a seller alert (tested below); nothing is stored.
    const before = await storedKeyCount();
    const bad = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: '1Z5R89390357567128' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'invalid_tracking_number', details: { field: 'trackingNumber' } });
    expect(await storedKeyCount()).toBe(before);
  });

  describe('a number that fails its check digit (seller alert)', () => {
    // A valid UPS number with its check digit changed from 7 to 3.
    const mistyped = '1Z5R89390357567123';

    it('answers the same 422 as before and enqueues one invalid_tracking_number alert for the order, keyed by the number', async () => {
      const before = await storedKeyCount();
      const typed = `${mistyped.slice(0, 8).toLowerCase()} ${mistyped.slice(8)}`;
      const bad = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: typed });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({
        error: {
          code: 'invalid_tracking_number',
          message: `"${typed}" has the shape of a tracking number from UPS, but its check digit is wrong; check it for a mistyped character.`,
          details: { field: 'trackingNumber', problem: 'unrecognized', trackingNumber: typed },
        },
      });
      expect(await storedKeyCount()).toBe(before);
      const jobs = await alertJobs('o-1');
      expect(jobs.map((j) => j.data)).toContainEqual({
        subject: { type: 'order', orderId: 'o-1' },
        kind: 'invalid_tracking_number',
        discriminator: mistyped,
        causedBy: 'POST /v1/shipments',
        triggeredAt: expect.any(String),
      });
      // Posting it again (any spelling) does not alert twice.
      expect((await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: mistyped, carrier: 'UPS' })).status).toBe(422);
      expect((await alertJobs('o-1')).filter((j) => j.data.discriminator === mistyped)).toHaveLength(1);
    });

    it('does not alert for an unknown order, for something that is no tracking number, nor for the wrong carrier', async () => {
      const jobsBefore = (await alertJobs('o-1')).length;
      const refusals = [
        { orderId: 'no-such-order', trackingNumber: mistyped },
        { orderId: 'o-1', trackingNumber: 'HELLO-WORLD' },
        { orderId: 'o-1', trackingNumber: UPS_NUMBERS[1], carrier: 'fedex' },
      ];
      for (const body of refusals) {
        const res = await app.api('POST', '/v1/shipments', body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.error.code).toBe('invalid_tracking_number');
      }
      expect(await alertJobs('no-such-order')).toHaveLength(0);
      expect(await alertJobs('o-1')).toHaveLength(jobsBefore);
    });
  });

  it('accepts a tracking update (202) and names bad event fields', async () => {
    const ok = await app.api('POST', '/v1/tracking-updates', {
      trackingNumber: UPS_NUMBERS[0],
      status: 'in_transit',
      events: [{ time: '2026-11-18T10:00:00Z', status: 'in_transit', description: 'Picked up', location: 'Louisville, KY' }],
    });
    expect(ok.status).toBe(202);
    const bad = await app.api('POST', '/v1/tracking-updates', { trackingNumber: UPS_NUMBERS[0], status: 'teleported', events: [{ time: 'yesterday', status: 'in_transit', description: 'x' }] });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['status', 'events.0.time']));
    const unknown = await app.api('POST', '/v1/tracking-updates', { trackingNumber: UPS_NUMBERS[1], status: 'in_transit', events: [] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_shipment', details: [{ field: 'trackingNumber' }] });
  });

  it('answers malformed JSON with 400 and a body over 1 MiB with 413', async () => {
    const malformed = await app.api('POST', '/v1/orders', '{"orderId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const huge = await app.api('POST', '/v1/orders', JSON.stringify({ orderId: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'body_too_large' });
  });

  it('lists notifications only with a filter', async () => {
    const res = await app.api('GET', '/v1/notifications');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('recipientId');
  });
});

describe('readiness', () => {
  it('answers 503 within about a second when Redis does not answer', async () => {
    const { buildServer } = await import('../../src/http/server.js');
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    dead.on('error', () => {});
    const server = buildServer({ redis: dead, stores: app.deps.stores, queues: app.queues, receipts: { firstSeen: async () => true, forget: async () => {} }, unmatched: { add: async () => {}, list: async () => [] }, settings: { bodyLimitBytes: 1024, webhookSecrets: {} }, logger: app.deps.logger, now: () => new Date() });
    const started = Date.now();
    const res = await server.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    await server.close();
    dead.disconnect();
  });
});
