/**
 * `Retry-After` (RFC 9110 §10.2.3) is either a number of seconds or an HTTP date.
 * Returns the wait in milliseconds, or `undefined` when the header is absent or unreadable,
 * so callers fall back to their own backoff instead of trusting a garbled value.
 */
export function parseRetryAfter(value: string | string[] | number | undefined | null, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates always name a month; this keeps Date.parse from reading "-5" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
