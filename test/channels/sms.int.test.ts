import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelConfigError,
  PermanentChannelError,
  RateLimitedChannelError,
  RecipientOptedOutError,
  RetryableChannelError,
  isRetryable,
} from '../../src/channels/errors.js';
import { createSmsChannel, type SmsChannelOptions } from '../../src/channels/sms.js';
import type { Channel, SmsMessage } from '../../src/channels/types.js';
import { startTwilioServer, type TwilioServer } from '../support/twilio-server.js';
import { failureOf } from '../support/failure.js';

const FROM = '+15005550006';

function smsMessage(overrides: Partial<SmsMessage> = {}): SmsMessage {
  return { notificationId: 'ntf-ofd-1', to: '+14155550100', body: 'Your parcel is out for delivery today.', ...overrides };
}

describe('sms channel through the twilio library against a Twilio-compatible server', () => {
  let server: TwilioServer;
  let channel: Channel<SmsMessage> | undefined;

  function open(overrides: Partial<SmsChannelOptions> = {}): Channel<SmsMessage> {
    channel = createSmsChannel({
      accountSid: server.accountSid,
      authToken: server.authToken,
      from: FROM,
      apiBaseUrl: server.baseUrl,
      ...overrides,
    });
    return channel;
  }

  beforeAll(async () => {
    server = await startTwilioServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    server.clearFailures();
    await channel?.close();
    channel = undefined;
  });

  it('sends To, From, Body and the status callback, and returns the message SID', async () => {
    const sms = open({ statusCallbackUrl: 'https://notifier.example/webhooks/twilio/status' });
    const before = server.messages.length;

    const result = await sms.send(smsMessage({ body: 'Paquete en reparto — llega hoy 📦' }));

    const received = server.messages.slice(before);
    expect(received).toEqual([
      {
        sid: result.providerId,
        to: '+14155550100',
        from: FROM,
        body: 'Paquete en reparto — llega hoy 📦',
        messagingServiceSid: undefined,
        statusCallback: 'https://notifier.example/webhooks/twilio/status',
      },
    ]);
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.detail).toBe('queued');
    expect(sms.kind).toBe('provider');
  });

  it('can let a Messaging Service choose the sender', async () => {
    const sms = open({ from: undefined, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
    const before = server.messages.length;
    const result = await sms.send(smsMessage());
    expect(server.messages.slice(before)).toMatchObject([{ from: undefined, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' }]);
    expect(result.detail).toBe('accepted');
  });

  it('maps 429 / 20429 to a rate-limit error carrying Retry-After', async () => {
    const sms = open();
    server.failNext(429, 20429, 'Too Many Requests', { retryAfter: '7' });
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toBeInstanceOf(RateLimitedChannelError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', providerCode: 20429, retryAfterMs: 7_000 });
    expect(isRetryable(err)).toBe(true);
  });

  it('leaves retryAfterMs undefined when Twilio gives no Retry-After', async () => {
    const sms = open();
    server.failNext(429, 20429, 'Too Many Requests');
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toBeInstanceOf(RateLimitedChannelError);
    expect((err as RateLimitedChannelError).retryAfterMs).toBeUndefined();
  });

  it('does not retry a 429 inside the library: the queue owns retries', async () => {
    const sms = open();
    server.failNext(429, 20429, 'Too Many Requests', { times: 5 });
    const before = server.requestCount;
    await failureOf(sms.send(smsMessage()));
    expect(server.requestCount - before).toBe(1);
  });

  it('maps 21610 (recipient replied STOP) to RecipientOptedOutError', async () => {
    const sms = open();
    server.optOut('+14155550199');
    const err = await failureOf(sms.send(smsMessage({ to: '+14155550199' })));
    expect(err).toBeInstanceOf(RecipientOptedOutError);
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'RECIPIENT_OPTED_OUT', providerCode: 21610 });
    expect(isRetryable(err)).toBe(false);
  });

  it('maps an invalid number (21211) to a permanent INVALID_RECIPIENT', async () => {
    const sms = open();
    const err = await failureOf(sms.send(smsMessage({ to: '555-0100' })));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'INVALID_RECIPIENT', providerCode: 21211 });
  });

  it('maps 21614 (not a mobile number) to a permanent INVALID_RECIPIENT', async () => {
    const sms = open();
    server.failNext(400, 21614, "'To' number is not a valid mobile number");
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toMatchObject({ code: 'INVALID_RECIPIENT', providerCode: 21614 });
  });

  it('maps a 500 to a retryable provider error', async () => {
    const sms = open();
    server.failNext(500, 20500, 'Internal Server Error');
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 20500 });
  });

  it('maps refused credentials (HTTP Basic checked by the server) to AUTH_FAILED', async () => {
    const sms = open({ authToken: 'not-the-token' });
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', providerCode: 20003 });
  });

  it('maps an unreachable API to a retryable error', async () => {
    const down = await startTwilioServer();
    const baseUrl = down.baseUrl;
    await down.close();
    const sms = open({ apiBaseUrl: baseUrl });
    const err = await failureOf(sms.send(smsMessage()));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('refuses to start without a sender', () => {
    expect(() =>
      createSmsChannel({ accountSid: server.accountSid, authToken: server.authToken, apiBaseUrl: server.baseUrl }),
    ).toThrow(ChannelConfigError);
  });
});
