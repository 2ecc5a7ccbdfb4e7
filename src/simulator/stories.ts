/**
 * Scripted tracking stories for the carrier simulator. A story is a list of steps in carrier-neutral
 * terms; each carrier's format file renders a step in that carrier's own codes and words. Every tracking
 * request for a number reveals the next step (one per poll), dated at the moment it is revealed, so a
 * story plays out over as many polls as it has steps and then stays at its last step.
 */
import type { CarrierSlug } from '../ingest/carriers/types.js';

export type StepKind =
  | 'label'
  | 'picked_up'
  | 'arrived'
  | 'departed'
  | 'out_for_delivery'
  | 'delivered'
  | 'attempted'
  | 'address_issue'
  | 'weather_delay'
  | 'ready_for_pickup'
  | 'returning';

export interface Place {
  city: string;
  state?: string;
  postalCode: string;
  country: string;
}

export interface StoryStep {
  kind: StepKind;
  place: Place;
  /** The carrier's estimated delivery as of this step, in days after the story began. */
  etaDays?: number;
  /** Who signed, for a delivery. */
  signedBy?: string;
}

export interface Story {
  name: string;
  summary: string;
  steps: readonly StoryStep[];
}

const ORIGIN: Place = { city: 'Louisville', state: 'KY', postalCode: '40213', country: 'US' };
const HUB: Place = { city: 'Indianapolis', state: 'IN', postalCode: '46241', country: 'US' };
const LOCAL: Place = { city: 'Chicago', state: 'IL', postalCode: '60607', country: 'US' };

export const STORIES = {
  happy: {
    name: 'happy',
    summary: 'label → pickup → hub → out for delivery → delivered (signed)',
    steps: [
      { kind: 'label', place: ORIGIN, etaDays: 3 },
      { kind: 'picked_up', place: ORIGIN, etaDays: 3 },
      { kind: 'arrived', place: HUB, etaDays: 3 },
      { kind: 'out_for_delivery', place: LOCAL, etaDays: 3 },
      { kind: 'delivered', place: LOCAL, signedBy: 'R. MORALES' },
    ],
  },
  exception: {
    name: 'exception',
    summary: 'label → pickup → address exception → out for delivery → attempt → delivered',
    steps: [
      { kind: 'label', place: ORIGIN, etaDays: 3 },
      { kind: 'picked_up', place: ORIGIN, etaDays: 3 },
      { kind: 'address_issue', place: LOCAL, etaDays: 4 },
      { kind: 'out_for_delivery', place: LOCAL, etaDays: 4 },
      { kind: 'attempted', place: LOCAL, etaDays: 5 },
      { kind: 'out_for_delivery', place: LOCAL, etaDays: 5 },
      { kind: 'delivered', place: LOCAL, signedBy: 'FRONT DESK' },
    ],
  },
  weather: {
    name: 'weather',
    summary: 'label → pickup → weather delay (ETA two days later) → hub → out for delivery → delivered',
    steps: [
      { kind: 'label', place: ORIGIN, etaDays: 2 },
      { kind: 'picked_up', place: ORIGIN, etaDays: 2 },
      { kind: 'weather_delay', place: HUB, etaDays: 4 },
      { kind: 'departed', place: HUB, etaDays: 4 },
      { kind: 'out_for_delivery', place: LOCAL, etaDays: 4 },
      { kind: 'delivered', place: LOCAL },
    ],
  },
  pickup: {
    name: 'pickup',
    summary: 'label → pickup → hub → held at a pickup point → returning to sender (never collected)',
    steps: [
      { kind: 'label', place: ORIGIN, etaDays: 3 },
      { kind: 'picked_up', place: ORIGIN, etaDays: 3 },
      { kind: 'arrived', place: HUB, etaDays: 3 },
      { kind: 'ready_for_pickup', place: LOCAL },
      { kind: 'returning', place: LOCAL },
    ],
  },
  never_scanned: {
    name: 'never_scanned',
    summary: 'label created, and the parcel is never handed to the carrier',
    steps: [{ kind: 'label', place: ORIGIN, etaDays: 3 }],
  },
} as const satisfies Record<string, Story>;

export type StoryName = keyof typeof STORIES;

/**
 * Tracking numbers the simulator knows (each passes its carrier's check digit). Any other number answers
 * as the carrier answers an unknown one: not found.
 */
export const SIMULATED_NUMBERS: Readonly<Record<CarrierSlug, Readonly<Record<string, StoryName>>>> = {
  ups: {
    '1ZSIM0010300000017': 'happy',
    '1ZSIM0010300000026': 'exception',
    '1ZSIM0010300000035': 'weather',
    '1ZSIM0010300000044': 'pickup',
    '1ZSIM0010300000053': 'never_scanned',
  },
  usps: {
    '9400100000000000012344': 'happy',
    '9400100000000000091530': 'exception',
    '9400100000000000170723': 'weather',
    '9400100000000000249917': 'never_scanned',
  },
  fedex: {
    '700000012345': 'happy',
    '700000091530': 'exception',
    '700000170720': 'pickup',
    '700000249911': 'never_scanned',
  },
  dhl: {
    '1000012344': 'happy',
    '1000091536': 'exception',
    '1000170721': 'weather',
    '1000249913': 'never_scanned',
  },
};

/** A step as revealed to a poll: when it happened. */
export interface RevealedStep extends StoryStep {
  at: Date;
}

/** Where each number's story stands; one per simulator. */
export class StoryProgress {
  private readonly revealed = new Map<string, RevealedStep[]>();
  private readonly started = new Map<string, Date>();

  constructor(
    private readonly now: () => Date,
    private readonly stepsPerPoll = 1,
  ) {}

  /** Reveals the next step(s) of `number`'s story and returns all revealed so far, oldest first. */
  advance(carrier: CarrierSlug, number: string, story: Story): { steps: RevealedStep[]; startedAt: Date } {
    const key = `${carrier}:${number}`;
    const steps = this.revealed.get(key) ?? [];
    const now = this.now();
    const startedAt = this.started.get(key) ?? now;
    this.started.set(key, startedAt);
    for (let i = 0; i < this.stepsPerPoll && steps.length < story.steps.length; i++) {
      // A minute before the poll that reports it, and a minute after the step before: scans a person tells
      // apart are never stamped the same minute (the diff's event identity), however fast a demo polls, at
      // the price of a scan slightly ahead of a clock that polls more than once a minute.
      const previous = steps.at(-1)?.at.getTime() ?? Number.NEGATIVE_INFINITY;
      steps.push({ ...story.steps[steps.length]!, at: new Date(Math.max(now.getTime() - 60_000, previous + 60_000)) });
    }
    this.revealed.set(key, steps);
    return { steps, startedAt };
  }

  /** How many steps of `number` have been revealed. */
  position(carrier: CarrierSlug, number: string): number {
    return this.revealed.get(`${carrier}:${number}`)?.length ?? 0;
  }
}

export function storyFor(carrier: CarrierSlug, number: string, extra: Readonly<Record<string, Story>> = {}): Story | undefined {
  const numbers = SIMULATED_NUMBERS[carrier];
  if (Object.hasOwn(extra, number)) return extra[number];
  return Object.hasOwn(numbers, number) ? STORIES[numbers[number]!] : undefined;
}

/** `YYYY-MM-DD` of `days` after `start`. */
export function etaDate(start: Date, days: number): string {
  return new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
