/**
 * The route every aggregator source shares, exercised with a small source defined here:
 * signature → parse → replay check → match → enqueue, and what happens to parcels we do not track.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError, WebhookSignatureError } from '../../src/ingest/errors.js';
import type { WebhookSource } from '../../src/ingest/source.js';
import { registerSourceWebhooks } from '../../src/http/webhook-sources.js';
import type { HttpDeps } from '../../src/http/deps.js';
import { createUnmatchedUpdateStore } from '../../src/store/unmatched-updates.js';
import { createWebhookReceipts } from '../../src/store/webhook-receipts.js';
import { ADMIN_TOKEN, buyer, dropPrefix, order, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';

const SECRET = 'test-source-secret';
const sign = (body: Buffer) => createHmac('sha256', SECRET).update(body).digest('hex');

/** A minimal source: `x-sig` is hex HMAC of the body; the body is `{id, parcels:[{tn, status}]}` or `{id, other:true}`. */
const testSource: WebhookSource = {
  name: 'testsource',
  secret: (s) => (s.aftershipWebhookSecret ? SECRET : undefined),
  verify(req) {
    const given = Buffer.from(String(req.headers['x-sig'] ?? ''));
    const expected = Buffer.from(sign(req.rawBody));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookSignatureError('no_matching_signature', 'x-sig', 'no matching signature');
  },
  parse(req) {
    let body: any;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new WebhookPayloadError('not JSON', 'body');
    }
    if (typeof body?.id !== 'string') throw new WebhookPayloadError('id is required', 'id');
    if (body.other) return { kind: 'ignored', deliveryId: body.id, reason: 'not a tracking event' };
    return {
      kind: 'tracking',
      deliveryId: body.id,
      updates: body.parcels.map((p: { tn: string; status: 'in_transit' }) => ({
        trackingNumber: p.tn,
        status: p.status,
        events: [{ time: '2026-11-18T13:00:00.000Z', status: p.status, description: 'Scan', source: 'testsource' }],
      })),
    };
  },
};

let app: TestApp;
let server: ReturnType<typeof Fastify>;

beforeAll(async () => {
  app = await startTestApp({ workers: [], env: { AFTERSHIP_WEBHOOK_SECRET: 'any' } });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-1'));
  await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
  // The real server, plus the test source registered the way the real sources are.
  const { buildServer } = await import('../../src/http/server.js');
  const deps: HttpDeps = {
    redis: app.redis,
    stores: app.deps.stores,
    queues: app.queues,
    receipts: createWebhookReceipts(app.redis, app.deps.keys),
    unmatched: createUnmatchedUpdateStore(app.redis, app.deps.keys),
    settings: { bodyLimitBytes: 1 << 20, webhookSecrets: { aftershipWebhookSecret: 'any' }, adminToken: ADMIN_TOKEN },
    logger: app.deps.logger,
    now: app.deps.now,
  };
  server = buildServer(deps);
  registerSourceWebhooks(server, deps, [testSource]);
});
afterAll(async () => {
  await server.close();
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const updates = () => app.queues.all.find((q) => q.name === 'updates')!.count();
function post(body: unknown, headers: Record<string, string> = {}) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return server.inject({ method: 'POST', url: '/webhooks/testsource', payload: raw, headers: { 'content-type': 'application/json', 'x-sig': sign(raw), ...headers } });
}

describe('POST /webhooks/<source>', () => {
  it('enqueues an update for a tracked parcel, once per delivery id', async () => {
    const before = await updates();
    const body = { id: 'd-1', parcels: [{ tn: UPS_NUMBERS[0], status: 'in_transit' }] };
    const first = await post(body);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ accepted: 1, unmatched: 0 });
    expect(await updates()).toBe(before + 1);
    const replay = await post(body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ duplicate: true });
    expect(await updates()).toBe(before + 1);
  });

  it('records a parcel nobody registered, answers 202, and shows it in the API', async () => {
    const res = await post({ id: 'd-2', parcels: [{ tn: UPS_NUMBERS[1], status: 'in_transit' }, { tn: 'NOT-A-NUMBER', status: 'in_transit' }] });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 0, unmatched: 2 });
    const { body } = await app.api('GET', '/v1/unmatched-updates?source=testsource');
    expect(body.unmatched.map((u: { trackingNumber: string; reason: string }) => [u.trackingNumber, u.reason])).toEqual([
      ['NOT-A-NUMBER', 'invalid_tracking_number'],
      [UPS_NUMBERS[1], 'unknown_tracking_number'],
    ]);
  });

  it('answers 200 to a delivery it does not act on', async () => {
    const res = await post({ id: 'd-3', other: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ignored: true });
  });

  it('refuses a bad signature (401) before reading the body, and a bad body (400) after; nothing enqueued', async () => {
    const before = await updates();
    const unsigned = await post({ id: 'd-4', parcels: [] }, { 'x-sig': 'f'.repeat(64) });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('invalid_signature');
    const garbage = await post('{not json');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error).toMatchObject({ code: 'invalid_payload' });
    expect(await updates()).toBe(before);
  });

  it('keeps the bytes of any content type for the signature', async () => {
    const raw = Buffer.from(JSON.stringify({ id: 'd-5', other: true }));
    const res = await server.inject({ method: 'POST', url: '/webhooks/testsource', payload: raw, headers: { 'content-type': 'text/plain', 'x-sig': sign(raw) } });
    expect(res.statusCode).toBe(200);
  });
});
