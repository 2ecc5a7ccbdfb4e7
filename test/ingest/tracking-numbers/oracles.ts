/**
 * Check-digit oracles for building test numbers, written from the carriers' published rules (as collected in
 * jkeen/tracking_number_data, CHECKSUM_ALGORITHMS.md, and USPS Publication 199 for IMpb) and kept apart from the
 * code under test, so tests construct their numbers instead of copying the data set's.
 */

/** Letters count as the last digit of (ASCII code − 3), the UPS rule. */
const digitValue = (c: string) => (/\d/.test(c) ? Number(c) : (c.charCodeAt(0) - 3) % 10);

/** Weighted from the left: even indexes × `evens`, odd × `odds`; check = (10 − sum mod 10) mod 10. */
export function mod10(serial: string, evens: number, odds: number): string {
  const sum = [...serial].reduce((acc, c, i) => acc + digitValue(c) * (i % 2 === 0 ? evens : odds), 0);
  return String((10 - (sum % 10)) % 10);
}

export const ups = (body15: string) => `1Z${body15}${mod10(body15, 1, 2)}`;
export const upsWaybill = (letter: string, serial9: string) => `${letter}${serial9}${mod10(serial9, 1, 2)}`;

/** USPS: from the rightmost data digit leftwards, weights 3, 1, 3, 1… (Publication 199, "check digit"). */
export function uspsCheck(digits: string): string {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    sum += Number(d) * (i % 2 === 0 ? 3 : 1);
  });
  return String((10 - (sum % 10)) % 10);
}
export const usps = (body: string) => `${body}${uspsCheck(body)}`;

/** FedEx Express 12: weights 3, 1, 7 from the left over 11 digits; (sum mod 11) mod 10. */
export function fedex12(body11: string): string {
  const weights = [3, 1, 7];
  const sum = [...body11].reduce((acc, c, i) => acc + Number(c) * weights[i % 3]!, 0);
  return `${body11}${(sum % 11) % 10}`;
}

/** The 13-digit serial ending FedEx's 34-digit barcodes: weights 1, 7, 3 from the left; (sum mod 11) mod 10. */
export function fedexLong(serial13: string): string {
  const weights = [1, 7, 3];
  const sum = [...serial13].reduce((acc, c, i) => acc + Number(c) * weights[i % 3]!, 0);
  return `${serial13}${(sum % 11) % 10}`;
}

export const fedexGround = (body14: string) => `${body14}${mod10(body14, 1, 3)}`;

/** DHL Express: the serial as a number, modulo 7. */
export const dhl = (serial: string) => `${serial}${BigInt(serial) % 7n}`;

/** UPU S10: weights 8 6 4 2 3 5 9 7; 11 − (sum mod 11), with 10 → 0 and 11 → 5. */
export function s10(service: string, serial8: string, country: string): string {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const r = 11 - ([...serial8].reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? 0), 0) % 11);
  return `${service}${serial8}${r === 10 ? 0 : r === 11 ? 5 : r}${country}`;
}

/** `number` with the character at `index` replaced by `digit`. */
export const withDigit = (number: string, index: number, digit: number) => `${number.slice(0, index)}${digit}${number.slice(index + 1)}`;

/** Every other digit in the last position: the check digit is wrong by construction. */
export const wrongCheckDigits = (valid: string) =>
  [...'0123456789'].filter((d) => d !== valid.slice(-1)).map((d) => valid.slice(0, -1) + d);
