import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError, InvalidTrackingNumberError } from '../../src/ingest/errors.js';
import { failsCheckDigit, FALLBACK_TRACKING_URLS, identifyTrackingNumber } from '../../src/ingest/tracking-number.js';
import { dhl, fedex12, fedexGround, fedexLong, mod10, s10, ups, upsWaybill, usps, uspsCheck, withDigit, wrongCheckDigits } from './tracking-numbers/oracles.js';

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

    it('names SurePost numbers, which UPS hands to USPS for the last mile, as UPS', () => {
      expect(identifyTrackingNumber(ups('XX3150YW4407002'))).toMatchObject({ carrier: 'ups', service: 'UPS SurePost - Delivered by the USPS' });
    });

    it('normalizes spaces, hyphens and lower case', () => {
      const typed = `${valid.slice(0, 2).toLowerCase()} ${valid.slice(2, 8)}-${valid.slice(8).toLowerCase()}`;
      expect(identifyTrackingNumber(typed).trackingNumber).toBe(valid);
    });

    it('refuses every wrong check digit, saying the shape fits but the check digit does not', () => {
      for (const wrong of wrongCheckDigits(valid)) {
        const error = refusal(wrong);
        expect(error.problem).toBe('unrecognized');
        expect(error.message).toBe(`"${wrong}" has the shape of a tracking number from UPS, but its check digit is wrong; check it for a mistyped character.`);
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

    it('accepts a waybill number, whose check digit covers the digits after the service letter', () => {
      const waybill = upsWaybill('K', '150623562');
      expect(identifyTrackingNumber(waybill)).toMatchObject({ carrier: 'ups', service: 'UPS Ground', trackingUrl: expect.stringContaining(waybill) });
      expect(identifyTrackingNumber(upsWaybill('J', '460363653')).service).toBe('UPS Next Day Express');
      for (const wrong of wrongCheckDigits(waybill)) expect(refusal(wrong).message).toContain('from UPS');
    });
  });

  describe('USPS', () => {
    it('accepts a 22-digit IMpb barcode with a 6-digit mailer id', () => {
      const number = usps('940011120255584233266');
      expect(identifyTrackingNumber(number)).toEqual({
        trackingNumber: number,
        carrier: 'usps',
        carrierName: 'United States Postal Service',
        service: 'USPS IMpb N',
        trackingUrl: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}`,
      });
      for (const wrong of wrongCheckDigits(number)) expect(refusal(wrong).message).toContain('from United States Postal Service');
    });

    it('accepts the 420 + ZIP routing prefix, which the check digit does not cover', () => {
      const barcode = usps('940011120255584233266');
      expect(identifyTrackingNumber(`420${'90210'}${barcode}`).carrier).toBe('usps');
      expect(identifyTrackingNumber(`420${'10001'}${barcode}`).carrier).toBe('usps');
      expect(identifyTrackingNumber(`420${'100011234'}${barcode}`).carrier).toBe('usps');
    });

    it('accepts a 26-digit commercial barcode (92, 9-digit mailer id) and names its service code', () => {
      const long = usps('9261298765432112345678901');
      expect(long).toHaveLength(26);
      expect(identifyTrackingNumber(long)).toMatchObject({ carrier: 'usps', service: 'Parcel Select' });
    });

    it('refuses an application identifier that does not go with the mailer id length, even with a right check digit', () => {
      // 93 is for 6-digit mailer ids; a 9-digit one (starting with 9) makes the split impossible.
      expect(refusal(usps('936129123456781234567')).problem).toBe('unrecognized');
      expect(identifyTrackingNumber(usps('936121234561234567890')).carrier).toBe('usps');
    });

    it('accepts a 20-digit number under both readings the data gives it', () => {
      const body = '0112345678912345678';
      const number = usps(body);
      expect(identifyTrackingNumber(number)).toMatchObject({ carrier: 'usps', service: 'Delivery Confirmation' });
      // 20 digits are also the short legacy form, whose check digit is computed as if prefixed with 91:
      // that one other digit is valid too, under the other format.
      const legacy = body + uspsCheck(`91${body}`);
      expect(identifyTrackingNumber(legacy).carrier).toBe('usps');
      for (const wrong of wrongCheckDigits(number).filter((n) => n !== legacy)) expect(refusal(wrong).problem).toBe('unrecognized');
    });

    it('accepts a 22-digit legacy number that carries its 91 application identifier', () => {
      expect(identifyTrackingNumber(usps('910123456789123456789'))).toMatchObject({ carrier: 'usps', service: 'Delivery Confirmation' });
    });

    it('reads a US S10 international number as USPS', () => {
      const number = s10('RB', '12345678', 'US');
      expect(identifyTrackingNumber(number)).toMatchObject({ carrier: 'usps', carrierName: 'United States Postal Service', service: 'Letter Post Registered' });
    });
  });

  describe('S10 national posts', () => {
    it('names the national post of other S10 numbers and links to the generic tracker', () => {
      const number = s10('RB', '12345678', 'GB');
      expect(identifyTrackingNumber(number)).toEqual({
        trackingNumber: number,
        carrier: 's10',
        carrierName: 'Royal Mail Group plc',
        service: 'Letter Post Registered',
        trackingUrl: FALLBACK_TRACKING_URLS.generic.replace('%s', number),
      });
      expect(identifyTrackingNumber(s10('EE', '87654321', 'MX')).carrierName).toBe('Correos de México');
    });

    it('refuses a wrong check digit, and a country code no postal operator uses', () => {
      const valid = s10('CP', '00000001', 'DE');
      const wrong = withDigit(valid, 10, (Number(valid[10]) + 1) % 10);
      expect(refusal(wrong).message).toContain('from a national post (UPU S10), but its check digit is wrong');
      const nowhere = `${valid.slice(0, 11)}XX`;
      expect(refusal(nowhere).message).toBe(`"${nowhere}" has the shape of an international postal (S10) number, but "XX" is not the country code of any postal operator.`);
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
      for (const wrong of wrongCheckDigits(valid)) expect(refusal(wrong).problem).toBe('unrecognized');
    });

    it.each([
      ['Ground (15)', () => fedexGround('12345678901234'), 'FedEx Ground'],
      ['Ground SSCC-18', () => `00${'123450000000002'}${mod10('123450000000002', 3, 1)}`, 'FedEx Ground (SSCC-18)'],
      ['Ground 96 (22)', () => `9611020${'98765431234567'}${mod10('98765431234567', 1, 3)}`, 'FedEx Ground 96 (22)'],
      ['Express (34)', () => `10019213342500010003${fedexLong('3077901797269')}`, 'FedEx Express (34)'],
      ['Ground GSN (34)', () => `96220015600012345671${fedexLong('5079480839059')}`, 'FedEx Ground GSN'],
    ])('accepts a %s number and refuses its wrong check digits', (_name, build, service) => {
      const number = build();
      expect(identifyTrackingNumber(number)).toMatchObject({ carrier: 'fedex', service });
      for (const wrong of wrongCheckDigits(number)) expect(refusal(wrong).message).toContain('check digit is wrong');
    });

    it('accepts a 32-digit ASTRA barcode, whose only check digit is that of the Express number inside it', () => {
      const inner = fedex12('78491758028');
      const astra = `329715145601024${'4'}${inner}2014`;
      expect(astra).toHaveLength(32);
      expect(identifyTrackingNumber(astra)).toMatchObject({ carrier: 'fedex', service: 'FedEx ASTRA (32)' });
      // The last four digits are not checked; the twelfth digit of the inner number is.
      expect(identifyTrackingNumber(`${astra.slice(0, 28)}9999`).carrier).toBe('fedex');
      expect(refusal(withDigit(astra, 27, (Number(astra[27]) + 1) % 10)).problem).toBe('unrecognized');
    });
  });

  describe('DHL', () => {
    it('accepts 10- and 11-digit Express waybills (mod 7) and refuses their wrong check digits', () => {
      for (const valid of [dhl('331881002'), dhl('7389105114')]) {
        expect(identifyTrackingNumber(valid)).toMatchObject({ carrier: 'dhl', carrierName: 'DHL', service: 'DHL Express' });
        expect(identifyTrackingNumber(valid).trackingUrl).toBe(`https://www.dhl.com/en/express/tracking.html?brand=DHL&AWB=${valid}`);
        for (const wrong of wrongCheckDigits(valid)) expect(refusal(wrong).problem).toBe('unrecognized');
      }
    });

    it('accepts piece ids and eCommerce numbers, which have no check digit, on their shape', () => {
      expect(identifyTrackingNumber('JJD0012345678').service).toBe('DHL Express (Piece ID)');
      expect(identifyTrackingNumber('JVGL0123456789').service).toBe('DHL Express (Piece ID)');
      expect(identifyTrackingNumber('gm 6045 7x12 3456 78').service).toBe('DHL E-Commerce');
      expect(identifyTrackingNumber('1234 5678 9012 34').service).toBe('DHL E-Commerce (14)');
      // An eCommerce number starts with a digit after its two-letter prefix.
      expect(refusal('GMX0457123456789').problem).toBe('unrecognized');
      expect(refusal('QQ6045712345678').problem).toBe('unrecognized');
    });
  });

  describe('couriers outside the table', () => {
    it('still recognizes Amazon Logistics numbers, through ts-tracking-number', () => {
      expect(identifyTrackingNumber('TBA 123456789012')).toMatchObject({ carrier: 'amazon', carrierName: 'Amazon', service: 'Amazon Logistics', trackingUrl: 'https://t.17track.net/en#nums=TBA123456789012' });
      expect(identifyTrackingNumber('TBA123456789012', 'Amazon Logistics').carrier).toBe('amazon');
    });
  });

  describe('a number valid for several carriers', () => {
    // A 34-digit USPS barcode (420 + ZIP+4 + IMpb) can pass FedEx's 34-digit check by chance; find one that does.
    const both = (() => {
      for (let n = 0; n < 1000; n += 1) {
        const number = `420${'100011234'}${usps(`926129876543${String(n).padStart(9, '0')}`)}`;
        if (fedexLong(number.slice(20, 33)) === number.slice(20)) return number;
      }
      throw new Error('no USPS barcode that FedEx also accepts in 1000 tries');
    })();

    it('is USPS without a hint: its formats are the more specific', () => {
      expect(identifyTrackingNumber(both)).toMatchObject({ carrier: 'usps', service: 'Parcel Select' });
    });

    it('follows the hint, in any common spelling', () => {
      expect(identifyTrackingNumber(both, 'FedEx')).toMatchObject({ carrier: 'fedex', service: 'FedEx Express (34)' });
      expect(identifyTrackingNumber(both, 'Federal Express').carrier).toBe('fedex');
      expect(identifyTrackingNumber(both, 'USPS').carrier).toBe('usps');
    });

    it('refuses a hint naming neither, listing the carriers it is valid for', () => {
      const error = refusal(both, 'UPS');
      expect(error).toMatchObject({ problem: 'carrier_mismatch', field: 'carrier', validFor: ['usps', 'fedex'] });
      expect(error.message).toContain('valid United States Postal Service or FedEx tracking number, not UPS');
    });

    it('prefers a reading with a check digit to one on shape alone', () => {
      // Also the shape of a DHL eCommerce number (prefix RX, then a digit and ten more characters).
      const registered = s10('RX', '12345678', 'GB');
      expect(identifyTrackingNumber(registered).carrier).toBe('s10');
      expect(identifyTrackingNumber(registered, 'DHL')).toMatchObject({ carrier: 'dhl', service: 'DHL E-Commerce' });
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
    const error = refusal(ups('999AA1012345678'), 'Yodel');
    expect(error.problem).toBe('carrier_mismatch');
    expect(error.message).toContain('not Yodel');
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
    expect(failsCheckDigit('9'.repeat(10_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('failsCheckDigit', () => {
  it('is true only when a check digit is what refuses the number', () => {
    const valid = ups('999AA1012345678');
    expect(failsCheckDigit(withDigit(valid, 17, (Number(valid[17]) + 1) % 10))).toBe(true);
    expect(failsCheckDigit(s10('RB', '12345678', 'US').replace(/5US$/, '6US'))).toBe(true);
    expect(failsCheckDigit(valid)).toBe(false);
    expect(failsCheckDigit('HELLO12')).toBe(false);
    expect(failsCheckDigit('RB123456785XX')).toBe(false);
    expect(failsCheckDigit('')).toBe(false);
  });

  it('is false for a number one format refuses and another accepts', () => {
    const body = '0112345678912345678';
    const legacyOnly = body + uspsCheck(`91${body}`);
    expect(failsCheckDigit(legacyOnly)).toBe(false);
  });
});
