/**
 * Email over SMTP through nodemailer's pooled transport, with RFC 8058 one-click unsubscribe
 * headers and a Message-ID derived from the notification id.
 */
import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import { resolveMailIdentity, toMailOptions } from './email-message.js';
import {
  ChannelError,
  HardBounceError,
  PermanentChannelError,
  RetryableChannelError,
  networkError,
} from './errors.js';
import type { Channel, EmailMessage } from './types.js';

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (implicit TLS). */
  smtpUrl: string;
  /** From header: `"Shop" <orders@shop.example>` or a bare address. */
  from: string;
  /**
   * Domain on the right of every Message-ID (`<notificationId@domain>`).
   * @defaultValue the domain of `from`
   */
  messageIdDomain?: string;
  /**
   * Options for `tls.connect`, e.g. `ca` to trust a private CA.
   * @defaultValue Node's defaults (system CAs, certificate checked)
   */
  tls?: ConnectionOptions;
  /**
   * Pooled SMTP connections kept open at most.
   * @defaultValue 5
   */
  maxConnections?: number;
  /**
   * Milliseconds to wait for the connection, the greeting, and any reply, before the send
   * fails as retryable. nodemailer's own socket timeout is ten minutes, longer than a job
   * should hold a worker.
   * @defaultValue 60_000
   */
  timeoutMs?: number;
}

/** Recipient replies that mean the mailbox does not exist or cannot ever receive mail. */
const HARD_BOUNCE_CODES = new Set([550, 551, 553]);
/** Replies that mean our own credentials were refused. */
const AUTH_CODES = new Set([530, 534, 535, 538]);

/** The shape of a nodemailer error (`NodemailerError`), read defensively. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** Maps any nodemailer failure to a typed channel error. */
export function mapSmtpError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  const reply = failure.response ?? failure.message ?? String(err);
  const details = { channel: 'email' as const, providerMessage: reply, cause: err };
  const responseCode = failure.responseCode;

  if (typeof responseCode === 'number') {
    const command = (failure.command ?? '').toUpperCase();
    // RFC 5321 §4.2.1: 4yz is transient. 503 is "bad sequence of commands", a session fault
    // rather than a verdict on the message, so a new connection may well succeed.
    if ((responseCode >= 400 && responseCode < 500) || responseCode === 503) {
      return new RetryableChannelError(`The mail server deferred the message (${reply}); it will be retried.`, {
        ...details,
        code: 'TEMPORARY_FAILURE',
        providerCode: responseCode,
      });
    }
    if (HARD_BOUNCE_CODES.has(responseCode) && command.startsWith('RCPT')) {
      return new HardBounceError(`The recipient's mail server refused the address for good (${reply}).`, {
        ...details,
        providerCode: responseCode,
      });
    }
    if (AUTH_CODES.has(responseCode)) {
      return new PermanentChannelError(`The mail server refused our SMTP credentials (${reply}); check SMTP_URL.`, {
        ...details,
        code: 'AUTH_FAILED',
        providerCode: responseCode,
      });
    }
    if (responseCode >= 500) {
      return new PermanentChannelError(`The mail server refused the message for good (${reply}).`, {
        ...details,
        providerCode: responseCode,
      });
    }
  }

  switch (failure.code) {
    case 'ETIMEDOUT':
      return new RetryableChannelError(`The mail server did not answer in time (${reply}); the send will be retried.`, {
        ...details,
        code: 'TIMEOUT',
        providerCode: failure.code,
      });
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'ETLS':
    case 'EPROTOCOL':
    case 'EPROXY':
      return new RetryableChannelError(`The mail server could not be reached (${reply}); the send will be retried.`, {
        ...details,
        code: 'UNAVAILABLE',
        providerCode: failure.code,
      });
    case 'EAUTH':
    case 'ENOAUTH':
    case 'EOAUTH2':
      return new PermanentChannelError(`The mail server refused our SMTP credentials (${reply}); check SMTP_URL.`, {
        ...details,
        code: 'AUTH_FAILED',
        providerCode: failure.code,
      });
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'ESTREAM':
    case 'EMAXRECIPIENTS':
      return new PermanentChannelError(`The message could not be sent as composed (${reply}).`, {
        ...details,
        code: 'INVALID_MESSAGE',
        providerCode: failure.code,
      });
    case 'ECONFIG':
    case 'EREQUIRETLS':
      return new PermanentChannelError(`The SMTP transport is misconfigured (${reply}); check SMTP_URL.`, {
        ...details,
        code: 'INVALID_CONFIG',
        providerCode: failure.code,
      });
  }
  return (
    networkError(err, 'email', 'The mail server') ??
    new RetryableChannelError(`Sending the email failed unexpectedly (${reply}); it will be retried.`, details)
  );
}

export function createEmailChannel(options: EmailChannelOptions): Channel<EmailMessage> {
  const identity = resolveMailIdentity(options.from, options.messageIdDomain);
  const timeout = options.timeoutMs ?? 60_000;
  const transport = nodemailer.createTransport({
    pool: true,
    url: options.smtpUrl,
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Bodies come from admin-editable templates: never let them pull in local files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(options.tls ? { tls: options.tls } : {}),
  });

  return {
    name: 'email',
    kind: 'provider',
    async send(message) {
      try {
        const info = await transport.sendMail(toMailOptions(message, identity));
        return { providerId: info.messageId, detail: info.response };
      } catch (err) {
        throw mapSmtpError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}
