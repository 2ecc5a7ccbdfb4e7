import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { holdUntil } from '../../src/domain/quiet-hours.js';
import type { ChannelName, QuietHours } from '../../src/domain/types.js';

const NIGHT: QuietHours = { start: '22:00', end: '07:00' };

function hold(now: string, timezone: string, channel: ChannelName, opts: { quietHours?: QuietHours; urgent?: boolean } = {}): string | null {
  return holdUntil({ now: new Date(now), timezone, channel, urgent: opts.urgent ?? false, ...(opts.quietHours && { quietHours: opts.quietHours }) })?.toISOString() ?? null;
}

describe('holdUntil: the SMS curfew (21:00–08:00 local, always)', () => {
  const zone = 'America/New_York';
  it.each([
    ['20:59 local sends now', '2026-06-10T00:59:00Z', null],
    ['21:00 local waits for 08:00 next day', '2026-06-10T01:00:00Z', '2026-06-10T12:00:00.000Z'],
    ['03:00 local waits for 08:00 the same day', '2026-06-10T07:00:00Z', '2026-06-10T12:00:00.000Z'],
    ['07:59:30 local waits half a minute', '2026-06-10T11:59:30Z', '2026-06-10T12:00:00.000Z'],
    ['08:00 local sends now', '2026-06-10T12:00:00Z', null],
  ])('%s', (_name, now, expected) => {
    expect(hold(now, zone, 'sms')).toBe(expected);
  });

  it('applies to urgent kinds too', () => {
    expect(hold('2026-06-10T03:00:00Z', zone, 'sms', { urgent: true })).toBe('2026-06-10T12:00:00.000Z');
  });

  it('does not apply to email or push', () => {
    expect(hold('2026-06-10T03:00:00Z', zone, 'email')).toBeNull();
    expect(hold('2026-06-10T03:00:00Z', zone, 'push')).toBeNull();
  });
});

describe('holdUntil: recipient quiet hours', () => {
  const zone = 'Europe/Madrid';
  it('holds a non-urgent email until a window that wraps midnight ends', () => {
    expect(hold('2026-06-10T21:30:00Z', zone, 'email', { quietHours: NIGHT })).toBe('2026-06-11T05:00:00.000Z');
  });

  it('holds within a daytime window until it ends', () => {
    expect(hold('2026-06-10T11:30:00Z', zone, 'push', { quietHours: { start: '13:00', end: '15:30' } })).toBe('2026-06-10T13:30:00.000Z');
    expect(hold('2026-06-10T13:30:00Z', zone, 'push', { quietHours: { start: '13:00', end: '15:30' } })).toBeNull();
  });

  it('lets urgent kinds through on email and push', () => {
    expect(hold('2026-06-10T21:30:00Z', zone, 'email', { quietHours: NIGHT, urgent: true })).toBeNull();
    expect(hold('2026-06-10T21:30:00Z', zone, 'push', { quietHours: NIGHT, urgent: true })).toBeNull();
  });

  it('never lets urgent kinds through on SMS', () => {
    // 07:30 local: past the recipient's 07:00 but inside the curfew until 08:00.
    expect(hold('2026-06-11T05:30:00Z', zone, 'sms', { quietHours: NIGHT, urgent: true })).toBe('2026-06-11T06:00:00.000Z');
    // 20:30 local: before the curfew but inside the recipient's 20:00–21:30 window.
    expect(hold('2026-06-10T18:30:00Z', zone, 'sms', { quietHours: { start: '20:00', end: '21:30' }, urgent: true })).toBe('2026-06-11T06:00:00.000Z');
  });

  it('chains windows: the curfew ends at 08:00 inside quiet hours that end at 09:00', () => {
    expect(hold('2026-06-10T21:00:00Z', zone, 'sms', { quietHours: { start: '07:00', end: '09:00' } })).toBe('2026-06-11T07:00:00.000Z');
  });

  it('treats equal start and end as no window', () => {
    expect(hold('2026-06-10T21:30:00Z', zone, 'email', { quietHours: { start: '22:00', end: '22:00' } })).toBeNull();
  });

  it('lets only the curfew bind when quiet hours and curfew leave no minute free', () => {
    expect(hold('2026-06-10T20:00:00Z', zone, 'sms', { quietHours: { start: '08:00', end: '21:00' } })).toBe('2026-06-11T06:00:00.000Z');
  });

  it('refuses quiet hours that are not HH:MM with QUIET_HOURS_INVALID', () => {
    const call = () => hold('2026-06-10T21:30:00Z', zone, 'email', { quietHours: { start: '25:00', end: '07:00' } });
    expect(call).toThrow(DomainError);
    expect(call).toThrow(expect.objectContaining({ code: 'QUIET_HOURS_INVALID', details: { field: 'start', value: '25:00' } }));
    expect(() => hold('2026-06-10T21:30:00Z', zone, 'email', { quietHours: { start: '22:00', end: 'dawn' } })).toThrow(
      expect.objectContaining({ code: 'QUIET_HOURS_INVALID' }),
    );
  });
});

describe('holdUntil across DST changes', () => {
  it('America/New_York, spring forward (2026-03-08): 08:00 EDT is 12:00Z', () => {
    expect(hold('2026-03-08T03:00:00Z', 'America/New_York', 'sms')).toBe('2026-03-08T12:00:00.000Z');
  });

  it('America/New_York, fall back (2026-11-01): 08:00 EST is 13:00Z, eleven hours after 22:00 EDT', () => {
    expect(hold('2026-11-01T02:00:00Z', 'America/New_York', 'sms')).toBe('2026-11-01T13:00:00.000Z');
  });

  it('Europe/Madrid, spring forward (2026-03-29): 08:00 CEST is 06:00Z', () => {
    expect(hold('2026-03-28T21:30:00Z', 'Europe/Madrid', 'sms')).toBe('2026-03-29T06:00:00.000Z');
  });

  it('Europe/Madrid, fall back (2026-10-25): 08:00 CET is 07:00Z', () => {
    expect(hold('2026-10-24T20:00:00Z', 'Europe/Madrid', 'sms')).toBe('2026-10-25T07:00:00.000Z');
  });

  it('releases at the jump when a window ends at a wall time the clocks skip', () => {
    // 02:30 does not exist in New York on 2026-03-08; 01:59 EST is followed by 03:00 EDT (07:00Z).
    expect(hold('2026-03-08T06:30:00Z', 'America/New_York', 'email', { quietHours: { start: '01:00', end: '02:30' } })).toBe('2026-03-08T07:00:00.000Z');
  });

  it('releases at the first 01:30 when a window ends at a wall time that happens twice', () => {
    const window = { start: '00:30', end: '01:30' };
    // 00:45 EDT → 01:30 EDT (05:30Z), the first of the two.
    expect(hold('2026-11-01T04:45:00Z', 'America/New_York', 'email', { quietHours: window })).toBe('2026-11-01T05:30:00.000Z');
    // 01:10 EST, the repeated hour, is inside the window again → 01:30 EST (06:30Z).
    expect(hold('2026-11-01T06:10:00Z', 'America/New_York', 'email', { quietHours: window })).toBe('2026-11-01T06:30:00.000Z');
  });
});

describe('holdUntil with an unknown time zone', () => {
  it('reads the clock as UTC and widens each window by an hour on both sides', () => {
    // Curfew becomes 20:00–09:00 UTC.
    expect(hold('2026-06-10T19:59:00Z', 'Mars/Olympus_Mons', 'sms')).toBeNull();
    expect(hold('2026-06-10T20:00:00Z', 'Mars/Olympus_Mons', 'sms')).toBe('2026-06-11T09:00:00.000Z');
    expect(hold('2026-06-11T08:30:00Z', '', 'sms')).toBe('2026-06-11T09:00:00.000Z');
    expect(hold('2026-06-10T21:30:00Z', 'Not/AZone', 'email', { quietHours: NIGHT })).toBe('2026-06-11T08:00:00.000Z');
  });

  it('still sends at once when nothing holds the message', () => {
    expect(hold('2026-06-10T03:00:00Z', 'Mars/Olympus_Mons', 'push')).toBeNull();
  });
});
