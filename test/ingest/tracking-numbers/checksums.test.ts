import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mod10, mod7, s10, verifyChecksum, weightedModulo } from '../../../src/ingest/tracking-numbers/checksums.js';
import * as oracle from './oracles.js';

const digits = (min: number, max = min) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const others = (right: string) => [...'0123456789'].filter((d) => d !== right);

describe('mod10', () => {
  it('agrees with the UPS rule on letters and digits, and accepts exactly one check digit', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), { minLength: 1, maxLength: 20 }), (chars) => {
        const serial = chars.join('');
        const right = oracle.mod10(serial, 1, 2);
        expect(mod10(serial, right, 1, 2)).toBe(true);
        for (const wrong of others(right)) expect(mod10(serial, wrong, 1, 2)).toBe(false);
      }),
    );
  });

  it('counts positions from the right when asked, which matters only for serials of even length', () => {
    // 1234 from the left: 1·3 + 2 + 3·3 + 4 = 18 → 2; from the right: 4·3 + 3 + 2·3 + 1 = 22 → 8.
    expect(mod10('1234', '2', 3, 1)).toBe(true);
    expect(mod10('1234', '8', 3, 1, true)).toBe(true);
    fc.assert(
      fc.property(digits(21), (serial) => {
        const right = oracle.uspsCheck(serial);
        expect(mod10(serial, right, 3, 1, true)).toBe(true);
        expect(mod10(serial, right, 3, 1, false)).toBe(true);
      }),
    );
  });
});

describe('mod7', () => {
  it('is the serial modulo 7, for serials longer than a double can hold exactly', () => {
    fc.assert(
      fc.property(digits(1, 40), (serial) => {
        const right = String(BigInt(serial) % 7n);
        expect(mod7(serial, right)).toBe(true);
        for (const wrong of others(right)) expect(mod7(serial, wrong)).toBe(false);
      }),
    );
    expect(mod7('12A', '0')).toBe(false);
  });
});

describe('s10', () => {
  it('follows the UPU remainders, including 0 → 5 and 1 → 0', () => {
    fc.assert(
      fc.property(digits(8), (serial) => {
        const right = oracle.s10('RB', serial, 'GB').slice(10, 11);
        expect(s10(serial, right)).toBe(true);
        for (const wrong of others(right)) expect(s10(serial, wrong)).toBe(false);
      }),
    );
    // 8·0 … + 7·0 = 0 → remainder 0 → 5; 00000006: 7·6 = 42 → remainder 9 → 2.
    expect(s10('00000000', '5')).toBe(true);
    expect(s10('00000006', '2')).toBe(true);
    expect(s10('1234567', '0')).toBe(false);
  });
});

describe('weightedModulo', () => {
  it('is FedEx Express: sum of digit × weight, mod 11, then mod 10', () => {
    fc.assert(
      fc.property(digits(11), (serial) => {
        const right = oracle.fedex12(serial).slice(-1);
        expect(weightedModulo(serial, right, [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1], 11, 10)).toBe(true);
        for (const wrong of others(right)) expect(weightedModulo(serial, wrong, [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1], 11, 10)).toBe(false);
      }),
    );
  });
});

describe('verifyChecksum', () => {
  it('never accepts a check character that is not one digit, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 3 }), (serial, check) => {
        for (const checksum of [{ kind: 'mod10', evens: 1, odds: 2 }, { kind: 'mod7' }, { kind: 's10' }, { kind: 'weighted', weights: [1, 7, 3], modulo1: 11, modulo2: 10 }] as const) {
          const verdict = verifyChecksum(checksum, serial, check);
          expect(typeof verdict).toBe('boolean');
          if (!/^\d$/.test(check)) expect(verdict).toBe(false);
        }
      }),
    );
  });
});
