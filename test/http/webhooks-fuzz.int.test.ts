/**
 * Every webhook endpoint under arbitrary input: random bytes, random headers, random JSON shapes
 * (validly signed, so the parsers are reached), enormous strings. Each answer is a typed 4xx (or a
 * 2xx for a well-formed delivery we ignore), never a 5xx, and nothing is enqueued.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook } from '../../src/ingest/standard-webhooks.js';
import { dropPrefix, startTestApp, WEBHOOK_SECRET, type TestApp } from '../support/app.js';

const S = {
  aftership: 'fuzz-aftership-secret',
  easypost: 'fuzz-easypost-sécret',
  shippo: 'fuzz-shippo-token',
  seventeen: 'fuzz-17track-key',
  tiktokKey: 'fuzz_app_key',
  tiktokSecret: 'fuzz_app_secret',
};

/** How each provider signs, written from its documentation; used to reach the parsers. */
const SIGNED: Record<string, (body: Buffer, now: Date) => { url: string; headers: Record<string, string> }> = {
  aftership: (b) => ({ url: '/webhooks/aftership', headers: { 'aftership-hmac-sha256': createHmac('sha256', S.aftership).update(b).digest('base64') } }),
  easypost: (b) => ({ url: '/webhooks/easypost', headers: { 'x-hmac-signature': `hmac-sha256-hex=${createHmac('sha256', Buffer.from(S.easypost.normalize('NFKD'), 'utf8')).update(b).digest('hex')}` } }),
  shippo: () => ({ url: `/webhooks/shippo?token=${S.shippo}`, headers: {} }),
  '17track': (b) => ({ url: '/webhooks/17track', headers: { sign: createHash('sha256').update(Buffer.concat([b, Buffer.from(`/${S.seventeen}`)])).digest('hex') } }),
  'tiktok-shop': (b) => ({ url: '/webhooks/tiktok-shop', headers: { authorization: createHmac('sha256', S.tiktokSecret).update(Buffer.concat([Buffer.from(S.tiktokKey), b])).digest('hex') } }),
  generic: (b, now) => {
    const id = `msg_${createHash('sha256').update(b).digest('hex').slice(0, 16)}`;
    return { url: '/webhooks/generic', headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signStandardWebhook({ secret: WEBHOOK_SECRET, id, timestamp: now, rawBody: b }) } };
  },
};

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    workers: [],
    env: {
      AFTERSHIP_WEBHOOK_SECRET: S.aftership,
      EASYPOST_WEBHOOK_SECRET: S.easypost,
      SHIPPO_WEBHOOK_TOKEN: S.shippo,
      SEVENTEENTRACK_API_KEY: S.seventeen,
      TIKTOK_SHOP_APP_KEY: S.tiktokKey,
      TIKTOK_SHOP_APP_SECRET: S.tiktokSecret,
    },
  });
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const enqueued = async () => (await Promise.all(app.queues.all.map((q) => q.count()))).reduce((a, b) => a + b, 0);
const inject = (url: string, payload: Buffer, headers: Record<string, string>) =>
  app.server!.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });

const jsonish = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.object({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ event: fc.constantFrom('tracking_update', 'tracker.updated', 'track_updated', 'TRACKING_UPDATED', 'TRACKING_STOPPED'), msg: fc.object(), data: fc.object(), result: fc.object(), type: fc.integer({ min: -1, max: 10 }) }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);

describe.each(Object.keys(SIGNED))('POST /webhooks/%s under fuzz', (name) => {
  it('refuses unsigned arbitrary bytes and headers with 401 (or 400), never 5xx, enqueues nothing', async () => {
    const before = await enqueued();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.dictionary(fc.constantFrom('authorization', 'sign', 'aftership-hmac-sha256', 'x-hmac-signature', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'shippo-auth-signature'), fc.string({ maxLength: 100 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))), async (bytes, headers) => {
        const url = SIGNED[name]!(Buffer.alloc(0), new Date()).url.replace(/\?token=.*/, '?token=wrong');
        const res = await inject(url, Buffer.from(bytes), headers);
        expect([400, 401]).toContain(res.statusCode);
        expect(res.json().error.code).toBeTypeOf('string');
      }),
      { numRuns: 60 },
    );
    expect(await enqueued()).toBe(before);
  });

  it('answers validly signed arbitrary JSON with a typed 4xx or a 2xx, never 5xx, and enqueues nothing', async () => {
    const before = await enqueued();
    await fc.assert(
      fc.asyncProperty(jsonish, async (text) => {
        const body = Buffer.from(text);
        const { url, headers } = SIGNED[name]!(body, app.deps.now());
        const res = await inject(url, body, headers);
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) expect([400, 422]).toContain(res.statusCode);
      }),
      { numRuns: 80 },
    );
    expect(await enqueued()).toBe(before);
  });

  it('answers 413 to a body over the limit', async () => {
    const body = Buffer.from(JSON.stringify({ data: 'x'.repeat(1_100_000) }));
    const { url, headers } = SIGNED[name]!(body, app.deps.now());
    const res = await inject(url, body, headers);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
  });
});
