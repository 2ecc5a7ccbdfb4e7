/**
 * Matching a normalized number against the project's format table: which formats it has the shape of,
 * and for each whether it is valid, or exactly why not.
 */
import { verifyChecksum } from './checksums.js';
import { TRACKING_FORMATS, type TrackingFormat } from './formats.js';
import { s10Post } from './s10-posts.js';

/** `wrong_check_digit`: the shape fits and the check digit disagrees, almost always a mistyped character. */
export type FormatVerdict = 'valid' | 'wrong_check_digit' | 'unknown_issuer';

export interface FormatMatch {
  format: TrackingFormat;
  verdict: FormatVerdict;
  /** The pattern's named groups (`ServiceType`, `CountryCode`…) that matched. */
  groups: Readonly<Record<string, string>>;
}

/** Every format whose shape `trackingNumber` has, in table order; the number must already be normalized. */
export function matchFormats(trackingNumber: string): FormatMatch[] {
  const matches: FormatMatch[] = [];
  for (const format of TRACKING_FORMATS) {
    const groups = format.pattern.exec(trackingNumber)?.groups;
    if (groups === undefined) continue;
    const defined = Object.fromEntries(Object.entries(groups).filter((entry): entry is [string, string] => entry[1] !== undefined));
    matches.push({ format, verdict: verdictOf(format, defined), groups: defined });
  }
  return matches;
}

function verdictOf(format: TrackingFormat, groups: Readonly<Record<string, string>>): FormatVerdict {
  if (format.checksum !== undefined) {
    const serial = groups.SerialNumber ?? '';
    const prefixed = format.serialPrefix !== undefined && !serial.startsWith(format.serialPrefix) ? format.serialPrefix + serial : serial;
    if (!verifyChecksum(format.checksum, prefixed, groups.CheckDigit ?? '')) return 'wrong_check_digit';
  }
  if (format.issuerGroup !== undefined && s10Post(groups[format.issuerGroup] ?? '') === undefined) return 'unknown_issuer';
  return 'valid';
}
