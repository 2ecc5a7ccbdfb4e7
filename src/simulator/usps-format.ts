/**
 * Renders a story as USPS Tracking v3 answers `GET /tracking/v3/tracking/{number}?expand=DETAIL`
 * (statusCategory, status words, trackingEvents newest first with local and GMT stamps), and USPS's errors.
 */
import { etaDate, type RevealedStep, type StepKind } from './stories.js';

const KINDS: Record<StepKind, { eventCode: string; eventType: string; category: string }> = {
  label: { eventCode: 'GX', eventType: 'Shipping Label Created, USPS Awaiting Item', category: 'Pre-Shipment' },
  picked_up: { eventCode: '03', eventType: 'USPS picked up item', category: 'Accepted' },
  arrived: { eventCode: '10', eventType: 'Arrived at USPS Regional Facility', category: 'In Transit' },
  departed: { eventCode: '10', eventType: 'Departed USPS Regional Facility', category: 'In Transit' },
  out_for_delivery: { eventCode: 'OF', eventType: 'Out for Delivery', category: 'Out for Delivery' },
  delivered: { eventCode: '01', eventType: 'Delivered, In/At Mailbox', category: 'Delivered' },
  attempted: { eventCode: '02', eventType: 'Notice Left (No Authorized Recipient Available)', category: 'Delivery Attempt' },
  address_issue: { eventCode: '05', eventType: 'Undeliverable as Addressed', category: 'Alert' },
  // No code: the words alone must carry it (an event code we have no entry for reads the same way).
  weather_delay: { eventCode: '', eventType: 'Delivery Delayed Due to Severe Weather', category: 'Alert' },
  ready_for_pickup: { eventCode: '14', eventType: 'Available for Pickup', category: 'Available for Pickup' },
  returning: { eventCode: '09', eventType: 'Return to Sender Processed', category: 'Alert' },
};

/** Local time without offset, as USPS writes `eventTimestamp`; `GMTTimestamp` carries the instant. */
function local(at: Date): string {
  return new Date(at.getTime() - 5 * 3_600_000).toISOString().slice(0, 19);
}

export function renderUsps(trackingNumber: string, steps: readonly RevealedStep[], startedAt: Date): unknown {
  const last = steps.at(-1);
  const eta = [...steps].reverse().find((s) => s.etaDays !== undefined)?.etaDays;
  return {
    trackingNumber,
    mailClass: 'Priority Mail',
    destinationCity: 'CHICAGO',
    destinationState: 'IL',
    destinationZIP: '60607',
    ...(eta === undefined || last?.kind === 'delivered' ? {} : { expectedDeliveryTimeStamp: `${etaDate(startedAt, eta)}T00:00:00Z` }),
    status: last === undefined ? 'Label Created, not yet in system' : KINDS[last.kind].eventType,
    statusCategory: last === undefined ? 'Pre-Shipment' : KINDS[last.kind].category,
    statusSummary: last === undefined ? '' : `Your item status: ${KINDS[last.kind].eventType}.`,
    trackingEvents: [...steps].reverse().map((step) => ({
      eventType: KINDS[step.kind].eventType,
      eventTimestamp: local(step.at),
      GMTTimestamp: step.at.toISOString().replace('.000Z', 'Z'),
      GMTOffset: '-05:00',
      eventCountry: step.place.country === 'US' ? '' : step.place.country,
      eventCity: step.place.city.toUpperCase(),
      eventState: step.place.state ?? '',
      eventZIP: step.place.postalCode,
      firm: '',
      name: step.kind === 'delivered' ? (step.signedBy ?? '') : '',
      authorizedAgent: false,
      eventCode: KINDS[step.kind].eventCode,
    })),
  };
}

export function uspsError(status: number, message: string): unknown {
  return { apiVersion: '/tracking/v3', error: { code: String(status), message, errors: [{ status: String(status), code: String(status), title: message, detail: message }] } };
}
