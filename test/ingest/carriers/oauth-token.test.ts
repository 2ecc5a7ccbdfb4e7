import { describe, expect, it } from 'vitest';
import { CarrierAuthError, CarrierUnauthorizedError, CarrierUnavailableError } from '../../../src/ingest/carriers/errors.js';
import { OAuthTokenCache, type TokenGrant } from '../../../src/ingest/carriers/oauth-token.js';

/** A token endpoint that answers after a tick, counting calls; tokens are `t1`, `t2`… */
function endpoint(expiresInSeconds = 3600) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fetchToken: async (): Promise<TokenGrant> => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 10));
      return { accessToken: `t${calls}`, expiresInSeconds };
    },
  };
}

describe('OAuthTokenCache', () => {
  it('fetches once for 50 concurrent callers (single flight)', async () => {
    const server = endpoint();
    const cache = new OAuthTokenCache({ carrier: 'ups', fetchToken: server.fetchToken });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(server.calls).toBe(1);
    expect(cache.fetches).toBe(1);
  });

  it('keeps a token until its expiry minus the margin, then fetches a new one', async () => {
    let now = 1_000_000;
    const server = endpoint(3600);
    const cache = new OAuthTokenCache({ carrier: 'fedex', fetchToken: server.fetchToken, now: () => now, refreshMarginMs: 60_000 });
    expect(await cache.get()).toBe('t1');
    now += 3600_000 - 60_001;
    expect(await cache.get()).toBe('t1');
    now += 2;
    expect(await cache.get()).toBe('t2');
  });

  it('caps the margin at half the lifetime of a short-lived token', async () => {
    let now = 0;
    const server = endpoint(60);
    const cache = new OAuthTokenCache({ carrier: 'usps', fetchToken: server.fetchToken, now: () => now, refreshMarginMs: 300_000 });
    await cache.get();
    now = 29_000;
    expect(await cache.get()).toBe('t1');
    now = 30_000;
    expect(await cache.get()).toBe('t2');
  });

  it('does not cache a failed token request: the next caller tries again', async () => {
    let fail = true;
    const cache = new OAuthTokenCache({
      carrier: 'ups',
      fetchToken: async () => {
        if (fail) throw new CarrierUnavailableError('down', { carrier: 'ups' });
        return { accessToken: 'ok', expiresInSeconds: 60 };
      },
    });
    await expect(cache.get()).rejects.toBeInstanceOf(CarrierUnavailableError);
    fail = false;
    expect(await cache.get()).toBe('ok');
  });

  it('on a 401 drops the token, fetches one new token however many calls were refused, and retries each once', async () => {
    const server = endpoint();
    const cache = new OAuthTokenCache({ carrier: 'ups', fetchToken: server.fetchToken });
    await cache.get();
    const seen: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        cache.withToken(async (token) => {
          seen.push(token);
          if (token === 't1') throw new CarrierUnauthorizedError({ carrier: 'ups', httpStatus: 401 });
          return token;
        }),
      ),
    );
    expect(results.every((t) => t === 't2')).toBe(true);
    expect(server.calls).toBe(2);
    expect(seen.filter((t) => t === 't1')).toHaveLength(50);
    expect(seen.filter((t) => t === 't2')).toHaveLength(50);
  });

  it('a stale 401 does not drop the newer token', async () => {
    const server = endpoint();
    const cache = new OAuthTokenCache({ carrier: 'ups', fetchToken: server.fetchToken });
    await cache.get();
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    expect(server.calls).toBe(2);
  });

  it('a second 401 with a fresh token means the credentials are wrong: CarrierAuthError, no third try', async () => {
    const server = endpoint();
    const cache = new OAuthTokenCache({ carrier: 'usps', fetchToken: server.fetchToken });
    let calls = 0;
    const failure = cache.withToken(async () => {
      calls += 1;
      throw new CarrierUnauthorizedError({ carrier: 'usps', httpStatus: 401, providerMessage: 'Invalid token' });
    });
    await expect(failure).rejects.toBeInstanceOf(CarrierAuthError);
    await expect(failure).rejects.toMatchObject({ code: 'AUTH_FAILED', carrier: 'usps', httpStatus: 401, providerMessage: 'Invalid token' });
    expect(calls).toBe(2);
    expect(server.calls).toBe(2);
  });

  it('passes other errors through untouched, without refreshing', async () => {
    const server = endpoint();
    const cache = new OAuthTokenCache({ carrier: 'fedex', fetchToken: server.fetchToken });
    const outage = new CarrierUnavailableError('503', { carrier: 'fedex', httpStatus: 503 });
    await expect(cache.withToken(async () => Promise.reject(outage))).rejects.toBe(outage);
    expect(server.calls).toBe(1);
  });
});
