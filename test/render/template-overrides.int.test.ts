/** The override store: versions in Redis, and every process's in-memory mirror following them. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { createTemplateOverrideStore, TemplateVersionNotFoundError, type TemplateOverrideStore } from '../../src/store/template-overrides.js';
import { REDIS_URL, dropPrefix, eventually } from '../support/app.js';

const redis = new Redis(REDIS_URL);
const AT = new Date('2026-11-18T12:00:00Z');
let keys: Keys;
let stores: TemplateOverrideStore[] = [];

async function store(checkEveryMs = 2_000): Promise<TemplateOverrideStore> {
  const s = createTemplateOverrideStore(redis, keys, { checkEveryMs });
  await s.start();
  stores.push(s);
  return s;
}

beforeEach(() => {
  keys = createKeys(`t${randomBytes(5).toString('hex')}`);
});
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  await dropPrefix(keys.prefix);
});
afterAll(async () => {
  await redis.quit();
});

describe('template override store', () => {
  it('numbers versions, keeps them all, and serves the current one to the saving process at once', async () => {
    const a = await store();
    expect((await a.save('en', 'shipped', 'sms', 'one', 'admin', AT)).version).toBe(1);
    expect((await a.save('en', 'shipped', 'sms', 'two', 'admin', AT)).version).toBe(2);
    expect(a.get('en', 'shipped', 'sms')).toBe('two');
    expect(a.get('es', 'shipped', 'sms')).toBeUndefined();
    const back = await a.rollback('en', 'shipped', 'sms', 1, 'admin', AT);
    expect(back).toMatchObject({ version: 3, source: 'one', action: 'rollback', from: 1 });
    expect(a.active('en', 'shipped', 'sms')).toMatchObject({ version: 3, source: 'one' });
    await expect(a.rollback('en', 'shipped', 'sms', 7, 'admin', AT)).rejects.toBeInstanceOf(TemplateVersionNotFoundError);
    expect((await a.versions('en', 'shipped', 'sms')).map((v) => v.source)).toEqual(['one', 'two', 'one']);
  });

  it('gives concurrent saves distinct version numbers', async () => {
    const [a, b] = [await store(), await store()];
    const saved = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).save('en', 'lost', 'push.body', `v${i}`, 'admin', AT)));
    expect(new Set(saved.map((s) => s.version)).size).toBe(20);
    expect(await a.versions('en', 'lost', 'push.body')).toHaveLength(20);
  });

  it('tells other processes through pub/sub, well before the periodic check', async () => {
    const [a, b] = [await store(), await store(60_000)];
    await a.save('en', 'shipped', 'sms', 'fresh', 'admin', AT);
    await eventually(async () => b.get('en', 'shipped', 'sms') === 'fresh', 'the other mirror to follow the save', 1_000);
    await a.remove('en', 'shipped', 'sms');
    await eventually(async () => b.get('en', 'shipped', 'sms') === undefined, 'the other mirror to follow the removal', 1_000);
  });

  it('catches a missed message with the periodic generation check', async () => {
    const b = await store(100);
    // A change whose message was lost: written and counted, never published.
    await redis.hset(`${keys.prefix}:templates:current`, 'en/shipped/sms', JSON.stringify({ version: 1, source: 'quiet', savedAt: AT.toISOString(), by: 'admin' }));
    await redis.incr(`${keys.prefix}:templates:generation`);
    await eventually(async () => b.get('en', 'shipped', 'sms') === 'quiet', 'the periodic check to reload', 2_000);
  });

  it('reports whether a removal removed anything', async () => {
    const a = await store();
    expect(await a.remove('en', 'shipped', 'sms')).toBe(false);
    await a.save('en', 'shipped', 'sms', 'x', 'admin', AT);
    expect(await a.remove('en', 'shipped', 'sms')).toBe(true);
    expect(a.get('en', 'shipped', 'sms')).toBeUndefined();
  });
});
