import type { WebhookSource } from './source.js';

/** Every aggregator webhook source, each served at `POST /webhooks/<name>`. */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [];
