import { describe, expect, it } from 'vitest';
import {
  CHANNEL_ERROR_CODES,
  ChannelConfigError,
  ChannelError,
  HardBounceError,
  PermanentChannelError,
  RateLimitedChannelError,
  RecipientOptedOutError,
  RetryableChannelError,
  SubscriptionGoneError,
  isRetryable,
  networkError,
} from '../../src/channels/errors.js';

describe('channel error classes', () => {
  it('carry the retry meaning in their type', () => {
    const rateLimited = new RateLimitedChannelError('slow down', { channel: 'sms', retryAfterMs: 5_000 });
    expect(rateLimited).toBeInstanceOf(RetryableChannelError);
    expect(rateLimited).toBeInstanceOf(ChannelError);
    expect(rateLimited.code).toBe('RATE_LIMITED');
    expect(rateLimited.retryAfterMs).toBe(5_000);

    for (const err of [
      new RecipientOptedOutError('stop', { channel: 'sms' }),
      new SubscriptionGoneError('gone', { channel: 'push' }),
      new HardBounceError('bounce', { channel: 'email' }),
      new ChannelConfigError('bad', { channel: 'email' }),
    ]) {
      expect(err).toBeInstanceOf(PermanentChannelError);
      expect(err).not.toBeInstanceOf(RetryableChannelError);
    }
  });

  it('fix the code of the specific classes and default the general ones', () => {
    expect(new RecipientOptedOutError('x', { channel: 'sms' }).code).toBe('RECIPIENT_OPTED_OUT');
    expect(new SubscriptionGoneError('x', { channel: 'push' }).code).toBe('SUBSCRIPTION_GONE');
    expect(new HardBounceError('x', { channel: 'email' }).code).toBe('HARD_BOUNCE');
    expect(new ChannelConfigError('x', { channel: 'sms' }).code).toBe('INVALID_CONFIG');
    expect(new RetryableChannelError('x', { channel: 'sms' }).code).toBe('UNEXPECTED');
    expect(new PermanentChannelError('x', { channel: 'sms' }).code).toBe('REJECTED');
    expect(new RetryableChannelError('x', { channel: 'sms', code: 'TIMEOUT' }).code).toBe('TIMEOUT');
  });

  it('keep the channel, provider details, class name and cause', () => {
    const cause = new Error('socket hang up');
    const err = new PermanentChannelError('refused', {
      channel: 'email',
      code: 'INVALID_MESSAGE',
      providerMessage: '552 too big',
      providerCode: 552,
      cause,
    });
    expect(err.name).toBe('PermanentChannelError');
    expect(err.channel).toBe('email');
    expect(err.providerMessage).toBe('552 too big');
    expect(err.providerCode).toBe(552);
    expect(err.cause).toBe(cause);
    expect(err.message).toBe('refused');
  });

  it('document every code in one registry', () => {
    const codes = Object.keys(CHANNEL_ERROR_CODES);
    expect(codes).toContain('HARD_BOUNCE');
    for (const text of Object.values(CHANNEL_ERROR_CODES)) expect(text).toMatch(/\.$/);
  });
});

describe('isRetryable', () => {
  it('answers by class, and retries errors it does not know (BullMQ default)', () => {
    expect(isRetryable(new RetryableChannelError('x', { channel: 'email' }))).toBe(true);
    expect(isRetryable(new RateLimitedChannelError('x', { channel: 'sms' }))).toBe(true);
    expect(isRetryable(new PermanentChannelError('x', { channel: 'email' }))).toBe(false);
    expect(isRetryable(new HardBounceError('x', { channel: 'email' }))).toBe(false);
    expect(isRetryable(new RecipientOptedOutError('x', { channel: 'sms' }))).toBe(false);
    expect(isRetryable(new SubscriptionGoneError('x', { channel: 'push' }))).toBe(false);
    expect(isRetryable(new ChannelError('x', { channel: 'push', code: 'UNEXPECTED' }))).toBe(false);
    expect(isRetryable(new TypeError('boom'))).toBe(true);
  });
});

describe('networkError', () => {
  it('maps refused connections to UNAVAILABLE and timeouts to TIMEOUT', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(networkError(refused, 'sms', 'Twilio')).toMatchObject({ code: 'UNAVAILABLE', providerCode: 'ECONNREFUSED', channel: 'sms' });
    const timedOut = Object.assign(new Error('timeout of 10ms exceeded'), { code: 'ECONNABORTED' });
    expect(networkError(timedOut, 'sms', 'Twilio')).toMatchObject({ code: 'TIMEOUT' });
  });

  it('leaves errors that are not about the network alone', () => {
    expect(networkError(new Error('Required parameter missing'), 'sms', 'Twilio')).toBeUndefined();
    expect(networkError(Object.assign(new Error('x'), { code: 'EAUTH' }), 'email', 'SMTP')).toBeUndefined();
  });
});
