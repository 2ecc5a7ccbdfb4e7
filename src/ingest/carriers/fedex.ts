/**
 * FedEx Track API v1 (https://developer.fedex.com/api/en-us/catalog/track/v1/docs.html). OAuth 2.0 client
 * credentials at `POST /oauth/token` (form: grant_type, client_id = API key, client_secret = secret key);
 * tracking at `POST /track/v1/trackingnumbers` with `includeDetailedScans`.
 *
 * Statuses are two-letter codes: `latestStatusDetail.code`/`derivedCode` for the current status and
 * `scanEvents[].eventType`/`derivedStatusCode` per scan (OC label created, PU picked up, IT in transit,
 * OD out for delivery, DL delivered, DE delivery exception, SE shipment exception, HP ready for pickup,
 * RS return to shipper, CA cancelled, …). The derived code is FedEx's own normalization and wins. A number
 * FedEx does not know comes back as HTTP 200 with `trackResults[].error.code` TRACKING.TRACKINGNUMBER.NOTFOUND.
 */
import { isoDateOrInstant, isoInstant } from './carrier-time.js';
import { CarrierNotFoundError, CarrierRequestError, CarrierResponseError } from './errors.js';
import { carrierFetch, parseJsonBody, providerMessageOf, throwForStatus } from './http.js';
import { arr, at, joinParts, str } from './json-shape.js';
import { statusFromText } from './keywords.js';
import { OAuthTokenCache, requestToken } from './oauth-token.js';
import { buildSnapshot, type RawCarrierEvent } from './snapshot.js';
import type { AdapterHttpOptions, CarrierAdapter, MappedStatus } from './types.js';
import type { SourceUpdate } from '../source.js';

export interface FedexOptions extends AdapterHttpOptions {
  /** The project's API key (OAuth client_id). */
  apiKey: string;
  /** The project's secret key (OAuth client_secret). */
  secretKey: string;
}

const m = (status: MappedStatus['status'], subStatus?: string): MappedStatus => (subStatus === undefined ? { status } : { status, subStatus });
const IN_TRANSIT = ['PU', 'PX', 'AR', 'AF', 'AA', 'AC', 'AX', 'AO', 'CH', 'DP', 'EA', 'ED', 'EO', 'FD', 'IT', 'IX', 'LO', 'OF', 'OX', 'PF', 'PL', 'PM', 'SF', 'TR', 'CC', 'CP', 'SP', 'IP'];
const NOT_PARCEL_NEWS = ['RR', 'RM', 'RC', 'RP', 'LP', 'RG', 'RD'];

const CODES: Readonly<Record<string, MappedStatus>> = {
  ...Object.fromEntries(IN_TRANSIT.map((code) => [code, m('in_transit')])),
  // Customer delivery-option requests and return-label e-mails say nothing about where the parcel is.
  ...Object.fromEntries(NOT_PARCEL_NEWS.map((code) => [code, m('unknown')])),
  OC: m('label_created'), IN: m('label_created'), DS: m('label_created'), DR: m('label_created'), EP: m('label_created'), AP: m('label_created'),
  OD: m('out_for_delivery'),
  HP: m('available_for_pickup'), HL: m('available_for_pickup'),
  DL: m('delivered'),
  DE: m('delivery_attempted', 'recipient_unavailable'),
  SE: m('exception', 'other'),
  DY: m('exception', 'carrier_delay'), DD: m('exception', 'carrier_delay'), PD: m('exception', 'carrier_delay'),
  CD: m('exception', 'customs_hold'),
  CA: m('cancelled', 'label_voided'),
  RS: m('return_to_sender', 'returning'),
};

/** Statuses a cause in FedEx's words may refine (a DE or SE names its reason in `exceptionDescription`). */
const REFINABLE = new Set(['exception', 'delivery_attempted']);
const PROBLEMS = new Set(['exception', 'delivery_attempted', 'failed', 'return_to_sender', 'available_for_pickup']);

/** Maps FedEx codes; `reason` is the exception or ancillary text that may name the cause. */
export function mapFedexStatus(codes: (string | undefined)[], description: string | undefined, reason: string | undefined, scan: boolean): MappedStatus {
  const code = codes.map((c) => c?.toUpperCase()).find((c) => c !== undefined && Object.hasOwn(CODES, c));
  const byCode = code === undefined ? undefined : CODES[code];
  if (byCode !== undefined && REFINABLE.has(byCode.status)) {
    const cause = statusFromText(reason, description);
    return cause !== undefined && PROBLEMS.has(cause.status) ? cause : byCode;
  }
  return byCode ?? statusFromText(description, reason) ?? { status: scan ? 'in_transit' : 'unknown' };
}

/** FedEx's `delayDetail` (status DELAYED, type WEATHER/CUSTOMS/…) turns plain transit into a delay. */
function withDelay(current: MappedStatus, delay: unknown): MappedStatus {
  if (str(at(delay, 'status'))?.toUpperCase() !== 'DELAYED' || current.status !== 'in_transit') return current;
  const type = str(at(delay, 'type'))?.toUpperCase();
  if (type === 'WEATHER') return m('exception', 'weather_delay');
  if (type === 'CUSTOMS' || type === 'CLEARANCE') return m('exception', 'customs_hold');
  return m('exception', 'carrier_delay');
}

function dateOf(result: unknown, type: string): string | undefined {
  return str(at(arr(at(result, 'dateAndTimes')).find((d) => str(at(d, 'type')) === type), 'dateTime'));
}

/** Parses a Track by Tracking Number answer (HTTP 200 body) for `trackingNumber`. Pure. */
export function parseFedexTracking(body: unknown, trackingNumber: string): SourceUpdate {
  const complete = at(body, 'output', 'completeTrackResults');
  if (!Array.isArray(complete)) {
    throw new CarrierResponseError('FedEx answered without output.completeTrackResults.', 'output.completeTrackResults', { carrier: 'fedex', httpStatus: 200 });
  }
  const results = arr(complete).flatMap((c) => arr(at(c, 'trackResults')));
  const result = results.find((r) => str(at(r, 'trackingNumberInfo', 'trackingNumber')) === trackingNumber) ?? results[0];
  if (result === undefined) throw new CarrierNotFoundError(trackingNumber, { carrier: 'fedex', httpStatus: 200 });
  const errorCode = str(at(result, 'error', 'code'));
  if (errorCode !== undefined) {
    const details = { carrier: 'fedex' as const, httpStatus: 200, providerMessage: str(at(result, 'error', 'message')) ?? errorCode };
    if (errorCode.toUpperCase().endsWith('NOTFOUND')) throw new CarrierNotFoundError(trackingNumber, details);
    throw new CarrierRequestError(`FedEx refused to track ${trackingNumber}: ${errorCode}.`, details);
  }

  const events: RawCarrierEvent[] = arr(at(result, 'scanEvents')).map((scan) => {
    const eventType = str(at(scan, 'eventType'));
    const derived = str(at(scan, 'derivedStatusCode'));
    const description = str(at(scan, 'eventDescription'));
    const exception = str(at(scan, 'exceptionDescription'));
    return {
      ...mapFedexStatus([derived, eventType], description, exception, true),
      time: isoInstant(str(at(scan, 'date'))),
      description: exception === undefined ? description : `${description ?? 'Exception'}: ${exception}`,
      location: joinParts(...['city', 'stateOrProvinceCode', 'countryCode'].map((k) => at(scan, 'scanLocation', k))),
      rawStatus: eventType,
      rawSubStatus: str(at(scan, 'exceptionCode')),
      rawCode: derived,
    };
  });

  const latest = at(result, 'latestStatusDetail');
  const reasons = arr(at(latest, 'ancillaryDetails')).map((a) => str(at(a, 'reasonDescription'))).join(' ');
  const description = str(at(latest, 'description')) ?? str(at(latest, 'statusByLocale'));
  const hasLatest = str(at(latest, 'code')) !== undefined || str(at(latest, 'derivedCode')) !== undefined;
  const current = hasLatest
    ? withDelay(mapFedexStatus([str(at(latest, 'derivedCode')), str(at(latest, 'code'))], description, reasons || undefined, false), at(latest, 'delayDetail'))
    : undefined;
  const eta = dateOf(result, 'ESTIMATED_DELIVERY') ?? str(at(result, 'estimatedDeliveryTimeWindow', 'window', 'ends'));
  return buildSnapshot({
    carrier: 'fedex',
    trackingNumber,
    current,
    rawStatus: description,
    events,
    // Kept as FedEx writes it (with its offset) so the ETA's date is the local one.
    estimatedDelivery: isoDateOrInstant(eta) === undefined ? undefined : eta,
    proof: {
      time: isoInstant(dateOf(result, 'ACTUAL_DELIVERY')),
      signedBy: str(at(result, 'deliveryDetails', 'receivedByName')) ?? str(at(result, 'deliveryDetails', 'signedByName')),
      location: str(at(result, 'deliveryDetails', 'locationDescription')),
    },
  });
}

export function createFedexAdapter(options: FedexOptions): CarrierAdapter {
  const now = options.now ?? Date.now;
  const tokens = new OAuthTokenCache({
    carrier: 'fedex',
    now,
    fetchToken: () =>
      requestToken('fedex', {
        method: 'POST',
        url: `${options.baseUrl}/oauth/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: options.apiKey, client_secret: options.secretKey }).toString(),
        timeoutMs: options.timeoutMs,
      }, now),
  });
  return {
    carrier: 'fedex',
    async track(trackingNumber) {
      const response = await tokens.withToken(async (token) => {
        const res = await carrierFetch('fedex', {
          method: 'POST',
          url: `${options.baseUrl}/track/v1/trackingnumbers`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-locale': 'en_US' },
          body: JSON.stringify({ includeDetailedScans: true, trackingInfo: [{ trackingNumberInfo: { trackingNumber } }] }),
          timeoutMs: options.timeoutMs,
        });
        throwForStatus('fedex', res, now());
        return res;
      });
      if (response.status === 404) {
        throw new CarrierNotFoundError(trackingNumber, { carrier: 'fedex', httpStatus: 404, providerMessage: providerMessageOf(response.text) });
      }
      return parseFedexTracking(parseJsonBody('fedex', response), trackingNumber);
    },
  };
}
