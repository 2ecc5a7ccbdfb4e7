/**
 * Carrier time stamps into the ISO-8601 UTC instants the domain stores. Carriers write times three ways:
 * ISO with an offset (FedEx, DHL mostly), ISO without one plus a separate offset (USPS `GMTOffset`), and
 * compact `YYYYMMDD` + `HHMMSS` local time with optional GMT fields (UPS). A value that is not a real
 * calendar time gives `undefined`, never a guess.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * An ISO date-time as a UTC instant. Without an offset in the value, `offset` (`-05:00`) applies; without
 * either, the time is read as UTC, which is what DHL documents for zone-less stamps.
 */
export function isoInstant(value: string | undefined, offset?: string): string | undefined {
  if (value === undefined) return undefined;
  const m = ISO.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offsetMinutes = parseOffset(zone ?? offset);
  if (offsetMinutes === undefined) return undefined;
  return utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), offsetMinutes);
}

/** UPS: `YYYYMMDD` and `HHMMSS` (leading zero sometimes dropped: `74700`), local unless `offset` is given. */
export function compactInstant(date: string | undefined, time: string | undefined, offset?: string): string | undefined {
  if (date === undefined || !/^\d{8}$/.test(date)) return undefined;
  const t = (time ?? '000000').padStart(6, '0');
  if (!/^\d{6}$/.test(t)) return undefined;
  const offsetMinutes = parseOffset(offset);
  if (offsetMinutes === undefined) return undefined;
  return utc(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)), Number(t.slice(0, 2)), Number(t.slice(2, 4)), Number(t.slice(4, 6)), offsetMinutes);
}

/** `YYYYMMDD` → `YYYY-MM-DD` (a valid calendar date only). */
export function compactDate(date: string | undefined): string | undefined {
  const instant = compactInstant(date, '000000');
  return instant?.slice(0, 10);
}

/** An ETA as the domain keeps it: the carrier's date when only a date is meant, else the instant. */
export function isoDateOrInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return isoInstant(trimmed)?.slice(0, 10);
  return isoInstant(trimmed);
}

function parseOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const m = OFFSET.exec(zone.trim());
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970 || y > 9999) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 February into March; a real date round-trips.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return new Date(ms - offsetMinutes * 60_000).toISOString();
}
