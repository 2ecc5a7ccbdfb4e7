import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Queues } from '../queues/queues.js';
import type { WebhookSecrets } from '../ingest/source.js';
import type { Channels, Stores } from '../queues/deps.js';
import type { TemplateEngine } from '../render/engine.js';
import type { TemplateOverrideStore } from '../store/template-overrides.js';
import type { KindDefaultsStore } from '../store/kind-defaults.js';
import type { UnmatchedUpdateStore } from '../store/unmatched-updates.js';
import type { WebhookReceipts } from '../store/webhook-receipts.js';

export interface HttpSettings {
  /** Bearer token for `/v1`; unset locks the API. */
  adminToken?: string | undefined;
  /** Standard Webhooks secret (`whsec_…`) for `/webhooks/generic`; unset disables it. */
  webhookSecret?: string | undefined;
  /** @defaultValue 1048576 */
  bodyLimitBytes: number;
  /** Secrets of the aggregator webhooks; a source without one answers 503. */
  webhookSecrets: WebhookSecrets;
  /** Twilio auth token (verifies `X-Twilio-Signature`) and the public base URL Twilio calls; unset disables `/webhooks/twilio/*`. */
  twilio?: { authToken: string; publicBaseUrl: string } | undefined;
  /** Public base URL and signing secret for recipient links and pages. */
  links?: { publicBaseUrl: string; signingSecret: string } | undefined;
  /** VAPID public key (base64url) browsers subscribe with; unset hides the push button's action. */
  vapidPublicKey?: string | undefined;
  /** TikTok Shop app credentials; unset disables `/webhooks/tiktok-shop`. */
  tiktokShop?: { appKey: string; appSecret: string } | undefined;
}

export interface HttpDeps {
  redis: Redis;
  stores: Stores;
  queues: Queues;
  receipts: WebhookReceipts;
  unmatched: UnmatchedUpdateStore;
  /** Admin per-kind defaults; absent in processes that do not serve `/v1/defaults`. */
  kindDefaults?: KindDefaultsStore;
  /** The engine the workers render with, and its override store; absent where `/v1/templates` is not served. */
  templates?: TemplateEngine;
  templateOverrides?: TemplateOverrideStore;
  /** Channels for `POST /v1/templates/test-send`. */
  channels?: Channels;
  settings: HttpSettings;
  logger: Logger;
  now: () => Date;
}
