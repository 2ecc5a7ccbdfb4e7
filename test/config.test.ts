import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import webPush from 'web-push';
import {
  ConfigError,
  DEVELOPMENT_SIGNING_SECRET,
  configSchema,
  describeConfig,
  loadConfig,
  parseConfig,
} from '../src/config.js';

const vapid = webPush.generateVAPIDKeys();

/** Every optional provider configured, validly: one bad variable on top of it must give exactly one line. */
const complete = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://127.0.0.1:6379/2',
  KEY_PREFIX: '{sn}',
  HOST: '0.0.0.0',
  PORT: '8080',
  PUBLIC_BASE_URL: 'https://notify.example.com/',
  ADMIN_TOKEN: 'admin-token-0123456789',
  SIGNING_SECRET: 'signing-secret-0123456789',
  SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
  EMAIL_FROM: 'Shop <shop@example.com>',
  TWILIO_ACCOUNT_SID: `AC${'a1'.repeat(16)}`,
  TWILIO_AUTH_TOKEN: 'twilio-token',
  TWILIO_FROM: '+15005550006',
  TWILIO_MESSAGING_SERVICE_SID: `MG${'b2'.repeat(16)}`,
  TWILIO_API_BASE_URL: 'http://127.0.0.1:4010',
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  VAPID_SUBJECT: 'mailto:ops@example.com',
  OUTBOX_DIR: '/var/lib/sn/outbox',
  WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  TIKTOK_SHOP_APP_KEY: 'tt-key',
  TIKTOK_SHOP_APP_SECRET: 'tt-secret',
  AFTERSHIP_WEBHOOK_SECRET: 'as-secret',
  EASYPOST_WEBHOOK_SECRET: 'ep-secret',
  SHIPPO_WEBHOOK_TOKEN: 'shippo-token',
  SEVENTEENTRACK_API_KEY: '17-key',
  USPS_CLIENT_ID: 'usps-id',
  USPS_CLIENT_SECRET: 'usps-secret',
  USPS_API_BASE_URL: 'http://127.0.0.1:4010/usps',
  USPS_RATE_LIMIT_PER_SECOND: '0.5',
  UPS_CLIENT_ID: 'ups-id',
  UPS_CLIENT_SECRET: 'ups-secret',
  UPS_API_BASE_URL: 'https://wwwcie.ups.com/',
  UPS_RATE_LIMIT_PER_SECOND: '3',
  FEDEX_API_KEY: 'fedex-key',
  FEDEX_SECRET_KEY: 'fedex-secret',
  FEDEX_API_BASE_URL: 'https://apis-sandbox.fedex.com',
  FEDEX_RATE_LIMIT_PER_SECOND: '20',
  DHL_API_KEY: 'dhl-key',
  DHL_API_BASE_URL: 'https://api-test.dhl.com',
  DHL_RATE_LIMIT_PER_SECOND: '1',
  POLL_INTERVAL_MINUTES: '90',
  DELAY_THRESHOLD_HOURS: '12',
  STALL_HOURS: '96.5',
  NOT_SCANNED_HOURS: '24',
  LOG_LEVEL: 'debug',
  WORKERS: 'track, notify',
  CONCURRENCY: 'notify=4',
  BODY_LIMIT_BYTES: '65536',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(parseConfig({})).toEqual({
      nodeEnv: 'development',
      redisUrl: 'redis://127.0.0.1:6379',
      redisUrlIsSet: false,
      keyPrefix: 'sn',
      host: '127.0.0.1',
      port: 3000,
      publicBaseUrl: 'http://127.0.0.1:3000',
      signingSecret: DEVELOPMENT_SIGNING_SECRET,
      signingSecretIsDefault: true,
      emailFrom: 'Shipment Notifier <notifications@localhost>',
      outboxDir: './outbox',
      uspsApiBaseUrl: 'https://apis.usps.com',
      uspsRateLimitPerSecond: 0.016,
      upsApiBaseUrl: 'https://onlinetools.ups.com',
      upsRateLimitPerSecond: 5,
      fedexApiBaseUrl: 'https://apis.fedex.com',
      fedexRateLimitPerSecond: 10,
      dhlApiBaseUrl: 'https://api-eu.dhl.com',
      dhlRateLimitPerSecond: 0.2,
      pollIntervalMinutes: 120,
      delayThresholdHours: 24,
      stallHours: 72,
      notScannedHours: 48,
      escalateAfterHours: 4,
      logLevel: 'info',
      workers: ['track', 'notify', 'email', 'sms', 'push', 'poll', 'sweep', 'escalate'],
      concurrency: { track: 10, notify: 10, email: 10, sms: 10, push: 10, poll: 10, sweep: 10, escalate: 10 },
      bodyLimitBytes: 1_048_576,
      smsMaxSegments: 3,
    });
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig({ PORT: '', ADMIN_TOKEN: '', TWILIO_ACCOUNT_SID: '', SIGNING_SECRET: '' });
    expect(config.port).toBe(3000);
    expect(config.adminToken).toBeUndefined();
    expect(config.signingSecretIsDefault).toBe(true);
  });

  it('parses a complete environment into typed values', () => {
    const config = parseConfig(complete);
    expect(config).toMatchObject({
      port: 8080,
      publicBaseUrl: 'https://notify.example.com',
      signingSecret: complete.SIGNING_SECRET,
      signingSecretIsDefault: false,
      stallHours: 96.5,
      workers: ['track', 'notify'],
      concurrency: { track: 10, notify: 4, email: 10, sms: 10, push: 10, poll: 10 },
      upsApiBaseUrl: 'https://wwwcie.ups.com',
      uspsRateLimitPerSecond: 0.5,
      dhlRateLimitPerSecond: 1,
      pollIntervalMinutes: 90,
      twilioFrom: '+15005550006',
      vapidPublicKey: vapid.publicKey,
    });
  });

  it('derives the public base URL from HOST and PORT, pointing wildcard addresses at the loopback', () => {
    expect(parseConfig({ HOST: 'shipments.internal', PORT: '81' }).publicBaseUrl).toBe('http://shipments.internal:81');
    expect(parseConfig({ HOST: '0.0.0.0' }).publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(parseConfig({ HOST: '::' }).publicBaseUrl).toBe('http://[::1]:3000');
    expect(parseConfig({ HOST: '::1' }).publicBaseUrl).toBe('http://[::1]:3000');
  });

  it('reads one CONCURRENCY for every worker, and de-duplicates WORKERS', () => {
    const config = parseConfig({ CONCURRENCY: '3', WORKERS: 'email,sms,email' });
    expect(config.concurrency).toEqual({ track: 3, notify: 3, email: 3, sms: 3, push: 3, poll: 3, sweep: 3, escalate: 3 });
    expect(config.workers).toEqual(['email', 'sms']);
  });

  describe('signing secret', () => {
    it('uses the fixed development secret outside production, flagged so start-up can warn', () => {
      const config = parseConfig({ NODE_ENV: 'test' });
      expect(config).toMatchObject({ signingSecret: DEVELOPMENT_SIGNING_SECRET, signingSecretIsDefault: true });
      expect(parseConfig({}).signingSecret).toBe(config.signingSecret);
    });

    it('is required in production', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        'SIGNING_SECRET: required when NODE_ENV=production (16 or more random characters, the same across restarts)',
      ]);
    });
  });

  describe('each bad variable gives exactly its line', () => {
    const cases: [string, string, string][] = [
      ['PORT', 'abc', 'PORT: expected an integer from 1 to 65535, got "abc"'],
      ['PORT', '70000', 'PORT: expected an integer from 1 to 65535, got "70000"'],
      ['REDIS_URL', 'http://127.0.0.1:6379', 'REDIS_URL: expected a redis:// or rediss:// URL, got "http://127.0.0.1:6379"'],
      ['KEY_PREFIX', 'sn prefix', 'KEY_PREFIX: expected 1 to 64 characters from A-Z a-z 0-9 _ . : - { }, got "sn prefix"'],
      ['HOST', 'a b', 'HOST: expected a host name or IP address, got "a b"'],
      ['PUBLIC_BASE_URL', 'notify.example.com', 'PUBLIC_BASE_URL: expected an http:// or https:// URL, got "notify.example.com"'],
      ['ADMIN_TOKEN', 'short', 'ADMIN_TOKEN: expected at least 16 characters, got a value of 5 characters (not shown)'],
      ['SIGNING_SECRET', 'tiny', 'SIGNING_SECRET: expected at least 16 characters, got a value of 4 characters (not shown)'],
      ['SMTP_URL', 'https://smtp.example.com', 'SMTP_URL: expected an smtp:// or smtps:// URL, got a value of 24 characters (not shown)'],
      ['EMAIL_FROM', 'shop', 'EMAIL_FROM: expected an email address, optionally as "Name <address>", got "shop"'],
      ['TWILIO_ACCOUNT_SID', 'AC123', 'TWILIO_ACCOUNT_SID: expected "AC" followed by 32 hexadecimal digits, got "AC123"'],
      ['TWILIO_FROM', '5005550006', 'TWILIO_FROM: expected an E.164 phone number such as +15005550006, got "5005550006"'],
      ['TWILIO_MESSAGING_SERVICE_SID', 'PN1', 'TWILIO_MESSAGING_SERVICE_SID: expected "MG" followed by 32 hexadecimal digits, got "PN1"'],
      ['TWILIO_API_BASE_URL', 'localhost:4010', 'TWILIO_API_BASE_URL: expected an http:// or https:// URL, got "localhost:4010"'],
      [
        'VAPID_PUBLIC_KEY',
        'abc',
        'VAPID_PUBLIC_KEY: expected a URL-safe base64 P-256 public key (65 bytes), as printed by `npx web-push generate-vapid-keys`, got "abc"',
      ],
      ['VAPID_PRIVATE_KEY', 'abc', 'VAPID_PRIVATE_KEY: expected a URL-safe base64 P-256 private key (32 bytes), got a value of 3 characters (not shown)'],
      ['VAPID_SUBJECT', 'http://example.com', 'VAPID_SUBJECT: expected a mailto: address or an https: URL, got "http://example.com"'],
      [
        'WEBHOOK_SECRET',
        `whsec_${randomBytes(8).toString('base64')}`,
        'WEBHOOK_SECRET: expected "whsec_" followed by the base64 of 24 to 64 random bytes, got a value of 18 characters (not shown)',
      ],
      ['DELAY_THRESHOLD_HOURS', '0', 'DELAY_THRESHOLD_HOURS: expected a positive number of hours up to 8760, got "0"'],
      ['STALL_HOURS', 'three days', 'STALL_HOURS: expected a positive number of hours up to 8760, got "three days"'],
      ['NOT_SCANNED_HOURS', '-4', 'NOT_SCANNED_HOURS: expected a positive number of hours up to 8760, got "-4"'],
      ['ESCALATE_AFTER_HOURS', '0', 'ESCALATE_AFTER_HOURS: expected a positive number of hours up to 8760, got "0"'],
      ['LOG_LEVEL', 'verbose', 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
      ['WORKERS', 'track,mail', 'WORKERS: expected a comma-separated list from track, notify, email, sms, push, poll, sweep, escalate, got "track,mail"'],
      [
        'CONCURRENCY',
        'email=0',
        'CONCURRENCY: expected an integer from 1 to 1000, or pairs like "email=20,sms=5" naming track, notify, email, sms, push, poll, sweep, escalate, got "email=0"',
      ],
      ['USPS_API_BASE_URL', 'apis.usps.com', 'USPS_API_BASE_URL: expected an http:// or https:// URL, got "apis.usps.com"'],
      ['UPS_API_BASE_URL', 'ftp://ups.example', 'UPS_API_BASE_URL: expected an http:// or https:// URL, got "ftp://ups.example"'],
      ['FEDEX_API_BASE_URL', 'fedex', 'FEDEX_API_BASE_URL: expected an http:// or https:// URL, got "fedex"'],
      ['DHL_API_BASE_URL', '//dhl', 'DHL_API_BASE_URL: expected an http:// or https:// URL, got "//dhl"'],
      ['USPS_RATE_LIMIT_PER_SECOND', '0', 'USPS_RATE_LIMIT_PER_SECOND: expected a positive number of requests per second, e.g. 0.016 or 5, got "0"'],
      ['UPS_RATE_LIMIT_PER_SECOND', 'fast', 'UPS_RATE_LIMIT_PER_SECOND: expected a positive number of requests per second, e.g. 0.5 or 5, got "fast"'],
      ['FEDEX_RATE_LIMIT_PER_SECOND', '-1', 'FEDEX_RATE_LIMIT_PER_SECOND: expected a positive number of requests per second, e.g. 0.5 or 10, got "-1"'],
      ['DHL_RATE_LIMIT_PER_SECOND', '1/5', 'DHL_RATE_LIMIT_PER_SECOND: expected a positive number of requests per second, e.g. 0.2 or 5, got "1/5"'],
      ['POLL_INTERVAL_MINUTES', '20000', 'POLL_INTERVAL_MINUTES: expected a positive number of minutes up to 10080, got "20000"'],
      ['BODY_LIMIT_BYTES', '1MB', 'BODY_LIMIT_BYTES: expected an integer number of bytes from 1 to 1073741824, got "1MB"'],
      ['SMS_MAX_SEGMENTS', '0', 'SMS_MAX_SEGMENTS: expected an integer number of segments from 1 to 10, got "0"'],
    ];

    it.each(cases)('%s=%j', (name, value, line) => {
      expect(problemsOf({ ...complete, [name]: value })).toEqual([line]);
    });

    it('never echoes a secret back', () => {
      const [line] = problemsOf({ ...complete, ADMIN_TOKEN: 'hunter2-secret' });
      expect(line).not.toContain('hunter2');
    });
  });

  it('gives one line per bad variable, in declaration order, all at once', () => {
    const error = (() => {
      try {
        return parseConfig({ LOG_LEVEL: 'loud', PORT: 'abc', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, REDIS_URL: 'x' });
      } catch (caught) {
        return caught as ConfigError;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('ECONFIG');
    expect(error.problems.map((line) => line.split(':')[0])).toEqual([
      'REDIS_URL',
      'PORT',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
      'LOG_LEVEL',
    ]);
    expect(error.message).toBe(`Invalid configuration:\n  ${error.problems.join('\n  ')}`);
  });

  describe('options that must be combined', () => {
    const sid = complete.TWILIO_ACCOUNT_SID;

    it('TWILIO_ACCOUNT_SID without TWILIO_AUTH_TOKEN', () => {
      expect(problemsOf({ TWILIO_ACCOUNT_SID: sid, TWILIO_FROM: '+15005550006' })).toEqual([
        'TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID and TWILIO_FROM are set',
      ]);
    });

    it('TWILIO_AUTH_TOKEN without TWILIO_ACCOUNT_SID', () => {
      expect(problemsOf({ TWILIO_AUTH_TOKEN: 't', TWILIO_MESSAGING_SERVICE_SID: complete.TWILIO_MESSAGING_SERVICE_SID })).toEqual([
        'TWILIO_ACCOUNT_SID: required when TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID are set',
      ]);
    });

    it('Twilio with neither TWILIO_FROM nor TWILIO_MESSAGING_SERVICE_SID', () => {
      expect(problemsOf({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 't' })).toEqual([
        'TWILIO_FROM: set it or TWILIO_MESSAGING_SERVICE_SID, so that Twilio knows which sender to use',
      ]);
    });

    it('Twilio with either sender is complete', () => {
      expect(parseConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' }).twilioFrom).toBe('+15005550006');
      const viaService = parseConfig({
        TWILIO_ACCOUNT_SID: sid,
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_MESSAGING_SERVICE_SID: complete.TWILIO_MESSAGING_SERVICE_SID,
      });
      expect(viaService.twilioMessagingServiceSid).toBe(complete.TWILIO_MESSAGING_SERVICE_SID);
    });

    it('only one of the VAPID keys', () => {
      expect(problemsOf({ VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_SUBJECT: 'mailto:ops@example.com' })).toEqual([
        'VAPID_PRIVATE_KEY: required when VAPID_PUBLIC_KEY and VAPID_SUBJECT are set (generate a pair with `npx web-push generate-vapid-keys`)',
      ]);
      expect(problemsOf({ VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'https://example.com' })).toEqual([
        'VAPID_PUBLIC_KEY: required when VAPID_PRIVATE_KEY and VAPID_SUBJECT are set (generate a pair with `npx web-push generate-vapid-keys`)',
      ]);
    });

    it('VAPID keys without a subject', () => {
      expect(problemsOf({ VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey })).toEqual([
        'VAPID_SUBJECT: required when VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set (a mailto: address or https: URL)',
      ]);
    });

    it('TikTok Shop key without its secret', () => {
      expect(problemsOf({ TIKTOK_SHOP_APP_KEY: 'k' })).toEqual(['TIKTOK_SHOP_APP_SECRET: required when TIKTOK_SHOP_APP_KEY is set']);
      expect(problemsOf({ TIKTOK_SHOP_APP_SECRET: 's' })).toEqual(['TIKTOK_SHOP_APP_KEY: required when TIKTOK_SHOP_APP_SECRET is set']);
    });

    it.each([
      ['USPS_CLIENT_ID', 'USPS_CLIENT_SECRET'],
      ['UPS_CLIENT_ID', 'UPS_CLIENT_SECRET'],
      ['FEDEX_API_KEY', 'FEDEX_SECRET_KEY'],
    ])('carrier credentials %s and %s only together', (id, secret) => {
      expect(problemsOf({ [id]: 'x' })).toEqual([`${secret}: required when ${id} is set (a carrier is polled only with both)`]);
      expect(problemsOf({ [secret]: 'x' })).toEqual([`${id}: required when ${secret} is set (a carrier is polled only with both)`]);
      expect(() => parseConfig({ [id]: 'x', [secret]: 'y' })).not.toThrow();
    });

    it('are reported together with the bad variables, not after they are fixed', () => {
      expect(problemsOf({ PORT: '0', TIKTOK_SHOP_APP_KEY: 'k' })).toEqual([
        'PORT: expected an integer from 1 to 65535, got "0"',
        'TIKTOK_SHOP_APP_SECRET: required when TIKTOK_SHOP_APP_KEY is set',
      ]);
    });
  });
});

describe('configSchema', () => {
  it('is the same contract parseConfig applies, keyed by option name', () => {
    expect(configSchema.parse({ port: '4000' })).toMatchObject({ port: 4000, publicBaseUrl: 'http://127.0.0.1:4000' });
    expect(configSchema.safeParse({ port: 'x' }).success).toBe(false);
  });
});

describe('loadConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads the process environment', () => {
    vi.stubEnv('NODE_ENV', 'test');
    vi.stubEnv('KEY_PREFIX', 'sn-load-test');
    vi.stubEnv('PORT', '3999');
    expect(loadConfig()).toMatchObject({ keyPrefix: 'sn-load-test', port: 3999 });
  });
});

describe('describeConfig', () => {
  const rows = describeConfig();

  it('lists every variable of the SPEC, once', () => {
    expect(rows.map((row) => row.name)).toEqual([
      'NODE_ENV', 'REDIS_URL', 'KEY_PREFIX', 'HOST', 'PORT', 'PUBLIC_BASE_URL', 'ADMIN_TOKEN', 'SIGNING_SECRET',
      'SMTP_URL', 'EMAIL_FROM', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM',
      'TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_API_BASE_URL', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY',
      'VAPID_SUBJECT', 'OUTBOX_DIR', 'WEBHOOK_SECRET', 'TIKTOK_SHOP_APP_KEY', 'TIKTOK_SHOP_APP_SECRET',
      'AFTERSHIP_WEBHOOK_SECRET', 'EASYPOST_WEBHOOK_SECRET', 'SHIPPO_WEBHOOK_TOKEN', 'SHIPPO_WEBHOOK_SECRET', 'SEVENTEENTRACK_API_KEY',
      'USPS_CLIENT_ID', 'USPS_CLIENT_SECRET', 'USPS_API_BASE_URL', 'USPS_RATE_LIMIT_PER_SECOND',
      'UPS_CLIENT_ID', 'UPS_CLIENT_SECRET', 'UPS_API_BASE_URL', 'UPS_RATE_LIMIT_PER_SECOND',
      'FEDEX_API_KEY', 'FEDEX_SECRET_KEY', 'FEDEX_API_BASE_URL', 'FEDEX_RATE_LIMIT_PER_SECOND',
      'DHL_API_KEY', 'DHL_API_BASE_URL', 'DHL_RATE_LIMIT_PER_SECOND', 'POLL_INTERVAL_MINUTES',
      'DELAY_THRESHOLD_HOURS', 'STALL_HOURS', 'NOT_SCANNED_HOURS', 'ESCALATE_AFTER_HOURS', 'LOG_LEVEL', 'WORKERS', 'CONCURRENCY',
      'BODY_LIMIT_BYTES', 'SMS_MAX_SEGMENTS',
    ]);
  });

  it('describes each one and shows the defaults that parsing applies', () => {
    for (const row of rows) expect(row.description.length, row.name).toBeGreaterThan(10);
    const byName = Object.fromEntries(rows.map((row) => [row.name, row.default]));
    expect(byName).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      KEY_PREFIX: 'sn',
      PORT: '3000',
      PUBLIC_BASE_URL: 'http://HOST:PORT',
      EMAIL_FROM: 'Shipment Notifier <notifications@localhost>',
      OUTBOX_DIR: './outbox',
      DELAY_THRESHOLD_HOURS: '24',
      STALL_HOURS: '72',
      NOT_SCANNED_HOURS: '48',
      ESCALATE_AFTER_HOURS: '4',
      WORKERS: 'track,notify,email,sms,push,poll,sweep,escalate',
      CONCURRENCY: '10',
      USPS_API_BASE_URL: 'https://apis.usps.com',
      DHL_RATE_LIMIT_PER_SECOND: '0.2',
      POLL_INTERVAL_MINUTES: '120',
      BODY_LIMIT_BYTES: '1048576',
      SMS_MAX_SEGMENTS: '3',
    });
    expect(byName.ADMIN_TOKEN).toBeUndefined();
    // A literal default in the table must parse to what an unset variable gives.
    const derived = ['PUBLIC_BASE_URL', 'SIGNING_SECRET'];
    const literal = Object.fromEntries(
      rows.filter((row) => row.default !== undefined && !derived.includes(row.name)).map((row) => [row.name, row.default]),
    );
    // Setting REDIS_URL to its default is still "set" (the demo then uses it rather than its own server).
    expect({ ...parseConfig(literal), redisUrlIsSet: false }).toEqual(parseConfig({}));
  });
});
