/**
 * The check-digit algorithms carriers use, as named and specified by jkeen/tracking_number_data
 * (CHECKSUM_ALGORITHMS.md): `mod10`, `mod7`, `s10` and `sum_product_with_weightings_and_modulo`.
 * Each takes the serial (digits, and letters for UPS) and the printed check digit, and says whether they agree.
 * Inputs come from a format's regex, so they are short and made of `[0-9A-Z]`; nothing here throws.
 */

/** A format's check-digit rule; the parameters are the ones the data set gives for each format. */
export type Checksum =
  | {
      kind: 'mod10';
      /** Weight of characters at even indexes (0, 2, 4…), counted from the left, or from the right when `reverse`. */
      evens: number;
      /** Weight of characters at odd indexes. */
      odds: number;
      /** Count positions from the right (USPS IMpb N). @defaultValue false */
      reverse?: boolean;
    }
  | { kind: 'mod7' }
  | { kind: 's10' }
  | {
      kind: 'weighted';
      /** One weight per serial character, from the left; characters beyond the list weigh nothing. */
      weights: readonly number[];
      /** The weighted sum is reduced modulo `modulo1`, then modulo `modulo2`. */
      modulo1: number;
      modulo2: number;
    };

/**
 * Digits count as themselves; a letter counts as the last digit of its ASCII code minus 3 (A → 2, Z → 7),
 * the UPS convention the data set applies to every mod-10 format.
 */
function characterValue(character: string): number {
  const code = character.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : (code - 3) % 10;
}

/** Weighted sum modulo 10, check digit = (10 − sum mod 10) mod 10. UPS, USPS, FedEx Ground. */
export function mod10(serial: string, checkDigit: string, evens: number, odds: number, reverse = false): boolean {
  const characters = reverse ? [...serial].reverse() : [...serial];
  const total = characters.reduce((sum, character, index) => sum + characterValue(character) * (index % 2 === 0 ? evens : odds), 0);
  return (10 - (total % 10)) % 10 === Number(checkDigit);
}

/**
 * The serial read as one number, modulo 7: DHL Express waybills. The serial is at most 10 digits,
 * well inside `Number.MAX_SAFE_INTEGER`, but the remainder is taken digit by digit so length never matters.
 */
export function mod7(serial: string, checkDigit: string): boolean {
  if (!/^\d+$/.test(serial)) return false;
  let remainder = 0;
  for (const digit of serial) remainder = (remainder * 10 + Number(digit)) % 7;
  return remainder === Number(checkDigit);
}

/** UPU S10 weights for the eight serial digits (UPU standard S10, "check digit"). */
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** UPU S10: weighted sum modulo 11; 11 − remainder, except that remainder 1 gives 0 and remainder 0 gives 5. */
export function s10(serial: string, checkDigit: string): boolean {
  if (!/^\d{8}$/.test(serial)) return false;
  const remainder = [...serial].reduce((sum, digit, index) => sum + Number(digit) * (S10_WEIGHTS[index] ?? 0), 0) % 11;
  const expected = remainder === 1 ? 0 : remainder === 0 ? 5 : 11 - remainder;
  return expected === Number(checkDigit);
}

/** Sum of digit × weight, modulo `modulo1`, then modulo `modulo2`: FedEx Express and its long barcodes. */
export function weightedModulo(serial: string, checkDigit: string, weights: readonly number[], modulo1: number, modulo2: number): boolean {
  if (!/^\d+$/.test(serial)) return false;
  const total = [...serial].reduce((sum, digit, index) => sum + Number(digit) * (weights[index] ?? 0), 0);
  return (total % modulo1) % modulo2 === Number(checkDigit);
}

/** Whether `checkDigit` is the one `checksum` computes for `serial`; a non-digit check character never is. */
export function verifyChecksum(checksum: Checksum, serial: string, checkDigit: string): boolean {
  if (!/^\d$/.test(checkDigit)) return false;
  switch (checksum.kind) {
    case 'mod10':
      return mod10(serial, checkDigit, checksum.evens, checksum.odds, checksum.reverse);
    case 'mod7':
      return mod7(serial, checkDigit);
    case 's10':
      return s10(serial, checkDigit);
    case 'weighted':
      return weightedModulo(serial, checkDigit, checksum.weights, checksum.modulo1, checksum.modulo2);
  }
}
