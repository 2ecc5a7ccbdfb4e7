/**
 * A Web Push service on loopback: HTTPS with a self-signed certificate, checking the VAPID
 * JWT (RFC 8292, ES256 signature verified) and decrypting the RFC 8291 `aes128gcm` body with
 * the subscription's private key, as a browser's push service and user agent would together.
 */
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import { generate } from 'selfsigned';
import type { PushSubscriptionJSON } from '../../src/domain/types.js';

export interface ReceivedPush {
  endpoint: string;
  headers: {
    ttl: string | undefined;
    urgency: string | undefined;
    topic: string | undefined;
    authorization: string | undefined;
    contentEncoding: string | undefined;
  };
  /** The decrypted body, parsed as JSON. */
  payload: unknown;
  /** What the verified VAPID token said. */
  vapid: { publicKey: string; audience: string; subject: string; expiresAt: number };
}

export interface PushFailureOptions {
  /** Sent as the `Retry-After` header. @defaultValue none */
  retryAfter?: string;
  /** How many requests fail this way. @defaultValue 1 */
  times?: number;
}

export interface PushService {
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** A new browser-like subscription: fresh P-256 key pair and 16-byte auth secret. */
  createSubscription(): PushSubscriptionJSON;
  /** From now on, pushing to this subscription answers 410 Gone, as after the user unsubscribed. */
  expire(subscription: PushSubscriptionJSON): void;
  received: ReceivedPush[];
  /** Answer the next request(s) with this HTTP status. */
  failNext(status: number, options?: PushFailureOptions): void;
  /** Forget failures that were programmed but not used up. */
  clearFailures(): void;
  /** Trusts the service's self-signed certificate. */
  agent: https.Agent;
  close(): Promise<void>;
}

interface SubscriptionKeys {
  ecdh: ECDH;
  authSecret: Buffer;
  gone: boolean;
}

class PushRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_JWT_LIFETIME_SECONDS = 24 * 60 * 60;

function decodeJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Verifies `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292 §3) for `audience`. */
export function verifyVapid(authorization: string | undefined, audience: string, nowSeconds: number): ReceivedPush['vapid'] {
  const match = /^vapid\s+(.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new PushRefusal(401, 'Missing VAPID Authorization header');
  const params = new Map(
    match[1].split(',').map((pair) => {
      const [key = '', ...rest] = pair.trim().split('=');
      return [key.trim(), rest.join('=').trim()] as const;
    }),
  );
  const token = params.get('t');
  const publicKey = params.get('k');
  if (!token || !publicKey) throw new PushRefusal(401, 'VAPID header needs both t= and k=');

  const [head = '', body = '', signature = ''] = token.split('.');
  const header = decodeJson(head);
  if (header.alg !== 'ES256') throw new PushRefusal(401, `VAPID JWT must be ES256, got ${String(header.alg)}`);
  const point = Buffer.from(publicKey, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) throw new PushRefusal(401, 'VAPID key must be an uncompressed P-256 point');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  // JWS ES256 signatures are raw r||s (RFC 7518 §3.4), not DER.
  const valid = verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!valid) throw new PushRefusal(401, 'VAPID JWT signature does not match the k= key');

  const claims = decodeJson(body);
  if (claims.aud !== audience) throw new PushRefusal(401, `VAPID audience ${String(claims.aud)} is not ${audience}`);
  const exp = claims.exp;
  if (typeof exp !== 'number' || exp <= nowSeconds || exp > nowSeconds + MAX_JWT_LIFETIME_SECONDS) {
    throw new PushRefusal(401, 'VAPID JWT is expired or lives longer than 24 hours');
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub)) throw new PushRefusal(401, 'VAPID sub must be mailto: or https:');
  return { publicKey, audience, subject: sub, expiresAt: exp };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startPushService(): Promise<PushService> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  const subscriptions = new Map<string, SubscriptionKeys>();
  const received: ReceivedPush[] = [];
  const failures: { status: number; retryAfter: string | undefined; remaining: number }[] = [];
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    const id = /^\/wpush\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];
    const keys = id ? subscriptions.get(id) : undefined;
    if (req.method !== 'POST' || !keys) throw new PushRefusal(404, 'No such subscription');
    const body = await readBody(req);
    if (keys.gone) throw new PushRefusal(410, 'Subscription has expired or been unsubscribed');
    const failure = failures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) failures.shift();
      if (failure.retryAfter) res.setHeader('retry-after', failure.retryAfter);
      throw new PushRefusal(failure.status, 'Programmed failure');
    }
    const vapid = verifyVapid(header(req, 'authorization'), origin, Math.floor(Date.now() / 1000));
    const ttl = header(req, 'ttl');
    if (ttl === undefined || !/^\d+$/.test(ttl)) throw new PushRefusal(400, 'TTL header is required (RFC 8030 §5.2)');
    const contentEncoding = header(req, 'content-encoding');
    if (contentEncoding !== 'aes128gcm') throw new PushRefusal(400, 'Content-Encoding must be aes128gcm (RFC 8291)');
    if (body.length > 4096) throw new PushRefusal(413, 'Payload larger than 4096 bytes');

    let plaintext: Buffer;
    try {
      plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.authSecret });
    } catch (err) {
      throw new PushRefusal(400, `Cannot decrypt payload: ${String(err)}`);
    }
    received.push({
      endpoint: `${origin}${path}`,
      headers: {
        ttl,
        urgency: header(req, 'urgency'),
        topic: header(req, 'topic'),
        authorization: header(req, 'authorization'),
        contentEncoding,
      },
      payload: JSON.parse(plaintext.toString('utf8')) as unknown,
      vapid,
    });
    res.writeHead(201, { location: `${origin}/messages/${randomBytes(8).toString('hex')}` });
    res.end();
  }

  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof PushRefusal ? err.status : 500;
      // The error shape of Mozilla's autopush, one of the real push services.
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: status, errno: status, error: status === 500 ? 'Internal Server Error' : 'Refused', message: String((err as Error).message) }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new https.Agent({ ca: pems.cert, keepAlive: true });

  return {
    origin,
    received,
    agent,
    createSubscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const id = randomBytes(12).toString('base64url');
      subscriptions.set(id, { ecdh, authSecret, gone: false });
      return {
        endpoint: `${origin}/wpush/${id}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
      };
    },
    expire(subscription) {
      const id = subscription.endpoint.split('/').pop() ?? '';
      const keys = subscriptions.get(id);
      if (keys) keys.gone = true;
    },
    clearFailures() {
      failures.length = 0;
    },
    failNext(status, options = {}) {
      failures.push({ status, retryAfter: options.retryAfter, remaining: options.times ?? 1 });
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
