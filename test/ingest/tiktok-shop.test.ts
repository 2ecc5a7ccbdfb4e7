import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError, WebhookPayloadError, WebhookSignatureError } from '../../src/ingest/errors.js';
import {
  parseTikTokShopWebhook,
  signTikTokShopWebhook,
  TIKTOK_ORDER_STATUSES,
  verifyTikTokShopWebhook,
  type TikTokShopNotification,
} from '../../src/ingest/tiktok-shop.js';
import type { WebhookHeaders } from '../../src/ingest/source.js';

// Payloads written from the TikTok Shop partner docs' "Event example" blocks
// (https://partner.tiktokshop.com/docv2/page/1-order-status-change, …/4-package-update), with our own ids.
const CREDENTIALS = { appKey: '6abcdefghij01', appSecret: 'shop-app-secret-0123456789abcdef' };
const ORDER_EVENT =
  '{"type":1,"tts_notification_id":"7405843187294512901","shop_id":"7495112233445566778","timestamp":1763467200,' +
  '"data":{"order_id":"578901234567890123","order_status":"AWAITING_SHIPMENT","is_on_hold_order":false,"update_time":1763467190}}';
// Computed independently with Python's hmac module: hmac.new(secret, app_key + body, sha256).hexdigest().
const ORDER_EVENT_SIGNATURE = 'ba9efe614f078dc6d4252e890645eb48454d4c2e32efbbc538346b2b3eb3a60f';

const PACKAGE_EVENT = JSON.stringify({
  type: 4,
  tts_notification_id: '7405843187294512955',
  shop_id: '7495112233445566778',
  timestamp: 1763470800,
  data: {
    sc_type: 'SPLIT',
    role_type: 'ROLE_SELLER',
    package_list: [
      { package_id: '1153891868590053001', order_id_list: ['578901234567890123'] },
      { package_id: '1153891868590053002', order_id_list: ['578901234567890123', '578901234567890123'] },
    ],
    update_time: 1763470790,
  },
});

const bytes = (text: string) => Buffer.from(text, 'utf8');
const verify = (headers: WebhookHeaders, body = ORDER_EVENT) => verifyTikTokShopWebhook({ ...CREDENTIALS, headers, rawBody: bytes(body) });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

function payloadError(body: unknown): WebhookPayloadError {
  const error = thrown(() => parseTikTokShopWebhook(bytes(typeof body === 'string' ? body : JSON.stringify(body))));
  expect(error).toBeInstanceOf(WebhookPayloadError);
  return error as WebhookPayloadError;
}

describe('TikTok Shop signature', () => {
  it('matches a vector computed by another implementation', () => {
    expect(signTikTokShopWebhook(CREDENTIALS, bytes(ORDER_EVENT))).toBe(ORDER_EVENT_SIGNATURE);
    expect(() => verify({ authorization: ORDER_EVENT_SIGNATURE })).not.toThrow();
  });

  it('reads the header whatever its case, and upper-case hex too', () => {
    expect(() => verify({ Authorization: ` ${ORDER_EVENT_SIGNATURE.toUpperCase()} ` })).not.toThrow();
  });

  it.each([
    ['a tampered body', { authorization: ORDER_EVENT_SIGNATURE }, ORDER_EVENT.replace('AWAITING_SHIPMENT', 'CANCEL')],
    ['one space added to the body', { authorization: ORDER_EVENT_SIGNATURE }, ORDER_EVENT.replace(':1,', ': 1,')],
    ['a "Bearer" scheme in front', { authorization: `Bearer ${ORDER_EVENT_SIGNATURE}` }, ORDER_EVENT],
    ['a truncated signature', { authorization: ORDER_EVENT_SIGNATURE.slice(0, 63) }, ORDER_EVENT],
    ['a non-hex value', { authorization: 'wrong signature' }, ORDER_EVENT],
  ])('refuses %s', (_what, headers, body) => {
    const error = thrown(() => verify(headers, body));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error).toMatchObject({ code: 'invalid_signature', reason: 'no_matching_signature', field: 'authorization' });
  });

  it('refuses a signature made with another secret, or without the app key in front', () => {
    const otherSecret = signTikTokShopWebhook({ ...CREDENTIALS, appSecret: 'another-secret' }, bytes(ORDER_EVENT));
    const noKey = signTikTokShopWebhook({ ...CREDENTIALS, appKey: '' }, bytes(ORDER_EVENT));
    for (const signature of [otherSecret, noKey]) expect(thrown(() => verify({ authorization: signature }))).toBeInstanceOf(WebhookSignatureError);
  });

  it.each([[{}], [{ authorization: '   ' }], [{ authorization: [ORDER_EVENT_SIGNATURE, ORDER_EVENT_SIGNATURE] }]])('refuses a missing or repeated header: %j', (headers) => {
    expect(thrown(() => verify(headers))).toMatchObject({ reason: 'missing_header', field: 'authorization' });
  });
});

describe('parseTikTokShopWebhook', () => {
  it('reads ORDER_STATUS_CHANGE with its documented fields', () => {
    expect(parseTikTokShopWebhook(bytes(ORDER_EVENT))).toEqual({
      kind: 'order_status',
      deliveryId: '7405843187294512901',
      type: 1,
      typeName: 'ORDER_STATUS_CHANGE',
      shopId: '7495112233445566778',
      sentAt: '2025-11-18T12:00:00.000Z',
      orderId: '578901234567890123',
      orderStatus: 'AWAITING_SHIPMENT',
      status: { rank: 2, normalized: 'pending', effect: 'confirm' },
      onHold: false,
      updatedAt: '2025-11-18T11:59:50.000Z',
    } satisfies TikTokShopNotification);
  });

  it.each([
    ['UNPAID', 'pending', 'record'],
    ['ON_HOLD', 'pending', 'record'],
    ['AWAITING_SHIPMENT', 'pending', 'confirm'],
    ['AWAITING_COLLECTION', 'label_created', 'record'],
    ['IN_TRANSIT', 'in_transit', 'advance'],
    ['DELIVERED', 'delivered', 'advance'],
    ['COMPLETED', 'delivered', 'record'],
    ['CANCEL', 'cancelled', 'cancel'],
    ['CANCELLED', 'cancelled', 'cancel'],
  ])('maps %s to %s (%s), as SPEC\u2019s status table says', (orderStatus, normalized, effect) => {
    const parsed = parseTikTokShopWebhook(bytes(ORDER_EVENT.replace('AWAITING_SHIPMENT', orderStatus)));
    expect(parsed).toMatchObject({ kind: 'order_status', orderStatus, status: { normalized, effect } });
  });

  it('ranks the statuses in the order an order lives them', () => {
    const order = ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCEL'];
    const ranks = order.map((s) => TIKTOK_ORDER_STATUSES[s]?.rank ?? Number.NaN);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(TIKTOK_ORDER_STATUSES.CANCELLED?.rank).toBe(TIKTOK_ORDER_STATUSES.CANCEL?.rank);
  });

  it('keeps a status word it does not know, raw, instead of refusing the event', () => {
    const parsed = parseTikTokShopWebhook(bytes(ORDER_EVENT.replace('AWAITING_SHIPMENT', 'AWAITING_PICKUP_BY_DRONE')));
    expect(parsed).toMatchObject({ kind: 'order_status', orderStatus: 'AWAITING_PICKUP_BY_DRONE', status: undefined });
  });

  it('does not take a status word for an inherited property', () => {
    expect(parseTikTokShopWebhook(bytes(ORDER_EVENT.replace('AWAITING_SHIPMENT', 'constructor')))).toMatchObject({ status: undefined });
  });

  it('reads PACKAGE_UPDATE, dropping an order listed twice in one package', () => {
    expect(parseTikTokShopWebhook(bytes(PACKAGE_EVENT))).toMatchObject({
      kind: 'package_update',
      deliveryId: '7405843187294512955',
      typeName: 'PACKAGE_UPDATE',
      scType: 'SPLIT',
      roleType: 'ROLE_SELLER',
      packages: [
        { packageId: '1153891868590053001', orderIds: ['578901234567890123'] },
        { packageId: '1153891868590053002', orderIds: ['578901234567890123'] },
      ],
      updatedAt: '2025-11-18T12:59:50.000Z',
    });
  });

  it('reads other event types as "other", keeping their order id when there is one', () => {
    const reverse = { type: 2, tts_notification_id: '7405843187294513000', data: { order_id: '578901234567890123', reverse_order_status: 4 } };
    expect(parseTikTokShopWebhook(bytes(JSON.stringify(reverse)))).toMatchObject({ kind: 'other', typeName: 'REVERSE_ORDER_STATUS_CHANGE', orderId: '578901234567890123' });
    const future = { type: 99, tts_notification_id: '7405843187294513001', data: { order_id: 12 } };
    const parsed = parseTikTokShopWebhook(bytes(JSON.stringify(future)));
    expect(parsed).toMatchObject({ kind: 'other', typeName: 'TYPE_99' });
    expect(parsed).not.toHaveProperty('orderId');
  });

  it('falls back to a hash of the bytes when an older body has no tts_notification_id', () => {
    const old = ORDER_EVENT.replace('"tts_notification_id":"7405843187294512901",', '');
    const a = parseTikTokShopWebhook(bytes(old));
    expect(a.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
    expect(parseTikTokShopWebhook(bytes(old)).deliveryId).toBe(a.deliveryId);
    expect(parseTikTokShopWebhook(bytes(old.replace('1763467190', '1763467191'))).deliveryId).not.toBe(a.deliveryId);
  });

  it.each([
    ['not JSON', '{"type":1,', 'body'],
    ['a JSON array', '[1]', 'body'],
    ['JSON null', 'null', 'body'],
    ['no type', { data: {} }, 'type'],
    ['a string type', { type: '1', data: {} }, 'type'],
    ['a fractional type', { type: 1.5 }, 'type'],
    ['a numeric notification id', { type: 5, tts_notification_id: 7405843187294512901 }, 'tts_notification_id'],
    ['a notification id with a colon', { type: 5, tts_notification_id: 'a:b' }, 'tts_notification_id'],
    ['type 1 without data', { type: 1 }, 'data'],
    ['type 1 without order_id', { type: 1, data: { order_status: 'UNPAID', update_time: 1 } }, 'data.order_id'],
    ['type 1 with a numeric order_id (precision lost)', { type: 1, data: { order_id: 576486316948490001, order_status: 'UNPAID', update_time: 1 } }, 'data.order_id'],
    ['type 1 without order_status', { type: 1, data: { order_id: '1', update_time: 1 } }, 'data.order_status'],
    ['type 1 with an empty order_status', { type: 1, data: { order_id: '1', order_status: ' ', update_time: 1 } }, 'data.order_status'],
    ['type 1 without update_time', { type: 1, data: { order_id: '1', order_status: 'UNPAID' } }, 'data.update_time'],
    ['type 1 with update_time in milliseconds', { type: 1, data: { order_id: '1', order_status: 'UNPAID', update_time: 1763467190000 } }, 'data.update_time'],
    ['type 4 without package_list', { type: 4, data: { sc_type: 'SPLIT', update_time: 1 } }, 'data.package_list'],
    ['type 4 with an empty package_list', { type: 4, data: { sc_type: 'SPLIT', package_list: [], update_time: 1 } }, 'data.package_list'],
    ['type 4 with a package without orders', { type: 4, data: { sc_type: 'SPLIT', package_list: [{ package_id: '9', order_id_list: [] }], update_time: 1 } }, 'data.package_list.0.order_id_list'],
    ['type 4 without sc_type', { type: 4, data: { package_list: [{ package_id: '9', order_id_list: ['1'] }], update_time: 1 } }, 'data.sc_type'],
  ])('refuses %s, naming %s', (_what, body, field) => {
    const error = payloadError(body);
    expect(error).toMatchObject({ code: 'invalid_payload', field });
    expect(error.message).toContain(field);
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = thrown(() => parseTikTokShopWebhook(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    expect(error).toMatchObject({ code: 'invalid_payload', field: 'body' });
  });
});

describe('TikTok Shop input fuzzing', () => {
  const onlyTyped = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(IngestError);
    }
  };

  it('verify refuses arbitrary headers and bytes with typed errors only', () => {
    const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom('authorization', 'Authorization', 'AUTHORIZATION'), fc.string()), headerValue), fc.uint8Array({ maxLength: 512 }), (headers, body) => {
        const error = thrown(() => verifyTikTokShopWebhook({ ...CREDENTIALS, headers, rawBody: Buffer.from(body) }));
        expect(error).toBeInstanceOf(WebhookSignatureError);
      }),
      { numRuns: 300 },
    );
  });

  it('parse answers arbitrary bytes, JSON values and near-valid events with a result or a typed error', () => {
    const near = fc.record(
      {
        type: fc.oneof(fc.constantFrom(1, 4, 2, 12), fc.anything()),
        tts_notification_id: fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.anything()),
        timestamp: fc.oneof(fc.integer(), fc.anything()),
        data: fc.oneof(
          fc.record({ order_id: fc.oneof(fc.stringMatching(/^[0-9]{1,19}$/), fc.anything()), order_status: fc.oneof(fc.constantFrom(...Object.keys(TIKTOK_ORDER_STATUSES)), fc.string()), update_time: fc.oneof(fc.nat(), fc.anything()) }, { requiredKeys: [] }),
          fc.record({ sc_type: fc.string(), package_list: fc.array(fc.record({ package_id: fc.anything(), order_id_list: fc.array(fc.string()) })), update_time: fc.nat() }, { requiredKeys: [] }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), fc.jsonValue().map((v) => bytes(JSON.stringify(v) ?? '')), near.map((v) => bytes(JSON.stringify(v) ?? ''))), (body) => {
        onlyTyped(() => parseTikTokShopWebhook(body));
      }),
      { numRuns: 500 },
    );
  });

  it('handles enormous strings and deep nesting without an untyped error', () => {
    const huge = 'A'.repeat(2_000_000);
    for (const body of [
      JSON.stringify({ type: 1, data: { order_id: huge, order_status: 'UNPAID', update_time: 1 } }),
      JSON.stringify({ type: 1, data: { order_id: '1', order_status: huge, update_time: 1 } }),
      JSON.stringify({ type: 7, tts_notification_id: '1', data: { note: huge } }),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      huge,
    ]) {
      onlyTyped(() => parseTikTokShopWebhook(bytes(body)));
    }
    const other = parseTikTokShopWebhook(bytes(JSON.stringify({ type: 7, tts_notification_id: '1', data: { note: huge } })));
    expect(other.kind).toBe('other');
  });
});
