/**
 * When a message may go out (SPEC "Preferences and delivery policy"): recipient quiet hours and the
 * SMS curfew, computed on the recipient's wall clock with luxon so that DST changes are handled.
 */
import { DateTime } from 'luxon';
import { DomainError } from './errors.js';
import type { ChannelName, QuietHours } from './types.js';

/** SMS is never sent between 21:00 and 08:00 local, whatever the kind or the recipient's preferences. */
export const SMS_CURFEW: Readonly<QuietHours> = Object.freeze({ start: '21:00', end: '08:00' });

/** Minutes after local midnight; `start > end` wraps midnight, `start === end` is an empty window. */
interface Window {
  start: number;
  end: number;
}

const MINUTES_PER_DAY = 24 * 60;
const MINUTE_MS = 60_000;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

function parseClock(value: string, field: string): number {
  const match = CLOCK.exec(value.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (match === null || hours > 23 || minutes > 59) {
    throw new DomainError('QUIET_HOURS_INVALID', `Quiet hours ${field} "${value}" is not a time of day; use HH:MM, e.g. 21:00.`, { field, value });
  }
  return hours * 60 + minutes;
}

function toWindow(hours: QuietHours): Window {
  return { start: parseClock(hours.start, 'start'), end: parseClock(hours.end, 'end') };
}

function contains(w: Window, minute: number): boolean {
  if (w.start === w.end) return false;
  return w.start < w.end ? minute >= w.start && minute < w.end : minute >= w.start || minute < w.end;
}

function minuteOfDay(t: DateTime): number {
  return t.hour * 60 + t.minute;
}

function offsetAt(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/**
 * The first instant after `after` at which the clock in `zone` reads `minute` on the given date. A wall
 * time repeated when clocks go back has two instants (the earlier one that is still to come is chosen);
 * one skipped when clocks go forward has none, and the first instant past it is the moment of the jump.
 */
function wallClockInstant(zone: string, date: { year: number; month: number; day: number }, minute: number, after: DateTime): DateTime {
  const wall = Date.UTC(date.year, date.month - 1, date.day, Math.floor(minute / 60), minute % 60);
  // Every zone's offset lies within ±14 h, so the offsets at both ends bound the instant's offset.
  const offsets = [...new Set([offsetAt(wall - 14 * 60 * MINUTE_MS, zone), offsetAt(wall + 14 * 60 * MINUTE_MS, zone)])];
  const instants = offsets
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((ms) => ms + offsetAt(ms, zone) * MINUTE_MS === wall && ms > after.toMillis())
    .sort((a, b) => a - b);
  if (instants[0] !== undefined) return DateTime.fromMillis(instants[0], { zone });
  if (offsets.length < 2) return after.plus({ minutes: 1 });
  const newer = Math.max(...offsets);
  let before = wall - newer * MINUTE_MS;
  let at = wall - Math.min(...offsets) * MINUTE_MS;
  while (at - before > 1) {
    const mid = Math.floor((before + at) / 2);
    if (offsetAt(mid, zone) === newer) at = mid;
    else before = mid;
  }
  return DateTime.fromMillis(at, { zone });
}

/** The end of the window `t` is inside: later today, or tomorrow for a window that wrapped midnight. */
function windowEnd(t: DateTime, w: Window, zone: string): DateTime {
  const today = DateTime.fromObject({ year: t.year, month: t.month, day: t.day }, { zone: 'UTC' });
  const date = w.start > w.end && minuteOfDay(t) >= w.start ? today.plus({ days: 1 }) : today;
  return wallClockInstant(zone, date, w.end, t);
}

/** A window plus a wrapped neighbour can cover the whole day; a few hops are enough to tell. */
const MAX_HOPS = 8;

function firstFreeInstant(start: DateTime, windows: readonly Window[], zone: string): DateTime | undefined {
  let t = start;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const inside = windows.find((w) => contains(w, minuteOfDay(t)));
    if (inside === undefined) return t;
    t = windowEnd(t, inside, zone);
  }
  return undefined;
}

/** Margin added on both sides of every window when the recipient's zone is unknown. */
const UNKNOWN_ZONE_MARGIN_MINUTES = 60;

/**
 * An unknown zone is read as UTC, which is right for nobody in particular; widening each window by an
 * hour each side keeps recipients near UTC protected, unless that would swallow the whole day.
 */
function widened(w: Window): Window {
  const length = (w.end - w.start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (length === 0 || length + 2 * UNKNOWN_ZONE_MARGIN_MINUTES >= MINUTES_PER_DAY) return w;
  return {
    start: (w.start - UNKNOWN_ZONE_MARGIN_MINUTES + MINUTES_PER_DAY) % MINUTES_PER_DAY,
    end: (w.end + UNKNOWN_ZONE_MARGIN_MINUTES) % MINUTES_PER_DAY,
  };
}

function isKnownZone(zone: string): boolean {
  return zone.trim() !== '' && DateTime.fromMillis(0, { zone }).isValid;
}

export interface HoldArgs {
  now: Date;
  /** The recipient's IANA zone; an unknown one is read as UTC with every window an hour wider each side. */
  timezone: string;
  quietHours?: QuietHours;
  channel: ChannelName;
  /** Urgent kinds skip the recipient's quiet hours on push and email; never on SMS. */
  urgent: boolean;
}

/**
 * When a message on `channel` may be sent: `null` for now, otherwise the end of the quiet window it falls
 * in, local to the recipient. Never earlier than `now`, and an SMS is never released inside the curfew.
 * When quiet hours and the curfew together leave no minute of the day free, only the curfew binds.
 * Throws `QUIET_HOURS_INVALID` for quiet hours that are not `HH:MM`.
 */
export function holdUntil(args: HoldArgs): Date | null {
  const { now, timezone, quietHours, channel, urgent } = args;
  const curfew = channel === 'sms' ? [toWindow(SMS_CURFEW)] : [];
  const own = quietHours !== undefined && (channel === 'sms' || !urgent) ? [toWindow(quietHours)] : [];
  const known = isKnownZone(timezone);
  const zone = known ? timezone : 'UTC';
  const adjust = (windows: Window[]) => (known ? windows : windows.map(widened));
  const start = DateTime.fromJSDate(now, { zone });
  const release = firstFreeInstant(start, adjust([...curfew, ...own]), zone) ?? firstFreeInstant(start, adjust(curfew), zone) ?? start;
  return release.toMillis() === now.getTime() ? null : release.toJSDate();
}
