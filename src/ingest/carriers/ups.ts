/**
 * UPS Track API v1 (https://developer.ups.com/api/reference/tracking/api-reference, OpenAPI "Tracking.yaml"
 * in UPS-API/api-documentation). OAuth 2.0 client credentials at `/security/v1/oauth/token` with HTTP Basic
 * (`client_secret_basic`); tracking at `GET /api/track/v1/details/{inquiryNumber}` with the required
 * `transId` (unique per request, at most 32 characters) and `transactionSrc` headers.
 *
 * Each activity carries `status.type` (I in transit, D delivered, X exception, P pickup, M manifest/billing
 * information received, MV voided, RS returned to shipper, O out for delivery, DO/DD freight CFS, W warehouse,
 * NA not available) and a three-digit `status.statusCode` (the "Status Codes" of the Track API appendix,
 * e.g. 021 out for delivery, 022 first attempt made). The code is the more precise of the two and wins.
 */
import { randomUUID } from 'node:crypto';
import { compactDate, compactInstant } from './carrier-time.js';
import { CarrierNotFoundError, CarrierResponseError } from './errors.js';
import { carrierFetch, parseJsonBody, providerMessageOf, throwForStatus } from './http.js';
import { arr, at, joinParts, str } from './json-shape.js';
import { statusFromText } from './keywords.js';
import { OAuthTokenCache, requestToken } from './oauth-token.js';
import { buildSnapshot, type RawCarrierEvent } from './snapshot.js';
import type { AdapterHttpOptions, CarrierAdapter, MappedStatus } from './types.js';
import type { SourceUpdate } from '../source.js';

export interface UpsOptions extends AdapterHttpOptions {
  clientId: string;
  clientSecret: string;
  /** Sent as `transactionSrc`; identifies this application to UPS. @defaultValue `shipment-notifier` */
  transactionSrc?: string;
}

const TYPES: Readonly<Record<string, MappedStatus>> = {
  M: { status: 'label_created' },
  MV: { status: 'cancelled', subStatus: 'label_voided' },
  P: { status: 'in_transit' },
  I: { status: 'in_transit' },
  O: { status: 'out_for_delivery' },
  D: { status: 'delivered' },
  X: { status: 'exception' },
  RS: { status: 'return_to_sender', subStatus: 'returning' },
  // Freight container stations at origin and destination: the goods are still on their way.
  DO: { status: 'in_transit' },
  DD: { status: 'in_transit' },
  W: { status: 'in_transit' },
  NA: { status: 'unknown' },
};

const m = (status: MappedStatus['status'], subStatus?: string): MappedStatus => (subStatus === undefined ? { status } : { status, subStatus });

/** Track API appendix "Status Codes" (statusCode); codes not listed fall back to the type, then the words. */
const CODES: Readonly<Record<string, MappedStatus>> = {
  '003': m('label_created'), '045': m('label_created'), '065': m('label_created'),
  '007': m('cancelled', 'label_voided'),
  '005': m('in_transit'), '010': m('in_transit'), '012': m('in_transit'), '014': m('in_transit'),
  '025': m('in_transit'), '027': m('in_transit'), '028': m('in_transit'), '038': m('in_transit'),
  '039': m('in_transit'), '041': m('in_transit'), '042': m('in_transit'), '044': m('in_transit'),
  '054': m('in_transit'), '056': m('in_transit'), '057': m('in_transit'), '070': m('in_transit'),
  '006': m('out_for_delivery'), '021': m('out_for_delivery'),
  '011': m('delivered'), '026': m('delivered'), '063': m('delivered'),
  '017': m('available_for_pickup'), '018': m('available_for_pickup'), '040': m('available_for_pickup'),
  '022': m('delivery_attempted', 'recipient_unavailable'), '023': m('delivery_attempted', 'recipient_unavailable'),
  '024': m('delivery_attempted', 'recipient_unavailable'), '060': m('delivery_attempted', 'recipient_unavailable'),
  '066': m('delivery_attempted', 'recipient_unavailable'), '061': m('delivery_attempted', 'signature_required'),
  '062': m('delivery_attempted', 'payment_required'), '064': m('delivery_attempted', 'recipient_refused'),
  '013': m('exception', 'other'), '030': m('exception', 'other'), '069': m('exception', 'other'),
  '016': m('exception', 'held_at_location'), '019': m('exception', 'rescheduled'), '020': m('exception', 'rescheduled'),
  '055': m('exception', 'rescheduled'), '029': m('exception', 'address_issue'), '050': m('exception', 'address_issue'),
  '032': m('exception', 'weather_delay'), '051': m('exception', 'weather_delay'), '052': m('exception', 'weather_delay'),
  '053': m('exception', 'weather_delay'), '046': m('exception', 'carrier_delay'), '047': m('exception', 'carrier_delay'),
  '048': m('exception', 'carrier_delay'), '049': m('exception', 'carrier_delay'), '058': m('exception', 'customs_hold'),
  '059': m('failed', 'damaged'), '068': m('failed', 'lost'),
  '033': m('return_to_sender', 'returning'), '035': m('return_to_sender', 'returning'),
  '036': m('return_to_sender', 'returning'), '037': m('return_to_sender', 'returning'),
  '034': m('return_to_sender', 'returned'), '067': m('return_to_sender', 'returned'),
};

/** Maps a UPS status block (`type`, `statusCode`, `description`); `scan` says whether a carrier scan is certain. */
export function mapUpsStatus(type: string | undefined, statusCode: string | undefined, description: string | undefined, scan: boolean): MappedStatus {
  const code = statusCode === undefined ? undefined : statusCode.padStart(3, '0');
  const byCode = code !== undefined && Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  const byType = type !== undefined && Object.hasOwn(TYPES, type.toUpperCase()) ? TYPES[type.toUpperCase()] : undefined;
  // An exception type names no cause; the words usually do ("ADDRESS INFORMATION REQUIRED").
  const refined = byType?.status === 'exception' ? (statusFromText(description) ?? byType) : byType;
  return byCode ?? refined ?? statusFromText(description) ?? { status: scan ? 'in_transit' : 'unknown' };
}

/** Parses a Track API answer (HTTP 200 body) for `trackingNumber`. Pure. */
export function parseUpsTracking(body: unknown, trackingNumber: string): SourceUpdate {
  const shipments = at(body, 'trackResponse', 'shipment');
  if (!Array.isArray(shipments)) {
    throw new CarrierResponseError('UPS answered without trackResponse.shipment.', 'trackResponse.shipment', { carrier: 'ups', httpStatus: 200 });
  }
  const packages = arr(shipments).flatMap((s) => arr(at(s, 'package')));
  const pkg = packages.find((p) => str(at(p, 'trackingNumber'))?.toUpperCase() === trackingNumber.toUpperCase()) ?? packages[0];
  if (pkg === undefined) {
    const warning = arr(shipments).flatMap((s) => arr(at(s, 'warnings')))[0];
    throw new CarrierNotFoundError(trackingNumber, { carrier: 'ups', httpStatus: 200, providerMessage: str(at(warning, 'message')) ?? str(at(warning, 'code')) });
  }

  const events: RawCarrierEvent[] = arr(at(pkg, 'activity')).map((activity) => {
    const type = str(at(activity, 'status', 'type'));
    const statusCode = str(at(activity, 'status', 'statusCode'));
    const description = str(at(activity, 'status', 'description'));
    const gmt = compactInstant(str(at(activity, 'gmtDate')), str(at(activity, 'gmtTime')));
    return {
      ...mapUpsStatus(type, statusCode, description, true),
      time: gmt ?? compactInstant(str(at(activity, 'date')), str(at(activity, 'time')), str(at(activity, 'gmtOffset'))),
      description,
      location: joinParts(...['city', 'stateProvince', 'countryCode'].map((k) => at(activity, 'location', 'address', k))),
      rawStatus: type,
      rawSubStatus: statusCode,
      rawCode: str(at(activity, 'status', 'code')),
    };
  });

  const currentType = str(at(pkg, 'currentStatus', 'type'));
  const currentCode = str(at(pkg, 'currentStatus', 'statusCode'));
  const currentWords = str(at(pkg, 'currentStatus', 'description'));
  const dates = arr(at(pkg, 'deliveryDate'));
  const dateOf = (kind: string) => compactDate(str(at(dates.find((d) => str(at(d, 'type')) === kind), 'date')));
  const delivered = events.filter((e) => e.status === 'delivered' && e.time !== undefined).at(-1);
  return buildSnapshot({
    carrier: 'ups',
    trackingNumber,
    current: currentType === undefined && currentCode === undefined && currentWords === undefined ? undefined : mapUpsStatus(currentType, currentCode, currentWords, false),
    rawStatus: currentWords,
    events,
    // A rescheduled date (RDD) replaces the scheduled one (SDD).
    estimatedDelivery: dateOf('RDD') ?? dateOf('SDD'),
    proof: {
      time: delivered?.time,
      signedBy: str(at(pkg, 'deliveryInformation', 'receivedBy')),
      location: str(at(pkg, 'deliveryInformation', 'location')),
    },
  });
}

export function createUpsAdapter(options: UpsOptions): CarrierAdapter {
  const now = options.now ?? Date.now;
  const tokens = new OAuthTokenCache({
    carrier: 'ups',
    now,
    fetchToken: () =>
      requestToken('ups', {
        method: 'POST',
        url: `${options.baseUrl}/security/v1/oauth/token`,
        headers: {
          authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        timeoutMs: options.timeoutMs,
      }, now),
  });
  return {
    carrier: 'ups',
    async track(trackingNumber) {
      const query = 'locale=en_US&returnSignature=false&returnMilestones=false&returnPOD=false';
      const response = await tokens.withToken(async (token) => {
        const res = await carrierFetch('ups', {
          method: 'GET',
          url: `${options.baseUrl}/api/track/v1/details/${encodeURIComponent(trackingNumber)}?${query}`,
          headers: {
            authorization: `Bearer ${token}`,
            transId: randomUUID().replaceAll('-', ''),
            transactionSrc: options.transactionSrc ?? 'shipment-notifier',
          },
          timeoutMs: options.timeoutMs,
        });
        throwForStatus('ups', res, now());
        return res;
      });
      if (response.status === 404) {
        throw new CarrierNotFoundError(trackingNumber, { carrier: 'ups', httpStatus: 404, providerMessage: providerMessageOf(response.text) });
      }
      return parseUpsTracking(parseJsonBody('ups', response), trackingNumber);
    },
  };
}
