import type { Logger } from 'pino';
import type { Channel } from '../channels/types.js';
import type { EmailMessage, PushMessage, SmsMessage } from '../channels/types.js';
import type { KindDefaultsTable } from '../domain/kinds.js';
import type { TemplateEngine } from '../render/engine.js';
import type { IdempotencyStore } from '../store/idempotency.js';
import type { Keys } from '../store/keys.js';
import type { NotificationStore } from '../store/notifications.js';
import type { OrderStore } from '../store/orders.js';
import type { RecipientStore } from '../store/recipients.js';
import type { ShipmentStore } from '../store/shipments.js';
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
  /** Admin overrides of the built-in per-kind defaults (loaded from Redis by the caller). */
  kindDefaults?: Partial<KindDefaultsTable>;
}

/** What the processors need; built once in the composition root. */
export interface PipelineDeps {
  keys: Keys;
  stores: Stores;
  queues: Queues;
  templates: TemplateEngine;
  channels: Channels;
  settings: PipelineSettings;
  logger: Logger;
  /** Injected so tests can move time; never read the clock elsewhere. */
  now: () => Date;
}
