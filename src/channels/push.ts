/**
 * Web Push through the web-push library: VAPID-signed (RFC 8292), payload encrypted with
 * aes128gcm (RFC 8291), explicit TTL, Urgency and Topic (RFC 8030).
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import webpush from 'web-push';
import {
  ChannelConfigError,
  ChannelError,
  PermanentChannelError,
  RateLimitedChannelError,
  RetryableChannelError,
  SubscriptionGoneError,
  networkError,
} from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { Channel, PushMessage } from './types.js';

export interface PushChannelOptions {
  /** VAPID public key, base64url (as `web-push generate-vapid-keys` prints it). */
  vapidPublicKey: string;
  /** VAPID private key, base64url. */
  vapidPrivateKey: string;
  /** Contact for push services: a `mailto:` address or an `https:` URL. */
  subject: string;
  /**
   * HTTPS agent for the push service connections (e.g. one trusting a private CA).
   * The caller keeps ownership: `close()` does not destroy it.
   * @defaultValue a keep-alive agent owned and closed by the channel
   */
  agent?: https.Agent;
  /** Socket timeout in milliseconds. @defaultValue 30_000 */
  timeoutMs?: number;
}

/**
 * Largest plaintext that fits one RFC 8291 message: 4096 bytes minus the 86-byte aes128gcm
 * header, the 16-byte tag and the 1-byte padding delimiter. Push services refuse more (413).
 */
export const MAX_PUSH_PAYLOAD_BYTES = 4096 - 86 - 16 - 1;

const VALID_TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * RFC 8030 §5.4 allows at most 32 characters of the URL-safe base64 alphabet. A topic that
 * already fits is kept readable; any other becomes the first 32 characters of its SHA-256 in
 * base64url, so equal topics still collapse onto each other and distinct ones stay apart.
 */
export function pushTopic(topic: string): string {
  if (VALID_TOPIC.test(topic)) return topic;
  return createHash('sha256').update(topic, 'utf8').digest('base64url').slice(0, 32);
}

/** The JSON a service worker receives in its `push` event. */
export function pushPayload(message: PushMessage): string {
  return JSON.stringify({ title: message.title, body: message.body, url: message.url, notificationId: message.notificationId });
}

/** Fields of web-push's `WebPushError`, read defensively. */
interface PushFailure {
  statusCode?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Maps any web-push failure to a typed channel error. */
export function mapPushError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : {}) as PushFailure;
  const status = typeof failure.statusCode === 'number' ? failure.statusCode : undefined;
  const text = typeof failure.body === 'string' && failure.body !== '' ? failure.body : typeof failure.message === 'string' ? failure.message : String(err);
  const details = { channel: 'push' as const, providerMessage: text, providerCode: status, cause: err };

  if (status !== undefined) {
    const said = `HTTP ${status}: ${text}`;
    if (status === 404 || status === 410) {
      return new SubscriptionGoneError(`The push subscription is gone (${said}); delete it.`, details);
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(failure.headers?.['retry-after']);
      return new RateLimitedChannelError(`The push service is rate-limiting us (${said}); the send will be retried.`, {
        ...details,
        retryAfterMs,
      });
    }
    if (status >= 500) {
      return new RetryableChannelError(`The push service failed on its side (${said}); the send will be retried.`, {
        ...details,
        code: 'PROVIDER_ERROR',
      });
    }
    if (status === 401 || status === 403) {
      return new PermanentChannelError(
        `The push service refused our VAPID credentials (${said}); check VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY match the keys the browser subscribed with.`,
        { ...details, code: 'AUTH_FAILED' },
      );
    }
    if (status === 400 || status === 413) {
      return new PermanentChannelError(`The push service refused the message as composed (${said}).`, { ...details, code: 'INVALID_MESSAGE' });
    }
    return new PermanentChannelError(`The push service refused the message (${said}).`, details);
  }

  if (typeof failure.code === 'string') {
    return (
      networkError(err, 'push', 'The push service') ??
      // TLS and other socket failures: the service or the path to it is at fault, not the message.
      new RetryableChannelError(`The push service could not be reached (${failure.code}: ${text}); the send will be retried.`, {
        ...details,
        code: 'UNAVAILABLE',
        providerCode: failure.code,
      })
    );
  }
  if (text === 'Socket timeout') {
    return new RetryableChannelError('The push service did not answer in time; the send will be retried.', { ...details, code: 'TIMEOUT' });
  }
  // web-push throws plain errors before any request when the subscription is unusable
  // (missing endpoint, p256dh of the wrong length…): it would fail the same way every time.
  return new PermanentChannelError(`The push subscription cannot be used (${text}).`, { ...details, code: 'INVALID_RECIPIENT' });
}

export function createPushChannel(options: PushChannelOptions): Channel<PushMessage> {
  const vapidDetails = { subject: options.subject, publicKey: options.vapidPublicKey, privateKey: options.vapidPrivateKey };
  try {
    // Signing a token once validates subject and keys now, rather than on the first send.
    webpush.getVapidHeaders('https://push.example', vapidDetails.subject, vapidDetails.publicKey, vapidDetails.privateKey, 'aes128gcm');
  } catch (err) {
    throw new ChannelConfigError(`The VAPID settings are not usable: ${(err as Error).message}`, { channel: 'push', cause: err });
  }
  const ownAgent = options.agent ? undefined : new https.Agent({ keepAlive: true });
  const agent = options.agent ?? ownAgent;
  const timeout = options.timeoutMs ?? 30_000;

  return {
    name: 'push',
    kind: 'provider',
    async send(message) {
      const payload = pushPayload(message);
      if (Buffer.byteLength(payload) > MAX_PUSH_PAYLOAD_BYTES) {
        throw new PermanentChannelError(
          `The push payload is ${Buffer.byteLength(payload)} bytes; push services accept at most ${MAX_PUSH_PAYLOAD_BYTES}. Shorten the push template.`,
          { channel: 'push', code: 'INVALID_MESSAGE' },
        );
      }
      try {
        const response = await webpush.sendNotification(message.subscription, payload, {
          vapidDetails,
          TTL: Math.max(0, Math.floor(message.ttlSeconds)),
          urgency: message.urgency,
          topic: pushTopic(message.topic),
          contentEncoding: 'aes128gcm',
          timeout,
          agent,
        });
        const location = response.headers.location;
        return {
          providerId: (Array.isArray(location) ? location[0] : location) ?? message.subscription.endpoint,
          detail: `HTTP ${response.statusCode}`,
        };
      } catch (err) {
        throw mapPushError(err);
      }
    },
    async close() {
      ownAgent?.destroy();
    },
  };
}
