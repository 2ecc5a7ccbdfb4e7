/**
 * Typed delivery errors. The class of an error carries its retry meaning (as BullMQ's
 * `UnrecoverableError` does), so a worker decides with `instanceof` or `isRetryable`
 * and never has to parse a provider's message.
 */
import type { ChannelName } from '../domain/types.js';

/** Every code a channel error can carry, with what it means to an operator. */
export const CHANNEL_ERROR_CODES = {
  UNAVAILABLE: 'The provider could not be reached (connection refused, reset or closed).',
  TIMEOUT: 'The provider did not answer in time.',
  PROVIDER_ERROR: 'The provider failed on its side (HTTP 5xx).',
  TEMPORARY_FAILURE: 'The provider deferred the message (SMTP 4xx).',
  OUTBOX_WRITE_FAILED: 'The outbox file could not be written.',
  UNEXPECTED: 'The send failed in a way the channel does not recognise.',
  RATE_LIMITED: 'The provider asked us to slow down.',
  AUTH_FAILED: 'The provider refused our credentials.',
  INVALID_RECIPIENT: 'The recipient address or number is not valid for this channel.',
  INVALID_MESSAGE: 'The provider refused the message itself (size, format, missing field).',
  REJECTED: 'The provider refused the message for good.',
  HARD_BOUNCE: 'The mail server says the recipient mailbox does not exist or cannot receive mail.',
  RECIPIENT_OPTED_OUT: 'The recipient has opted out of messages from this sender (Twilio 21610).',
  SUBSCRIPTION_GONE: 'The push subscription has expired or been removed (HTTP 404/410).',
  INVALID_CONFIG: 'The channel is not configured correctly.',
} as const;

export type ChannelErrorCode = keyof typeof CHANNEL_ERROR_CODES;

export type RetryableCode = Extract<
  ChannelErrorCode,
  'UNAVAILABLE' | 'TIMEOUT' | 'PROVIDER_ERROR' | 'TEMPORARY_FAILURE' | 'OUTBOX_WRITE_FAILED' | 'UNEXPECTED'
>;

export type PermanentCode = Extract<
  ChannelErrorCode,
  'AUTH_FAILED' | 'INVALID_RECIPIENT' | 'INVALID_MESSAGE' | 'REJECTED' | 'INVALID_CONFIG'
>;

export interface ChannelErrorDetails {
  channel: ChannelName;
  /** The provider's own words (SMTP reply, Twilio `message`, push service body). */
  providerMessage?: string | undefined;
  /** The provider's own code: SMTP reply code, Twilio error code, HTTP status. */
  providerCode?: string | number | undefined;
  cause?: unknown;
}

/** Base of every delivery error. Prefer a subclass: the base says nothing about retrying. */
export class ChannelError extends Error {
  readonly code: ChannelErrorCode;
  readonly channel: ChannelName;
  readonly providerMessage: string | undefined;
  readonly providerCode: string | number | undefined;

  constructor(message: string, details: ChannelErrorDetails & { code: ChannelErrorCode }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.channel = details.channel;
    this.providerMessage = details.providerMessage;
    this.providerCode = details.providerCode;
  }
}

export interface RetryableDetails extends ChannelErrorDetails {
  /** What went wrong. @defaultValue `'UNEXPECTED'` */
  code?: RetryableCode | 'RATE_LIMITED';
}

export interface PermanentDetails extends ChannelErrorDetails {
  /** What went wrong. @defaultValue `'REJECTED'` */
  code?: PermanentCode | 'HARD_BOUNCE' | 'RECIPIENT_OPTED_OUT' | 'SUBSCRIPTION_GONE';
}

/** A transient failure: the same message may well go through later. */
export class RetryableChannelError extends ChannelError {
  constructor(message: string, details: RetryableDetails) {
    super(message, { ...details, code: details.code ?? 'UNEXPECTED' });
  }
}

/** The provider throttled us; wait at least `retryAfterMs` when it said how long. */
export class RateLimitedChannelError extends RetryableChannelError {
  /** Delay the provider asked for (Retry-After), or `undefined` when it gave none. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ChannelErrorDetails & { retryAfterMs?: number | undefined }) {
    super(message, { ...details, code: 'RATE_LIMITED' });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Sending the same message again would fail the same way: fail the job at once. */
export class PermanentChannelError extends ChannelError {
  constructor(message: string, details: PermanentDetails) {
    super(message, { ...details, code: details.code ?? 'REJECTED' });
  }
}

/** The recipient replied STOP (Twilio 21610): suppress SMS for them. */
export class RecipientOptedOutError extends PermanentChannelError {
  constructor(message: string, details: ChannelErrorDetails) {
    super(message, { ...details, code: 'RECIPIENT_OPTED_OUT' });
  }
}

/** The push subscription is gone (404/410): delete it. */
export class SubscriptionGoneError extends PermanentChannelError {
  constructor(message: string, details: ChannelErrorDetails) {
    super(message, { ...details, code: 'SUBSCRIPTION_GONE' });
  }
}

/** The recipient's mailbox refused the message for good (550/551/553 on RCPT TO): suppress email. */
export class HardBounceError extends PermanentChannelError {
  constructor(message: string, details: ChannelErrorDetails) {
    super(message, { ...details, code: 'HARD_BOUNCE' });
  }
}

/** Options that are missing or cannot work together; thrown when a channel is created. */
export class ChannelConfigError extends PermanentChannelError {
  constructor(message: string, details: ChannelErrorDetails) {
    super(message, { ...details, code: 'INVALID_CONFIG' });
  }
}

/**
 * Whether a failed send is worth retrying. Channel errors answer by their class; any other
 * error counts as retryable because that is BullMQ's own default (only an explicitly
 * unrecoverable error stops its retries), and a bounded number of attempts caps the cost.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof RetryableChannelError) return true;
  if (err instanceof ChannelError) return false;
  return true;
}

/** Socket-level errno codes that mean "could not talk to the peer right now". */
const NETWORK_ERRNO_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const TIMEOUT_ERRNO_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Maps a socket error (no provider answer at all) to a retryable error,
 * or returns `undefined` when the error is not a network failure.
 */
export function networkError(err: unknown, channel: ChannelName, provider: string): RetryableChannelError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !NETWORK_ERRNO_CODES.has(code)) return undefined;
  const detail = err instanceof Error ? err.message : code;
  return TIMEOUT_ERRNO_CODES.has(code)
    ? new RetryableChannelError(`${provider} did not answer in time (${code}); the send will be retried.`, {
        code: 'TIMEOUT',
        channel,
        providerCode: code,
        providerMessage: detail,
        cause: err,
      })
    : new RetryableChannelError(`${provider} could not be reached (${code}); the send will be retried.`, {
        code: 'UNAVAILABLE',
        channel,
        providerCode: code,
        providerMessage: detail,
        cause: err,
      });
}
