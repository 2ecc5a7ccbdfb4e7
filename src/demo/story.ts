import type { ShipmentStatus } from '../domain/status.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface StoryStep {
  /** What the demo prints while the step runs. */
  title: string;
  update: {
    status: ShipmentStatus;
    subStatus?: string;
    estimatedDelivery?: string;
    events: { time: string; status: ShipmentStatus; subStatus?: string; description: string; location?: string }[];
    proof?: { time?: string; signedBy?: string; photoUrl?: string; location?: string };
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

/**
 * A realistic parcel, told as a carrier would report it: each update carries the events so far
 * (carriers resend the whole history), the ETA as it stands, and proof at the end.
 * The story happened over the last four days, so every scan is in the past.
 */
export function deliveryStory(now: Date): StoryStep[] {
  const t0 = now.getTime() - 4 * DAY;
  const firstEta = day(now.getTime() + DAY);
  const slippedEta = day(now.getTime() + 3 * DAY);
  const scans = [
    { time: iso(t0 + 8 * HOUR), status: 'in_transit' as const, description: 'Picked up by carrier', location: 'Louisville, KY, US' },
    { time: iso(t0 + 20 * HOUR), status: 'in_transit' as const, description: 'Departed facility', location: 'Louisville, KY, US' },
    { time: iso(t0 + 30 * HOUR), status: 'in_transit' as const, subStatus: 'weather_delay', description: 'Arrived at facility; weather delay on the route', location: 'Columbus, OH, US' },
    { time: iso(t0 + 50 * HOUR), status: 'exception' as const, subStatus: 'address_issue', description: 'The street number is missing from the address; the carrier is contacting the receiver', location: 'Brooklyn, NY, US' },
    { time: iso(now.getTime() - 3 * HOUR), status: 'out_for_delivery' as const, description: 'Out for delivery', location: 'Brooklyn, NY, US' },
    { time: iso(now.getTime() - 1 * HOUR), status: 'delivered' as const, description: 'Delivered, front door', location: 'Brooklyn, NY, US' },
  ];
  const upTo = (n: number) => scans.slice(0, n).map(({ subStatus, ...e }) => (subStatus && e.status !== 'in_transit' ? { ...e, subStatus } : e));
  return [
    { title: 'First carrier scan', update: { status: 'in_transit', estimatedDelivery: firstEta, events: upTo(1) } },
    { title: 'Moving through the network', update: { status: 'in_transit', estimatedDelivery: firstEta, events: upTo(2) } },
    { title: 'ETA slips two days (weather)', update: { status: 'in_transit', estimatedDelivery: slippedEta, events: upTo(3) } },
    { title: 'Address exception', update: { status: 'exception', subStatus: 'address_issue', estimatedDelivery: slippedEta, events: upTo(4) } },
    { title: 'Out for delivery', update: { status: 'out_for_delivery', estimatedDelivery: day(now.getTime()), events: upTo(5) } },
    {
      title: 'Delivered, with proof',
      update: {
        status: 'delivered',
        events: upTo(6),
        proof: { time: iso(now.getTime() - HOUR), signedBy: 'M. GARCIA', photoUrl: 'https://proof.example.com/pod/1Z5R89390357567127.jpg', location: 'Front door' },
      },
    },
  ];
}
