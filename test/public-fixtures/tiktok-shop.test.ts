/**
 * The public TikTok Shop vectors in `../shared/fixtures/tiktok-shop/` (see its README for provenance):
 * EcomPHP/tiktokshop-php's webhook test sample, the partner docs' event examples, and their signatures.
 */
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../../src/ingest/errors.js';
import {
  parseTikTokShopWebhook,
  signTikTokShopWebhook,
  TIKTOK_SHOP_EVENT_TYPES,
  tiktokOrderStatus,
  verifyTikTokShopWebhook,
} from '../../src/ingest/tiktok-shop.js';
import { fixtureBytes, fixtureJson, HAVE_FIXTURES, noteMissingFixtures } from '../support/fixtures.js';

interface Vector {
  name: string;
  app_key: string;
  app_secret: string;
  raw_body: string;
  expected_authorization: string;
  expected_parsed?: { type: number; shop_id: string; timestamp: number; data: { order_id: string; order_status: string; update_time: number } };
  negative_cases_from_test?: { authorization: string; expected_valid: boolean }[];
}

interface SignatureFile {
  vectors: Vector[];
  documented_values: {
    'webhook_type_ids_named_in_EcomPHP_src_Webhook.php': Record<string, number>;
    order_status_values_type1: string[];
    package_update_sc_type_values_type4: string[];
  };
}

it('says in one line when the public fixtures are absent', () => {
  noteMissingFixtures();
  expect(typeof HAVE_FIXTURES).toBe('boolean');
});

describe.runIf(HAVE_FIXTURES)('public TikTok Shop vectors', () => {
  const file = HAVE_FIXTURES ? fixtureJson<SignatureFile>('tiktok-shop', 'webhook-signature.json') : ({ vectors: [] } as unknown as SignatureFile);

  it('has the three vectors the README describes', () => {
    expect(file.vectors).toHaveLength(3);
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('signs and verifies "%s" byte for byte', (_name, vector) => {
    const credentials = { appKey: vector.app_key, appSecret: vector.app_secret };
    const rawBody = Buffer.from(vector.raw_body, 'utf8');
    expect(signTikTokShopWebhook(credentials, rawBody)).toBe(vector.expected_authorization);
    expect(() => verifyTikTokShopWebhook({ ...credentials, headers: { authorization: vector.expected_authorization }, rawBody })).not.toThrow();
    for (const negative of vector.negative_cases_from_test ?? []) {
      expect(negative.expected_valid).toBe(false);
      expect(() => verifyTikTokShopWebhook({ ...credentials, headers: { authorization: negative.authorization }, rawBody })).toThrow(WebhookSignatureError);
    }
  });

  it('reads the EcomPHP sample as its test expects, with a body hash standing in for the missing notification id', () => {
    const vector = file.vectors[0] as Vector;
    const expected = vector.expected_parsed!;
    const parsed = parseTikTokShopWebhook(Buffer.from(vector.raw_body, 'utf8'));
    expect(parsed).toMatchObject({
      kind: 'order_status',
      type: expected.type,
      shopId: expected.shop_id,
      sentAt: new Date(expected.timestamp * 1000).toISOString(),
      orderId: expected.data.order_id,
      orderStatus: expected.data.order_status,
      status: { effect: 'confirm' },
      updatedAt: new Date(expected.data.update_time * 1000).toISOString(),
    });
    expect(parsed.deliveryId).toMatch(/^body-[0-9a-f]{32}$/);
  });

  it('reads the docs\u2019 ORDER_STATUS_CHANGE example file as sent (pretty-printed bytes)', () => {
    const parsed = parseTikTokShopWebhook(fixtureBytes('tiktok-shop', 'order-status-change.type1.json'));
    expect(parsed).toEqual({
      kind: 'order_status',
      deliveryId: '7327112393057371910',
      type: 1,
      typeName: 'ORDER_STATUS_CHANGE',
      shopId: '7494049642642441621',
      sentAt: '2022-02-09T13:21:25.000Z',
      orderId: '576486316948490001',
      orderStatus: 'UNPAID',
      status: { rank: 0, normalized: 'pending', effect: 'record' },
      onHold: false,
      updatedAt: '2022-02-09T13:21:25.000Z',
    });
  });

  it('reads the docs\u2019 PACKAGE_UPDATE example file as sent', () => {
    expect(parseTikTokShopWebhook(fixtureBytes('tiktok-shop', 'package-update.type4.json'))).toMatchObject({
      kind: 'package_update',
      deliveryId: '7327112393057371910',
      typeName: 'PACKAGE_UPDATE',
      scType: 'COMBINE',
      roleType: 'ROLE_USER',
      packages: [{ packageId: '123456', orderIds: ['152523', '532123'] }],
      updatedAt: '2022-02-09T13:21:25.000Z',
    });
  });

  it('knows every documented order status and event type number', () => {
    for (const status of file.documented_values.order_status_values_type1) expect(tiktokOrderStatus(status), status).toBeDefined();
    const typeIds = file.documented_values['webhook_type_ids_named_in_EcomPHP_src_Webhook.php'];
    for (const [name, type] of Object.entries(typeIds)) expect(TIKTOK_SHOP_EVENT_TYPES[type], name).toBeDefined();
  });

  it('accepts every documented sc_type in a package update', () => {
    const docs = fixtureBytes('tiktok-shop', 'package-update.type4.json').toString('utf8');
    for (const scType of file.documented_values.package_update_sc_type_values_type4) {
      const parsed = parseTikTokShopWebhook(Buffer.from(docs.replace('"COMBINE"', JSON.stringify(scType))));
      expect(parsed).toMatchObject({ kind: 'package_update', scType });
    }
  });
});
