import type { BackoffStrategy } from 'bullmq';
import { RateLimitedChannelError } from '../channels/errors.js';

/** First retry after about this long. @defaultValue 1000 */
export const BACKOFF_BASE_MS = 1_000;
/** No retry waits longer than this. @defaultValue 10 minutes */
export const BACKOFF_CAP_MS = 10 * 60_000;

/**
 * Exponential backoff with jitter ("equal jitter": half fixed, half random), so a provider outage
 * does not see every job retry in the same second. A rate-limit answer's Retry-After wins when given.
 * See AWS Architecture Blog, "Exponential Backoff And Jitter" (2015).
 */
export const backoffWithJitter: BackoffStrategy = (attemptsMade, _type, err) => {
  const retryAfter = err instanceof RateLimitedChannelError ? (err.retryAfterMs ?? 0) : 0;
  if (retryAfter > 0) {
    return Math.min(retryAfter + Math.floor(Math.random() * 250), BACKOFF_CAP_MS);
  }
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.floor(exp / 2 + Math.random() * (exp / 2));
};
