/**
 * SMS through the twilio library (Programmable Messaging), optionally pointed at a
 * Twilio-compatible endpoint.
 */
import twilio from 'twilio';
import {
  ChannelConfigError,
  ChannelError,
  PermanentChannelError,
  RateLimitedChannelError,
  RecipientOptedOutError,
  RetryableChannelError,
  networkError,
} from './errors.js';
import { TwilioHttpClient } from './twilio-http-client.js';
import type { Channel, SmsMessage } from './types.js';

export interface SmsChannelOptions {
  /** `AC…` account SID. */
  accountSid: string;
  authToken: string;
  /**
   * Sending number (E.164) or alphanumeric sender id. One of `from` and
   * `messagingServiceSid` is required; with both, the service sends from this number.
   * @defaultValue none
   */
  from?: string;
  /** `MG…` Messaging Service that picks the sender. @defaultValue none */
  messagingServiceSid?: string;
  /**
   * A Twilio-compatible API origin (TWILIO_API_BASE_URL), e.g. a local test server.
   * @defaultValue `https://api.twilio.com`
   */
  apiBaseUrl?: string;
  /** Where Twilio posts delivery status updates. @defaultValue none (no callbacks) */
  statusCallbackUrl?: string;
  /** Request timeout in milliseconds. @defaultValue 30_000 */
  timeoutMs?: number;
}

/** Twilio codes that mean the destination number itself is unusable. */
const INVALID_NUMBER_CODES = new Set([
  21211, // Invalid 'To' phone number
  21612, // The 'To' phone number is not currently reachable via SMS
  21614, // 'To' number is not a valid mobile number
]);
/** Twilio codes about the message we composed. */
const INVALID_MESSAGE_CODES = new Set([
  21602, // Message body is required
  21604, // 'To' phone number is required
  21617, // Concatenated message body exceeds the 1600 character limit
]);
const OPTED_OUT_CODE = 21610;
const RATE_LIMITED_CODE = 20429;

/** The fields twilio-node's RestException / TwilioServiceException carry, read defensively. */
interface TwilioFailure {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  isAxiosError?: unknown;
}

/** Maps any twilio-node failure to a typed channel error. */
export function mapTwilioError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : {}) as TwilioFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = typeof failure.code === 'number' ? failure.code : undefined;
  const text = typeof failure.message === 'string' ? failure.message : String(err);
  const said = `${code ?? status}: ${text}`;
  const details = { channel: 'sms' as const, providerMessage: text, providerCode: code ?? status, cause: err };

  if (status !== undefined) {
    if (status === 429 || code === RATE_LIMITED_CODE) {
      return new RateLimitedChannelError(`Twilio is rate-limiting us (${said}); the send will be retried.`, details);
    }
    if (code === OPTED_OUT_CODE) {
      return new RecipientOptedOutError(`The recipient has replied STOP to this sender (${said}); SMS to them is suppressed.`, details);
    }
    if (code !== undefined && INVALID_NUMBER_CODES.has(code)) {
      return new PermanentChannelError(`Twilio cannot deliver to this number (${said}).`, { ...details, code: 'INVALID_RECIPIENT' });
    }
    if (status === 401 || status === 403 || code === 20003) {
      return new PermanentChannelError(`Twilio refused our credentials (${said}); check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.`, {
        ...details,
        code: 'AUTH_FAILED',
      });
    }
    if (status >= 500) {
      return new RetryableChannelError(`Twilio failed on its side (${said}); the send will be retried.`, {
        ...details,
        code: 'PROVIDER_ERROR',
      });
    }
    if (code !== undefined && INVALID_MESSAGE_CODES.has(code)) {
      return new PermanentChannelError(`Twilio refused the message as composed (${said}).`, { ...details, code: 'INVALID_MESSAGE' });
    }
    return new PermanentChannelError(`Twilio refused the message (${said}).`, details);
  }

  const network = networkError(err, 'sms', 'Twilio');
  if (network) return network;
  if (failure.isAxiosError === true) {
    return new RetryableChannelError(`Twilio could not be reached (${text}); the send will be retried.`, {
      ...details,
      code: 'UNAVAILABLE',
    });
  }
  // What is left was thrown by twilio-node before any request (a missing parameter):
  // the same message would fail the same way.
  return new PermanentChannelError(`The SMS could not be sent as composed (${text}).`, { ...details, code: 'INVALID_MESSAGE' });
}

export function createSmsChannel(options: SmsChannelOptions): Channel<SmsMessage> {
  if (!options.from && !options.messagingServiceSid) {
    throw new ChannelConfigError('Twilio needs a sender: set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.', { channel: 'sms' });
  }
  if (!options.accountSid.startsWith('AC')) {
    throw new ChannelConfigError('TWILIO_ACCOUNT_SID must be an account SID starting with "AC".', { channel: 'sms' });
  }
  const httpClient = new TwilioHttpClient({ apiBaseUrl: options.apiBaseUrl, timeoutMs: options.timeoutMs });
  const client = twilio(options.accountSid, options.authToken, { httpClient });
  const sender = {
    ...(options.from ? { from: options.from } : {}),
    ...(options.messagingServiceSid ? { messagingServiceSid: options.messagingServiceSid } : {}),
    ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl } : {}),
  };

  return {
    name: 'sms',
    kind: 'provider',
    async send(message) {
      try {
        const created = await client.messages.create({ to: message.to, body: message.body, ...sender });
        return { providerId: created.sid, detail: created.status };
      } catch (err) {
        throw mapTwilioError(err);
      }
    },
    async close() {
      httpClient.destroy();
    },
  };
}
