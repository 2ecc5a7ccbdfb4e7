/**
 * Typed errors raised by the pure domain. Each carries a stable `code` so that callers branch on the
 * code, never on the message, and a message that tells a person what to fix.
 * Domain errors are about bad input data: retrying the same job cannot succeed.
 */

export const DOMAIN_ERROR_CODES = [
  /** An event or timestamp is not an ISO-8601 instant. */
  'EVENT_TIME_INVALID',
  /** Quiet hours are not two `HH:MM` times. */
  'QUIET_HOURS_INVALID',
  /** A tracking update was applied to another shipment's state. */
  'SHIPMENT_MISMATCH',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
