import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Queues } from '../queues/queues.js';
import type { Stores } from '../queues/deps.js';
import type { WebhookReceipts } from '../store/webhook-receipts.js';

export interface HttpSettings {
  /** Bearer token for `/v1`; unset locks the API. */
  adminToken?: string | undefined;
  /** Standard Webhooks secret (`whsec_…`) for `/webhooks/generic`; unset disables it. */
  webhookSecret?: string | undefined;
  /** @defaultValue 1048576 */
  bodyLimitBytes: number;
}

export interface HttpDeps {
  redis: Redis;
  stores: Stores;
  queues: Queues;
  receipts: WebhookReceipts;
  settings: HttpSettings;
  logger: Logger;
  now: () => Date;
}
