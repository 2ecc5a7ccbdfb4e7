import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, dropPrefix, eventually, order, REDIS_URL, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';

// Payload shapes follow the TikTok Shop partner docs' "Event example" blocks
// (https://partner.tiktokshop.com/docv2/page/1-order-status-change, …/4-package-update); ids are ours.
const APP_KEY = 'tts-test-app-key';
const APP_SECRET = 'tts-test-app-secret-0123456789';
const ENV = { TIKTOK_SHOP_APP_KEY: APP_KEY, TIKTOK_SHOP_APP_SECRET: APP_SECRET };
const SHOP_ID = '7495112233445566778';
const PACKAGE_ID = '1153891868590053001';

let app: TestApp;
let seq = 0;
const notificationId = () => `7405843187${String(++seq).padStart(9, '0')}`;
/** Seconds since the epoch on the app's clock, `minutes` from now: events must not look late to the diff. */
const at = (minutes = 0) => Math.floor(app.deps.now().getTime() / 1000) + minutes * 60;

const orderEvent = (orderId: string, status: string, time: number, id: string = notificationId()) =>
  JSON.stringify({ type: 1, tts_notification_id: id, shop_id: SHOP_ID, timestamp: time, data: { order_id: orderId, order_status: status, is_on_hold_order: false, update_time: time } });
const packageEvent = (scType: string, packages: { package_id: string; order_id_list: string[] }[], time: number) =>
  JSON.stringify({ type: 4, tts_notification_id: notificationId(), shop_id: SHOP_ID, timestamp: time, data: { sc_type: scType, role_type: 'ROLE_SYSTEM', package_list: packages, update_time: time } });

// Signed here with node's HMAC directly, as the docs describe it, not with the code under test.
const sign = (body: string | Buffer, key = APP_KEY, secret = APP_SECRET) => createHmac('sha256', secret).update(key).update(body).digest('hex');

async function post(body: string | Buffer, headers: Record<string, string> = { authorization: sign(body) }, target: TestApp = app) {
  const res = await fetch(`${target.baseUrl}/webhooks/tiktok-shop`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(Buffer.from(body)) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function events(query = '') {
  const res = await app.api('GET', `/v1/marketplace-events?source=tiktok-shop${query}`);
  expect(res.status).toBe(200);
  return res.body.events as Record<string, unknown>[];
}

async function notificationsOf(orderId: string, kind: string) {
  const res = await app.api('GET', '/v1/notifications?recipientId=buyer-1&limit=1000');
  return (res.body.notifications as { orderId: string; kind: string; channel: string; discriminator: string; status: string }[]).filter((n) => n.orderId === orderId && n.kind === kind);
}

async function shipmentStatus(id: string): Promise<string> {
  return (await app.api('GET', `/v1/shipments/${id}`)).body.shipment.status;
}

const queued = (name: string) => app.queues.all.find((q) => q.name === name)!.count();

beforeAll(async () => {
  app = await startTestApp({ env: ENV });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('POST /webhooks/tiktok-shop: ORDER_STATUS_CHANGE', () => {
  it('confirms a registered order once, however often AWAITING_SHIPMENT arrives, and records the status', async () => {
    await app.api('POST', '/v1/orders', order('tt-confirm'));
    const body = orderEvent('tt-confirm', 'AWAITING_SHIPMENT', at());
    const first = await post(body);
    expect(first).toMatchObject({ status: 200, body: { type: 'ORDER_STATUS_CHANGE', outcomes: [{ orderId: 'tt-confirm', status: 'applied' }] } });
    const replay = await post(body);
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true, deliveryId: first.body.deliveryId } });
    expect((await post(orderEvent('tt-confirm', 'AWAITING_SHIPMENT', at()))).body.outcomes[0].status).toBe('unchanged');

    await eventually(async () => (await notificationsOf('tt-confirm', 'order_confirmed')).length > 0, 'order_confirmed');
    await new Promise((r) => setTimeout(r, 500));
    // One decision per channel (email sent, the others off by default): the same ids POST /v1/orders used.
    const confirmed = await notificationsOf('tt-confirm', 'order_confirmed');
    expect(confirmed.map((n) => `${n.channel}:${n.discriminator}`).sort()).toEqual(['email:-', 'push:-', 'sms:-']);
    expect(confirmed.find((n) => n.channel === 'email')?.status).not.toBe('skipped');
    expect((await app.deps.stores.orders.get('tt-confirm'))?.marketplaceStatus).toMatchObject({ source: 'tiktok-shop', status: 'AWAITING_SHIPMENT', normalized: 'pending' });
  });

  it.each(['CANCEL', 'CANCELLED'])('sends order_cancelled for %s, and nothing moves the order after it', async (spelling) => {
    const orderId = `tt-cancel-${spelling.toLowerCase()}`;
    await app.api('POST', '/v1/orders', order(orderId));
    expect((await post(orderEvent(orderId, spelling, at()))).body.outcomes[0].status).toBe('applied');
    await eventually(async () => (await notificationsOf(orderId, 'order_cancelled')).length > 0, 'order_cancelled');
    const later = await post(orderEvent(orderId, 'AWAITING_SHIPMENT', at(5)));
    expect(later.body.outcomes[0].status).toBe('stale');
    expect((await app.deps.stores.orders.get(orderId))?.marketplaceStatus?.status).toBe(spelling);
  });

  it('moves the order\u2019s shipments with IN_TRANSIT and DELIVERED, and records a late IN_TRANSIT without acting', async () => {
    await app.api('POST', '/v1/orders', order('tt-ship'));
    const created = await app.api('POST', '/v1/shipments', { orderId: 'tt-ship', trackingNumber: UPS_NUMBERS[0] });
    const shipmentId = created.body.shipmentId as string;

    expect((await post(orderEvent('tt-ship', 'IN_TRANSIT', at(1)))).body.outcomes[0].status).toBe('applied');
    await eventually(async () => (await shipmentStatus(shipmentId)) === 'in_transit', 'shipment in transit');
    const timeline = (await app.api('GET', `/v1/shipments/${shipmentId}`)).body.timeline as Record<string, unknown>[];
    expect(timeline).toContainEqual(expect.objectContaining({ status: 'in_transit', source: 'tiktok-shop', rawStatus: 'IN_TRANSIT' }));

    expect((await post(orderEvent('tt-ship', 'DELIVERED', at(2)))).body.outcomes[0].status).toBe('applied');
    await eventually(async () => (await shipmentStatus(shipmentId)) === 'delivered', 'shipment delivered');
    await eventually(async () => (await notificationsOf('tt-ship', 'delivered')).length > 0, 'delivered notification');

    const before = await queued('updates');
    const late = await post(orderEvent('tt-ship', 'IN_TRANSIT', at(3)));
    expect(late.body.outcomes[0].status).toBe('stale');
    expect(await queued('updates')).toBe(before);
    expect(await events('&status=stale&orderId=tt-ship')).toEqual([expect.objectContaining({ orderId: 'tt-ship', rawStatus: 'IN_TRANSIT', status: 'stale' })]);
    expect(await shipmentStatus(shipmentId)).toBe('delivered');
  });

  it('records UNPAID, ON_HOLD, AWAITING_COLLECTION and COMPLETED on the order without a message', async () => {
    await app.api('POST', '/v1/orders', order('tt-record'));
    for (const [i, status] of ['UNPAID', 'ON_HOLD'].entries()) expect((await post(orderEvent('tt-record', status, at(i)))).body.outcomes[0].status).toBe('applied');
    expect((await app.deps.stores.orders.get('tt-record'))?.marketplaceStatus?.status).toBe('ON_HOLD');
    expect((await post(orderEvent('tt-record', 'AWAITING_COLLECTION', at(3)))).body.outcomes[0].status).toBe('applied');
    expect((await app.deps.stores.orders.get('tt-record'))?.marketplaceStatus).toMatchObject({ status: 'AWAITING_COLLECTION', normalized: 'label_created' });
    expect((await post(orderEvent('tt-record', 'COMPLETED', at(4)))).body.outcomes[0].status).toBe('applied');
    expect((await app.deps.stores.orders.get('tt-record'))?.marketplaceStatus).toMatchObject({ status: 'COMPLETED', normalized: 'delivered' });
    expect((await post(orderEvent('tt-record', 'DELIVERED', at(5)))).body.outcomes[0].status).toBe('stale');
  });

  it('answers an order moving on before it has shipments with no_shipments, and keeps an unknown status word raw', async () => {
    await app.api('POST', '/v1/orders', order('tt-bare'));
    expect((await post(orderEvent('tt-bare', 'IN_TRANSIT', at()))).body.outcomes[0].status).toBe('no_shipments');
    const odd = await post(orderEvent('tt-bare', 'AWAITING_PICKUP_BY_DRONE', at(1)));
    expect(odd).toMatchObject({ status: 200, body: { outcomes: [{ status: 'unrecognized_status' }] } });
    expect((await app.deps.stores.orders.get('tt-bare'))?.marketplaceStatus?.status).toBe('IN_TRANSIT');
    expect(await events('&status=unrecognized_status&orderId=tt-bare')).toEqual([expect.objectContaining({ rawStatus: 'AWAITING_PICKUP_BY_DRONE' })]);
  });

  it('answers an unknown order 200, enqueues nothing, and shows it in GET /v1/marketplace-events', async () => {
    const before = [await queued('updates'), await queued('notify')];
    const time = at();
    const res = await post(orderEvent('tt-nobody', 'AWAITING_SHIPMENT', time, '7405843187000000042'));
    expect(res).toMatchObject({ status: 200, body: { outcomes: [{ orderId: 'tt-nobody', status: 'unknown_order' }] } });
    expect([await queued('updates'), await queued('notify')]).toEqual(before);
    expect(await app.deps.stores.orders.get('tt-nobody')).toBeNull();
    const listed = await events('&status=unknown_order');
    expect(listed[0]).toMatchObject({
      source: 'tiktok-shop',
      deliveryId: '7405843187000000042',
      type: 'ORDER_STATUS_CHANGE',
      rawType: 1,
      status: 'unknown_order',
      orderId: 'tt-nobody',
      rawStatus: 'AWAITING_SHIPMENT',
      shopId: SHOP_ID,
      occurredAt: new Date(time * 1000).toISOString(),
    });
    expect(Date.parse(listed[0]!.receivedAt as string)).not.toBeNaN();
  });

  it('acknowledges other event types, records them and acts on nothing', async () => {
    const body = JSON.stringify({ type: 2, tts_notification_id: notificationId(), shop_id: SHOP_ID, timestamp: at(), data: { order_id: 'tt-confirm', reverse_order_status: 4 } });
    expect(await post(body)).toMatchObject({ status: 200, body: { type: 'REVERSE_ORDER_STATUS_CHANGE', outcomes: [{ status: 'ignored' }] } });
    expect((await events('&status=ignored'))[0]).toMatchObject({ type: 'REVERSE_ORDER_STATUS_CHANGE', rawType: 2, orderId: 'tt-confirm' });
  });

  it('deduplicates an older body without tts_notification_id on its bytes', async () => {
    await app.api('POST', '/v1/orders', order('tt-old-body'));
    const body = JSON.stringify({ type: 1, shop_id: SHOP_ID, timestamp: at(), data: { order_id: 'tt-old-body', order_status: 'UNPAID', update_time: at() } });
    expect((await post(body)).body.outcomes[0].status).toBe('applied');
    expect((await post(body)).body).toMatchObject({ duplicate: true });
  });
});

describe('POST /webhooks/tiktok-shop: PACKAGE_UPDATE', () => {
  it('re-links combined and split packages to their orders, idempotently, and a stale one changes nothing', async () => {
    for (const id of ['tt-pack-a', 'tt-pack-b']) await app.api('POST', '/v1/orders', order(id));
    const shipment = await app.api('POST', '/v1/shipments', { orderId: 'tt-pack-a', trackingNumber: UPS_NUMBERS[1], shipmentId: PACKAGE_ID });
    expect(shipment.status).toBe(201);

    const combineAt = at();
    const combine = packageEvent('COMBINE', [{ package_id: PACKAGE_ID, order_id_list: ['tt-pack-a', 'tt-pack-b', 'tt-pack-nobody'] }], combineAt);
    expect((await post(combine)).body.outcomes).toEqual([
      { orderId: 'tt-pack-a', status: 'applied' },
      { orderId: 'tt-pack-b', status: 'applied' },
      { orderId: 'tt-pack-nobody', status: 'unknown_order' },
    ]);
    const b = await app.deps.stores.orders.get('tt-pack-b');
    expect(b?.shipmentIds).toEqual([PACKAGE_ID]);
    expect(b?.packages).toEqual([{ packageId: PACKAGE_ID, orderIds: ['tt-pack-a', 'tt-pack-b', 'tt-pack-nobody'] }]);
    const again = packageEvent('COMBINE', [{ package_id: PACKAGE_ID, order_id_list: ['tt-pack-a', 'tt-pack-b', 'tt-pack-nobody'] }], combineAt);
    expect((await post(again)).body.outcomes.map((o: { status: string }) => o.status)).toEqual(['unchanged', 'unchanged', 'unknown_order']);

    // The combined parcel moves when either order does.
    expect((await post(orderEvent('tt-pack-b', 'IN_TRANSIT', at(1)))).body.outcomes[0].status).toBe('applied');
    await eventually(async () => (await shipmentStatus(PACKAGE_ID)) === 'in_transit', 'package shipment in transit');

    const split = packageEvent('CANCEL_COMBINE', [{ package_id: '1153891868590053002', order_id_list: ['tt-pack-a'] }, { package_id: PACKAGE_ID, order_id_list: ['tt-pack-b'] }], at(2));
    expect((await post(split)).body.outcomes.map((o: { status: string }) => o.status)).toEqual(['applied', 'applied']);
    expect((await app.deps.stores.orders.get('tt-pack-a'))?.shipmentIds).toEqual([]);
    expect((await app.deps.stores.orders.get('tt-pack-b'))?.shipmentIds).toEqual([PACKAGE_ID]);

    const stale = packageEvent('COMBINE', [{ package_id: PACKAGE_ID, order_id_list: ['tt-pack-a', 'tt-pack-b'] }], combineAt);
    expect((await post(stale)).body.outcomes.map((o: { status: string }) => o.status)).toEqual(['stale', 'stale']);
    expect((await app.deps.stores.orders.get('tt-pack-a'))?.packages).toEqual([{ packageId: '1153891868590053002', orderIds: ['tt-pack-a'] }]);
    expect(await events('&orderId=tt-pack-a&status=stale')).toHaveLength(1);
  });
});

describe('POST /webhooks/tiktok-shop: refusals', () => {
  it.each([
    ['no Authorization header', {}],
    ['the docs\u2019 negative "wrong signature"', { authorization: 'wrong signature' }],
    ['a signature made with another secret', null],
  ])('answers %s with 401 and stores nothing', async (what, headers) => {
    const orderId = `tt-refused-${what.replace(/[^A-Za-z0-9]+/g, '-')}`;
    await app.api('POST', '/v1/orders', order(orderId));
    const body = orderEvent(orderId, 'CANCEL', at());
    const res = await post(body, headers ?? { authorization: sign(body, APP_KEY, 'another-secret') });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature', details: { field: 'authorization' } } } });
    expect(await events(`&orderId=${orderId}`)).toEqual([]);
    expect((await app.deps.stores.orders.get(orderId))?.marketplaceStatus).toBeUndefined();
    // The notification id was not burnt: the genuine delivery still goes through.
    expect((await post(body)).body.outcomes[0].status).toBe('applied');
  });

  it.each([
    ['malformed JSON', '{"type":1,"data":', 'body'],
    ['no order_status', JSON.stringify({ type: 1, tts_notification_id: '7405843187999999991', data: { order_id: 'tt-confirm', update_time: 1763467190 } }), 'data.order_status'],
    ['a package without package_id', JSON.stringify({ type: 4, tts_notification_id: '7405843187999999992', data: { sc_type: 'SPLIT', package_list: [{ order_id_list: ['tt-confirm'] }], update_time: 1763467190 } }), 'data.package_list.0.package_id'],
  ])('answers a signed body with %s 400 naming %s, and stores nothing', async (_what, body, field) => {
    const before = (await events()).length;
    const res = await post(body);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload', details: { field } } } });
    expect((await events()).length).toBe(before);
  });

  it('answers 503 with a sentence when the app credentials are not set', async () => {
    const off = await startTestApp({ workers: [] });
    try {
      const body = orderEvent('tt-confirm', 'UNPAID', at());
      const res = await post(body, { authorization: sign(body) }, off);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('TIKTOK_SHOP_APP_KEY');
    } finally {
      await off.close();
      await dropPrefix(off.config.keyPrefix);
    }
  });

  it('GET /v1/marketplace-events needs the admin token and a known source and status', async () => {
    expect((await app.api('GET', '/v1/marketplace-events?source=tiktok-shop', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await app.api('GET', '/v1/marketplace-events')).body.error.details[0].field).toBe('source');
    expect((await app.api('GET', '/v1/marketplace-events?source=amazon')).status).toBe(400);
    expect((await app.api('GET', '/v1/marketplace-events?source=tiktok-shop&status=odd')).body.error.details[0].field).toBe('status');
    expect(await events('&status=unknown_order&limit=1')).toHaveLength(1);
  });
});

describe('POST /webhooks/tiktok-shop: fuzzing', () => {
  let fuzz: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    fuzz = await startTestApp({ workers: [], env: { ...ENV, BODY_LIMIT_BYTES: '65536' } });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await fuzz.close();
    await redis.quit();
    await dropPrefix(fuzz.config.keyPrefix);
  });

  async function keyCount(): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${fuzz.config.keyPrefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }

  it('answers arbitrary bytes, headers, JSON shapes and oversized bodies with 400, 401 or 413 and an error body; stores nothing', async () => {
    const printable = fc.string({ unit: fc.constantFrom(...'abcdef0123456789 ,=Bearer-'.split('')), maxLength: 80 });
    const jsonish = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ type: fc.oneof(fc.constantFrom(1, 4), fc.jsonValue()), data: fc.jsonValue() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    const body = fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)), jsonish.map((s) => Buffer.from(s)), fc.constant(Buffer.alloc(70_000, 0x41)));
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.oneof(fc.constant('signed'), printable), fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'), async (raw, auth, contentType) => {
        const before = await keyCount();
        const headers: Record<string, string> = { 'content-type': contentType, authorization: auth === 'signed' ? sign(raw) : auth };
        const res = await fetch(`${fuzz.baseUrl}/webhooks/tiktok-shop`, { method: 'POST', headers, body: new Uint8Array(raw) });
        const answer = (await res.json()) as { error?: { code: string; message: string } };
        // A signed body the generators happened to make well-formed (`{"type":0}`) is a valid event: 200.
        if (res.status === 200 && auth === 'signed') return;
        refused++;
        expect([400, 401, 413]).toContain(res.status);
        expect(answer.error?.code).toMatch(/^[a-z_]+$/);
        expect(answer.error?.message.length).toBeGreaterThan(0);
        expect(await keyCount()).toBe(before);
      }),
      { numRuns: 150 },
    );
    expect(refused).toBeGreaterThan(100);
    expect(await fetch(`${fuzz.baseUrl}/healthz`).then((r) => r.status)).toBe(200);
  });
});
