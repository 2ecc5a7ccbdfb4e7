/**
 * USPS Tracking API v3 (https://developers.usps.com/trackingv3). OAuth 2.0 client credentials at
 * `POST /oauth2/v3/token` (JSON body: grant_type, client_id, client_secret); tracking at
 * `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`.
 *
 * The answer names a `statusCategory` (Pre-Shipment, Accepted, In Transit, Out for Delivery, Delivered,
 * Alert, Available for Pickup, Delivery Attempt, Return to Sender) and lists `trackingEvents`, each with
 * `eventType` (words), `eventCode` (the two-character USPS event code: 01 delivered, 02 notice left,
 * 05 undeliverable as addressed, 09 return to sender, OF out for delivery, GX label created, …) and
 * `eventTimestamp` in local time with `GMTTimestamp`/`GMTOffset` beside it.
 */
import { isoDateOrInstant, isoInstant } from './carrier-time.js';
import { CarrierNotFoundError, CarrierResponseError } from './errors.js';
import { carrierFetch, parseJsonBody, providerMessageOf, throwForStatus } from './http.js';
import { arr, at, joinParts, obj, str } from './json-shape.js';
import { statusFromText } from './keywords.js';
import { OAuthTokenCache, requestToken } from './oauth-token.js';
import { buildSnapshot, type RawCarrierEvent } from './snapshot.js';
import type { AdapterHttpOptions, CarrierAdapter, MappedStatus } from './types.js';
import type { SourceUpdate } from '../source.js';

export interface UspsOptions extends AdapterHttpOptions {
  clientId: string;
  clientSecret: string;
}

const m = (status: MappedStatus['status'], subStatus?: string): MappedStatus => (subStatus === undefined ? { status } : { status, subStatus });
const each = (codes: string[], mapped: MappedStatus) => codes.map((code) => [code, mapped] as const);

/** USPS event codes; codes not listed are read from their words. */
const EVENT_CODES: Readonly<Record<string, MappedStatus>> = Object.fromEntries([
  ...each(['GX', 'MA', 'TM'], m('label_created')),
  ...each(['03', 'OA', '06', '07', '10', '80', '81', '82', '83'], m('in_transit')),
  ...each(['OF'], m('out_for_delivery')),
  ...each(['01', '17', '43'], m('delivered')),
  ...each(['14', '16'], m('available_for_pickup')),
  ...each(['02', '51', '52', '53', '54', '55', '56'], m('delivery_attempted', 'recipient_unavailable')),
  ...each(['04'], m('delivery_attempted', 'recipient_refused')),
  ...each(['05', '21', '22', '23', '25', '26'], m('exception', 'address_issue')),
  ...each(['08', '15'], m('exception', 'carrier_delay')),
  ...each(['09', '24', '27', '28', '29', '44'], m('return_to_sender', 'returning')),
  ...each(['11'], m('failed', 'lost')),
]);

const CATEGORIES: Readonly<Record<string, MappedStatus>> = {
  preshipment: m('label_created'),
  accepted: m('in_transit'),
  intransit: m('in_transit'),
  outfordelivery: m('out_for_delivery'),
  delivered: m('delivered'),
  availableforpickup: m('available_for_pickup'),
  deliveryattempt: m('delivery_attempted', 'recipient_unavailable'),
  alert: m('exception', 'other'),
  returntosender: m('return_to_sender', 'returning'),
  returnedtosender: m('return_to_sender', 'returned'),
};

const PROBLEMS = new Set(['exception', 'delivery_attempted', 'failed', 'return_to_sender', 'available_for_pickup', 'cancelled']);

export function mapUspsEvent(eventCode: string | undefined, eventType: string | undefined): MappedStatus {
  const code = eventCode?.toUpperCase();
  if (code !== undefined && Object.hasOwn(EVENT_CODES, code)) return EVENT_CODES[code]!;
  return statusFromText(eventType) ?? m('in_transit');
}

/** The current status: the category, refined by the status words when the category is a bare "Alert". */
export function mapUspsCategory(category: string | undefined, statusWords: string | undefined): MappedStatus | undefined {
  const key = category?.toLowerCase().replace(/[^a-z]/g, '');
  const byCategory = key !== undefined && Object.hasOwn(CATEGORIES, key) ? CATEGORIES[key] : undefined;
  const byWords = statusFromText(statusWords);
  if (byCategory?.status === 'exception' || byCategory?.status === 'delivery_attempted') {
    return byWords !== undefined && PROBLEMS.has(byWords.status) ? byWords : byCategory;
  }
  return byCategory ?? byWords;
}

/** USPS writes an expected day as midnight; a bare date says that without inventing a time. */
function etaOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const midnight = /^(\d{4}-\d{2}-\d{2})(T00:00(:00(\.0+)?)?Z?)?$/.exec(value);
  return midnight?.[1] !== undefined ? isoDateOrInstant(midnight[1]) : isoDateOrInstant(value);
}

/** Parses a tracking answer (HTTP 200 body) for `trackingNumber`. Pure. */
export function parseUspsTracking(body: unknown, trackingNumber: string): SourceUpdate {
  if (obj(body) === undefined) {
    throw new CarrierResponseError('USPS answered with something other than a tracking object.', '$', { carrier: 'usps', httpStatus: 200 });
  }
  const category = str(at(body, 'statusCategory'));
  const rawEvents = at(body, 'trackingEvents');
  if (category === undefined && !Array.isArray(rawEvents)) {
    throw new CarrierNotFoundError(trackingNumber, { carrier: 'usps', httpStatus: 200, providerMessage: str(at(body, 'error', 'message')) ?? str(at(body, 'statusSummary')) });
  }
  const events: RawCarrierEvent[] = arr(rawEvents).map((event) => {
    const eventCode = str(at(event, 'eventCode'));
    const eventType = str(at(event, 'eventType'));
    return {
      ...mapUspsEvent(eventCode, eventType),
      time: isoInstant(str(at(event, 'GMTTimestamp'))) ?? isoInstant(str(at(event, 'eventTimestamp')), str(at(event, 'GMTOffset'))),
      description: eventType,
      location: joinParts(at(event, 'eventCity'), at(event, 'eventState'), at(event, 'eventZIP') ?? at(event, 'eventZIPCode'), at(event, 'eventCountry')),
      rawStatus: eventType,
      rawCode: eventCode,
    };
  });
  const statusWords = str(at(body, 'status'));
  const delivered = arr(rawEvents).find((e) => mapUspsEvent(str(at(e, 'eventCode')), str(at(e, 'eventType'))).status === 'delivered');
  const deliveredAt = events.filter((e) => e.status === 'delivered' && e.time !== undefined).at(-1);
  const eta = ['predictedDeliveryTimeStamp', 'expectedDeliveryTimeStamp', 'predictedDeliveryDate', 'expectedDeliveryDate']
    .map((key) => etaOf(str(at(body, key))))
    .find((value) => value !== undefined);
  return buildSnapshot({
    carrier: 'usps',
    trackingNumber,
    current: mapUspsCategory(category, statusWords),
    rawStatus: category === undefined ? statusWords : `${category}: ${statusWords ?? ''}`.replace(/: $/, ''),
    events,
    estimatedDelivery: eta,
    proof: {
      time: deliveredAt?.time,
      signedBy: str(at(delivered, 'name')),
      location: deliveredAt?.location,
    },
  });
}

export function createUspsAdapter(options: UspsOptions): CarrierAdapter {
  const now = options.now ?? Date.now;
  const tokens = new OAuthTokenCache({
    carrier: 'usps',
    now,
    fetchToken: () =>
      requestToken('usps', {
        method: 'POST',
        url: `${options.baseUrl}/oauth2/v3/token`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret }),
        timeoutMs: options.timeoutMs,
      }, now),
  });
  return {
    carrier: 'usps',
    async track(trackingNumber) {
      const response = await tokens.withToken(async (token) => {
        const res = await carrierFetch('usps', {
          method: 'GET',
          url: `${options.baseUrl}/tracking/v3/tracking/${encodeURIComponent(trackingNumber)}?expand=DETAIL`,
          headers: { authorization: `Bearer ${token}` },
          timeoutMs: options.timeoutMs,
        });
        throwForStatus('usps', res, now());
        return res;
      });
      if (response.status === 404) {
        throw new CarrierNotFoundError(trackingNumber, { carrier: 'usps', httpStatus: 404, providerMessage: providerMessageOf(response.text) });
      }
      return parseUspsTracking(parseJsonBody('usps', response), trackingNumber);
    },
  };
}
