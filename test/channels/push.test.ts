import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapPushError, pushPayload, pushTopic } from '../../src/channels/push.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';

describe('pushTopic', () => {
  it('keeps a topic that is already valid', () => {
    expect(pushTopic('shipment-123_delivered')).toBe('shipment-123_delivered');
  });

  it('hashes anything else into 32 URL-safe base64 characters, deterministically', () => {
    const topic = pushTopic('shipment:123/out_for_delivery');
    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushTopic('shipment:123/out_for_delivery')).toBe(topic);
    expect(pushTopic('x'.repeat(33))).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('always yields a topic RFC 8030 accepts, and distinct topics stay distinct', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(pushTopic(a)).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
        if (a !== b) expect(pushTopic(a)).not.toBe(pushTopic(b));
      }),
    );
  });
});

describe('pushPayload', () => {
  it('carries exactly title, body, url and notification id', () => {
    const payload = pushPayload({
      notificationId: 'n1',
      subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'p', auth: 'a' } },
      title: 'T',
      body: 'B',
      url: 'https://shop.example/t',
      ttlSeconds: 60,
      urgency: 'low',
      topic: 't',
    });
    expect(JSON.parse(payload)).toEqual({ title: 'T', body: 'B', url: 'https://shop.example/t', notificationId: 'n1' });
  });
});

describe('mapPushError', () => {
  it('treats a socket timeout as retryable and a refused request as final', () => {
    expect(mapPushError(new Error('Socket timeout'))).toBeInstanceOf(RetryableChannelError);
    expect(mapPushError(new Error('Socket timeout')).code).toBe('TIMEOUT');
    const invalid = mapPushError(new Error('The subscription p256dh value should be 65 bytes long.'));
    expect(invalid).toBeInstanceOf(PermanentChannelError);
    expect(invalid.code).toBe('INVALID_RECIPIENT');
  });
});
