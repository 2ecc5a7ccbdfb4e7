import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createEmailChannel } from './channels/email.js';
import { createOutboxChannel } from './channels/outbox.js';
import { createPushChannel } from './channels/push.js';
import { createSmsChannel } from './channels/sms.js';
import type { EmailMessage, PushMessage, SmsMessage } from './channels/types.js';
import type { Config } from './config.js';
import { buildServer } from './http/server.js';
import { createCarrierAdapters, type CarrierCredentials } from './ingest/carriers/registry.js';
import { createLogger } from './log.js';
import type { Channels, PipelineDeps, Stores } from './queues/deps.js';
import type { WorkerName } from './queues/names.js';
import { createPollingHook, type PollingOptions } from './queues/poll.js';
import { createQueues, type Queues } from './queues/queues.js';
import { startWorkers, type RunningWorkers } from './queues/workers.js';
import { loadTemplates } from './render/engine.js';
import { createIdempotencyStore } from './store/idempotency.js';
import { createKeys } from './store/keys.js';
import { createKindDefaultsStore } from './store/kind-defaults.js';
import { createNotificationStore } from './store/notifications.js';
import { createOrderStore } from './store/orders.js';
import { createPollSchedule } from './store/poll-schedule.js';
import { createRecipientStore } from './store/recipients.js';
import { assertNoEviction, createRedis } from './store/redis.js';
import { createShipmentStore } from './store/shipments.js';
import { createSweepIndex } from './store/sweep-index.js';
import type { SweepOptions } from './queues/sweep.js';
import { createUnmatchedUpdateStore } from './store/unmatched-updates.js';
import { createWebhookReceipts } from './store/webhook-receipts.js';
import { createTemplateOverrideStore } from './store/template-overrides.js';

/** Default templates ship beside the code: `templates/` at the package root. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));

export interface StartOptions {
  /** Which workers this process runs; empty for an API-only process. */
  workers: readonly WorkerName[];
  /** Start the HTTP server. @defaultValue true */
  http?: boolean;
  logger?: Logger;
  templatesDir?: string;
  /** Replace channels (tests, benchmark). */
  channels?: Partial<Channels>;
  now?: () => Date;
  /** Tune the polling scheduler (tests, demo): tick period, batch size, lease. */
  polling?: Pick<PollingOptions, 'tickMs' | 'batchSize' | 'maxBacklog' | 'leaseMs'>;
  /** Tune the timer sweep (tests, demo): tick period, batch size, lease. */
  sweep?: SweepOptions;
}

export interface App {
  deps: PipelineDeps;
  queues: Queues;
  server: FastifyInstance | null;
  workers: RunningWorkers;
  redis: Redis;
  /** Stops the HTTP server, drains in-flight jobs, closes connections. */
  close(): Promise<void>;
}

function buildChannels(config: Config, logger: Logger): Channels {
  const outbox = (name: 'email' | 'sms' | 'push', why: string) => {
    logger.info({ channel: name, outbox: config.outboxDir }, `${name}: no provider configured (${why}); writing messages to the outbox`);
    return createOutboxChannel(config.outboxDir, name, { from: config.emailFrom });
  };
  let email;
  if (config.smtpUrl) {
    logger.info({ channel: 'email' }, `email: sending through SMTP ${new URL(config.smtpUrl).host}`);
    email = createEmailChannel({ smtpUrl: config.smtpUrl, from: config.emailFrom });
  } else email = outbox('email', 'SMTP_URL is unset');
  let sms;
  if (config.twilioAccountSid && config.twilioAuthToken) {
    logger.info({ channel: 'sms' }, `sms: sending through Twilio${config.twilioApiBaseUrl ? ` at ${config.twilioApiBaseUrl}` : ''}`);
    sms = createSmsChannel({
      accountSid: config.twilioAccountSid,
      authToken: config.twilioAuthToken,
      ...(config.twilioFrom ? { from: config.twilioFrom } : {}),
      ...(config.twilioMessagingServiceSid ? { messagingServiceSid: config.twilioMessagingServiceSid } : {}),
      ...(config.twilioApiBaseUrl ? { apiBaseUrl: config.twilioApiBaseUrl } : {}),
      statusCallbackUrl: `${config.publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status`,
    });
  } else sms = outbox('sms', 'TWILIO_ACCOUNT_SID is unset');
  let push;
  if (config.vapidPublicKey && config.vapidPrivateKey && config.vapidSubject) {
    logger.info({ channel: 'push' }, 'push: sending through web push (VAPID)');
    push = createPushChannel({ vapidPublicKey: config.vapidPublicKey, vapidPrivateKey: config.vapidPrivateKey, subject: config.vapidSubject });
  } else push = outbox('push', 'VAPID keys are unset');
  return {
    email: email as Channels['email'],
    sms: sms as Channels['sms'],
    push: push as Channels['push'],
  } satisfies { email: { send(m: EmailMessage): unknown }; sms: { send(m: SmsMessage): unknown }; push: { send(m: PushMessage): unknown } };
}

/** The carriers whose credentials are set; the others are not polled. */
export function carrierCredentials(config: Config): CarrierCredentials {
  return {
    usps: config.uspsClientId && config.uspsClientSecret ? { clientId: config.uspsClientId, clientSecret: config.uspsClientSecret, baseUrl: config.uspsApiBaseUrl } : undefined,
    ups: config.upsClientId && config.upsClientSecret ? { clientId: config.upsClientId, clientSecret: config.upsClientSecret, baseUrl: config.upsApiBaseUrl } : undefined,
    fedex: config.fedexApiKey && config.fedexSecretKey ? { apiKey: config.fedexApiKey, secretKey: config.fedexSecretKey, baseUrl: config.fedexApiBaseUrl } : undefined,
    dhl: config.dhlApiKey ? { apiKey: config.dhlApiKey, baseUrl: config.dhlApiBaseUrl } : undefined,
  };
}

/** The composition root: everything a process runs is built here from the parsed configuration. */
export async function startApp(config: Config, options: StartOptions): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const redis = createRedis(config.redisUrl);
  try {
    await assertNoEviction(redis);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  if (config.signingSecretIsDefault) logger.warn('SIGNING_SECRET is unset: links are signed with the development default; set it before real recipients get messages');
  const keys = createKeys(config.keyPrefix);
  const templateOverrides = createTemplateOverrideStore(redis, keys);
  let templates;
  try {
    templates = await loadTemplates({ dir: options.templatesDir ?? DEFAULT_TEMPLATES_DIR, overrides: templateOverrides, maxSmsSegments: config.smsMaxSegments });
    await templateOverrides.start();
  } catch (err) {
    await templateOverrides.close();
    redis.disconnect();
    throw err;
  }
  const stores: Stores = {
    shipments: createShipmentStore(redis, keys),
    orders: createOrderStore(redis, keys),
    recipients: createRecipientStore(redis, keys),
    notifications: createNotificationStore(redis, keys),
    idempotency: createIdempotencyStore(redis, keys),
  };
  const queues = createQueues(redis, keys.bullPrefix);
  const channels: Channels = { ...buildChannels(config, logger), ...options.channels };
  const now = options.now ?? (() => new Date());
  const kindDefaults = createKindDefaultsStore(redis, keys);
  const deps: PipelineDeps = {
    kindDefaults,
    keys,
    stores,
    queues,
    templates,
    channels,
    settings: {
      delayThresholdHours: config.delayThresholdHours,
      stallHours: config.stallHours,
      notScannedHours: config.notScannedHours,
      escalateAfterHours: config.escalateAfterHours,
      publicBaseUrl: config.publicBaseUrl,
      signingSecret: config.signingSecret,
    },
    logger,
    now,
    sweepIndex: createSweepIndex(redis, keys),
  };

  const adapters = createCarrierAdapters(carrierCredentials(config));
  const pollSchedule = createPollSchedule(redis, keys);
  if (adapters.size > 0) deps.polling = createPollingHook(pollSchedule, new Set(adapters.keys()), config.pollIntervalMinutes, now);
  const polling: PollingOptions = {
    ...options.polling,
    adapters,
    schedule: pollSchedule,
    intervalMinutes: config.pollIntervalMinutes,
    rateLimits: { usps: config.uspsRateLimitPerSecond, ups: config.upsRateLimitPerSecond, fedex: config.fedexRateLimitPerSecond, dhl: config.dhlRateLimitPerSecond },
  };

  const workerConnection = createRedis(config.redisUrl, { forWorkers: true });
  const workers = await startWorkers(deps, options.workers, workerConnection, { concurrency: config.concurrency, polling, sweep: options.sweep });

  let server: FastifyInstance | null = null;
  if (options.http !== false) {
    server = buildServer({
      redis,
      stores,
      queues,
      receipts: createWebhookReceipts(redis, keys),
      unmatched: createUnmatchedUpdateStore(redis, keys),
      kindDefaults,
      templates,
      templateOverrides,
      channels,
      settings: {
        adminToken: config.adminToken,
        webhookSecret: config.webhookSecret,
        bodyLimitBytes: config.bodyLimitBytes,
        webhookSecrets: {
          aftershipWebhookSecret: config.aftershipWebhookSecret,
          easypostWebhookSecret: config.easypostWebhookSecret,
          shippoWebhookToken: config.shippoWebhookToken,
          shippoWebhookSecret: config.shippoWebhookSecret,
          seventeentrackApiKey: config.seventeentrackApiKey,
        },
        twilio: config.twilioAuthToken ? { authToken: config.twilioAuthToken, publicBaseUrl: config.publicBaseUrl } : undefined,
        links: { publicBaseUrl: config.publicBaseUrl, signingSecret: config.signingSecret },
        vapidPublicKey: config.vapidPublicKey,
        tiktokShop: config.tiktokShopAppKey && config.tiktokShopAppSecret ? { appKey: config.tiktokShopAppKey, appSecret: config.tiktokShopAppSecret } : undefined,
      },
      logger,
      now,
    });
    await server.listen({ host: config.host, port: config.port });
    logger.info({ url: `http://${config.host}:${server.server.address() && typeof server.server.address() === 'object' ? (server.server.address() as { port: number }).port : config.port}` }, 'HTTP server listening');
  }
  logger.info({ workers: options.workers }, 'workers started');

  return {
    deps,
    queues,
    server,
    workers,
    redis,
    async close() {
      if (server) await server.close();
      await workers.close();
      await templateOverrides.close();
      await queues.close();
      await Promise.all([channels.email.close(), channels.sms.close(), channels.push.close()]);
      await workerConnection.quit();
      await redis.quit();
    },
  };
}
