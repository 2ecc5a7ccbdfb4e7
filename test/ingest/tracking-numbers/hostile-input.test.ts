/** Fuzzing the tracking-number entry points: arbitrary bytes, Unicode, near-misses and huge strings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTrackingNumberError } from '../../../src/ingest/errors.js';
import { failsCheckDigit, identifyTrackingNumber, trackingUrl } from '../../../src/ingest/tracking-number.js';

describe('hostile input', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.stringMatching(/^[0-9A-Za-z \-]{0,60}$/),
    fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.constantFrom('__proto__', 'constructor', 'toString', '1Z', '420', '9'.repeat(49), 'İ', 'ß'.repeat(30)),
  );

  it('only ever refuses with InvalidTrackingNumberError, and what it accepts is clean', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), (raw, hint) => {
        let info;
        try {
          info = identifyTrackingNumber(raw, hint);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTrackingNumberError);
          expect(typeof (error as InvalidTrackingNumberError).message).toBe('string');
          return;
        }
        expect(info.trackingNumber).toMatch(/^[A-Z0-9]{1,48}$/);
        expect(info.trackingUrl).toMatch(/^https:\/\//);
        expect(info.trackingUrl).toContain(info.trackingNumber);
        expect(failsCheckDigit(raw)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers failsCheckDigit and trackingUrl for anything without throwing', () => {
    fc.assert(
      fc.property(anyText, anyText, (carrier, raw) => {
        expect(typeof failsCheckDigit(raw)).toBe('boolean');
        expect(trackingUrl(carrier, raw)).toMatch(/^https:\/\//);
      }),
      { numRuns: 1000 },
    );
  });

  it('handles a megabyte of digits and spaces quickly', () => {
    const huge = '1Z '.repeat(350_000);
    const started = performance.now();
    expect(() => identifyTrackingNumber(huge)).toThrow(InvalidTrackingNumberError);
    expect(failsCheckDigit(huge)).toBe(false);
    expect(trackingUrl('ups', huge.slice(0, 1000))).toContain('1Z1Z');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
