import { describe, expect, it } from 'vitest';
import { compactDate, compactInstant, isoDateOrInstant, isoInstant } from '../../../src/ingest/carriers/carrier-time.js';

describe('isoInstant', () => {
  it('reads ISO times with an offset or Z as UTC instants', () => {
    expect(isoInstant('2026-11-18T07:59:00-05:00')).toBe('2026-11-18T12:59:00.000Z');
    expect(isoInstant('2026-11-18T12:59:00Z')).toBe('2026-11-18T12:59:00.000Z');
    expect(isoInstant('2026-11-18T12:59:00.123+0100')).toBe('2026-11-18T11:59:00.000Z');
  });

  it('applies a separate offset to a zone-less stamp (USPS eventTimestamp + GMTOffset), else reads it as UTC', () => {
    expect(isoInstant('2026-11-18T07:59:00', '-05:00')).toBe('2026-11-18T12:59:00.000Z');
    expect(isoInstant('2026-11-18T07:59', undefined)).toBe('2026-11-18T07:59:00.000Z');
    expect(isoInstant('2026-11-18T07:59:00+01:00', '-05:00')).toBe('2026-11-18T06:59:00.000Z');
  });

  it('refuses what is not a real calendar time', () => {
    for (const bad of ['2026-02-30T10:00:00Z', '2026-13-01', '2026-11-18T24:00:00Z', 'yesterday', '', '2026-11-18T10:00:00+15:00', '1969-12-31T00:00:00Z']) {
      expect(isoInstant(bad), bad).toBeUndefined();
    }
    expect(isoInstant('2026-11-18T10:00:00', 'EST')).toBeUndefined();
    expect(isoInstant(undefined)).toBeUndefined();
  });
});

describe('compactInstant (UPS YYYYMMDD + HHMMSS)', () => {
  it('reads local time with an offset, and GMT stamps without one', () => {
    expect(compactInstant('20210210', '071356', '-05:00')).toBe('2021-02-10T12:13:56.000Z');
    expect(compactInstant('20210210', '121356')).toBe('2021-02-10T12:13:56.000Z');
  });

  it('pads a time whose leading zero UPS dropped (gmtTime "74700")', () => {
    expect(compactInstant('20210210', '74700')).toBe('2021-02-10T07:47:00.000Z');
  });

  it('refuses malformed parts', () => {
    expect(compactInstant('2021021', '071356')).toBeUndefined();
    expect(compactInstant('20210230', '071356')).toBeUndefined();
    expect(compactInstant('20210210', '7:13')).toBeUndefined();
    expect(compactInstant(undefined, '071356')).toBeUndefined();
  });

  it('turns a compact date into an ISO date', () => {
    expect(compactDate('20261121')).toBe('2026-11-21');
    expect(compactDate('20261131')).toBeUndefined();
  });
});

describe('isoDateOrInstant', () => {
  it('keeps a bare date a date, and makes anything else an instant', () => {
    expect(isoDateOrInstant('2026-11-21')).toBe('2026-11-21');
    expect(isoDateOrInstant('2026-11-21T18:00:00-05:00')).toBe('2026-11-21T23:00:00.000Z');
    expect(isoDateOrInstant('soon')).toBeUndefined();
  });
});
