/**
 * The four adapters against the carrier simulator, a loopback server answering in each carrier's documented
 * shapes, OAuth included, and failing on demand the way carriers fail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CarrierAuthError,
  CarrierNotFoundError,
  CarrierRateLimitedError,
  CarrierResponseError,
  CarrierUnavailableError,
} from '../../../src/ingest/carriers/errors.js';
import { createCarrierAdapters, type CarrierCredentials } from '../../../src/ingest/carriers/registry.js';
import type { CarrierAdapter, CarrierSlug } from '../../../src/ingest/carriers/types.js';
import { SIMULATOR_CREDENTIALS, startCarrierSimulator, type CarrierSimulator } from '../../../src/simulator/server.js';

let sim: CarrierSimulator;

function credentials(overrides: Partial<Record<CarrierSlug, Record<string, string>>> = {}): CarrierCredentials {
  return {
    usps: { ...SIMULATOR_CREDENTIALS.usps, baseUrl: sim.urls.usps, ...overrides.usps },
    ups: { ...SIMULATOR_CREDENTIALS.ups, baseUrl: sim.urls.ups, ...overrides.ups },
    fedex: { ...SIMULATOR_CREDENTIALS.fedex, baseUrl: sim.urls.fedex, ...overrides.fedex },
    dhl: { ...SIMULATOR_CREDENTIALS.dhl, baseUrl: sim.urls.dhl, ...overrides.dhl },
  };
}

function adapter(carrier: CarrierSlug, overrides: Partial<Record<CarrierSlug, Record<string, string>>> = {}): CarrierAdapter {
  return createCarrierAdapters(credentials(overrides), { timeoutMs: 2000 }).get(carrier)!;
}

const HAPPY: Record<CarrierSlug, string> = { ups: '1ZSIM0010300000017', usps: '9400100000000000012344', fedex: '700000012345', dhl: '1000012344' };
const UNKNOWN: Record<CarrierSlug, string> = { ups: '1Z999AA10123456784', usps: '9205500000000000012349', fedex: '300000012344', dhl: '1000012351' };
const OAUTH: CarrierSlug[] = ['usps', 'ups', 'fedex'];
const ALL: CarrierSlug[] = ['usps', 'ups', 'fedex', 'dhl'];

const count = (carrier: CarrierSlug, endpoint: 'token' | 'track', status?: number) =>
  sim.requests.filter((r) => r.carrier === carrier && r.endpoint === endpoint && (status === undefined || r.status === status)).length;

beforeEach(async () => {
  sim = await startCarrierSimulator();
});
afterEach(async () => {
  await sim.close();
});

describe.each(ALL)('%s adapter', (carrier) => {
  it('follows a story poll by poll, with an ETA on the way and proof at delivery', async () => {
    const a = adapter(carrier);
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await a.track(HAPPY[carrier]));
    expect(seen.map((u) => u.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered', 'delivered']);
    expect(seen[3]?.estimatedDelivery).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(seen[4]?.events).toHaveLength(5);
    expect(seen[4]?.events.every((e) => e.source === carrier && !Number.isNaN(Date.parse(e.time)))).toBe(true);
    expect(seen[4]?.proof?.signedBy).toBe('R. MORALES');
    // A repeated answer gives the same normalized update (the content hash dedupes it downstream).
    expect(seen[5]).toEqual(seen[4]);
  });

  it('answers "not found" for a number the carrier does not know', async () => {
    await expect(adapter(carrier).track(UNKNOWN[carrier])).rejects.toBeInstanceOf(CarrierNotFoundError);
  });

  it('429 with Retry-After is a rate-limit error carrying the wait', async () => {
    sim.failNext(carrier, { status: 429, retryAfter: '2' });
    const failure = adapter(carrier).track(HAPPY[carrier]);
    await expect(failure).rejects.toBeInstanceOf(CarrierRateLimitedError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 2000, retryable: true, httpStatus: 429 });
  });

  it('500 and 503 are retryable outages', async () => {
    sim.failNext(carrier, { status: 500 });
    sim.failNext(carrier, { status: 503, retryAfter: '30' });
    const a = adapter(carrier);
    await expect(a.track(HAPPY[carrier])).rejects.toMatchObject({ code: 'UNAVAILABLE', httpStatus: 500, retryable: true });
    await expect(a.track(HAPPY[carrier])).rejects.toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retryAfterMs: 30_000 });
    expect((await a.track(HAPPY[carrier])).status).toBe('label_created');
  });

  it('malformed JSON is a typed bad response', async () => {
    sim.failNext(carrier, { status: 200, body: '{"trackResponse": {"shipment": [' });
    await expect(adapter(carrier).track(HAPPY[carrier])).rejects.toBeInstanceOf(CarrierResponseError);
  });

  it('wrong credentials are an auth failure, not retried', async () => {
    const wrong = carrier === 'dhl' ? { apiKey: 'nope' } : carrier === 'fedex' ? { secretKey: 'nope' } : { clientSecret: 'nope' };
    const failure = adapter(carrier, { [carrier]: wrong }).track(HAPPY[carrier]);
    await expect(failure).rejects.toBeInstanceOf(CarrierAuthError);
    await expect(failure).rejects.toMatchObject({ retryable: false });
    expect(count(carrier, 'track', 200)).toBe(0);
  });
});

describe.each(OAUTH)('%s OAuth', (carrier) => {
  it('50 concurrent polls share one token request', async () => {
    const a = adapter(carrier);
    const results = await Promise.all(Array.from({ length: 50 }, () => a.track(HAPPY[carrier])));
    expect(results).toHaveLength(50);
    expect(count(carrier, 'token')).toBe(1);
    expect(count(carrier, 'track', 200)).toBe(50);
  });

  it('an expired token (401) is refreshed once and the call retried once', async () => {
    const a = adapter(carrier);
    await a.track(HAPPY[carrier]);
    sim.expireTokens();
    expect((await a.track(HAPPY[carrier])).status).toBe('in_transit');
    expect(sim.requests.filter((r) => r.carrier === carrier).map((r) => `${r.endpoint} ${r.status}`)).toEqual([
      'token 200',
      'track 200',
      'track 401',
      'token 200',
      'track 200',
    ]);
  });

  it('a 401 that survives a fresh token is an auth failure after exactly one refresh', async () => {
    sim.failNext(carrier, { status: 401, times: 2 });
    await expect(adapter(carrier).track(HAPPY[carrier])).rejects.toBeInstanceOf(CarrierAuthError);
    expect(count(carrier, 'token')).toBe(2);
    expect(count(carrier, 'track')).toBe(2);
  });

  it('a throttled token endpoint is a retryable rate limit, not an auth failure', async () => {
    sim.failNext(carrier, { status: 429, retryAfter: '5', endpoint: 'token' });
    await expect(adapter(carrier).track(HAPPY[carrier])).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 5000 });
  });

  it('a token answer without an access_token is a bad response', async () => {
    sim.failNext(carrier, { status: 200, body: '{"token_type":"Bearer","expires_in":3600}', endpoint: 'token' });
    await expect(adapter(carrier).track(HAPPY[carrier])).rejects.toMatchObject({ code: 'BAD_RESPONSE', field: 'access_token' });
  });
});

describe('request details each carrier documents', () => {
  it('UPS: Basic auth on the token call, transId (≤ 32 chars, unique) and transactionSrc on tracking', async () => {
    const a = adapter('ups');
    await a.track(HAPPY.ups);
    await a.track(HAPPY.ups);
    const [token, ...tracks] = sim.requests;
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('sim-ups-client:sim-ups-secret').toString('base64')}`);
    const ids = tracks.map((r) => String(r.headers.transid));
    expect(ids.every((id) => id.length > 0 && id.length <= 32)).toBe(true);
    expect(new Set(ids).size).toBe(2);
    expect(tracks.every((r) => r.headers.transactionsrc === 'shipment-notifier')).toBe(true);
  });

  it('DHL: the API key travels in the DHL-API-Key header, with no token call', async () => {
    await adapter('dhl').track(HAPPY.dhl);
    expect(sim.requests.map((r) => r.endpoint)).toEqual(['track']);
    expect(sim.requests[0]?.headers['dhl-api-key']).toBe('sim-dhl-key');
  });

  it('a carrier that does not answer in time is a retryable outage', async () => {
    const a = createCarrierAdapters({ dhl: { apiKey: 'k', baseUrl: 'http://127.0.0.1:1' } }, { timeoutMs: 500 }).get('dhl')!;
    await expect(a.track(HAPPY.dhl)).rejects.toBeInstanceOf(CarrierUnavailableError);
  });
});
