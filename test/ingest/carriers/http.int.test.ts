/** The HTTP helper against a real loopback server misbehaving in the ways carriers and proxies do. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CarrierRateLimitedError,
  CarrierRequestError,
  CarrierResponseError,
  CarrierUnauthorizedError,
  CarrierUnavailableError,
} from '../../../src/ingest/carriers/errors.js';
import { carrierFetch, MAX_RESPONSE_BYTES, parseJsonBody, providerMessageOf, throwForStatus } from '../../../src/ingest/carriers/http.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.searchParams.get('status') ?? '200');
    if (url.pathname === '/hang') return; // never answers
    if (url.pathname === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent <= MAX_RESPONSE_BYTES + chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (url.pathname === '/cut') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"partial":');
      return void setTimeout(() => res.destroy(), 20);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const retryAfter = url.searchParams.get('retryAfter');
    if (retryAfter) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers);
    res.end(url.searchParams.get('body') ?? '{"ok":true}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (path: string, timeoutMs?: number) => carrierFetch('ups', { method: 'GET', url: `${base}${path}`, timeoutMs });

describe('carrierFetch and throwForStatus', () => {
  it('returns any answer; 2xx and 404 pass throwForStatus', async () => {
    const ok = await get('/?status=200');
    expect(() => throwForStatus('ups', ok)).not.toThrow();
    expect(parseJsonBody('ups', ok)).toEqual({ ok: true });
    const missing = await get('/?status=404');
    expect(() => throwForStatus('ups', missing)).not.toThrow();
  });

  it('401 → CarrierUnauthorizedError with the carrier words', async () => {
    const res = await get(`/?status=401&body=${encodeURIComponent('{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}')}`);
    expect(() => throwForStatus('ups', res)).toThrow(CarrierUnauthorizedError);
    expect(() => throwForStatus('ups', res)).toThrow(expect.objectContaining({ providerMessage: 'Invalid Authentication Information.', httpStatus: 401 }));
  });

  it('429 → CarrierRateLimitedError with Retry-After in seconds or as an HTTP date', async () => {
    const seconds = await get('/?status=429&retryAfter=7');
    expect(() => throwForStatus('ups', seconds)).toThrow(expect.objectContaining({ code: 'RATE_LIMITED', retryAfterMs: 7000, retryable: true }));
    const now = Date.parse('2026-11-18T12:00:00Z');
    const dated = await get(`/?status=429&retryAfter=${encodeURIComponent('Wed, 18 Nov 2026 12:00:30 GMT')}`);
    expect(() => throwForStatus('ups', dated, now)).toThrow(expect.objectContaining({ retryAfterMs: 30_000 }));
    const none = await get('/?status=429');
    const err = (() => {
      try {
        throwForStatus('ups', none);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CarrierRateLimitedError);
    expect((err as CarrierRateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('5xx → retryable CarrierUnavailableError (503 may carry Retry-After)', async () => {
    for (const status of [500, 502, 503]) {
      const res = await get(`/?status=${status}&retryAfter=3`);
      expect(() => throwForStatus('ups', res)).toThrow(CarrierUnavailableError);
      expect(() => throwForStatus('ups', res)).toThrow(expect.objectContaining({ httpStatus: status, retryAfterMs: 3000, retryable: true }));
    }
  });

  it('other 4xx → CarrierRequestError, not retryable', async () => {
    for (const status of [400, 403, 422]) {
      const res = await get(`/?status=${status}&body=${encodeURIComponent('{"errors":[{"code":"BAD","message":"Invalid tracking number"}]}')}`);
      expect(() => throwForStatus('fedex', res)).toThrow(CarrierRequestError);
      expect(() => throwForStatus('fedex', res)).toThrow(expect.objectContaining({ providerMessage: 'Invalid tracking number', retryable: false }));
    }
  });

  it('a body that is not JSON → CarrierResponseError', async () => {
    const res = await get(`/?status=200&body=${encodeURIComponent('<html>Bad gateway</html>')}`);
    expect(() => parseJsonBody('dhl', res)).toThrow(CarrierResponseError);
    expect(() => parseJsonBody('dhl', res)).toThrow(expect.objectContaining({ code: 'BAD_RESPONSE', field: '$' }));
  });

  it('stops reading a body larger than the cap', async () => {
    await expect(get('/huge')).rejects.toThrow(CarrierResponseError);
  });

  it('a peer that never answers times out as a retryable outage', async () => {
    const started = Date.now();
    await expect(get('/hang', 200)).rejects.toThrow(expect.objectContaining({ code: 'UNAVAILABLE', retryable: true }));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a connection refused or cut mid-body is a retryable outage', async () => {
    await expect(carrierFetch('dhl', { method: 'GET', url: 'http://127.0.0.1:1/track' })).rejects.toThrow(CarrierUnavailableError);
    await expect(get('/cut')).rejects.toThrow(CarrierUnavailableError);
  });
});

describe('providerMessageOf', () => {
  it.each([
    ['{"response":{"errors":[{"code":"TW0001","message":"Tracking Information Not Found"}]}}', 'Tracking Information Not Found'],
    ['{"errors":[{"code":"NOT.AUTHORIZED.ERROR","message":"Access token expired."}]}', 'Access token expired.'],
    ['{"apiVersion":"/tracking/v3","error":{"code":"404","message":"Not found"}}', 'Not found'],
    ['{"title":"No shipment with given tracking number found.","status":404,"detail":"No shipment found."}', 'No shipment found.'],
    ['{"error":"invalid_client","error_description":"Client authentication failed."}', 'Client authentication failed.'],
    ['plain words', 'plain words'],
  ])('%s', (body, message) => {
    expect(providerMessageOf(body)).toBe(message);
  });

  it('is undefined for an empty or wordless body, and capped for a huge one', () => {
    expect(providerMessageOf('')).toBeUndefined();
    expect(providerMessageOf('{}')).toBeUndefined();
    expect(providerMessageOf(`{"detail":"${'x'.repeat(10_000)}"}`)?.length).toBe(300);
  });
});
