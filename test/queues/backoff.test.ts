import { describe, expect, it } from 'vitest';
import { RateLimitedChannelError } from '../../src/channels/errors.js';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffWithJitter } from '../../src/queues/backoff.js';

const delay = (attempts: number, err?: Error) => backoffWithJitter(attempts, 'jitter', err) as number;

describe('backoff with jitter', () => {
  it('grows exponentially, each delay between half and all of base × 2^(n-1)', () => {
    for (let n = 1; n <= 8; n++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
      for (let i = 0; i < 200; i++) {
        const d = delay(n);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads retries out (jitter) instead of lining them up', () => {
    const samples = new Set(Array.from({ length: 50 }, () => delay(5)));
    expect(samples.size).toBeGreaterThan(40);
  });

  it('never waits longer than the cap', () => {
    expect(delay(40)).toBeLessThanOrEqual(BACKOFF_CAP_MS);
  });

  it("honours a provider's Retry-After", () => {
    const err = new RateLimitedChannelError('slow down', { channel: 'sms', retryAfterMs: 30_000 });
    const d = delay(1, err);
    expect(d).toBeGreaterThanOrEqual(30_000);
    expect(d).toBeLessThan(30_300);
  });
});
