/**
 * 17TRACK push notifications (Tracking API v2.2), `POST /webhooks/17track`.
 *
 * Follows the v2.2 documentation (https://api.17track.net/en/doc?version=v2.2), "WebHook" section: each push
 * carries header `sign` = hex SHA-256 of the raw body, then `/`, then the account's API key (the security key
 * of the API console); the body is `{event, data}`, where `event` is `TRACKING_UPDATED` (tracking changed) or
 * `TRACKING_STOPPED` (17TRACK stopped tracking the number), and `data` is `{number, carrier, param, tag,
 * track_info}`, `track_info` being the same object `gettrackinfo` returns (`latest_status`, `latest_event`,
 * `time_metrics`, `milestone`, `tracking.providers[].events[]`). A push names no delivery id and a retry
 * repeats the bytes, so the body's digest identifies a delivery.
 */
import { createHash } from 'node:crypto';
import type { TrackingEvent } from '../domain/types.js';
import { deliveryProofOf, withCurrentStatus } from './aggregator-events.js';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from './errors.js';
import { constantTimeEqual } from './secret-compare.js';
import { mapSeventeenTrackEvent, mapSeventeenTrackStatus, seventeenTrackCarrier } from './seventeen-track-status.js';
import type { ParsedWebhook, SourceUpdate, WebhookRequest, WebhookSource } from './source.js';
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

const NAME = '17track';
export const SEVENTEEN_TRACK_SIGN_HEADER = 'sign';
const TRACKING_EVENTS: ReadonlySet<string> = new Set(['TRACKING_UPDATED', 'TRACKING_STOPPED']);
/** Longer than any carrier's format; refusing more keeps a hostile body from filling the unmatched list. */
const MAX_TRACKING_NUMBER = 64;

export const seventeenTrackSource: WebhookSource = {
  name: NAME,
  secret: (secrets) => secrets.seventeentrackApiKey || undefined,
  verify(request, secrets) {
    const apiKey = secrets.seventeentrackApiKey;
    if (!apiKey) throw new WebhookSecretError('SEVENTEENTRACK_API_KEY is not set, so no 17TRACK push can be authenticated.');
    const values = headerValues(request.headers, SEVENTEEN_TRACK_SIGN_HEADER);
    if (values.length === 0) {
      throw new WebhookSignatureError('missing_header', SEVENTEEN_TRACK_SIGN_HEADER, 'The sign header is missing.');
    }
    const given = values.length === 1 ? (values[0] ?? '').toLowerCase() : '';
    if (!constantTimeEqual(given, signSeventeenTrackWebhook(apiKey, request.rawBody))) {
      throw new WebhookSignatureError(
        'no_matching_signature',
        SEVENTEEN_TRACK_SIGN_HEADER,
        'The sign header does not match the body: check SEVENTEENTRACK_API_KEY, and that no proxy alters the body.',
      );
    }
  },
  parse: parseSeventeenTrackWebhook,
};

/** The `sign` header 17TRACK sends with a body (tests, the local simulator). */
export function signSeventeenTrackWebhook(apiKey: string, rawBody: Buffer): string {
  // The body is hashed as bytes: decoding it first would alter invalid UTF-8 and break the match.
  return createHash('sha256').update(rawBody).update(`/${apiKey}`, 'utf8').digest('hex');
}

function parseSeventeenTrackWebhook(request: WebhookRequest): ParsedWebhook {
  const body = parseJsonObject(request.rawBody);
  const deliveryId = bodyDigest(request.rawBody);
  const event = requiredText(body, 'event', 'event');
  if (!TRACKING_EVENTS.has(event)) {
    return { kind: 'ignored', deliveryId, reason: `17TRACK event "${event.slice(0, 60)}" carries no tracking news.` };
  }
  const data = optionalObject(body, 'data', 'data');
  if (data === undefined) throw new WebhookPayloadError('data must be the tracking object of the push.', 'data');
  return { kind: 'tracking', deliveryId, updates: [readData(event, data)] };
}

function readData(event: string, data: JsonObject): SourceUpdate {
  const trackingNumber = requiredText(data, 'number', 'data.number');
  if (trackingNumber.length > MAX_TRACKING_NUMBER) {
    throw new WebhookPayloadError(`data.number is longer than ${MAX_TRACKING_NUMBER} characters.`, 'data.number');
  }
  const carrier = seventeenTrackCarrier(field(data, 'carrier'));
  const info = optionalObject(data, 'track_info', 'data.track_info');
  if (info === undefined) {
    if (event === 'TRACKING_UPDATED') throw new WebhookPayloadError('data.track_info is required in TRACKING_UPDATED.', 'data.track_info');
    // A stop that carries no status: `unknown` never moves a shipment, but the parcel is matched and recorded.
    return { trackingNumber, ...(carrier === undefined ? {} : { carrier }), status: 'unknown', events: [], rawStatus: event };
  }
  return readTrackInfo(trackingNumber, carrier, info);
}

function readTrackInfo(trackingNumber: string, carrier: string | undefined, info: JsonObject): SourceUpdate {
  const scans = new Map<string, TrackingEvent>();
  const tracking = optionalObject(info, 'tracking', 'data.track_info.tracking');
  const providers = tracking === undefined ? [] : optionalArray(tracking, 'providers', 'data.track_info.tracking.providers');
  providers.forEach((provider, p) => {
    const path = `data.track_info.tracking.providers.${p}`;
    if (!isObject(provider)) throw new WebhookPayloadError(`${path} must be an object.`, path);
    optionalArray(provider, 'events', `${path}.events`).forEach((value, i) => addEvent(scans, value, `${path}.events.${i}`));
  });
  // The latest event is normally also a provider event; the key below keeps one of the two.
  const latestEvent = field(info, 'latest_event');
  if (latestEvent !== undefined && latestEvent !== null) addEvent(scans, latestEvent, 'data.track_info.latest_event');
  const events = [...scans.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));

  const latest = optionalObject(info, 'latest_status', 'data.track_info.latest_status');
  const status = latest && text(latest, 'status');
  const subStatus = latest && text(latest, 'sub_status');
  const mapped =
    status === undefined && subStatus === undefined
      ? (events.at(-1) ?? { status: 'unknown' as const })
      : mapSeventeenTrackStatus(status, subStatus);

  const current: Omit<TrackingEvent, 'time'> = {
    status: mapped.status,
    description: (latest && text(latest, 'sub_status_descr')) ?? `17TRACK: ${subStatus ?? status ?? 'status'}`,
    source: NAME,
  };
  if (mapped.subStatus !== undefined) current.subStatus = mapped.subStatus;
  if (status !== undefined) current.rawStatus = status;
  if (subStatus !== undefined) current.rawSubStatus = subStatus;

  const update: SourceUpdate = { trackingNumber, status: mapped.status, events: withCurrentStatus(events, current) };
  if (carrier !== undefined) update.carrier = carrier;
  if (mapped.subStatus !== undefined) update.subStatus = mapped.subStatus;
  const eta = estimatedDelivery(info);
  if (eta !== undefined) update.estimatedDelivery = eta;
  if (status !== undefined || subStatus !== undefined) update.rawStatus = [status, subStatus].filter(Boolean).join('/');
  const proof = mapped.status === 'delivered' ? deliveryProofOf(update.events) : undefined;
  if (proof !== undefined) update.proof = proof;
  return update;
}

/** Reads one tracking event into `into`, keyed so that the same scan listed twice is kept once. */
function addEvent(into: Map<string, TrackingEvent>, value: unknown, path: string): void {
  if (!isObject(value)) throw new WebhookPayloadError(`${path} must be an object.`, path);
  // time_utc and time_iso name the same instant; time_raw alone (a carrier's unparsed text) cannot be placed.
  const timeField = ['time_utc', 'time_iso'].find((key) => {
    const candidate = field(value, key);
    return candidate !== undefined && candidate !== null && candidate !== '';
  });
  if (timeField === undefined) return;
  const stage = text(value, 'stage');
  const sub = text(value, 'sub_status');
  const mapped = mapSeventeenTrackEvent(stage, sub);
  const translation = optionalObject(value, 'description_translation', `${path}.description_translation`);
  const event: TrackingEvent = {
    time: eventTime(field(value, timeField), `${path}.${timeField}`),
    status: mapped.status,
    description: text(value, 'description') ?? (translation && text(translation, 'description')) ?? `17TRACK: ${sub ?? stage ?? 'scan'}`,
    source: NAME,
  };
  if (mapped.subStatus !== undefined) event.subStatus = mapped.subStatus;
  const location = text(value, 'location') ?? addressText(optionalObject(value, 'address', `${path}.address`));
  if (location !== undefined) event.location = location;
  if (stage !== undefined) event.rawStatus = stage;
  if (sub !== undefined) event.rawSubStatus = sub;
  into.set([event.time, event.status, event.location, event.description].join('\u0000'), event);
}

function addressText(address: JsonObject | undefined): string | undefined {
  if (address === undefined) return undefined;
  return joinLocation(['street', 'city', 'state', 'postal_code', 'country'].map((key) => text(address, key)));
}

/** The end of 17TRACK's delivery window: an estimate is only missed once its last day is over. */
function estimatedDelivery(info: JsonObject): string | undefined {
  const metrics = optionalObject(info, 'time_metrics', 'data.track_info.time_metrics');
  const window = metrics && optionalObject(metrics, 'estimated_delivery_date', 'data.track_info.time_metrics.estimated_delivery_date');
  return window && (etaValue(field(window, 'to')) ?? etaValue(field(window, 'from')));
}

