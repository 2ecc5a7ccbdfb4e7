import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelConfigError,
  PermanentChannelError,
  RateLimitedChannelError,
  RetryableChannelError,
  SubscriptionGoneError,
  isRetryable,
} from '../../src/channels/errors.js';
import { MAX_PUSH_PAYLOAD_BYTES, createPushChannel, pushTopic, type PushChannelOptions } from '../../src/channels/push.js';
import type { Channel, PushMessage } from '../../src/channels/types.js';
import type { PushSubscriptionJSON } from '../../src/domain/types.js';
import { startPushService, type PushService } from '../support/push-service.js';
import { failureOf } from '../support/failure.js';

const vapid = webpush.generateVAPIDKeys();

describe('push channel through web-push against a TLS push service', () => {
  let service: PushService;
  let channel: Channel<PushMessage> | undefined;

  function open(overrides: Partial<PushChannelOptions> = {}): Channel<PushMessage> {
    channel = createPushChannel({
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      subject: 'mailto:ops@shop.example',
      agent: service.agent,
      ...overrides,
    });
    return channel;
  }

  function pushMessage(subscription: PushSubscriptionJSON, overrides: Partial<PushMessage> = {}): PushMessage {
    return {
      notificationId: 'ntf-delivered-1',
      subscription,
      title: 'Delivered',
      body: 'Your parcel was left at the front door — ¡gracias!',
      url: 'https://shop.example/orders/1001',
      ttlSeconds: 86_400,
      urgency: 'high',
      topic: 'shipment-1001',
      ...overrides,
    };
  }

  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(async () => {
    await service.close();
  });
  afterEach(async () => {
    service.clearFailures();
    await channel?.close();
    channel = undefined;
  });

  it('delivers the exact encrypted payload with TTL, Urgency, Topic and a verified VAPID token', async () => {
    const push = open();
    const subscription = service.createSubscription();
    const before = service.received.length;

    const result = await push.send(pushMessage(subscription));

    const [received] = service.received.slice(before);
    expect(received?.payload).toEqual({
      title: 'Delivered',
      body: 'Your parcel was left at the front door — ¡gracias!',
      url: 'https://shop.example/orders/1001',
      notificationId: 'ntf-delivered-1',
    });
    expect(received?.endpoint).toBe(subscription.endpoint);
    expect(received?.headers).toMatchObject({ ttl: '86400', urgency: 'high', topic: 'shipment-1001', contentEncoding: 'aes128gcm' });
    expect(received?.vapid).toMatchObject({ publicKey: vapid.publicKey, audience: service.origin, subject: 'mailto:ops@shop.example' });
    expect(result.providerId).toMatch(new RegExp(`^${service.origin}/messages/[0-9a-f]+$`));
    expect(result.detail).toBe('HTTP 201');
  });

  it('derives a valid Topic header from any topic string', async () => {
    const push = open();
    const before = service.received.length;
    const topic = 'shipment:1001/out_for_delivery (attempt 2)';
    await push.send(pushMessage(service.createSubscription(), { topic, urgency: 'low', ttlSeconds: 60 }));
    const [received] = service.received.slice(before);
    expect(received?.headers.topic).toBe(pushTopic(topic));
    expect(received?.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(received?.headers).toMatchObject({ urgency: 'low', ttl: '60' });
  });

  it('maps 410 Gone (user unsubscribed) to SubscriptionGoneError', async () => {
    const push = open();
    const subscription = service.createSubscription();
    service.expire(subscription);
    const err = await failureOf(push.send(pushMessage(subscription)));
    expect(err).toBeInstanceOf(SubscriptionGoneError);
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'SUBSCRIPTION_GONE', providerCode: 410 });
    expect(isRetryable(err)).toBe(false);
  });

  it('maps 404 (unknown subscription) to SubscriptionGoneError', async () => {
    const push = open();
    const subscription = { ...service.createSubscription(), endpoint: `${service.origin}/wpush/never-existed` };
    const err = await failureOf(push.send(pushMessage(subscription)));
    expect(err).toBeInstanceOf(SubscriptionGoneError);
    expect(err).toMatchObject({ providerCode: 404 });
  });

  it('maps a 500 to a retryable provider error', async () => {
    const push = open();
    service.failNext(500);
    const err = await failureOf(push.send(pushMessage(service.createSubscription())));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 500 });
    expect(isRetryable(err)).toBe(true);
  });

  it('maps a 429 to a rate-limit error carrying Retry-After', async () => {
    const push = open();
    service.failNext(429, { retryAfter: '30' });
    const err = await failureOf(push.send(pushMessage(service.createSubscription())));
    expect(err).toBeInstanceOf(RateLimitedChannelError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000 });
  });

  it('is refused (401 → AUTH_FAILED) when the VAPID signature does not match the public key', async () => {
    const other = webpush.generateVAPIDKeys();
    const push = open({ vapidPrivateKey: other.privateKey });
    const before = service.received.length;
    const err = await failureOf(push.send(pushMessage(service.createSubscription())));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', providerCode: 401 });
    expect((err as PermanentChannelError).providerMessage).toContain('signature');
    expect(service.received.length).toBe(before);
  });

  it('does not trust the self-signed service without its agent (retryable TLS failure)', async () => {
    const push = open({ agent: undefined });
    const err = await failureOf(push.send(pushMessage(service.createSubscription())));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('refuses a payload too large for one push message before sending it', async () => {
    const push = open();
    const before = service.received.length;
    const err = await failureOf(push.send(pushMessage(service.createSubscription(), { body: 'x'.repeat(MAX_PUSH_PAYLOAD_BYTES) })));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(service.received.length).toBe(before);
  });

  it('maps a malformed subscription to a permanent INVALID_RECIPIENT', async () => {
    const push = open();
    const subscription = service.createSubscription();
    const err = await failureOf(push.send(pushMessage({ ...subscription, keys: { ...subscription.keys, p256dh: 'dG9vLXNob3J0' } })));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'INVALID_RECIPIENT' });
  });

  it('refuses unusable VAPID settings at creation', () => {
    expect(() => open({ subject: 'ops@shop.example' })).toThrow(ChannelConfigError);
    expect(() => open({ vapidPrivateKey: 'short' })).toThrow(ChannelConfigError);
  });
});
