import type { Logger } from 'pino';
import type { Channel } from '../channels/types.js';
import type { EmailMessage, PushMessage, SmsMessage } from '../channels/types.js';
import type { KindDefaultsTable } from '../domain/kinds.js';
import type { ShipmentState, TrackingUpdate } from '../domain/types.js';
import type { TemplateEngine } from '../render/engine.js';
import type { IdempotencyStore } from '../store/idempotency.js';
import type { Keys } from '../store/keys.js';
import type { KindDefaultsStore } from '../store/kind-defaults.js';
import type { NotificationStore } from '../store/notifications.js';
import type { OrderStore } from '../store/orders.js';
import type { RecipientStore } from '../store/recipients.js';
import type { ShipmentStore } from '../store/shipments.js';
import type { SweepIndex } from '../store/sweep-index.js';
import type { Queues } from './queues.js';

export interface Stores {
  shipments: ShipmentStore;
  orders: OrderStore;
  recipients: RecipientStore;
  notifications: NotificationStore;
  idempotency: IdempotencyStore;
}

export interface Channels {
  email: Channel<EmailMessage>;
  sms: Channel<SmsMessage>;
  push: Channel<PushMessage>;
}

export interface PipelineSettings {
  delayThresholdHours: number;
  publicBaseUrl: string;
  signingSecret: string;
  /** `STALL_HOURS`. @defaultValue 72 */
  stallHours?: number;
  /** `NOT_SCANNED_HOURS`. @defaultValue 48 */
  notScannedHours?: number;
  /** `ESCALATE_AFTER_HOURS`: an unacknowledged seller alert is re-sent by SMS after this long. @defaultValue 4 */
  escalateAfterHours?: number;
  /** Admin overrides of the built-in per-kind defaults (loaded from Redis by the caller). */
  kindDefaults?: Partial<KindDefaultsTable>;
}

/**
 * Keeps the polling schedule in step with what the track worker committed: (re)schedules a shipment by its
 * new status, stops at a terminal one, and stops for good once a webhook source reports on it.
 */
export interface PollingHook {
  afterUpdate(state: ShipmentState, update: TrackingUpdate): Promise<void>;
}

/** What the processors need; built once in the composition root. */
export interface PipelineDeps {
  keys: Keys;
  stores: Stores;
  queues: Queues;
  templates: TemplateEngine;
  channels: Channels;
  settings: PipelineSettings;
  /** Admin per-kind defaults (`/v1/defaults`), read through a short cache; absent means built-in only. */
  kindDefaults?: KindDefaultsStore;
  logger: Logger;
  /** Injected so tests can move time; never read the clock elsewhere. */
  now: () => Date;
  /** Present when at least one carrier is polled. @defaultValue undefined (no polling) */
  polling?: PollingHook | undefined;
  /** The timer index the sweep reads; the track worker re-scores a shipment in it after each commit. */
  sweepIndex?: SweepIndex | undefined;
}
