/**
 * The contract every webhook source implements. A source turns one signed HTTP delivery from an
 * outside system (AfterShip, EasyPost, Shippo, 17TRACK…) into normalized updates keyed by tracking
 * number; the HTTP layer (`src/http/webhooks.ts`) does the rest: replay protection, finding the
 * shipment, enqueueing. Sources are pure apart from `crypto`: no Redis, no network.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';
import type { DeliveryProof, TrackingEvent } from '../domain/types.js';

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface WebhookRequest {
  headers: WebhookHeaders;
  /** The exact bytes received; signatures are computed over these. */
  rawBody: Buffer;
  /** Query string parameters (Shippo's `?token=`). */
  query: Record<string, string | undefined>;
  now: Date;
}

/** What a source knows about one parcel, normalized with SPEC's status table. */
export interface SourceUpdate {
  /** As the source gives it; the HTTP layer validates it and finds the shipment. */
  trackingNumber: string;
  /** Carrier slug when the source names it (`ups`, `usps`, `fedex`, `dhl`…), lower-case. */
  carrier?: string;
  status: ShipmentStatus;
  subStatus?: SubStatus;
  /** ISO date-time or date. */
  estimatedDelivery?: string;
  /** Each with `source` set to the source's name and the raw status, sub-status and code kept. */
  events: TrackingEvent[];
  proof?: DeliveryProof;
  /** The source's own top-level status words, kept for the trail (`InTransit/InTransit_001`). */
  rawStatus?: string;
}

export type ParsedWebhook =
  /** Tracking news about one or more parcels. */
  | { kind: 'tracking'; deliveryId: string; updates: SourceUpdate[] }
  /** A well-formed delivery this project does not act on (another event type); answered 200. */
  | { kind: 'ignored'; deliveryId: string; reason: string };

export interface WebhookSecrets {
  aftershipWebhookSecret?: string | undefined;
  easypostWebhookSecret?: string | undefined;
  shippoWebhookToken?: string | undefined;
  /** Shippo's HMAC secret for `Shippo-Auth-Signature`, when set. */
  shippoWebhookSecret?: string | undefined;
  seventeentrackApiKey?: string | undefined;
}

export interface WebhookSource {
  /** Path segment and `source` of its events: `aftership` → `POST /webhooks/aftership`. */
  readonly name: string;
  /** The secret this source needs, or undefined when it is not configured (the route answers 503). */
  secret(secrets: WebhookSecrets): string | undefined;
  /** Throws `WebhookSignatureError` (→ 401). Constant-time comparison. */
  verify(request: WebhookRequest, secrets: WebhookSecrets): void;
  /** Throws `WebhookPayloadError` (→ 400) naming the field. Never anything untyped, whatever the bytes. */
  parse(request: WebhookRequest): ParsedWebhook;
}
