/**
 * Configuration: the one place that reads `process.env`. Every variable is declared once below with its
 * parser, default, expectation and description; `describeConfig()` feeds the README table from the same
 * declarations, so documentation cannot drift from behaviour.
 */
import { z } from 'zod';
import {
  base64UrlBytes, baseUrl, concurrencyMap, emailAddress, envName, hours, integer, linkHost, matching, option, optionDocs,
  positiveDecimal, shown, standardWebhooksSecret, text, url, workerList,
} from './config-values.js';
import { WORKER_NAMES, type WorkerName } from './queues/names.js';

export { WORKER_NAMES, type WorkerName };
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Used when SIGNING_SECRET is unset outside production. Fixed rather than random so that unsubscribe and
 * preference links keep working across restarts of a development setup; public, so never safe in production.
 */
export const DEVELOPMENT_SIGNING_SECRET = 'shipment-notifier-development-only-signing-secret';

const WORKERS_TEXT = WORKER_NAMES.join(',');
const WORKERS_LIST = WORKER_NAMES.join(', ');

const fields = z.object({
  /** `production` makes SIGNING_SECRET mandatory. @defaultValue `development` */
  nodeEnv: option(text(), { default: 'development', expected: 'a non-empty string',
    description: 'Runtime environment; `production` requires SIGNING_SECRET.' }),
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl: option(url('redis:', 'rediss:'), { defaultText: DEFAULT_REDIS_URL,
    expected: 'a redis:// or rediss:// URL',
    description: 'Redis holding queues, state, preferences and logs (must run with maxmemory-policy noeviction).' }),
  /** @defaultValue `sn` */
  keyPrefix: option(matching(/^[A-Za-z0-9_.:{}-]{1,64}$/), { default: 'sn',
    expected: '1 to 64 characters from A-Z a-z 0-9 _ . : - { }',
    description: 'Prefix of every Redis key and queue; use a hash tag such as `{sn}` on Redis Cluster.' }),
  /** @defaultValue `127.0.0.1` */
  host: option(matching(/^[^\s/]+$/), { default: '127.0.0.1', expected: 'a host name or IP address',
    description: 'Address the HTTP server listens on.' }),
  /** @defaultValue `3000` */
  port: option(integer(1, 65535), { default: '3000', expected: 'an integer from 1 to 65535',
    description: 'Port the HTTP server listens on.' }),
  /** @defaultValue `http://HOST:PORT` */
  publicBaseUrl: option(baseUrl(), { defaultText: 'http://HOST:PORT',
    expected: 'an http:// or https:// URL',
    description: 'Base of the links put in messages (tracking, preferences, unsubscribe).' }),
  /** Unset: the `/v1` API is closed. @defaultValue unset */
  adminToken: option(z.string().min(16), { secret: true, expected: 'at least 16 characters',
    description: 'Bearer token for the `/v1` admin API.' }),
  /** @defaultValue {@link DEVELOPMENT_SIGNING_SECRET} outside production; required in production */
  signingSecret: option(z.string().min(16), { secret: true, expected: 'at least 16 characters',
    defaultText: 'fixed development value; required when NODE_ENV=production',
    description: 'Signs unsubscribe and preference links; keep it stable, or every link already sent stops working.' }),
  /** Unset: email goes to the outbox. @defaultValue unset */
  smtpUrl: option(url('smtp:', 'smtps:'), { secret: true, expected: 'an smtp:// or smtps:// URL',
    description: 'SMTP server for email, e.g. `smtps://user:pass@smtp.example.com:465`.' }),
  /** @defaultValue `Shipment Notifier <notifications@localhost>` */
  emailFrom: option(emailAddress(), { default: 'Shipment Notifier <notifications@localhost>',
    expected: 'an email address, optionally as "Name <address>"',
    description: 'Sender of every email.' }),
  /** @defaultValue unset */
  twilioAccountSid: option(matching(/^AC[0-9a-fA-F]{32}$/), { expected: '"AC" followed by 32 hexadecimal digits',
    description: 'Twilio account SID; with TWILIO_AUTH_TOKEN enables SMS (else SMS goes to the outbox).' }),
  /** @defaultValue unset */
  twilioAuthToken: option(text(), { secret: true, expected: 'the account\u2019s auth token',
    description: 'Twilio auth token; also verifies X-Twilio-Signature on callbacks.' }),
  /** @defaultValue unset */
  twilioFrom: option(matching(/^\+[1-9]\d{1,14}$/), { expected: 'an E.164 phone number such as +15005550006',
    description: 'Sending number (or set TWILIO_MESSAGING_SERVICE_SID).' }),
  /** @defaultValue unset */
  twilioMessagingServiceSid: option(matching(/^MG[0-9a-fA-F]{32}$/), {
    expected: '"MG" followed by 32 hexadecimal digits',
    description: 'Twilio Messaging Service used instead of TWILIO_FROM.' }),
  /** @defaultValue unset (Twilio's own API) */
  twilioApiBaseUrl: option(url('http:', 'https:'), { expected: 'an http:// or https:// URL',
    description: 'Twilio-compatible API endpoint, e.g. a local test server.' }),
  /** @defaultValue unset */
  vapidPublicKey: option(base64UrlBytes(65), {
    expected: 'a URL-safe base64 P-256 public key (65 bytes), as printed by `npx web-push generate-vapid-keys`',
    description: 'VAPID public key; with VAPID_PRIVATE_KEY enables web push (else push goes to the outbox).' }),
  /** @defaultValue unset */
  vapidPrivateKey: option(base64UrlBytes(32), { secret: true,
    expected: 'a URL-safe base64 P-256 private key (32 bytes)',
    description: 'VAPID private key.' }),
  /** @defaultValue unset */
  vapidSubject: option(z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/), {
    expected: 'a mailto: address or an https: URL',
    description: 'Contact push services can reach about this sender.' }),
  /** @defaultValue `./outbox` */
  outboxDir: option(text(), { default: './outbox', expected: 'a directory path',
    description: 'Where channels without a provider write messages (.eml, .json).' }),
  /** Standard Webhooks secret for `/webhooks/generic`. @defaultValue unset (endpoint refuses everything) */
  webhookSecret: option(standardWebhooksSecret(), { secret: true,
    expected: '"whsec_" followed by the base64 of 24 to 64 random bytes',
    description: 'Standard Webhooks secret for `/webhooks/generic`.' }),
  /** @defaultValue unset */
  tiktokShopAppKey: option(text(), { expected: 'the app key from TikTok Shop Partner Center',
    description: 'TikTok Shop app key (webhook signature check and API calls).' }),
  /** @defaultValue unset */
  tiktokShopAppSecret: option(text(), { secret: true, expected: 'the app secret from TikTok Shop Partner Center',
    description: 'TikTok Shop app secret.' }),
  /** @defaultValue unset */
  aftershipWebhookSecret: option(text(), { secret: true, expected: 'the webhook secret from AfterShip',
    description: 'Verifies `aftership-hmac-sha256` on `/webhooks/aftership`.' }),
  /** @defaultValue unset */
  easypostWebhookSecret: option(text(), { secret: true, expected: 'the webhook secret from EasyPost',
    description: 'Verifies `x-hmac-signature` on `/webhooks/easypost`.' }),
  /** @defaultValue unset */
  shippoWebhookToken: option(text(), { secret: true, expected: 'the token put in the Shippo webhook URL',
    description: 'Shared token required on `/webhooks/shippo`.' }),
  /** @defaultValue unset */
  shippoWebhookSecret: option(text(), { secret: true, expected: 'the HMAC secret from Shippo',
    description: 'When set, `Shippo-Auth-Signature` (t=…,v1=…) is verified on `/webhooks/shippo` too.' }),
  /** @defaultValue unset */
  seventeentrackApiKey: option(text(), { secret: true, expected: 'the 17TRACK API key',
    description: '17TRACK API key; verifies `/webhooks/17track` and registers numbers.' }),
  /** @defaultValue unset (USPS is not polled) */
  uspsClientId: option(text(), { expected: 'the consumer key of an app at developers.usps.com',
    description: 'USPS Tracking v3 OAuth client id; with USPS_CLIENT_SECRET, USPS shipments are polled.' }),
  /** @defaultValue unset */
  uspsClientSecret: option(text(), { secret: true, expected: 'the consumer secret of the same USPS app',
    description: 'USPS OAuth client secret.' }),
  /** @defaultValue `https://apis.usps.com` */
  uspsApiBaseUrl: option(baseUrl(), { default: 'https://apis.usps.com', expected: 'an http:// or https:// URL',
    description: 'USPS API root (the simulator prints a local one).' }),
  /** USPS grants new apps 60 requests an hour. @defaultValue `0.016` */
  uspsRateLimitPerSecond: option(positiveDecimal(10_000), { default: '0.016', expected: 'a positive number of requests per second, e.g. 0.016 or 5',
    description: 'Most USPS tracking requests a second (USPS grants new apps 60 an hour; raise it with your quota).' }),
  /** @defaultValue unset (UPS is not polled) */
  upsClientId: option(text(), { expected: 'the client id of an app at developer.ups.com',
    description: 'UPS Track API OAuth client id; with UPS_CLIENT_SECRET, UPS shipments are polled.' }),
  /** @defaultValue unset */
  upsClientSecret: option(text(), { secret: true, expected: 'the client secret of the same UPS app',
    description: 'UPS OAuth client secret.' }),
  /** @defaultValue `https://onlinetools.ups.com` */
  upsApiBaseUrl: option(baseUrl(), { default: 'https://onlinetools.ups.com', expected: 'an http:// or https:// URL',
    description: 'UPS API root (`https://wwwcie.ups.com` is UPS\u2019s test environment).' }),
  /** @defaultValue `5` */
  upsRateLimitPerSecond: option(positiveDecimal(10_000), { default: '5', expected: 'a positive number of requests per second, e.g. 0.5 or 5',
    description: 'Most UPS tracking requests a second.' }),
  /** @defaultValue unset (FedEx is not polled) */
  fedexApiKey: option(text(), { secret: true, expected: 'the API key of a project at developer.fedex.com',
    description: 'FedEx Track API key (OAuth client_id); with FEDEX_SECRET_KEY, FedEx shipments are polled.' }),
  /** @defaultValue unset */
  fedexSecretKey: option(text(), { secret: true, expected: 'the secret key of the same FedEx project',
    description: 'FedEx secret key (OAuth client_secret).' }),
  /** @defaultValue `https://apis.fedex.com` */
  fedexApiBaseUrl: option(baseUrl(), { default: 'https://apis.fedex.com', expected: 'an http:// or https:// URL',
    description: 'FedEx API root (`https://apis-sandbox.fedex.com` is FedEx\u2019s sandbox).' }),
  /** @defaultValue `10` */
  fedexRateLimitPerSecond: option(positiveDecimal(10_000), { default: '10', expected: 'a positive number of requests per second, e.g. 0.5 or 10',
    description: 'Most FedEx tracking requests a second (FedEx throttles a project at 1,400 per 10 seconds).' }),
  /** @defaultValue unset (DHL is not polled) */
  dhlApiKey: option(text(), { secret: true, expected: 'the API key of an app subscribed to Shipment Tracking \u2013 Unified',
    description: 'DHL Shipment Tracking \u2013 Unified API key; when set, DHL shipments are polled.' }),
  /** @defaultValue `https://api-eu.dhl.com` */
  dhlApiBaseUrl: option(baseUrl(), { default: 'https://api-eu.dhl.com', expected: 'an http:// or https:// URL',
    description: 'DHL API root.' }),
  /** DHL's initial service level allows one call every 5 seconds (and 250 a day). @defaultValue `0.2` */
  dhlRateLimitPerSecond: option(positiveDecimal(10_000), { default: '0.2', expected: 'a positive number of requests per second, e.g. 0.2 or 5',
    description: 'Most DHL tracking requests a second (DHL\u2019s initial level: one every 5 s and 250 a day).' }),
  /** @defaultValue `120` */
  pollIntervalMinutes: option(positiveDecimal(10_080), { default: '120', expected: 'a positive number of minutes up to 10080',
    description: 'Base carrier polling interval: \u00d73 before the first scan, \u00d71 in transit, \u00d70.25 out for delivery, \u00d72 at a pickup point or returning; none once terminal.' }),
  /** @defaultValue `24` */
  delayThresholdHours: option(hours(), { default: '24', expected: 'a positive number of hours up to 8760',
    description: 'ETA moved later by at least this much sends `delayed`.' }),
  /** @defaultValue `72` */
  stallHours: option(hours(), { default: '72', expected: 'a positive number of hours up to 8760',
    description: 'No carrier scan for this long while in transit sends `stalled`.' }),
  /** @defaultValue `48` */
  notScannedHours: option(hours(), { default: '48', expected: 'a positive number of hours up to 8760',
    description: 'Label created but no carrier scan after this long sends `not_scanned`.' }),
  /** @defaultValue `4` */
  escalateAfterHours: option(hours(), { default: '4', expected: 'a positive number of hours up to 8760',
    description: 'A seller alert (exception, lost, returned, stalled, not scanned, delayed, delivery attempted) sent by email or push and not acknowledged (`POST /v1/alerts/:id/ack`) for this long is re-sent once by SMS.' }),
  /** @defaultValue `info` */
  logLevel: option(z.enum(LOG_LEVELS), { default: 'info', expected: `one of ${LOG_LEVELS.join(', ')}`,
    description: 'pino log level.' }),
  /** @defaultValue all of `track,notify,email,sms,push,poll,sweep,escalate` */
  workers: option(workerList, { default: WORKERS_TEXT, expected: `a comma-separated list from ${WORKERS_LIST}`,
    description: 'Workers this process runs.' }),
  /** Jobs each worker runs at once. @defaultValue `10` for every worker */
  concurrency: option(concurrencyMap, { default: '10',
    expected: `an integer from 1 to 1000, or pairs like "email=20,sms=5" naming ${WORKERS_LIST}`,
    description: 'Jobs processed at once per worker (one number for all, or `worker=n` pairs).' }),
  /** @defaultValue `1048576` (1 MiB) */
  bodyLimitBytes: option(integer(1, 1_073_741_824), { default: '1048576',
    expected: 'an integer number of bytes from 1 to 1073741824',
    description: 'Largest accepted request body; larger ones get 413.' }),
  /** @defaultValue `3` */
  smsMaxSegments: option(integer(1, 10), { default: '3', expected: 'an integer number of segments from 1 to 10',
    description: 'Most segments an SMS template may take with the sample data; longer templates are refused at load and on an admin save.' }),
});

type Fields = z.infer<typeof fields>;
type FieldName = keyof typeof fields.shape;

/** Options that only work together; each failure is reported on the variable to add. */
function checkCombinations(value: Partial<Record<FieldName, unknown>>, ctx: z.RefinementCtx): void {
  const set = (name: FieldName) => value[name] !== undefined;
  const need = (name: FieldName, sentence: string) => {
    if (!set(name)) ctx.addIssue({ code: 'custom', path: [name], message: sentence, params: { combination: true } });
  };
  const whenAny = (names: FieldName[]) => {
    const given = names.filter(set).map(envName);
    const last = given.pop();
    if (last === undefined) return '';
    return given.length === 0 ? `${last} is set` : `${given.join(', ')} and ${last} are set`;
  };

  const twilio = whenAny([
    'twilioAccountSid', 'twilioAuthToken', 'twilioFrom', 'twilioMessagingServiceSid', 'twilioApiBaseUrl',
  ]);
  if (twilio !== '') {
    need('twilioAccountSid', `required when ${twilio}`);
    need('twilioAuthToken', `required when ${twilio}`);
    if (!set('twilioFrom') && !set('twilioMessagingServiceSid')) {
      need('twilioFrom', 'set it or TWILIO_MESSAGING_SERVICE_SID, so that Twilio knows which sender to use');
    }
  }
  const vapid = whenAny(['vapidPublicKey', 'vapidPrivateKey', 'vapidSubject']);
  if (vapid !== '') {
    const hint = ' (generate a pair with `npx web-push generate-vapid-keys`)';
    need('vapidPublicKey', `required when ${vapid}${hint}`);
    need('vapidPrivateKey', `required when ${vapid}${hint}`);
    need('vapidSubject', `required when ${vapid} (a mailto: address or https: URL)`);
  }
  if (set('tiktokShopAppKey') !== set('tiktokShopAppSecret')) {
    need('tiktokShopAppKey', 'required when TIKTOK_SHOP_APP_SECRET is set');
    need('tiktokShopAppSecret', 'required when TIKTOK_SHOP_APP_KEY is set');
  }
  const pairs: [FieldName, FieldName][] = [
    ['uspsClientId', 'uspsClientSecret'],
    ['upsClientId', 'upsClientSecret'],
    ['fedexApiKey', 'fedexSecretKey'],
  ];
  for (const [id, secret] of pairs) {
    if (set(id) === set(secret)) continue;
    need(id, `required when ${envName(secret)} is set (a carrier is polled only with both)`);
    need(secret, `required when ${envName(id)} is set (a carrier is polled only with both)`);
  }
  if (value.nodeEnv === 'production') {
    need('signingSecret', 'required when NODE_ENV=production (16 or more random characters, the same across restarts)');
  }
}

function derive({ publicBaseUrl, signingSecret, redisUrl, ...rest }: Fields) {
  return {
    ...rest,
    /** @defaultValue {@link DEFAULT_REDIS_URL} */
    redisUrl: redisUrl ?? DEFAULT_REDIS_URL,
    /** True when REDIS_URL was given (the demo starts its own Redis otherwise). */
    redisUrlIsSet: redisUrl !== undefined,
    /** Links in messages start with this. @defaultValue `http://HOST:PORT` */
    publicBaseUrl: publicBaseUrl ?? `http://${linkHost(rest.host)}:${rest.port}`,
    /** @defaultValue {@link DEVELOPMENT_SIGNING_SECRET} outside production */
    signingSecret: signingSecret ?? DEVELOPMENT_SIGNING_SECRET,
    /** True when the development default is in use: start-up should warn. */
    signingSecretIsDefault: signingSecret === undefined,
  };
}

export const configSchema = fields.superRefine(checkCombinations, { when: () => true }).transform(derive);

export type Config = z.infer<typeof configSchema>;

/** Invalid configuration; `problems` holds one line per bad variable, naming it and what it expects. */
export class ConfigError extends Error {
  readonly code = 'ECONFIG';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses an environment (variable name → value); empty strings count as unset. Throws `ConfigError`. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const raw: Partial<Record<FieldName, string>> = {};
  for (const name of fieldNames()) {
    const value = env[envName(name)];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;

  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = issue.path[0] as FieldName;
    const variable = envName(name);
    if (problems.has(variable)) continue;
    const isCombination = issue.code === 'custom' && issue.params?.combination === true;
    const doc = optionDocs.get(fields.shape[name]);
    problems.set(
      variable,
      isCombination || doc === undefined
        ? `${variable}: ${issue.message}`
        : `${variable}: expected ${doc.expected}, got ${shown(raw[name], doc)}`,
    );
  }
  // Declaration order keeps related variables (all the TWILIO_* lines) together.
  const order = describeConfig().map((row) => row.name);
  const sorted = [...problems].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  throw new ConfigError(sorted.map(([, line]) => line));
}

/** The process configuration; the only read of `process.env` in the code base. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}

export interface ConfigRow {
  /** Environment variable. */
  name: string;
  /** Default when unset, or `undefined` when unset means "feature off". */
  default: string | undefined;
  description: string;
}

/** One row per environment variable, in declaration order, for the README and `.env.example`. */
export function describeConfig(): ConfigRow[] {
  return fieldNames().map((name) => {
    const doc = optionDocs.get(fields.shape[name]);
    return { name: envName(name), default: doc?.defaultText ?? doc?.default, description: doc?.description ?? '' };
  });
}

function fieldNames(): FieldName[] {
  return Object.keys(fields.shape) as FieldName[];
}
