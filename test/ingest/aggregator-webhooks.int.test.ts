/**
 * Shippo and 17TRACK end to end: a signed delivery on the real HTTP route, through the real `updates`
 * queue and track worker on a real Redis, to the shipment's stored status.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpDeps } from '../../src/http/deps.js';
import { registerSourceWebhooks } from '../../src/http/webhook-sources.js';
import { seventeenTrackSource, signSeventeenTrackWebhook } from '../../src/ingest/seventeen-track.js';
import { shippoSource, signShippoWebhook } from '../../src/ingest/shippo.js';
import { WEBHOOK_SOURCES } from '../../src/ingest/sources.js';
import { createUnmatchedUpdateStore } from '../../src/store/unmatched-updates.js';
import { createWebhookReceipts } from '../../src/store/webhook-receipts.js';
import { ADMIN_TOKEN, buyer, dropPrefix, eventually, order, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';

const SECRETS = { shippoWebhookToken: 'it-shippo-token', shippoWebhookSecret: 'it-shippo-hmac', seventeentrackApiKey: 'it-17track-key' };

let app: TestApp;
let server: FastifyInstance;
const shipmentIds: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ workers: ['track'] });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-agg'));
  for (const trackingNumber of UPS_NUMBERS) {
    const created = await app.api('POST', '/v1/shipments', { orderId: 'o-agg', trackingNumber });
    shipmentIds.push(created.body.shipmentId);
  }
  const { buildServer } = await import('../../src/http/server.js');
  const deps: HttpDeps = {
    redis: app.redis,
    stores: app.deps.stores,
    queues: app.queues,
    receipts: createWebhookReceipts(app.redis, app.deps.keys),
    unmatched: createUnmatchedUpdateStore(app.redis, app.deps.keys),
    settings: { bodyLimitBytes: 1 << 20, webhookSecrets: SECRETS, adminToken: ADMIN_TOKEN },
    logger: app.deps.logger,
    now: app.deps.now,
  };
  server = buildServer(deps);
  // The server serves every source listed in src/ingest/sources.ts; these two are added here until they are.
  registerSourceWebhooks(server, deps, [shippoSource, seventeenTrackSource].filter((source) => !WEBHOOK_SOURCES.includes(source)));
});
afterAll(async () => {
  await server?.close();
  await app?.close();
  if (app) await dropPrefix(app.config.keyPrefix);
});

const shipment = async (id: string) => (await app.api('GET', `/v1/shipments/${id}`)).body;
const status = (id: string, expected: string) => eventually(async () => (await shipment(id)).shipment.status === expected, `shipment ${id} ${expected}`);

function postShippo(body: unknown, token = SECRETS.shippoWebhookToken) {
  const raw = Buffer.from(JSON.stringify(body));
  const signature = signShippoWebhook(SECRETS.shippoWebhookSecret, app.deps.now(), raw);
  return server.inject({ method: 'POST', url: `/webhooks/shippo?token=${token}`, payload: raw, headers: { 'content-type': 'application/json', 'shippo-auth-signature': signature } });
}
function post17track(body: unknown, key = SECRETS.seventeentrackApiKey) {
  const raw = Buffer.from(JSON.stringify(body));
  return server.inject({ method: 'POST', url: '/webhooks/17track', payload: raw, headers: { 'content-type': 'application/json', sign: signSeventeenTrackWebhook(key, raw) } });
}

const shippoStatus = (status: string, code: string, details: string, date: string) => ({
  status,
  substatus: { code, text: details, action_required: false },
  status_details: details,
  status_date: date,
  location: { city: 'Chicago', state: 'IL', zip: '60615', country: 'US' },
});

describe('POST /webhooks/shippo', () => {
  const accepted = shippoStatus('TRANSIT', 'package_accepted', 'Origin Scan', '2026-11-17T20:00:00Z');
  const out = shippoStatus('TRANSIT', 'out_for_delivery', 'Out For Delivery Today', '2026-11-18T08:30:00Z');
  const body = { event: 'track_updated', test: false, data: { carrier: 'ups', tracking_number: UPS_NUMBERS[0], eta: '2026-11-18', tracking_status: out, tracking_history: [accepted, out] } };

  it('moves the shipment to the status Shippo reports, once per delivery', async () => {
    const first = await postShippo(body);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ accepted: 1, unmatched: 0 });
    await status(shipmentIds[0] as string, 'out_for_delivery');
    const { timeline } = await shipment(shipmentIds[0] as string);
    const fromShippo = timeline.filter((e: { source: string }) => e.source === 'shippo');
    expect(fromShippo.map((e: { rawSubStatus: string }) => e.rawSubStatus)).toEqual(['package_accepted', 'out_for_delivery']);
    const replay = await postShippo(body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ duplicate: true });
  });

  it('refuses a wrong URL token with 401 and the error body; other events are answered and ignored', async () => {
    const refused = await postShippo(body, 'not-the-token');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({ code: 'invalid_signature', details: { field: 'token', reason: 'no_matching_signature' } });
    const other = await postShippo({ event: 'transaction_created', test: false, data: { object_id: 'tx-1' } });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ ignored: true });
  });
});

describe('POST /webhooks/17track', () => {
  const scan = (utc: string, description: string, stage: string | null, sub: string) => ({
    time_iso: utc,
    time_utc: utc,
    description,
    location: 'Chicago, IL, US',
    stage,
    sub_status: sub,
  });
  const body = {
    event: 'TRACKING_UPDATED',
    data: {
      number: UPS_NUMBERS[1],
      carrier: 100002,
      param: null,
      tag: 'o-agg',
      track_info: {
        latest_status: { status: 'Delivered', sub_status: 'Delivered_Other', sub_status_descr: null },
        time_metrics: { estimated_delivery_date: { source: 'Official', from: null, to: '2026-11-18' } },
        tracking: {
          providers: [
            {
              provider: { key: 100002, name: 'UPS' },
              events: [scan('2026-11-18T10:05:00Z', 'DELIVERED', 'Delivered', 'Delivered_Other'), scan('2026-11-17T21:00:00Z', 'Arrived at Facility', 'Arrival', 'InTransit_Arrival')],
            },
          ],
        },
      },
    },
  };

  it('delivers the shipment 17TRACK reports delivered, with the scan as proof', async () => {
    const res = await post17track(body);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1 });
    await status(shipmentIds[1] as string, 'delivered');
    expect((await shipment(shipmentIds[1] as string)).shipment.proof).toEqual({ time: '2026-11-18T10:05:00.000Z', location: 'Chicago, IL, US' });
  });

  it('refuses a push signed with another key, and answers 400 with the field for a malformed one', async () => {
    const refused = await post17track(body, 'another-key');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({ code: 'invalid_signature', details: { field: 'sign' } });
    const malformed = await post17track({ event: 'TRACKING_UPDATED', data: { number: UPS_NUMBERS[1] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'invalid_payload', details: { field: 'data.track_info' } });
  });
});
