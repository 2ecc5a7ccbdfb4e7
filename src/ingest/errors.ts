/**
 * Typed errors for everything that turns outside input into normalized updates.
 * The HTTP layer maps them to 4xx bodies `{error: {code, message, details}}`: `code` is stable for clients,
 * `field` names the offending input, `details` carries the machine-readable rest.
 */

/** Every code an ingest error can carry; one registry so clients can rely on the spelling. */
export const INGEST_ERROR_CODES = {
  invalidTrackingNumber: 'invalid_tracking_number',
  invalidSignature: 'invalid_signature',
  invalidWebhookSecret: 'invalid_webhook_secret',
  invalidPayload: 'invalid_payload',
} as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[keyof typeof INGEST_ERROR_CODES];

/** Base of all ingest errors; `instanceof IngestError` means "the input was refused", never "we failed". */
export abstract class IngestError extends Error {
  abstract readonly code: IngestErrorCode;
  /** The request field or header at fault (`trackingNumber`, `carrier`, `webhook-signature`…). */
  readonly field: string;

  protected constructor(message: string, field: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }

  /** Machine-readable context for the 4xx body; never contains secrets. */
  get details(): Record<string, unknown> {
    return { field: this.field };
  }
}

/** Why a tracking number was refused. */
export type TrackingNumberProblem =
  /** Nothing left after removing spaces and punctuation. */
  | 'empty'
  /** No known courier format matches, or the check digit is wrong. */
  | 'unrecognized'
  /** The number is valid, but only for a courier other than the one the caller named. */
  | 'carrier_mismatch';

export class InvalidTrackingNumberError extends IngestError {
  readonly code = INGEST_ERROR_CODES.invalidTrackingNumber;
  readonly problem: TrackingNumberProblem;
  /** The number as given by the caller. */
  readonly trackingNumber: string;
  readonly carrierHint: string | undefined;
  /** Couriers for which the number is valid (only for `carrier_mismatch`). */
  readonly validFor: readonly string[];

  constructor(args: {
    message: string;
    problem: TrackingNumberProblem;
    trackingNumber: string;
    carrierHint?: string;
    validFor?: readonly string[];
  }) {
    super(args.message, args.problem === 'carrier_mismatch' ? 'carrier' : 'trackingNumber');
    this.problem = args.problem;
    this.trackingNumber = args.trackingNumber;
    this.carrierHint = args.carrierHint;
    this.validFor = args.validFor ?? [];
  }

  override get details(): Record<string, unknown> {
    return {
      field: this.field,
      problem: this.problem,
      trackingNumber: this.trackingNumber,
      ...(this.carrierHint === undefined ? {} : { carrier: this.carrierHint }),
      ...(this.validFor.length === 0 ? {} : { validFor: this.validFor }),
    };
  }
}

/** Why a webhook signature was refused. */
export type SignatureFailureReason =
  | 'missing_header'
  | 'bad_timestamp'
  | 'outside_tolerance'
  | 'no_matching_signature';

/** A webhook whose authenticity could not be established; the HTTP layer answers 401. */
export class WebhookSignatureError extends IngestError {
  readonly code = INGEST_ERROR_CODES.invalidSignature;
  readonly reason: SignatureFailureReason;

  constructor(reason: SignatureFailureReason, field: string, message: string) {
    super(message, field);
    this.reason = reason;
  }

  override get details(): Record<string, unknown> {
    return { field: this.field, reason: this.reason };
  }
}

/**
 * The configured signing secret is unusable. This is an operator mistake, not a bad request:
 * configuration parsing normally catches it before any webhook arrives.
 */
export class WebhookSecretError extends IngestError {
  readonly code = INGEST_ERROR_CODES.invalidWebhookSecret;

  constructor(message: string) {
    super(message, 'secret');
  }
}

/** A signed delivery whose body is not what the source documents; `field` is a JSON path such as `msg.tag`. */
export class WebhookPayloadError extends IngestError {
  readonly code = INGEST_ERROR_CODES.invalidPayload;

  constructor(message: string, field: string) {
    super(message, field);
  }
}
