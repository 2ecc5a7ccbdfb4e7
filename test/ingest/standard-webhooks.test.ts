import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError, WebhookSecretError, WebhookSignatureError } from '../../src/ingest/errors.js';
import {
  signStandardWebhook,
  verifyStandardWebhook,
  type WebhookHeaders,
} from '../../src/ingest/standard-webhooks.js';

// Published test vector: standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts,
// test "sign function works" (the same values appear in the other reference libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestampSeconds: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorTime = new Date(VECTOR.timestampSeconds * 1000);
const vectorHeaders = (overrides: WebhookHeaders = {}): WebhookHeaders => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestampSeconds),
  'webhook-signature': VECTOR.signature,
  ...overrides,
});
const verifyVector = (headers: WebhookHeaders, body = VECTOR.body, now = vectorTime, toleranceSeconds?: number) =>
  verifyStandardWebhook({ secret: VECTOR.secret, headers, rawBody: Buffer.from(body), now, toleranceSeconds });

function refusal(run: () => unknown): WebhookSignatureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookSignatureError);
    return error as WebhookSignatureError;
  }
  throw new Error('expected the webhook to be refused');
}

describe('signStandardWebhook', () => {
  it('reproduces the published test vector', () => {
    expect(
      signStandardWebhook({ secret: VECTOR.secret, id: VECTOR.id, timestamp: vectorTime, rawBody: Buffer.from(VECTOR.body) }),
    ).toBe(VECTOR.signature);
  });

  it('signs whole seconds, as the header carries them', () => {
    const later = new Date(vectorTime.getTime() + 999);
    expect(signStandardWebhook({ secret: VECTOR.secret, id: VECTOR.id, timestamp: later, rawBody: Buffer.from(VECTOR.body) })).toBe(
      VECTOR.signature,
    );
  });

  it('refuses a secret that is not base64, with a typed error', () => {
    const error = (() => {
      try {
        signStandardWebhook({ secret: 'whsec_not base64!', id: 'x', timestamp: vectorTime, rawBody: Buffer.alloc(0) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect(error).toMatchObject({ code: 'invalid_webhook_secret', field: 'secret' });
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts the published test vector and returns its id and timestamp', () => {
    expect(verifyVector(vectorHeaders())).toEqual({ id: VECTOR.id, timestamp: vectorTime });
  });

  it('accepts the bare base64 secret too, like the reference libraries', () => {
    const { id } = verifyStandardWebhook({
      secret: VECTOR.secret.slice('whsec_'.length),
      headers: vectorHeaders(),
      rawBody: Buffer.from(VECTOR.body),
      now: vectorTime,
    });
    expect(id).toBe(VECTOR.id);
  });

  it('accepts any one matching signature among several (secret rotation), skipping other versions', () => {
    const decoys = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v1a,aGVsbG8=', `v2,${VECTOR.signature.slice(3)}`, 'garbage'];
    expect(verifyVector(vectorHeaders({ 'webhook-signature': [...decoys, VECTOR.signature].join(' ') })).id).toBe(VECTOR.id);
    expect(verifyVector(vectorHeaders({ 'webhook-signature': [VECTOR.signature, ...decoys].join('  ') })).id).toBe(VECTOR.id);
  });

  it('refuses when no signature matches', () => {
    const error = refusal(() =>
      verifyVector(vectorHeaders({ 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc' })),
    );
    expect(error).toMatchObject({ code: 'invalid_signature', reason: 'no_matching_signature', field: 'webhook-signature' });
    expect(error).toBeInstanceOf(IngestError);
    expect(error.details).toEqual({ field: 'webhook-signature', reason: 'no_matching_signature' });
  });

  it('refuses the right signature under another version tag', () => {
    const asV2 = VECTOR.signature.replace(/^v1,/, 'v2,');
    expect(refusal(() => verifyVector(vectorHeaders({ 'webhook-signature': asV2 }))).reason).toBe('no_matching_signature');
  });

  it('refuses truncated signatures without tripping over their length', () => {
    for (const truncated of [VECTOR.signature.slice(0, 8), 'v1,', `${VECTOR.signature}=`]) {
      expect(refusal(() => verifyVector(vectorHeaders({ 'webhook-signature': truncated }))).reason).toBe('no_matching_signature');
    }
  });

  it('refuses a tampered body, even by one space', () => {
    expect(refusal(() => verifyVector(vectorHeaders(), '{"test":2432232314}')).reason).toBe('no_matching_signature');
    expect(refusal(() => verifyVector(vectorHeaders(), '{"test": 2432232315}')).reason).toBe('no_matching_signature');
  });

  it('refuses a changed id or timestamp, which the signature covers', () => {
    expect(refusal(() => verifyVector(vectorHeaders({ 'webhook-id': 'msg_other' }))).reason).toBe('no_matching_signature');
    const nextSecond = String(VECTOR.timestampSeconds + 1);
    expect(refusal(() => verifyVector(vectorHeaders({ 'webhook-timestamp': nextSecond }))).reason).toBe('no_matching_signature');
  });

  it('accepts timestamps up to the tolerance either way and refuses one second beyond', () => {
    const at = (offsetSeconds: number) => new Date((VECTOR.timestampSeconds + offsetSeconds) * 1000);
    expect(verifyVector(vectorHeaders(), VECTOR.body, at(300)).id).toBe(VECTOR.id);
    expect(verifyVector(vectorHeaders(), VECTOR.body, at(-300)).id).toBe(VECTOR.id);
    const old = refusal(() => verifyVector(vectorHeaders(), VECTOR.body, at(301)));
    expect(old).toMatchObject({ reason: 'outside_tolerance', field: 'webhook-timestamp' });
    expect(refusal(() => verifyVector(vectorHeaders(), VECTOR.body, at(-301))).reason).toBe('outside_tolerance');
  });

  it('honours a custom tolerance', () => {
    const now = new Date((VECTOR.timestampSeconds + 61) * 1000);
    expect(refusal(() => verifyVector(vectorHeaders(), VECTOR.body, now, 60)).reason).toBe('outside_tolerance');
    expect(verifyVector(vectorHeaders(), VECTOR.body, now, 61).id).toBe(VECTOR.id);
  });

  it('refuses a replay of a once-valid request long after, before looking at its signature', () => {
    const nextDay = new Date(vectorTime.getTime() + 86_400_000);
    expect(refusal(() => verifyVector(vectorHeaders(), VECTOR.body, nextDay)).reason).toBe('outside_tolerance');
  });

  it('refuses timestamps that are not whole seconds', () => {
    for (const bad of ['hello', '1614265330abc', '-1614265330', '1614265330.5', '1614265330000000']) {
      const error = refusal(() => verifyVector(vectorHeaders({ 'webhook-timestamp': bad })));
      expect(error).toMatchObject({ reason: 'bad_timestamp', field: 'webhook-timestamp' });
    }
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a request without %s', (header) => {
    const missing = vectorHeaders();
    delete missing[header];
    expect(refusal(() => verifyVector(missing))).toMatchObject({ reason: 'missing_header', field: header });
    expect(refusal(() => verifyVector(vectorHeaders({ [header]: '  ' })))).toMatchObject({ reason: 'missing_header', field: header });
  });

  it('refuses a request with two webhook-id values', () => {
    const error = refusal(() => verifyVector(vectorHeaders({ 'webhook-id': [VECTOR.id, 'msg_other'] })));
    expect(error).toMatchObject({ reason: 'missing_header', field: 'webhook-id' });
    expect(error.message).toContain('exactly once');
  });

  it('matches header names case-insensitively and reads a signature list split over repeated headers', () => {
    const headers: WebhookHeaders = {
      'Webhook-Id': VECTOR.id,
      'WEBHOOK-TIMESTAMP': String(VECTOR.timestampSeconds),
      'Webhook-Signature': ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', VECTOR.signature],
    };
    expect(verifyVector(headers).id).toBe(VECTOR.id);
  });

  it('round-trips any body as bytes (including invalid UTF-8) and refuses any single flipped byte', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,24}$/),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat(),
        (bytes, id, seconds, flipAt) => {
          const rawBody = Buffer.from(bytes);
          const timestamp = new Date(seconds * 1000);
          const headers = { 'webhook-id': id, 'webhook-timestamp': String(seconds), 'webhook-signature': '' };
          headers['webhook-signature'] = signStandardWebhook({ secret, id, timestamp, rawBody });
          expect(verifyStandardWebhook({ secret, headers, rawBody, now: timestamp })).toEqual({ id, timestamp });

          const tampered = Buffer.from(rawBody);
          const index = flipAt % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ 0x01;
          expect(() => verifyStandardWebhook({ secret, headers, rawBody: tampered, now: timestamp })).toThrow(WebhookSignatureError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a body signed with another secret', () => {
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const signature = signStandardWebhook({ secret: otherSecret, id: VECTOR.id, timestamp: vectorTime, rawBody: Buffer.from(VECTOR.body) });
    expect(refusal(() => verifyVector(vectorHeaders({ 'webhook-signature': signature }))).reason).toBe('no_matching_signature');
  });
});
