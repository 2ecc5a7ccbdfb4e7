import { identifyTrackingNumber } from '../src/ingest/tracking-number.js';

/** UPS check digit over the 15 characters after "1Z": letters count as (code - 63) mod 10, even positions doubled. */
function upsCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const v = /\d/.test(c) ? Number(c) : (c.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? v * 2 : v;
  }
  return (10 - (sum % 10)) % 10;
}

/** `n` distinct, valid UPS Ground numbers (checked with the same validator the API uses). */
export function trackingNumbers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const body = `5R893903${String(1_000_000 + i).padStart(7, '0')}`;
    const tn = `1Z${body}${upsCheckDigit(body)}`;
    identifyTrackingNumber(tn, 'ups');
    return tn;
  });
}
