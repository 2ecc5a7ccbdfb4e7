import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook } from '../../src/ingest/standard-webhooks.js';
import { buyer, dropPrefix, order, seller, startTestApp, UPS_NUMBERS, WEBHOOK_SECRET, type TestApp } from '../support/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ workers: [] });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-1'));
  await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const body = (description = 'Picked up') =>
  Buffer.from(JSON.stringify({ trackingNumber: UPS_NUMBERS[0], status: 'in_transit', events: [{ time: '2026-11-18T10:00:00Z', status: 'in_transit', description }] }));

function post(raw: Buffer, headers: Record<string, string>) {
  return fetch(`${app.baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(raw) });
}

function signed(id: string, raw: Buffer, at = app.deps.now()) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signStandardWebhook({ secret: WEBHOOK_SECRET, id, timestamp: at, rawBody: raw }),
  };
}

async function updatesQueued(): Promise<number> {
  return app.queues.all.find((q) => q.name === 'updates')!.count();
}

describe('POST /webhooks/generic (Standard Webhooks)', () => {
  it('accepts a signed update once; a replayed webhook-id gets 200 and enqueues nothing', async () => {
    const raw = body();
    const before = await updatesQueued();
    const first = await post(raw, signed('msg_1', raw));
    expect(first.status).toBe(202);
    expect(await updatesQueued()).toBe(before + 1);
    const replay = await post(raw, signed('msg_1', raw));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect(await updatesQueued()).toBe(before + 1);
  });

  it('accepts when any one of several signatures matches', async () => {
    const raw = body('Departed');
    const headers = signed('msg_2', raw);
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    expect((await post(raw, headers)).status).toBe(202);
  });

  it.each([
    ['a tampered body', (h: Record<string, string>) => h, Buffer.from(body().toString().replace('Picked', 'Dropped'))],
    ['a wrong signature', (h: Record<string, string>) => ({ ...h, 'webhook-signature': `v1,${Buffer.alloc(32, 1).toString('base64')}` }), body()],
    ['a timestamp 6 minutes old', (h: Record<string, string>) => h, body(), -6 * 60_000],
    ['a timestamp 6 minutes ahead', (h: Record<string, string>) => h, body(), 6 * 60_000],
    ['no signature header', (h: Record<string, string>) => ({ ...h, 'webhook-signature': '' }), body()],
  ])('refuses %s with 401 and enqueues nothing', async (_what, mutate, raw, skew = 0) => {
    const before = await updatesQueued();
    const headers = mutate(signed(`msg_${Math.random()}`, body(), new Date(app.deps.now().getTime() + skew)));
    const res = await post(raw, headers);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect(await updatesQueued()).toBe(before);
  });

  it('refuses a signed but invalid body with 400, and the id stays usable', async () => {
    const bad = Buffer.from(JSON.stringify({ trackingNumber: UPS_NUMBERS[0], status: 'nope', events: [] }));
    const res = await post(bad, signed('msg_3', bad));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].field).toBe('status');
    const good = body('Arrived');
    expect((await post(good, signed('msg_3', good))).status).toBe(202);
  });
});
