/**
 * AfterShip webhooks (`POST /webhooks/aftership`) → normalized updates.
 *
 * Signature (AfterShip Tracking docs, "Webhook Signature"): `aftership-hmac-sha256` carries
 * base64(HMAC-SHA256(key = the webhook secret as UTF-8, message = the raw body)); nothing else is signed.
 * AfterShip's other products sign the same way under other names: Returns and Warranty in
 * `as-signature-hmac-sha256`, Shipping (Postmen) and Returns organisations created before 2022-10-25 in
 * `am-webhook-signature` as `hmac-sha256=<base64>`. All three are accepted so that a shop pointing every
 * AfterShip product at this URL gets a verified 200 for the deliveries we do not act on.
 *
 * Body (AfterShip Tracking docs, "Webhook Specifications"): `{ts, event, event_id, is_tracking_first_tag,
 * msg}`, where `msg` is the Tracking object. `tracking_update` reports a status change and `edd_revise` a
 * new estimated delivery date; every other event (`tracking_pending_time`, Returns, Warranty, Shipping)
 * is answered and ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryProof, TrackingEvent } from '../domain/types.js';
import { mapAftershipTag } from './aftership-tags.js';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from './errors.js';
import type { ParsedWebhook, SourceUpdate, WebhookRequest, WebhookSecrets, WebhookSource } from './source.js';
import {
  bodyDigest,
  deliveryIdFrom,
  etaValue,
  eventTime,
  field,
  headerValues,
  isObject,
  joinLocation,
  type JsonObject,
  optionalArray,
  optionalObject,
  parseJsonObject,
  requiredText,
  text,
} from './webhook-input.js';

const SOURCE = 'aftership';

/** Header names in the order AfterShip's products use them; the first is the Tracking product's. */
export const AFTERSHIP_SIGNATURE_HEADERS = ['aftership-hmac-sha256', 'as-signature-hmac-sha256', 'am-webhook-signature'] as const;

/** `am-webhook-signature` prefixes the digest with its algorithm; the bare digest is accepted there too. */
const ALGORITHM_PREFIX = /^hmac-sha256=/i;

/** Tracking events with news about a parcel. */
const TRACKING_EVENTS: ReadonlySet<string> = new Set(['tracking_update', 'edd_revise']);

/** base64(HMAC-SHA256(secret, body)), the value AfterShip puts in `aftership-hmac-sha256`. */
export function signAftership(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('base64');
}

function verify(request: WebhookRequest, secrets: WebhookSecrets): void {
  const secret = secrets.aftershipWebhookSecret;
  if (secret === undefined || secret === '') {
    throw new WebhookSecretError('AFTERSHIP_WEBHOOK_SECRET is not set; copy the webhook secret from AfterShip\u2019s Notifications > Webhooks page.');
  }
  const present = AFTERSHIP_SIGNATURE_HEADERS.filter((name) => headerValues(request.headers, name).length > 0);
  const candidates = present.flatMap((name) => headerValues(request.headers, name)).map((value) => value.replace(ALGORITHM_PREFIX, ''));
  const headerName = present[0] ?? AFTERSHIP_SIGNATURE_HEADERS[0];
  if (candidates.length === 0) {
    throw new WebhookSignatureError('missing_header', headerName, `The ${headerName} header is missing.`);
  }
  const expected = Buffer.from(signAftership(secret, request.rawBody), 'utf8');
  const matched = candidates.some((candidate) => {
    const bytes = Buffer.from(candidate, 'utf8');
    // timingSafeEqual throws on unequal lengths; a length difference reveals nothing about the key.
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      headerName,
      `${headerName} does not match the body; check that AFTERSHIP_WEBHOOK_SECRET is the secret AfterShip shows ` +
        'and that no proxy alters the body.',
    );
  }
}

function parse(request: WebhookRequest): ParsedWebhook {
  const body = parseJsonObject(request.rawBody);
  // Tracking names its delivery `event_id`; Returns and Warranty use `id`.
  const named = text(body, 'event_id') ?? text(body, 'id');
  const deliveryId = named === undefined ? bodyDigest(request.rawBody) : deliveryIdFrom(named);
  const event = text(body, 'event');
  if (event === undefined) {
    if (text(body, 'event_type') !== undefined) return { kind: 'ignored', deliveryId, reason: 'AfterShip Shipping events carry no tracking news' };
    throw new WebhookPayloadError('event must name the AfterShip event, e.g. "tracking_update".', 'event');
  }
  if (!TRACKING_EVENTS.has(event)) {
    return { kind: 'ignored', deliveryId, reason: `AfterShip event "${event.slice(0, 64)}" carries no tracking news` };
  }
  const msg = optionalObject(body, 'msg', 'msg');
  if (msg === undefined) throw new WebhookPayloadError('msg must be the AfterShip Tracking object.', 'msg');
  return { kind: 'tracking', deliveryId, updates: [trackingUpdate(msg, event)] };
}

function trackingUpdate(msg: JsonObject, event: string): SourceUpdate {
  const trackingNumber = requiredText(msg, 'tracking_number', 'msg.tracking_number');
  const tag = text(msg, 'tag');
  const subtag = text(msg, 'subtag');
  const { status, subStatus } = mapAftershipTag(tag, subtag);
  const events = optionalArray(msg, 'checkpoints', 'msg.checkpoints').map((checkpoint, i) =>
    checkpointEvent(checkpoint, `msg.checkpoints[${i}]`),
  );
  const slug = text(msg, 'slug');
  const estimatedDelivery = estimatedDeliveryOf(msg, event);
  const proof = status === 'delivered' || text(msg, 'signed_by') !== undefined ? proofOf(msg, events) : undefined;
  const rawStatus = [tag, subtag].filter((part) => part !== undefined).join('/');
  return {
    trackingNumber,
    status,
    events,
    ...(slug === undefined ? {} : { carrier: aftershipCarrier(slug) }),
    ...(subStatus === undefined ? {} : { subStatus }),
    ...(estimatedDelivery === undefined ? {} : { estimatedDelivery }),
    ...(proof === undefined ? {} : { proof }),
    ...(rawStatus === '' ? {} : { rawStatus }),
  };
}

/** AfterShip Checkpoint model: `checkpoint_time`, `tag`, `subtag`, `message`, `raw_tag`, and the place in parts. */
function checkpointEvent(checkpoint: unknown, path: string): TrackingEvent {
  if (!isObject(checkpoint)) throw new WebhookPayloadError(`${path} must be an object.`, path);
  const time = eventTime(field(checkpoint, 'checkpoint_time'), `${path}.checkpoint_time`);
  const tag = text(checkpoint, 'tag');
  const subtag = text(checkpoint, 'subtag');
  const { status, subStatus } = mapAftershipTag(tag, subtag);
  const location = checkpointLocation(checkpoint);
  const rawCode = text(checkpoint, 'raw_tag');
  return {
    time,
    status,
    description: text(checkpoint, 'message') ?? text(checkpoint, 'subtag_message') ?? tag ?? 'AfterShip checkpoint',
    source: SOURCE,
    ...(subStatus === undefined ? {} : { subStatus }),
    ...(location === undefined ? {} : { location }),
    ...(tag === undefined ? {} : { rawStatus: tag }),
    ...(subtag === undefined ? {} : { rawSubStatus: subtag }),
    ...(rawCode === undefined ? {} : { rawCode }),
  };
}

function checkpointLocation(checkpoint: JsonObject): string | undefined {
  // API versions before 2024 say `country_name`/`country_iso3`; later ones `country_region_name`/`country_region`.
  const country =
    text(checkpoint, 'country_region_name') ??
    text(checkpoint, 'country_name') ??
    text(checkpoint, 'country_region') ??
    text(checkpoint, 'country_iso3');
  const city = text(checkpoint, 'city');
  const state = text(checkpoint, 'state');
  if (city !== undefined || state !== undefined) return joinLocation([city, state, country]);
  return text(checkpoint, 'location') ?? country;
}

/** `{…, <dateKey>, <dateKey>_max}` as AfterShip's EDD objects write a date or a range; a range counts until its end. */
function eddDate(msg: JsonObject, key: string, dateKey: string): string | undefined {
  const edd = field(msg, key);
  if (!isObject(edd)) return undefined;
  return etaValue(field(edd, dateKey)) ?? etaValue(field(edd, `${dateKey}_max`));
}

/**
 * The delay rule compares the carrier's promise over time, so AfterShip's own pick of the current
 * estimate (`latest_estimated_delivery`) comes first, then the carrier's (`courier_estimated_delivery_date`,
 * or the legacy `expected_delivery`), then AfterShip's prediction, then the merchant's custom promise.
 * An `edd_revise` event exists to announce AfterShip's revised prediction, so there that one comes first.
 */
function estimatedDeliveryOf(msg: JsonObject, event: string): string | undefined {
  const predicted = () => eddDate(msg, 'aftership_estimated_delivery_date', 'estimated_delivery_date');
  const ordered = [
    () => eddDate(msg, 'latest_estimated_delivery', 'datetime'),
    () => eddDate(msg, 'courier_estimated_delivery_date', 'estimated_delivery_date'),
    () => etaValue(field(msg, 'expected_delivery')),
    predicted,
    () => eddDate(msg, 'custom_estimated_delivery_date', 'datetime'),
  ];
  const candidates = event === 'edd_revise' ? [predicted, ...ordered] : ordered;
  for (const candidate of candidates) {
    const value = candidate();
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `signed_by` from the Tracking object; time and place from the delivery checkpoint when there is one. */
function proofOf(msg: JsonObject, events: readonly TrackingEvent[]): DeliveryProof | undefined {
  const delivered = events.filter((event) => event.status === 'delivered').sort((a, b) => (a.time < b.time ? 1 : -1))[0];
  const signedBy = text(msg, 'signed_by');
  const proof: DeliveryProof = {
    ...(signedBy === undefined ? {} : { signedBy }),
    ...(delivered === undefined ? {} : { time: delivered.time }),
    ...(delivered?.location === undefined ? {} : { location: delivered.location }),
  };
  return Object.keys(proof).length === 0 ? undefined : proof;
}

/**
 * AfterShip slugs name a carrier and, after a hyphen, a service or country (`fedex-uk`, `dhl-global-mail`,
 * `ups-mi`); the tracking-number data knows the four big families by their plain names.
 */
export function aftershipCarrier(slug: string): string {
  const lower = slug.toLowerCase();
  const head = lower.split(/[-_]/)[0] ?? lower;
  for (const known of ['usps', 'ups', 'fedex', 'dhl']) {
    if (head === known || (known === 'dhl' && head.startsWith('dhl'))) return known;
  }
  return lower;
}

export const aftershipSource: WebhookSource = {
  name: SOURCE,
  secret: (secrets) => (secrets.aftershipWebhookSecret === '' ? undefined : secrets.aftershipWebhookSecret),
  verify,
  parse,
};
