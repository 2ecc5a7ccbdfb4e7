/**
 * Instants and calendar dates as the domain reads them. Stored times are ISO-8601 strings (see types.ts);
 * these helpers turn them into numbers once, and refuse what is not a time rather than guess.
 */
import { DomainError } from './errors.js';

const HOUR_MS = 3_600_000;

export function hoursToMs(hours: number): number {
  return hours * HOUR_MS;
}

/** Milliseconds since the epoch; throws `EVENT_TIME_INVALID` for anything `Date` cannot read. */
export function parseInstant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new DomainError('EVENT_TIME_INVALID', `${field} "${value}" is not an ISO-8601 time; send e.g. 2026-11-22T10:00:00Z.`, {
      field,
      value,
    });
  }
  return ms;
}

/** Like `parseInstant`, but `undefined` for a value that is not a time (used for advisory fields such as ETAs). */
export function tryParseInstant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;

/**
 * The calendar date a time names, `YYYY-MM-DD`. A value written with a date keeps that date (a carrier's
 * `2026-11-22T18:00:00-05:00` is the 22nd where the parcel is, although it is the 23rd in UTC); anything
 * else is read as an instant and dated in UTC.
 */
export function calendarDate(value: string): string | undefined {
  const written = LEADING_DATE.exec(value);
  if (written?.[1] !== undefined) return written[1];
  const ms = tryParseInstant(value);
  return ms === undefined ? undefined : toIso(ms).slice(0, 10);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A bare date covers the whole day, so it is only over once the day has ended everywhere (UTC−12). */
const DATE_ONLY_GRACE_MS = hoursToMs(24 + 12);

/** The instant after which an ETA has been missed: the time itself, or the end of a bare date's day on Earth. */
export function etaDeadline(eta: string): number | undefined {
  const ms = tryParseInstant(eta);
  if (ms === undefined) return undefined;
  return DATE_ONLY.test(eta) ? ms + DATE_ONLY_GRACE_MS : ms;
}
