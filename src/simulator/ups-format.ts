/**
 * Renders a story as UPS Track API v1 renders a package (`trackResponse.shipment[].package[]`, activities
 * newest first, compact `YYYYMMDD`/`HHMMSS` local times with their GMT twins), and UPS's error bodies.
 */
import { etaDate, type RevealedStep, type StepKind } from './stories.js';

const KINDS: Record<StepKind, { type: string; statusCode: string; code: string; description: string }> = {
  label: { type: 'M', statusCode: '003', code: 'MP', description: 'Shipper created a label, UPS has not received the package yet.' },
  picked_up: { type: 'P', statusCode: '038', code: 'PU', description: 'Pickup Scan' },
  arrived: { type: 'I', statusCode: '005', code: 'AR', description: 'Arrived at Facility' },
  departed: { type: 'I', statusCode: '005', code: 'DP', description: 'Departed from Facility' },
  out_for_delivery: { type: 'I', statusCode: '021', code: 'OT', description: 'Out For Delivery Today' },
  delivered: { type: 'D', statusCode: '011', code: 'KB', description: 'DELIVERED' },
  attempted: { type: 'X', statusCode: '022', code: '48', description: 'The receiver was not available for delivery. We will make a second attempt the next business day.' },
  address_issue: { type: 'X', statusCode: '029', code: '1H', description: 'The address is incomplete. We are attempting to obtain a corrected address.' },
  weather_delay: { type: 'X', statusCode: '032', code: 'WT', description: 'Severe weather conditions have delayed delivery.' },
  ready_for_pickup: { type: 'D', statusCode: '040', code: 'ZP', description: 'Delivered to UPS Access Point\u2122 Awaiting Customer Pickup' },
  returning: { type: 'RS', statusCode: '035', code: 'RS', description: 'Returning to Sender' },
};

/** US Eastern standard time, as a parcel's local clock; the GMT fields carry the exact instant. */
const LOCAL_OFFSET_HOURS = -5;

function compact(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 19).replaceAll(':', '') };
}

export function renderUps(trackingNumber: string, steps: readonly RevealedStep[], startedAt: Date): unknown {
  const activity = [...steps].reverse().map((step) => {
    const kind = KINDS[step.kind];
    const local = compact(new Date(step.at.getTime() + LOCAL_OFFSET_HOURS * 3_600_000));
    const gmt = compact(step.at);
    return {
      location: { address: { city: step.place.city.toUpperCase(), stateProvince: step.place.state, postalCode: step.place.postalCode, country: step.place.country, countryCode: step.place.country } },
      status: { type: kind.type, description: kind.description, code: kind.code, statusCode: kind.statusCode },
      date: local.date,
      time: local.time,
      gmtDate: gmt.date,
      gmtTime: gmt.time,
      gmtOffset: '-05:00',
    };
  });
  const last = steps.at(-1);
  const current = last === undefined ? undefined : KINDS[last.kind];
  const eta = [...steps].reverse().find((s) => s.etaDays !== undefined)?.etaDays;
  return {
    trackResponse: {
      shipment: [
        {
          inquiryNumber: trackingNumber,
          package: [
            {
              trackingNumber,
              ...(eta === undefined || last?.kind === 'delivered' ? {} : { deliveryDate: [{ type: 'SDD', date: etaDate(startedAt, eta).replaceAll('-', '') }] }),
              ...(current === undefined ? {} : { currentStatus: { description: current.description, code: current.code, statusCode: current.statusCode, type: current.type } }),
              ...(last?.kind === 'delivered' ? { deliveryInformation: { location: 'Front Door', receivedBy: last.signedBy ?? '' } } : {}),
              activity,
              packageCount: 1,
            },
          ],
        },
      ],
    },
  };
}

export function upsError(code: string, message: string): unknown {
  return { response: { errors: [{ code, message }] } };
}
