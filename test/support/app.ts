/**
 * Starts the real application for a test: real Redis under a random key prefix, real HTTP server
 * on a free port, and whichever channels the test passes (real peers) or the outbox in a temp dir.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startApp, type App, type StartOptions } from '../../src/main.js';
import { WORKER_NAMES } from '../../src/queues/names.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const WEBHOOK_SECRET = `whsec_${Buffer.from('shipment-notifier-test-secret-32b').toString('base64')}`;

export interface TestApp extends App {
  config: Config;
  baseUrl: string;
  /** fetch against the app with the admin token; JSON in, `{status, body}` out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL,
    KEY_PREFIX: `t${randomBytes(5).toString('hex')}`,
    HOST: '127.0.0.1',
    PORT: '3000',
    ADMIN_TOKEN,
    WEBHOOK_SECRET,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'sn-outbox-')),
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** Tests run at any hour; the app's clock starts at a fixed weekday noon UTC so quiet hours never surprise. */
export const TEST_EPOCH = Date.parse('2026-11-18T12:00:00.000Z');

/** A clock that starts at `start` and runs at real speed; `advance` jumps it forward. */
export function testClock(start = TEST_EPOCH) {
  const realStart = Date.now();
  let offset = 0;
  return {
    now: () => new Date(start + offset + (Date.now() - realStart)),
    advance(ms: number) {
      offset += ms;
    },
  };
}

export async function startTestApp(options: Partial<StartOptions> & { env?: Record<string, string> } = {}): Promise<TestApp> {
  const config: Config = { ...parseConfig(testEnv(options.env)), port: 0 };
  const app = await startApp(config, { workers: WORKER_NAMES, logger: createLogger('silent'), now: testClock().now, ...options });
  const address = app.server?.server.address();
  const baseUrl = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : '';
  return {
    ...app,
    config,
    baseUrl,
    async api(method, path, body, headers = {}) {
      const res = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deletes every key under a test's prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export const buyer = (extra: Record<string, unknown> = {}) => ({
  role: 'buyer',
  name: 'Ana García',
  email: 'ana@example.com',
  phone: '+12125550142',
  locale: 'en',
  timezone: 'UTC',
  ...extra,
});

export const seller = (extra: Record<string, unknown> = {}) => ({
  role: 'seller',
  name: 'Acme Outdoor',
  email: 'ops@acme.example',
  phone: '+13125550199',
  locale: 'en',
  timezone: 'UTC',
  ...extra,
});

export const order = (orderId = 'order-1') => ({
  orderId,
  buyerId: 'buyer-1',
  sellerId: 'seller-1',
  items: [{ name: 'Trail shoes', quantity: 1, price: 89.9 }],
  total: 89.9,
  currency: 'USD',
});

/** Valid UPS numbers (check digit correct). */
export const UPS_NUMBERS = ['1Z5R89390357567127', '1Z999AA10123456784'];
