/**
 * Typed carrier API errors. As with channel errors, the class carries the retry meaning, so the poll
 * worker decides with `instanceof` (or `retryable`) and never parses a carrier's message.
 */
import type { CarrierSlug } from './types.js';

/** Every code a carrier error can carry, with what it means to an operator. */
export const CARRIER_ERROR_CODES = {
  UNAUTHORIZED: 'The carrier refused the access token (HTTP 401); a fresh token is fetched and the call tried once more.',
  AUTH_FAILED: 'The carrier refused our credentials, even with a fresh token: check the client id and secret (or API key).',
  RATE_LIMITED: 'The carrier asked us to slow down (HTTP 429).',
  UNAVAILABLE: 'The carrier could not be reached, timed out, or failed on its side (HTTP 5xx).',
  NOT_FOUND: 'The carrier has no tracking information for this number (yet).',
  REQUEST_REFUSED: 'The carrier refused the request itself (HTTP 4xx other than 401, 404 and 429).',
  BAD_RESPONSE: 'The carrier answered with something that is not its documented format.',
} as const;

export type CarrierErrorCode = keyof typeof CARRIER_ERROR_CODES;

export interface CarrierErrorDetails {
  carrier: CarrierSlug;
  /** HTTP status of the carrier's answer, when there was one. */
  httpStatus?: number | undefined;
  /** The carrier's own words (error message or code), capped; never contains credentials. */
  providerMessage?: string | undefined;
  cause?: unknown;
}

/** Base of every carrier error. Prefer a subclass: the base says nothing about retrying. */
export abstract class CarrierError extends Error {
  abstract readonly code: CarrierErrorCode;
  readonly carrier: CarrierSlug;
  readonly httpStatus: number | undefined;
  readonly providerMessage: string | undefined;

  protected constructor(message: string, details: CarrierErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.carrier = details.carrier;
    this.httpStatus = details.httpStatus;
    this.providerMessage = details.providerMessage;
  }

  /** Whether the same call may well succeed later (throttling, outage). */
  get retryable(): boolean {
    return false;
  }
}

/** HTTP 401 on an API call: the token expired or was revoked. `OAuthTokenCache.withToken` handles it. */
export class CarrierUnauthorizedError extends CarrierError {
  readonly code = 'UNAUTHORIZED';
  constructor(details: CarrierErrorDetails) {
    super(`${details.carrier} refused the access token (HTTP 401).`, details);
  }
}

/** The credentials themselves are refused: retrying cannot help until an operator fixes them. */
export class CarrierAuthError extends CarrierError {
  readonly code = 'AUTH_FAILED';
  constructor(message: string, details: CarrierErrorDetails) {
    super(message, details);
  }
}

/** HTTP 429. `retryAfterMs` is the carrier's Retry-After, when it sent one. */
export class CarrierRateLimitedError extends CarrierError {
  readonly code = 'RATE_LIMITED';
  readonly retryAfterMs: number | undefined;
  constructor(details: CarrierErrorDetails & { retryAfterMs?: number | undefined }) {
    super(`${details.carrier} asked us to slow down (HTTP 429)${details.retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(details.retryAfterMs / 1000)} s`}.`, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** Network failure, timeout or HTTP 5xx; a 503 may carry a Retry-After too. */
export class CarrierUnavailableError extends CarrierError {
  readonly code = 'UNAVAILABLE';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: CarrierErrorDetails & { retryAfterMs?: number | undefined }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** The carrier does not know the number: normal before the first scan, so the poller waits rather than fails. */
export class CarrierNotFoundError extends CarrierError {
  readonly code = 'NOT_FOUND';
  readonly trackingNumber: string;
  constructor(trackingNumber: string, details: CarrierErrorDetails) {
    super(`${details.carrier} has no tracking information for ${trackingNumber} (yet).`, details);
    this.trackingNumber = trackingNumber;
  }
}

/** Any other 4xx: the request is wrong for this carrier (bad number format, blocked account). */
export class CarrierRequestError extends CarrierError {
  readonly code = 'REQUEST_REFUSED';
  constructor(message: string, details: CarrierErrorDetails) {
    super(message, details);
  }
}

/** The answer is not the documented shape (malformed JSON, a required field missing); `field` is its JSON path. */
export class CarrierResponseError extends CarrierError {
  readonly code = 'BAD_RESPONSE';
  readonly field: string;
  constructor(message: string, field: string, details: CarrierErrorDetails) {
    super(message, details);
    this.field = field;
  }
}

/** The wait a throttling or outage answer asked for, if any. */
export function retryAfterOf(err: unknown): number | undefined {
  if (err instanceof CarrierRateLimitedError || err instanceof CarrierUnavailableError) return err.retryAfterMs;
  return undefined;
}
