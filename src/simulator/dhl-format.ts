/**
 * Renders a story as DHL Shipment Tracking – Unified answers `GET /track/shipments` (a `shipments` list
 * with `status`, `events` newest first, `details.proofOfDelivery`), and its RFC 7807 problem bodies.
 */
import { etaDate, type RevealedStep, type StepKind } from './stories.js';

const KINDS: Record<StepKind, { statusCode: string; status: string; description: string }> = {
  label: { statusCode: 'pre-transit', status: 'SHIPMENT INFORMATION RECEIVED', description: 'The instruction data for this shipment have been provided by the sender to DHL electronically' },
  picked_up: { statusCode: 'transit', status: 'PICKED UP', description: 'The shipment has been picked up' },
  arrived: { statusCode: 'transit', status: 'ARRIVED', description: 'The shipment has arrived at the parcel center' },
  departed: { statusCode: 'transit', status: 'PROCESSED', description: 'The shipment has been processed in the parcel center' },
  out_for_delivery: { statusCode: 'transit', status: 'OUT FOR DELIVERY', description: 'The shipment has been loaded onto the delivery vehicle' },
  delivered: { statusCode: 'delivered', status: 'DELIVERED', description: 'The shipment has been delivered' },
  attempted: { statusCode: 'failure', status: 'DELIVERY ATTEMPTED', description: 'The recipient was not at home; a delivery attempt was made' },
  address_issue: { statusCode: 'failure', status: 'ADDRESS ISSUE', description: 'Incorrect address - the shipment could not be delivered' },
  weather_delay: { statusCode: 'transit', status: 'DELAYED', description: 'Delivery is delayed due to severe weather' },
  ready_for_pickup: { statusCode: 'transit', status: 'READY FOR PICKUP', description: 'The shipment is ready for pick-up at the parcel shop' },
  returning: { statusCode: 'transit', status: 'RETURNING', description: 'The shipment is being returned to the sender' },
};

function place(step: RevealedStep) {
  return { address: { countryCode: step.place.country, postalCode: step.place.postalCode, addressLocality: step.place.city } };
}

export function renderDhl(trackingNumber: string, steps: readonly RevealedStep[], startedAt: Date): unknown {
  const last = steps.at(-1);
  const eta = [...steps].reverse().find((s) => s.etaDays !== undefined)?.etaDays;
  const event = (step: RevealedStep) => ({ timestamp: step.at.toISOString().replace('.000Z', 'Z'), location: place(step), ...KINDS[step.kind] });
  return {
    shipments: [
      {
        id: trackingNumber,
        service: 'express',
        origin: { address: { countryCode: 'US', addressLocality: 'Louisville' } },
        destination: { address: { countryCode: 'US', addressLocality: 'Chicago' } },
        ...(last === undefined ? {} : { status: event(last) }),
        ...(eta === undefined || last?.kind === 'delivered' ? {} : { estimatedTimeOfDelivery: `${etaDate(startedAt, eta)}T18:00:00Z` }),
        details: {
          product: { productName: 'DHL Express Worldwide' },
          ...(last?.kind === 'delivered'
            ? { proofOfDelivery: { timestamp: last.at.toISOString().replace('.000Z', 'Z'), signatureUrl: `https://example.invalid/pod/${trackingNumber}.png`, signed: { name: last.signedBy ?? 'RECIPIENT' } } }
            : {}),
          totalNumberOfPieces: 1,
        },
        events: [...steps].reverse().map(event),
      },
    ],
  };
}

export function dhlProblem(status: number, title: string, detail: string): unknown {
  return { type: 'about:blank', title, status, detail, instance: '/track/shipments' };
}
