import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holdUntil } from '../../src/domain/quiet-hours.js';
import { CHANNELS, type QuietHours } from '../../src/domain/types.js';

const ZONES = Intl.supportedValuesOf('timeZone');

// Years whose zone rules are modern: whole-minute offsets, at most two changes a year.
const arbInstant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true });
// Bias towards the nights around DST changes, where the arithmetic is hardest.
const arbDstNight = fc
  .record({ year: fc.integer({ min: 2000, max: 2040 }), month: fc.constantFrom(3, 4, 9, 10, 11), day: fc.integer({ min: 1, max: 31 }), minute: fc.integer({ min: 0, max: 1439 }) })
  .map(({ year, month, day, minute }) => new Date(Date.UTC(year, month - 1, Math.min(day, 28), 0, minute)));
const arbNow = fc.oneof(arbInstant, arbDstNight);

const clock = fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }).map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const arbQuietHours: fc.Arbitrary<QuietHours | undefined> = fc.option(fc.record({ start: clock, end: clock }), { nil: undefined });

function localMinute(at: Date, zone: string): number {
  const local = DateTime.fromJSDate(at, { zone });
  return local.hour * 60 + local.minute;
}

function minutes(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function inWindow(minute: number, w: QuietHours): boolean {
  const s = minutes(w.start);
  const e = minutes(w.end);
  if (s === e) return false;
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}

const CURFEW: QuietHours = { start: '21:00', end: '08:00' };

/** Quiet hours that, with the curfew, leave no minute of the day for an SMS. */
function coversTheDay(w: QuietHours): boolean {
  return Array.from({ length: 24 * 60 }, (_, m) => m).every((m) => inWindow(m, w) || inWindow(m, CURFEW));
}

describe('holdUntil properties (fast-check)', () => {
  it('never releases an SMS inside 21:00–08:00 local, and never before now', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), arbNow, arbQuietHours, fc.boolean(), (timezone, now, quietHours, urgent) => {
        const release = holdUntil({ now, timezone, channel: 'sms', urgent, ...(quietHours && { quietHours }) });
        const sendAt = release ?? now;
        expect(sendAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(inWindow(localMinute(sendAt, timezone), CURFEW)).toBe(false);
        if (release !== null) expect(release.getTime()).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('releases any channel outside the windows that apply to it, within two days', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), arbNow, arbQuietHours, fc.boolean(), fc.constantFrom(...CHANNELS), (timezone, now, quietHours, urgent, channel) => {
        const release = holdUntil({ now, timezone, channel, urgent, ...(quietHours && { quietHours }) });
        const sendAt = release ?? now;
        expect(sendAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(sendAt.getTime() - now.getTime()).toBeLessThanOrEqual(48 * 3_600_000);
        const minute = localMinute(sendAt, timezone);
        const ownApplies = quietHours !== undefined && (channel === 'sms' || !urgent);
        const leavesNoTime = channel === 'sms' && quietHours !== undefined && coversTheDay(quietHours);
        if (ownApplies && !leavesNoTime) expect(inWindow(minute, quietHours)).toBe(false);
        if (release === null && ownApplies && !leavesNoTime) expect(inWindow(localMinute(now, timezone), quietHours)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds nothing when no window applies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), arbNow, arbQuietHours, fc.constantFrom('email' as const, 'push' as const), (timezone, now, quietHours, channel) => {
        expect(holdUntil({ now, timezone, channel, urgent: true, ...(quietHours && { quietHours }) })).toBeNull();
        expect(holdUntil({ now, timezone, channel, urgent: false })).toBeNull();
      }),
    );
  });
});
