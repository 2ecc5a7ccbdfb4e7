/**
 * DHL Shipment Tracking – Unified (https://developer.dhl.com/api-reference/shipment-tracking): one API for
 * every DHL division. `GET /track/shipments?trackingNumber=…` with the `DHL-API-Key` header; errors are RFC
 * 7807 problem details (`{status, title, detail}`), 404 when no shipment matches.
 *
 * Every status carries a coarse `statusCode` (pre-transit, transit, delivered, failure, unknown) and the
 * division's own words in `status`/`description`/`remark`, which name the detail ("delivery attempt",
 * "held by customs", "returned to sender"). The code sets the family; the words refine it within bounds a
 * code cannot be argued out of (a "transit" is never read as delivered).
 */
import { isoDateOrInstant, isoInstant } from './carrier-time.js';
import { CarrierAuthError, CarrierNotFoundError, CarrierResponseError, CarrierUnauthorizedError } from './errors.js';
import { carrierFetch, parseJsonBody, providerMessageOf, throwForStatus } from './http.js';
import { arr, at, httpUrl, joinParts, str } from './json-shape.js';
import { statusFromText } from './keywords.js';
import { buildSnapshot, type RawCarrierEvent } from './snapshot.js';
import type { AdapterHttpOptions, CarrierAdapter, MappedStatus } from './types.js';
import type { ShipmentStatus } from '../../domain/status.js';
import type { SourceUpdate } from '../source.js';

export interface DhlOptions extends AdapterHttpOptions {
  apiKey: string;
}

interface Family {
  base: MappedStatus;
  /** Statuses the words may refine the code into. */
  refinable: ReadonlySet<ShipmentStatus>;
}

const FAMILIES: Readonly<Record<string, Family>> = {
  'pre-transit': { base: { status: 'label_created' }, refinable: new Set(['cancelled']) },
  transit: {
    base: { status: 'in_transit' },
    refinable: new Set(['out_for_delivery', 'available_for_pickup', 'exception', 'delivery_attempted', 'return_to_sender']),
  },
  delivered: { base: { status: 'delivered' }, refinable: new Set(['return_to_sender', 'available_for_pickup']) },
  failure: {
    base: { status: 'exception', subStatus: 'other' },
    refinable: new Set(['exception', 'delivery_attempted', 'failed', 'return_to_sender', 'cancelled', 'available_for_pickup']),
  },
};

/** Maps DHL's `statusCode` and words; `unknown` (or a new code) is read from the words alone. */
export function mapDhlStatus(statusCode: string | undefined, ...words: (string | undefined)[]): MappedStatus {
  const family = statusCode !== undefined && Object.hasOwn(FAMILIES, statusCode.toLowerCase()) ? FAMILIES[statusCode.toLowerCase()] : undefined;
  const byWords = statusFromText(...words);
  if (family === undefined) return byWords ?? { status: 'unknown' };
  if (byWords === undefined || !family.refinable.has(byWords.status)) return family.base;
  // A delivery back to the sender is the end of a return.
  if (family.base.status === 'delivered' && byWords.status === 'return_to_sender') return { status: 'return_to_sender', subStatus: 'returned' };
  return byWords;
}

function personName(...parts: unknown[]): string | undefined {
  const kept = parts.map(str).filter((part): part is string => part !== undefined);
  return kept.length === 0 ? undefined : kept.join(' ');
}

function place(status: unknown): string | undefined {
  const address = at(status, 'location', 'address');
  return joinParts(at(address, 'addressLocality'), at(address, 'postalCode'), at(address, 'countryCode'));
}

/** Parses a `/track/shipments` answer (HTTP 200 body) for `trackingNumber`. Pure. */
export function parseDhlTracking(body: unknown, trackingNumber: string): SourceUpdate {
  const shipments = at(body, 'shipments');
  if (!Array.isArray(shipments)) {
    throw new CarrierResponseError('DHL answered without a shipments list.', 'shipments', { carrier: 'dhl', httpStatus: 200 });
  }
  const list = arr(shipments);
  const shipment = list.find((s) => str(at(s, 'id'))?.toUpperCase() === trackingNumber.toUpperCase()) ?? list[0];
  if (shipment === undefined) throw new CarrierNotFoundError(trackingNumber, { carrier: 'dhl', httpStatus: 200 });

  const events: RawCarrierEvent[] = arr(at(shipment, 'events')).map((event) => {
    const statusCode = str(at(event, 'statusCode'));
    const words = str(at(event, 'status'));
    const description = str(at(event, 'description'));
    return {
      ...mapDhlStatus(statusCode, words, description, str(at(event, 'remark'))),
      time: isoInstant(str(at(event, 'timestamp'))),
      description: description ?? words,
      location: place(event),
      rawStatus: statusCode,
      rawSubStatus: words,
    };
  });
  const current = at(shipment, 'status');
  const code = str(at(current, 'statusCode'));
  const words = str(at(current, 'status'));
  const pod = at(shipment, 'details', 'proofOfDelivery');
  const signed = at(pod, 'signed');
  const eta = str(at(shipment, 'estimatedTimeOfDelivery')) ?? str(at(shipment, 'estimatedDeliveryTimeFrame', 'estimatedThrough'));
  return buildSnapshot({
    carrier: 'dhl',
    trackingNumber,
    current: code === undefined && words === undefined ? undefined : mapDhlStatus(code, words, str(at(current, 'description')), str(at(current, 'remark'))),
    rawStatus: words ?? code,
    events,
    estimatedDelivery: isoDateOrInstant(eta) === undefined ? undefined : eta,
    proof: {
      time: isoInstant(str(at(pod, 'timestamp'))),
      signedBy: str(at(signed, 'name')) ?? personName(at(signed, 'givenName'), at(signed, 'familyName')),
      photoUrl: httpUrl(at(pod, 'documentUrl')) ?? httpUrl(at(pod, 'signatureUrl')),
      location: place(current),
    },
  });
}

export function createDhlAdapter(options: DhlOptions): CarrierAdapter {
  const now = options.now ?? Date.now;
  return {
    carrier: 'dhl',
    async track(trackingNumber) {
      const response = await carrierFetch('dhl', {
        method: 'GET',
        url: `${options.baseUrl}/track/shipments?trackingNumber=${encodeURIComponent(trackingNumber)}`,
        headers: { 'DHL-API-Key': options.apiKey },
        timeoutMs: options.timeoutMs,
      });
      try {
        throwForStatus('dhl', response, now());
      } catch (err) {
        // An API key has no refresh: a 401 means the key itself is wrong or not subscribed to the API.
        if (err instanceof CarrierUnauthorizedError) {
          throw new CarrierAuthError('DHL refused the API key (HTTP 401); check DHL_API_KEY and its subscription to Shipment Tracking – Unified.', {
            carrier: 'dhl',
            httpStatus: 401,
            providerMessage: err.providerMessage,
          });
        }
        throw err;
      }
      if (response.status === 404) {
        throw new CarrierNotFoundError(trackingNumber, { carrier: 'dhl', httpStatus: 404, providerMessage: providerMessageOf(response.text) });
      }
      return parseDhlTracking(parseJsonBody('dhl', response), trackingNumber);
    },
  };
}
