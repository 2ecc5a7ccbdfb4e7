/**
 * Shippo tracking webhooks, `POST /webhooks/shippo`.
 *
 * Authentication follows Shippo's "Webhook security" guide (https://docs.goshippo.com/docs/tracking/webhooksecurity/):
 * a self-generated token in the webhook URL (`?token=…`), always required here, and, for accounts where
 * Shippo has provisioned it, HMAC: `Shippo-Auth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed by the shared secret, checked when `SHIPPO_WEBHOOK_SECRET` is set.
 *
 * The body follows "Webhooks" (https://docs.goshippo.com/docs/tracking/webhooks/): `{event, test, data}`, where a
 * `track_updated` event's `data` is a Track object (API reference "Track": `carrier`, `tracking_number`, `eta`,
 * `tracking_status`, `tracking_history`). Shippo sends no delivery id and retries the same bytes, so the body's
 * digest identifies a delivery.
 */
import { createHmac } from 'node:crypto';
import type { TrackingEvent } from '../domain/types.js';
import { deliveryProofOf, withCurrentStatus } from './aggregator-events.js';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from './errors.js';
import { mapShippoStatus, type MappedStatus } from './shippo-status.js';
import type { ParsedWebhook, SourceUpdate, WebhookRequest, WebhookSecrets, WebhookSource } from './source.js';
import { constantTimeEqual } from './secret-compare.js';
import { normalizeCarrier } from './tracking-number.js';
import {
  bodyDigest,
  eventTime,
  etaValue,
  field,
  headerValues,
  isObject,
  joinLocation,
  optionalArray,
  optionalObject,
  parseJsonObject,
  requiredText,
  text,
  type JsonObject,
} from './webhook-input.js';

const NAME = 'shippo';
export const SHIPPO_SIGNATURE_HEADER = 'shippo-auth-signature';
/** Shippo's guide asks receivers to refuse stale timestamps; five minutes either way absorbs clock skew. */
const TOLERANCE_SECONDS = 300;
/** Strict so that `"12abc"` is not read as 12 the way `parseInt` would. */
const UNIX_SECONDS = /^\d{1,12}$/;
/** Longer than any carrier's format; refusing more keeps a hostile body from filling the unmatched list. */
const MAX_TRACKING_NUMBER = 64;
/** Shippo carrier tokens are short identifiers (`usps`, `dhl_express`, `canada_post`). */
const CARRIER_TOKEN = /^[a-z0-9_]{1,40}$/i;

export const shippoSource: WebhookSource = {
  name: NAME,
  secret: (secrets) => secrets.shippoWebhookToken || undefined,
  verify(request, secrets) {
    verifyToken(request, secrets);
    if (secrets.shippoWebhookSecret) verifySignature(request, secrets.shippoWebhookSecret);
  },
  parse: parseShippoWebhook,
};

/** Signs a body the way Shippo does; returns the `Shippo-Auth-Signature` value (tests, the local simulator). */
export function signShippoWebhook(secret: string, timestamp: Date, rawBody: Buffer): string {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  return `t=${seconds},v1=${hmacHex(secret, seconds, rawBody)}`;
}

function hmacHex(secret: string, seconds: string, rawBody: Buffer): string {
  // The body is signed as bytes: decoding it first would alter invalid UTF-8 and break the match.
  return createHmac('sha256', secret).update(`${seconds}.`, 'utf8').update(rawBody).digest('hex');
}

function verifyToken(request: WebhookRequest, secrets: WebhookSecrets): void {
  const expected = secrets.shippoWebhookToken;
  if (!expected) throw new WebhookSecretError('SHIPPO_WEBHOOK_TOKEN is not set, so no Shippo delivery can be authenticated.');
  // The query type promises strings, but a repeated `?token=` reaches us as an array at run time.
  const given: unknown = request.query.token;
  if (given === undefined || given === '') {
    throw new WebhookSignatureError('missing_header', 'token', 'The token query parameter is missing: add ?token=<SHIPPO_WEBHOOK_TOKEN> to the webhook URL in Shippo.');
  }
  if (typeof given !== 'string' || !constantTimeEqual(given, expected)) {
    throw new WebhookSignatureError('no_matching_signature', 'token', 'The token query parameter does not match SHIPPO_WEBHOOK_TOKEN.');
  }
}

function verifySignature(request: WebhookRequest, secret: string): void {
  const entries = headerValues(request.headers, SHIPPO_SIGNATURE_HEADER).flatMap((value) => value.split(','));
  if (entries.length === 0) {
    throw new WebhookSignatureError('missing_header', SHIPPO_SIGNATURE_HEADER, `The ${SHIPPO_SIGNATURE_HEADER} header is missing, and SHIPPO_WEBHOOK_SECRET is set.`);
  }
  const pairs = entries.map((entry) => {
    const at = entry.indexOf('=');
    return at < 0 ? ['', ''] : [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
  });
  const timestamps = pairs.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const seconds = timestamps[0];
  if (timestamps.length !== 1 || seconds === undefined || !UNIX_SECONDS.test(seconds)) {
    throw new WebhookSignatureError('bad_timestamp', SHIPPO_SIGNATURE_HEADER, `${SHIPPO_SIGNATURE_HEADER} must carry exactly one t=<seconds since the Unix epoch>.`);
  }
  // Checked before the signature, so a captured delivery replayed later is refused whatever it carries.
  if (Math.abs(Math.floor(request.now.getTime() / 1000) - Number(seconds)) > TOLERANCE_SECONDS) {
    throw new WebhookSignatureError(
      'outside_tolerance',
      SHIPPO_SIGNATURE_HEADER,
      `The signature's timestamp is more than ${TOLERANCE_SECONDS} s from the current time: check this server's clock, or this is a replayed request.`,
    );
  }
  const expected = hmacHex(secret, seconds, request.rawBody);
  // Several v1 values allow a secret rotation; hex is compared without regard to case.
  const matched = pairs.some(([key, value]) => key === 'v1' && constantTimeEqual((value ?? '').toLowerCase(), expected));
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      SHIPPO_SIGNATURE_HEADER,
      `No v1 signature in ${SHIPPO_SIGNATURE_HEADER} matches the body: check SHIPPO_WEBHOOK_SECRET, and that no proxy alters the body.`,
    );
  }
}

/** One Tracking Status object (the current one or a history entry), read. */
interface ShippoStatus {
  mapped: MappedStatus;
  status: string;
  code: string | undefined;
  description: string;
  location: string | undefined;
  /** Absent when Shippo gives no `status_date`: such an entry cannot be placed in time. */
  time: string | undefined;
}

function parseShippoWebhook(request: WebhookRequest): ParsedWebhook {
  const body = parseJsonObject(request.rawBody);
  const deliveryId = bodyDigest(request.rawBody);
  const event = requiredText(body, 'event', 'event');
  if (event !== 'track_updated') {
    return { kind: 'ignored', deliveryId, reason: `Shippo event "${event.slice(0, 60)}" carries no tracking news.` };
  }
  const data = optionalObject(body, 'data', 'data');
  if (data === undefined) throw new WebhookPayloadError('data must be the Track object of a track_updated event.', 'data');
  return { kind: 'tracking', deliveryId, updates: [readTrack(data)] };
}

function readTrack(data: JsonObject): SourceUpdate {
  const trackingNumber = requiredText(data, 'tracking_number', 'data.tracking_number');
  if (trackingNumber.length > MAX_TRACKING_NUMBER) {
    throw new WebhookPayloadError(`data.tracking_number is longer than ${MAX_TRACKING_NUMBER} characters.`, 'data.tracking_number');
  }
  const history = optionalArray(data, 'tracking_history', 'data.tracking_history').map((entry, i) =>
    readStatus(entry, `data.tracking_history.${i}`),
  );
  const statusObject = optionalObject(data, 'tracking_status', 'data.tracking_status');
  const latest = statusObject === undefined ? newest(history) : readStatus(statusObject, 'data.tracking_status');

  // The current status is usually also the last history entry; the diff drops exact repeats, but a clean list reads better.
  const dated = [...history, ...(statusObject && latest ? [latest] : [])].filter((entry) => entry.time !== undefined);
  const unique = new Map(dated.map((entry) => [`${entry.time}\u0000${entry.status}\u0000${entry.code}\u0000${entry.description}`, entry]));
  const scans = [...unique.values()].map(toEvent).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const mapped = latest?.mapped ?? { status: 'pending' };
  const events = latest === undefined ? scans : withCurrentStatus(scans, eventFields(latest));

  const update: SourceUpdate = { trackingNumber, status: mapped.status, events };
  const carrier = carrierSlug(text(data, 'carrier'));
  if (carrier !== undefined) update.carrier = carrier;
  if (mapped.subStatus !== undefined) update.subStatus = mapped.subStatus;
  const eta = etaValue(field(data, 'eta'));
  if (eta !== undefined) update.estimatedDelivery = eta;
  if (latest !== undefined) update.rawStatus = latest.code === undefined ? latest.status : `${latest.status}/${latest.code}`;
  const proof = mapped.status === 'delivered' ? deliveryProofOf(events) : undefined;
  if (proof !== undefined) update.proof = proof;
  return update;
}

function readStatus(value: unknown, path: string): ShippoStatus {
  if (!isObject(value)) throw new WebhookPayloadError(`${path} must be a Tracking Status object.`, path);
  const entry = value;
  const status = requiredText(entry, 'status', `${path}.status`);
  const substatus = optionalObject(entry, 'substatus', `${path}.substatus`);
  const code = substatus === undefined ? undefined : text(substatus, 'code');
  const mapped = mapShippoStatus(status, code);
  const location = optionalObject(entry, 'location', `${path}.location`);
  const date = field(entry, 'status_date');
  return {
    mapped,
    status,
    code,
    description: text(entry, 'status_details') ?? (substatus && text(substatus, 'text')) ?? `Shippo: ${code ?? status}`,
    location: location && joinLocation([text(location, 'city'), text(location, 'state'), text(location, 'zip'), text(location, 'country')]),
    time: date === undefined || date === null ? undefined : eventTime(date, `${path}.status_date`),
  };
}

function newest(entries: ShippoStatus[]): ShippoStatus | undefined {
  let found: ShippoStatus | undefined;
  for (const entry of entries) {
    if (entry.time !== undefined && (found?.time === undefined || Date.parse(entry.time) >= Date.parse(found.time))) found = entry;
  }
  return found ?? entries.at(-1);
}

function eventFields(entry: ShippoStatus): Omit<TrackingEvent, 'time'> {
  const event: Omit<TrackingEvent, 'time'> = { status: entry.mapped.status, description: entry.description, source: NAME, rawStatus: entry.status };
  if (entry.mapped.subStatus !== undefined) event.subStatus = entry.mapped.subStatus;
  if (entry.location !== undefined) event.location = entry.location;
  if (entry.code !== undefined) event.rawSubStatus = entry.code;
  return event;
}

function toEvent(entry: ShippoStatus): TrackingEvent {
  return { time: entry.time as string, ...eventFields(entry) };
}


function carrierSlug(token: string | undefined): string | undefined {
  return token !== undefined && CARRIER_TOKEN.test(token) ? normalizeCarrier(token) : undefined;
}
