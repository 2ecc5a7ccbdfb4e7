/**
 * Renders a story as FedEx Track API v1 answers "Track by Tracking Number" (`output.completeTrackResults`,
 * scan events newest first, ISO times with offsets), and FedEx's error bodies.
 */
import { randomUUID } from 'node:crypto';
import { etaDate, type RevealedStep, type StepKind } from './stories.js';

const KINDS: Record<StepKind, { code: string; derived: string; description: string; exception?: [string, string] }> = {
  label: { code: 'OC', derived: 'IN', description: 'Shipment information sent to FedEx' },
  picked_up: { code: 'PU', derived: 'PU', description: 'Picked up' },
  arrived: { code: 'AR', derived: 'IT', description: 'Arrived at FedEx location' },
  departed: { code: 'DP', derived: 'IT', description: 'Left FedEx origin facility' },
  out_for_delivery: { code: 'OD', derived: 'OD', description: 'On FedEx vehicle for delivery' },
  delivered: { code: 'DL', derived: 'DL', description: 'Delivered' },
  attempted: { code: 'DE', derived: 'DE', description: 'Delivery exception', exception: ['08', 'Customer not available or business closed'] },
  address_issue: { code: 'DE', derived: 'DE', description: 'Delivery exception', exception: ['03', 'Incorrect address - Apartment number or suite missing'] },
  weather_delay: { code: 'SE', derived: 'DY', description: 'Shipment exception', exception: ['A12', 'Delay due to weather or natural disaster'] },
  ready_for_pickup: { code: 'HP', derived: 'HP', description: 'Ready for recipient pickup' },
  returning: { code: 'RS', derived: 'RS', description: 'Return to shipper' },
};

/** `2026-11-18T07:59:00-05:00`: FedEx writes local time with its offset. */
function local(at: Date): string {
  return `${new Date(at.getTime() - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;
}

function location(step: RevealedStep) {
  return { city: step.place.city.toUpperCase(), stateOrProvinceCode: step.place.state, postalCode: step.place.postalCode, countryCode: step.place.country, residential: false };
}

export function renderFedex(trackingNumber: string, steps: readonly RevealedStep[], startedAt: Date): unknown {
  const last = steps.at(-1);
  const kind = last === undefined ? undefined : KINDS[last.kind];
  const eta = [...steps].reverse().find((s) => s.etaDays !== undefined)?.etaDays;
  const delivered = last?.kind === 'delivered' ? last : undefined;
  const result = {
    trackingNumberInfo: { trackingNumber, trackingNumberUniqueId: `12029~${trackingNumber}~FDEG`, carrierCode: 'FDXE' },
    ...(kind === undefined || last === undefined
      ? {}
      : {
          latestStatusDetail: {
            code: kind.code,
            derivedCode: kind.derived,
            statusByLocale: kind.description,
            description: kind.description,
            scanLocation: location(last),
            ...(kind.exception ? { ancillaryDetails: [{ reason: kind.exception[0], reasonDescription: kind.exception[1] }] } : {}),
            ...(last.kind === 'weather_delay' ? { delayDetail: { status: 'DELAYED', type: 'WEATHER' } } : {}),
          },
        }),
    dateAndTimes: [
      ...(eta === undefined || delivered ? [] : [{ type: 'ESTIMATED_DELIVERY', dateTime: `${etaDate(startedAt, eta)}T20:00:00-05:00` }]),
      ...(delivered ? [{ type: 'ACTUAL_DELIVERY', dateTime: local(delivered.at) }] : []),
    ],
    ...(delivered ? { deliveryDetails: { receivedByName: delivered.signedBy ?? '', locationDescription: 'Front desk/Reception', deliveryAttempts: '0' } } : {}),
    scanEvents: [...steps].reverse().map((step) => {
      const k = KINDS[step.kind];
      return {
        date: local(step.at),
        eventType: k.code,
        eventDescription: k.description,
        exceptionCode: k.exception?.[0] ?? '',
        exceptionDescription: k.exception?.[1] ?? '',
        scanLocation: location(step),
        locationType: 'FEDEX_FACILITY',
        derivedStatusCode: k.derived,
        derivedStatus: k.description,
      };
    }),
  };
  return { transactionId: randomUUID(), output: { completeTrackResults: [{ trackingNumber, trackResults: [result] }] } };
}

/** FedEx answers an unknown number with HTTP 200 and an error inside the track result. */
export function renderFedexNotFound(trackingNumber: string): unknown {
  return {
    transactionId: randomUUID(),
    output: {
      completeTrackResults: [
        {
          trackingNumber,
          trackResults: [
            {
              trackingNumberInfo: { trackingNumber, trackingNumberUniqueId: '', carrierCode: '' },
              error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: "The tracking number you entered can't be found right now. Please check the number with the shipper or try again later." },
            },
          ],
        },
      ],
    },
  };
}

export function fedexError(code: string, message: string): unknown {
  return { transactionId: randomUUID(), errors: [{ code, message }] };
}
