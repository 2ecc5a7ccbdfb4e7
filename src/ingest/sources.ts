import { aftershipSource } from './aftership.js';
import { easypostSource } from './easypost.js';
import { seventeenTrackSource } from './seventeen-track.js';
import { shippoSource } from './shippo.js';
import type { WebhookSource } from './source.js';

/** Every aggregator webhook source, each served at `POST /webhooks/<name>`. */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [aftershipSource, easypostSource, shippoSource, seventeenTrackSource];
