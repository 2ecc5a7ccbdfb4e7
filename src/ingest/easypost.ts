/**
 * EasyPost webhooks (`POST /webhooks/easypost`) → normalized updates.
 *
 * Signature (EasyPost API docs, "Webhooks" > "HMAC validation", and `validate_webhook` in EasyPost's
 * client libraries): `X-Hmac-Signature: hmac-sha256-hex=<lowercase hex>` over the raw body, keyed by the
 * webhook secret after Unicode NFKD normalization, encoded as UTF-8. The normalization matters for
 * secrets with accents: EasyPost's own test vector uses "sécret".
 *
 * Body (EasyPost API docs, "Events"): an Event `{id, object: "Event", description, result, …}`.
 * `tracker.created` and `tracker.updated` carry a Tracker in `result` (docs, "Trackers"); every other
 * event (batches, shipments, insurance, payments, refunds, reports) is answered and ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryProof, TrackingEvent } from '../domain/types.js';
import { mapEasypostStatus } from './easypost-statuses.js';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from './errors.js';
import type { ParsedWebhook, SourceUpdate, WebhookRequest, WebhookSecrets, WebhookSource } from './source.js';
import {
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

const SOURCE = 'easypost';

export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';
const SIGNATURE_PREFIX = 'hmac-sha256-hex=';

const TRACKER_EVENTS: ReadonlySet<string> = new Set(['tracker.created', 'tracker.updated']);

/** The `X-Hmac-Signature` value EasyPost sends for a body. */
export function signEasypost(secret: string, rawBody: Buffer): string {
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  return `${SIGNATURE_PREFIX}${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

function verify(request: WebhookRequest, secrets: WebhookSecrets): void {
  const secret = secrets.easypostWebhookSecret;
  if (secret === undefined || secret === '') {
    throw new WebhookSecretError('EASYPOST_WEBHOOK_SECRET is not set; use the secret given when the EasyPost webhook was created.');
  }
  const candidates = headerValues(request.headers, EASYPOST_SIGNATURE_HEADER);
  if (candidates.length === 0) {
    throw new WebhookSignatureError('missing_header', EASYPOST_SIGNATURE_HEADER, 'The X-Hmac-Signature header is missing.');
  }
  const expected = Buffer.from(signEasypost(secret, request.rawBody), 'utf8');
  const matched = candidates.some((candidate) => {
    // Hex is case-insensitive; EasyPost sends lower case, which is what is compared.
    const bytes = Buffer.from(candidate.toLowerCase(), 'utf8');
    // timingSafeEqual throws on unequal lengths; a length difference reveals nothing about the key.
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      EASYPOST_SIGNATURE_HEADER,
      'X-Hmac-Signature does not match the body; check that EASYPOST_WEBHOOK_SECRET is the webhook\u2019s secret ' +
        'and that no proxy alters the body.',
    );
  }
}

function parse(request: WebhookRequest): ParsedWebhook {
  const body = parseJsonObject(request.rawBody);
  // EasyPost redelivers an Event with the same id until it is answered 2xx.
  const deliveryId = deliveryIdFrom(requiredText(body, 'id', 'id'));
  const description = requiredText(body, 'description', 'description');
  if (!TRACKER_EVENTS.has(description)) {
    return { kind: 'ignored', deliveryId, reason: `EasyPost event "${description.slice(0, 64)}" carries no tracking news` };
  }
  const tracker = optionalObject(body, 'result', 'result');
  // EasyPost's own example of `tracker.created` has no `result`: nothing is known yet.
  if (tracker === undefined) return { kind: 'ignored', deliveryId, reason: `${description} without a Tracker in result` };
  return { kind: 'tracking', deliveryId, updates: [trackerUpdate(tracker)] };
}

function trackerUpdate(tracker: JsonObject): SourceUpdate {
  const trackingNumber = requiredText(tracker, 'tracking_code', 'result.tracking_code');
  const details = optionalArray(tracker, 'tracking_details', 'result.tracking_details');
  const events = details.map((detail, i) => detailEvent(detail, `result.tracking_details[${i}]`));
  const rawStatus = text(tracker, 'status');
  const rawDetail = text(tracker, 'status_detail');
  const { status, subStatus } = mapEasypostStatus(rawStatus, rawDetail, events.length > 0);
  const carrier = text(tracker, 'carrier');
  const estimatedDelivery = estimatedDeliveryOf(tracker);
  const signedBy = text(tracker, 'signed_by');
  const proof = status === 'delivered' || signedBy !== undefined ? proofOf(signedBy, events) : undefined;
  const raw = [rawStatus, rawDetail].filter((part) => part !== undefined).join('/');
  return {
    trackingNumber,
    status,
    events,
    ...(carrier === undefined ? {} : { carrier: easypostCarrier(carrier) }),
    ...(subStatus === undefined ? {} : { subStatus }),
    ...(estimatedDelivery === undefined ? {} : { estimatedDelivery }),
    ...(proof === undefined ? {} : { proof }),
    ...(raw === '' ? {} : { rawStatus: raw }),
  };
}

/** TrackingDetail: `message`, `status`, `status_detail`, `datetime`, `carrier_code`, `tracking_location`. */
function detailEvent(detail: unknown, path: string): TrackingEvent {
  if (!isObject(detail)) throw new WebhookPayloadError(`${path} must be an object.`, path);
  const time = eventTime(field(detail, 'datetime'), `${path}.datetime`);
  const rawStatus = text(detail, 'status');
  const rawDetail = text(detail, 'status_detail');
  const { status, subStatus } = mapEasypostStatus(rawStatus, rawDetail);
  const location = trackingLocation(field(detail, 'tracking_location'));
  const rawCode = text(detail, 'carrier_code');
  return {
    time,
    status,
    description: text(detail, 'message') ?? text(detail, 'description') ?? rawStatus ?? 'EasyPost tracking detail',
    source: SOURCE,
    ...(subStatus === undefined ? {} : { subStatus }),
    ...(location === undefined ? {} : { location }),
    ...(rawStatus === undefined ? {} : { rawStatus }),
    ...(rawDetail === undefined ? {} : { rawSubStatus: rawDetail }),
    ...(rawCode === undefined ? {} : { rawCode }),
  };
}

/** TrackingLocation `{city, state, zip, country}`, written the way an address line reads: `ORLANDO, FL 32809, US`. */
function trackingLocation(place: unknown): string | undefined {
  if (!isObject(place)) return undefined;
  const stateAndZip = [text(place, 'state'), text(place, 'zip')].filter((part) => part !== undefined).join(' ');
  return joinLocation([text(place, 'city'), stateAndZip, text(place, 'country')]);
}

/** EasyPost writes an estimated date as midnight UTC (`2024-08-05T00:00:00Z` beside `est_delivery_date_local: 2024-08-05`). */
const MIDNIGHT_UTC = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?Z$/;

/**
 * The carrier's local estimate (`carrier_detail.est_delivery_date_local`) names the day at the destination,
 * so it comes first. Otherwise a midnight-UTC `est_delivery_date` is read as the date it stands for:
 * taken as an instant, the delay rule would call the parcel late at the very start of its delivery day.
 */
function estimatedDeliveryOf(tracker: JsonObject): string | undefined {
  const carrierDetail = field(tracker, 'carrier_detail');
  const local = isObject(carrierDetail) ? etaValue(field(carrierDetail, 'est_delivery_date_local')) : undefined;
  if (local !== undefined) return local;
  const estimate = text(tracker, 'est_delivery_date');
  if (estimate === undefined) return undefined;
  return MIDNIGHT_UTC.exec(estimate)?.[1] ?? etaValue(estimate);
}

/** `signed_by` from the Tracker; time and place from its latest delivered detail. */
function proofOf(signedBy: string | undefined, events: readonly TrackingEvent[]): DeliveryProof | undefined {
  const delivered = events.filter((event) => event.status === 'delivered').sort((a, b) => (a.time < b.time ? 1 : -1))[0];
  const proof: DeliveryProof = {
    ...(signedBy === undefined ? {} : { signedBy }),
    ...(delivered === undefined ? {} : { time: delivered.time }),
    ...(delivered?.location === undefined ? {} : { location: delivered.location }),
  };
  return Object.keys(proof).length === 0 ? undefined : proof;
}

/**
 * EasyPost names carriers by account type (`USPS`, `UPS`, `UPSDAP`, `UPSMailInnovations`, `FedEx`,
 * `FedExSmartPost`, `DHLExpress`, `DHLEcs`…); the tracking-number data knows the four big families by
 * their plain slugs. Anything else is lower-cased as it is (`CanadaPost` → `canadapost`).
 */
export function easypostCarrier(carrier: string): string {
  const compact = carrier.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const family of ['usps', 'ups', 'fedex', 'dhl']) {
    if (compact.startsWith(family)) return family;
  }
  return compact === '' ? carrier.toLowerCase() : compact;
}

export const easypostSource: WebhookSource = {
  name: SOURCE,
  secret: (secrets) => (secrets.easypostWebhookSecret === '' ? undefined : secrets.easypostWebhookSecret),
  verify,
  parse,
};
