/**
 * Standard Webhooks symmetric signatures (spec: standard-webhooks/standard-webhooks, spec/standard-webhooks.md,
 * "Signature scheme" and "Verifying signatures"): HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`,
 * keyed by the base64 secret after `whsec_`, sent as a space-delimited list of `v1,<base64>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSecretError, WebhookSignatureError } from './errors.js';

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Seconds since the epoch; strict so that `"12abc"` is not read as 12 the way `parseInt` would. */
const UNIX_SECONDS = /^\d{1,12}$/;

export const HEADER_ID = 'webhook-id';
export const HEADER_TIMESTAMP = 'webhook-timestamp';
export const HEADER_SIGNATURE = 'webhook-signature';

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface VerifyStandardWebhookArgs {
  /** `whsec_` followed by base64; the bare base64 form is accepted too, as the reference libraries do. */
  secret: string;
  /** Request headers; names are matched case-insensitively. */
  headers: WebhookHeaders;
  /** The body exactly as received: re-serialized JSON would not match the signature. */
  rawBody: Buffer;
  /** The current time, passed in so that replay checks are testable. */
  now: Date;
  /**
   * How far `webhook-timestamp` may be from `now`, either way, before the message is treated as a replay.
   * @defaultValue 300 (the reference libraries' five minutes)
   */
  toleranceSeconds?: number;
}

export interface VerifiedWebhook {
  /** `webhook-id`: stable across redeliveries, so callers use it as the idempotency key. */
  id: string;
  /** `webhook-timestamp`: when this delivery attempt was signed. */
  timestamp: Date;
}

export interface SignStandardWebhookArgs {
  secret: string;
  id: string;
  timestamp: Date;
  rawBody: Buffer;
}

/** Verifies a Standard Webhooks request; throws `WebhookSignatureError` saying why it was refused. */
export function verifyStandardWebhook(args: VerifyStandardWebhookArgs): VerifiedWebhook {
  const { headers, rawBody, now, toleranceSeconds = 300 } = args;
  const key = decodeSecret(args.secret);

  const id = singleHeader(headers, HEADER_ID);
  const timestampText = singleHeader(headers, HEADER_TIMESTAMP);
  const signatureList = listHeader(headers, HEADER_SIGNATURE);

  if (!UNIX_SECONDS.test(timestampText)) {
    throw new WebhookSignatureError(
      'bad_timestamp',
      HEADER_TIMESTAMP,
      `${HEADER_TIMESTAMP} must be an integer number of seconds since the Unix epoch.`,
    );
  }
  const timestampSeconds = Number(timestampText);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // Checked before the signature so that a captured request replayed later is refused whatever it carries.
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
    throw new WebhookSignatureError(
      'outside_tolerance',
      HEADER_TIMESTAMP,
      `${HEADER_TIMESTAMP} is more than ${toleranceSeconds} s away from the current time; ` +
        'check the sender\u2019s clock, or this is a replayed request.',
    );
  }

  const expected = Buffer.from(hmac(key, id, timestampText, rawBody), 'utf8');
  // Several signatures allow zero-downtime secret rotation: any one valid `v1` signature is enough.
  const matched = signatureList.some((entry) => {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) return false;
    const candidate = Buffer.from(entry.slice(comma + 1), 'utf8');
    // timingSafeEqual throws on unequal lengths; a length difference reveals nothing about the key.
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      HEADER_SIGNATURE,
      `No ${SIGNATURE_VERSION} signature in ${HEADER_SIGNATURE} matches the body; ` +
        'check that the secret is the one the sender uses and that the body is not altered by a proxy.',
    );
  }
  return { id, timestamp: new Date(timestampSeconds * 1000) };
}

/** Signs a body the way a Standard Webhooks sender does; returns one `v1,<base64>` entry. */
export function signStandardWebhook(args: SignStandardWebhookArgs): string {
  const seconds = String(Math.floor(args.timestamp.getTime() / 1000));
  return `${SIGNATURE_VERSION},${hmac(decodeSecret(args.secret), args.id, seconds, args.rawBody)}`;
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  // The body is signed as bytes: decoding it as text first would alter invalid UTF-8 and break the match.
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Buffer.from(…, 'base64') silently skips invalid characters, so a mangled secret must be caught here.
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new WebhookSecretError(
      `The Standard Webhooks secret must be "${SECRET_PREFIX}" followed by base64 (as the sender shows it).`,
    );
  }
  return Buffer.from(encoded, 'base64');
}

function headerValues(headers: WebhookHeaders, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values.map((value) => value.trim()).filter((value) => value !== '');
}

function singleHeader(headers: WebhookHeaders, name: string): string {
  const values = headerValues(headers, name);
  if (values.length !== 1) {
    throw new WebhookSignatureError(
      'missing_header',
      name,
      values.length === 0 ? `The ${name} header is missing.` : `The ${name} header must appear exactly once.`,
    );
  }
  return values[0] as string;
}

function listHeader(headers: WebhookHeaders, name: string): string[] {
  // A repeated header is the same list split over several lines (RFC 9110 section 5.3).
  const entries = headerValues(headers, name).flatMap((value) => value.split(/\s+/));
  if (entries.length === 0) {
    throw new WebhookSignatureError('missing_header', name, `The ${name} header is missing.`);
  }
  return entries;
}
