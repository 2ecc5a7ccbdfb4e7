import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError, InvalidTrackingNumberError } from '../../src/ingest/errors.js';
import {
  FALLBACK_TRACKING_URLS,
  identifyTrackingNumber,
  normalizeCarrier,
  trackingUrl,
} from '../../src/ingest/tracking-number.js';

// Check-digit oracles written from the carriers' published rules (as collected in jkeen/tracking_number_data,
// CHECKSUM_ALGORITHMS.md), independent of the code under test, so numbers are built here rather than copied.
const digitValue = (c: string) => (/\d/.test(c) ? Number(c) : (c.charCodeAt(0) - 3) % 10);
function mod10(serial: string, evens: number, odds: number): string {
  const sum = [...serial].reduce((acc, c, i) => acc + digitValue(c) * (i % 2 === 0 ? evens : odds), 0);
  return String((10 - (sum % 10)) % 10);
}
const ups = (body15: string) => `1Z${body15}${mod10(body15, 1, 2)}`;
const usps = (body: string) => `${body}${mod10(body, 3, 1)}`;
function fedex12(body11: string): string {
  const weights = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
  const sum = [...body11].reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? 0), 0);
  return `${body11}${(sum % 11) % 10}`;
}
const dhl10 = (body9: string) => `${body9}${Number(body9) % 7}`;
function s10(service: string, serial8: string, country: string): string {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const r = 11 - ([...serial8].reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? 0), 0) % 11);
  return `${service}${serial8}${r === 10 ? 0 : r === 11 ? 5 : r}${country}`;
}
/** Every other digit in the last position: the check digit is wrong by construction. */
const wrongCheckDigits = (valid: string) =>
  [...'0123456789'].filter((d) => d !== valid.slice(-1)).map((d) => valid.slice(0, -1) + d);

function refusal(raw: string, hint?: string): InvalidTrackingNumberError {
  try {
    identifyTrackingNumber(raw, hint);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTrackingNumberError);
    return error as InvalidTrackingNumberError;
  }
  throw new Error(`expected ${raw} to be refused`);
}

describe('identifyTrackingNumber', () => {
  describe('UPS', () => {
    const valid = ups('999AA1012345678');

    it('accepts a 1Z number with a correct check digit and names its service', () => {
      expect(identifyTrackingNumber(valid)).toEqual({
        trackingNumber: valid,
        carrier: 'ups',
        carrierName: 'UPS',
        service: 'UPS United States Next Day Air (Red)',
        trackingUrl: `https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=${valid}`,
      });
    });

    it('normalizes spaces, hyphens and lower case', () => {
      const typed = `${valid.slice(0, 2).toLowerCase()} ${valid.slice(2, 8)}-${valid.slice(8).toLowerCase()}`;
      expect(identifyTrackingNumber(typed).trackingNumber).toBe(valid);
    });

    it('refuses every wrong check digit, saying the shape fits but the check digit does not', () => {
      for (const wrong of wrongCheckDigits(valid)) {
        const error = refusal(wrong);
        expect(error.problem).toBe('unrecognized');
        expect(error.message).toContain('UPS');
        expect(error.message).toContain('check digit');
      }
    });

    it('accepts the right check digit and refuses the nine others for any 1Z body', () => {
      const char = fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRSTUVWXYZ');
      fc.assert(
        fc.property(fc.array(char, { minLength: 15, maxLength: 15 }), (chars) => {
          const number = ups(chars.join(''));
          expect(identifyTrackingNumber(number).carrier).toBe('ups');
          for (const wrong of wrongCheckDigits(number)) expect(() => identifyTrackingNumber(wrong)).toThrow(InvalidTrackingNumberError);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('USPS', () => {
    it('accepts a 22-digit IMpb number', () => {
      const number = usps('940011120255584233266');
      const info = identifyTrackingNumber(number);
      expect(info).toMatchObject({ trackingNumber: number, carrier: 'usps', carrierName: 'United States Postal Service' });
      expect(info.trackingUrl).toBe(`https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}`);
    });

    it('accepts a 20-digit number and refuses it with a wrong check digit', () => {
      const body = '7112345678912345678';
      const number = usps(body);
      expect(identifyTrackingNumber(number)).toMatchObject({ carrier: 'usps', service: 'Certified Mail' });
      // 20 digits are also the short IMpb form, whose check digit is computed as if prefixed with 91:
      // that one other digit is valid too, under the other format.
      const impb = body + mod10(`91${body}`, 3, 1);
      expect(identifyTrackingNumber(impb).carrier).toBe('usps');
      for (const wrong of wrongCheckDigits(number).filter((n) => n !== impb)) {
        expect(refusal(wrong).problem).toBe('unrecognized');
      }
    });

    it('reads a US S10 international number as USPS', () => {
      const number = s10('RB', '12345678', 'US');
      expect(identifyTrackingNumber(number)).toMatchObject({ carrier: 'usps', carrierName: 'United States Postal Service' });
    });

    it('names the national post of other S10 numbers and links to the generic tracker', () => {
      const number = s10('RB', '12345678', 'GB');
      expect(identifyTrackingNumber(number)).toMatchObject({
        carrier: 's10',
        carrierName: 'Royal Mail Group plc',
        trackingUrl: FALLBACK_TRACKING_URLS.generic.replace('%s', number),
      });
    });
  });

  describe('FedEx', () => {
    const valid = fedex12('98657878885');

    it('accepts a 12-digit Express number', () => {
      expect(identifyTrackingNumber(valid)).toMatchObject({
        trackingNumber: valid,
        carrier: 'fedex',
        carrierName: 'FedEx',
        service: 'FedEx Express (12)',
        trackingUrl: `https://www.fedex.com/apps/fedextrack/?tracknumbers=${valid}`,
      });
    });

    it('refuses a 12-digit number whose check digit is wrong', () => {
      for (const wrong of wrongCheckDigits(valid)) expect(refusal(wrong).problem).toBe('unrecognized');
    });
  });

  describe('DHL', () => {
    const valid = dhl10('331881002');

    it('accepts a 10-digit Express waybill (mod 7)', () => {
      expect(identifyTrackingNumber(valid)).toMatchObject({ carrier: 'dhl', carrierName: 'DHL', service: 'DHL Express' });
      expect(identifyTrackingNumber(valid).trackingUrl).toContain(`AWB=${valid}`);
    });

    it('refuses a waybill whose check digit is wrong', () => {
      for (const wrong of wrongCheckDigits(valid)) expect(refusal(wrong).problem).toBe('unrecognized');
    });
  });

  describe('a number valid for several couriers', () => {
    // FedEx SmartPost numbers (application identifier 92, service 29) are also valid USPS IMpb barcodes.
    const smartPost = usps('926129270076871194802');

    it('is USPS without a hint, because USPS delivers and tracks it', () => {
      expect(identifyTrackingNumber(smartPost).carrier).toBe('usps');
    });

    it('follows the hint, in any common spelling', () => {
      expect(identifyTrackingNumber(smartPost, 'FedEx')).toMatchObject({ carrier: 'fedex', service: 'FedEx SmartPost' });
      expect(identifyTrackingNumber(smartPost, 'Federal Express').carrier).toBe('fedex');
      expect(identifyTrackingNumber(smartPost, 'USPS').carrier).toBe('usps');
    });

    it('refuses a hint naming neither, listing the couriers it is valid for', () => {
      const error = refusal(smartPost, 'UPS');
      expect(error).toMatchObject({ problem: 'carrier_mismatch', field: 'carrier', validFor: ['usps', 'fedex'] });
      expect(error.message).toContain('not UPS');
    });
  });

  it('refuses a valid number of another carrier than the hint, explaining which', () => {
    const error = refusal(fedex12('12345678901'), 'dhl');
    expect(error).toMatchObject({ code: 'invalid_tracking_number', problem: 'carrier_mismatch', field: 'carrier' });
    expect(error.message).toMatch(/valid FedEx tracking number, not DHL/);
    expect(error.details).toEqual({
      field: 'carrier',
      problem: 'carrier_mismatch',
      trackingNumber: fedex12('12345678901'),
      carrier: 'dhl',
      validFor: ['fedex'],
    });
  });

  it('refuses a carrier the data does not know when the number belongs to a known one', () => {
    expect(refusal(ups('999AA1012345678'), 'Yodel').problem).toBe('carrier_mismatch');
  });

  it('ignores a blank hint', () => {
    expect(identifyTrackingNumber(ups('999AA1012345678'), '  ').carrier).toBe('ups');
  });

  it('refuses a number valid for no known courier', () => {
    const error = refusal('HELLO12');
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: 'invalid_tracking_number', problem: 'unrecognized', field: 'trackingNumber' });
    expect(error.message).toContain('does not match any supported carrier');
  });

  it('refuses an empty number', () => {
    expect(refusal('  - ').problem).toBe('empty');
  });

  it('refuses punctuation other than spaces and hyphens instead of silently dropping it', () => {
    expect(refusal(`${ups('999AA1012345678')}!`).message).toContain('only letters, digits, spaces and hyphens');
  });

  it('refuses an overlong input without trying every format on it', () => {
    const started = performance.now();
    expect(refusal('9'.repeat(10_000)).problem).toBe('unrecognized');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('trackingUrl', () => {
  it('uses the courier data when it has a URL for the carrier', () => {
    expect(trackingUrl('ups', '1Z999AA10123456784')).toBe(
      'https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z999AA10123456784',
    );
    expect(trackingUrl('FedEx', '123456789012')).toBe('https://www.fedex.com/apps/fedextrack/?tracknumbers=123456789012');
  });

  it('falls back to the generic tracker for carriers without a URL, normalizing and encoding the number', () => {
    expect(trackingUrl('amazon', 'tba 123')).toBe('https://t.17track.net/en#nums=TBA123');
    expect(trackingUrl('some-local-courier', 'AB/1')).toBe('https://t.17track.net/en#nums=AB%2F1');
  });

  it('treats carrier names that are also object properties as unknown carriers', () => {
    expect(trackingUrl('constructor', 'X1')).toBe('https://t.17track.net/en#nums=X1');
    expect(normalizeCarrier('toString')).toBe('tostring');
    expect(refusal(fedex12('12345678901'), 'constructor').problem).toBe('carrier_mismatch');
  });
});

describe('normalizeCarrier', () => {
  it('maps common spellings to slugs', () => {
    expect(['UPS', 'United Parcel Service', 'DHL Express', 'DHL eCommerce', 'FedEx Ground', 'usps'].map(normalizeCarrier)).toEqual([
      'ups',
      'ups',
      'dhl',
      'dhl',
      'fedex',
      'usps',
    ]);
  });
});
