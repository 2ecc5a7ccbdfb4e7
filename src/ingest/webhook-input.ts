/**
 * Defensive reading of signed webhook input for the aggregator sources (AfterShip, EasyPost): headers by
 * case-insensitive name, JSON bodies whose every field may be missing or of the wrong type, and the
 * providers' several spellings of times. Everything that refuses input throws `WebhookPayloadError`
 * naming the JSON path at fault, so a parser built on these helpers never throws anything untyped.
 */
import { createHash } from 'node:crypto';
import { WebhookPayloadError } from './errors.js';
import type { WebhookHeaders } from './source.js';

export type JsonObject = Record<string, unknown>;

/** Every value of a header, trimmed, however often it was sent and however its name was cased. */
export function headerValues(headers: WebhookHeaders, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values.map((value) => String(value).trim()).filter((value) => value !== '');
}

/** The body as a JSON object; anything else (not UTF-8 JSON, an array, a bare string) is refused. */
export function parseJsonObject(rawBody: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    // JSON.parse throws SyntaxError, or RangeError on absurd nesting; either way the sender broke the format.
    throw new WebhookPayloadError('The body is not valid JSON.', 'body');
  }
  if (!isObject(parsed)) throw new WebhookPayloadError('The body must be a JSON object.', 'body');
  return parsed;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An own property only: keys such as `constructor` or `toString` would otherwise be read from
 * `Object.prototype` when the sender leaves them out.
 */
export function field(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A descriptive field: a missing, empty or non-string value reads as absent rather than refusing the delivery. */
export function text(object: JsonObject, key: string): string | undefined {
  const value = field(object, key);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A field the delivery is useless without. */
export function requiredText(object: JsonObject, key: string, path: string): string {
  const value = text(object, key);
  if (value === undefined) throw new WebhookPayloadError(`${path} must be a non-empty string.`, path);
  return value;
}

/** A nested object; absent or null reads as undefined, any other non-object is refused. */
export function optionalObject(object: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = field(object, key);
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new WebhookPayloadError(`${path} must be an object.`, path);
  return value;
}

/** A list; absent or null reads as empty, any other non-array is refused. */
export function optionalArray(object: JsonObject, key: string, path: string): unknown[] {
  const value = field(object, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new WebhookPayloadError(`${path} must be an array.`, path);
  return value;
}

/** A stable id for a delivery that names none: the same bytes redelivered give the same id. */
export function bodyDigest(rawBody: Buffer): string {
  return `sha256:${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
}

/** Longer than any provider's event id (a UUID is 36 characters); such a value is replaced by its digest. */
const MAX_DELIVERY_ID_LENGTH = 128;

/** The provider's delivery id, kept as sent unless it is too long to be one, which would bloat the replay keys. */
export function deliveryIdFrom(id: string): string {
  return id.length <= MAX_DELIVERY_ID_LENGTH ? id : bodyDigest(Buffer.from(id, 'utf8'));
}

/** Joins the parts of a place a provider gives separately (`city`, `state`, `country`), skipping blanks. */
export function joinLocation(parts: readonly (string | undefined)[]): string | undefined {
  const present = parts.filter((part): part is string => part !== undefined && part !== '');
  return present.length === 0 ? undefined : present.join(', ');
}

/**
 * ISO-8601 as providers write it: a date, or a date-time with `T` or a space, optional seconds and
 * fraction, and an optional `Z` or offset with or without a colon. Nothing else is read, because
 * `Date.parse` guesses at other shapes differently on each platform.
 */
const ISO_LIKE =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `Date.parse` rolls impossible days over (`2026-02-30` becomes 2 March); a date must name a real day. */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

interface WrittenTime {
  date: string;
  time?: string;
  zone?: string;
}

function readTime(value: string): WrittenTime | undefined {
  const match = ISO_LIKE.exec(value.trim());
  if (match === null) return undefined;
  const [, date, time, zone] = match;
  if (date === undefined || !isCalendarDate(date)) return undefined;
  const written: WrittenTime = { date };
  if (time !== undefined) written.time = time;
  if (zone !== undefined) written.zone = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  return written;
}

/**
 * An event time as a UTC ISO instant. A time written without a zone is the carrier's local time in a
 * zone the provider does not name (AfterShip Checkpoint `checkpoint_time`: "uses the timezone of the
 * checkpoint"); it is read as UTC so that the same delivery always yields the same instant.
 */
export function eventTime(value: unknown, path: string): string {
  const written = typeof value === 'string' ? readTime(value) : undefined;
  const ms = written === undefined ? Number.NaN : Date.parse(`${written.date}T${written.time ?? '00:00'}${written.zone ?? 'Z'}`);
  if (written === undefined || Number.isNaN(ms)) {
    throw new WebhookPayloadError(`${path} must be an ISO-8601 date-time such as 2026-11-22T10:00:00Z.`, path);
  }
  return new Date(ms).toISOString();
}

/**
 * An estimated delivery as the delay rule wants it: a bare date stays a date (the whole day counts), a
 * time with a zone stays as written (its calendar date is the one at the destination), and a time
 * without a zone keeps only its date, the one part that is certain. An unreadable estimate is advisory
 * and reads as absent rather than refusing the delivery.
 */
export function etaValue(value: unknown): string | undefined {
  const written = typeof value === 'string' ? readTime(value) : undefined;
  if (written === undefined) return undefined;
  if (written.time === undefined || written.zone === undefined) return written.date;
  const iso = `${written.date}T${written.time}${written.zone}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}
