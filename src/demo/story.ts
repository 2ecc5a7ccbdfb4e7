import { DateTime } from 'luxon';
import type { ShipmentStatus } from '../domain/status.js';

export interface StoryEvent {
  time: string;
  status: ShipmentStatus;
  subStatus?: string;
  description: string;
  location?: string;
}

export interface StoryStep {
  /** What the demo prints while the step runs. */
  title: string;
  /** When the update reaches us on the story's clock. */
  at: Date;
  update: {
    status: ShipmentStatus;
    subStatus?: string;
    estimatedDelivery?: string;
    events: StoryEvent[];
    proof?: { time?: string; signedBy?: string; photoUrl?: string; location?: string };
  };
}

export interface Story {
  /** When the order is placed and the label created. */
  start: Date;
  steps: StoryStep[];
}

/**
 * A realistic parcel over the last four days, in the buyer's local time, told as a carrier reports
 * it: every update carries the events so far (carriers resend the whole history) and the ETA as it
 * stands; the last one carries proof of delivery. The demo replays it on a clock of its own.
 */
export function deliveryStory(now: Date, zone: string): Story {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const at = (day: number, hour: number, minute = 0) => today.plus({ days: day }).set({ hour, minute });
  const iso = (t: DateTime) => t.toUTC().toISO()!;
  const date = (t: DateTime) => t.toISODate()!;
  const scans: StoryEvent[] = [
    { time: iso(at(-4, 17)), status: 'in_transit', description: 'Picked up by carrier', location: 'Louisville, KY, US' },
    { time: iso(at(-3, 11)), status: 'in_transit', description: 'Departed facility', location: 'Louisville, KY, US' },
    { time: iso(at(-2, 10)), status: 'in_transit', description: 'Arrived at facility; weather delay on the route', location: 'Columbus, OH, US' },
    { time: iso(at(-1, 14)), status: 'exception', subStatus: 'address_issue', description: 'The street number is missing from the address; the carrier is contacting the receiver', location: 'Brooklyn, NY, US' },
    { time: iso(at(0, 8, 30)), status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY, US' },
    { time: iso(at(0, 11, 40)), status: 'delivered', description: 'Delivered, front door', location: 'Brooklyn, NY, US' },
  ];
  const firstEta = date(at(-1, 0));
  const slippedEta = date(at(1, 0));
  const step = (title: string, scansSoFar: number, extra: Partial<StoryStep['update']> = {}): StoryStep => {
    const events = scans.slice(0, scansSoFar);
    const last = events[events.length - 1]!;
    return { title, at: new Date(Date.parse(last.time) + 5 * 60_000), update: { status: last.status, ...(last.subStatus ? { subStatus: last.subStatus } : {}), events, ...extra } };
  };
  return {
    start: at(-4, 9).toJSDate(),
    steps: [
      step('First carrier scan', 1, { estimatedDelivery: firstEta }),
      step('Moving through the network', 2, { estimatedDelivery: firstEta }),
      step('ETA slips two days (weather)', 3, { estimatedDelivery: slippedEta }),
      step('Address exception', 4, { estimatedDelivery: slippedEta }),
      step('Out for delivery', 5, { estimatedDelivery: date(at(0, 0)) }),
      step('Delivered, with proof', 6, {
        proof: { time: scans[5]!.time, signedBy: 'M. GARCIA', photoUrl: 'https://proof.example.com/pod/1Z5R89390357567127.jpg', location: 'Front door' },
      }),
    ],
  };
}
