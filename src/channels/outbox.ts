/**
 * The channel used when no provider is configured: each message becomes a file a developer
 * can open. Emails are real `.eml` files (the MIME nodemailer would send over SMTP), SMS and
 * push are `.json`. One file per notification id, written atomically, so a retried job
 * overwrites its file instead of adding a second one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { ChannelName } from '../domain/types.js';
import { resolveMailIdentity, toMailOptions } from './email-message.js';
import { RetryableChannelError } from './errors.js';
import { pushTopic } from './push.js';
import { encodeIdentifier } from './safe-id.js';
import type { Channel, ChannelMessages, EmailMessage, PushMessage, SendResult, SmsMessage } from './types.js';

export interface OutboxOptions {
  /**
   * From header of outbox emails.
   * @defaultValue `"shipment-notifier" <notifications@localhost>`
   */
  from?: string;
  /** Right-hand side of outbox Message-IDs. @defaultValue the domain of `from` */
  messageIdDomain?: string;
  /** Clock for `writtenAt` and the email Date header. @defaultValue `() => new Date()` */
  now?: () => Date;
}

const DEFAULT_FROM = '"shipment-notifier" <notifications@localhost>';

/** Writes `data` to `file` so that a reader sees either the old file or the whole new one. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Creates an outbox channel writing into `<dir>/<channel>/`, one file per notification id.
 * The directory is created on demand.
 */
export function createOutboxChannel<C extends ChannelName>(dir: string, channel: C, options: OutboxOptions = {}): Channel<ChannelMessages[C]> {
  const folder = join(dir, channel);
  const now = options.now ?? (() => new Date());
  const identity = channel === 'email' ? resolveMailIdentity(options.from ?? DEFAULT_FROM, options.messageIdDomain) : undefined;
  const mailer = channel === 'email' ? nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }) : undefined;

  async function render(message: ChannelMessages[ChannelName]): Promise<{ extension: string; data: string | Buffer }> {
    const writtenAt = now();
    if (mailer && identity) {
      const info = await mailer.sendMail({ ...toMailOptions(message as EmailMessage, identity), date: writtenAt });
      return { extension: '.eml', data: info.message as Buffer };
    }
    if (channel === 'sms') {
      const sms = message as SmsMessage;
      const record = { channel, notificationId: sms.notificationId, to: sms.to, body: sms.body, writtenAt: writtenAt.toISOString() };
      return { extension: '.json', data: `${JSON.stringify(record, null, 2)}\n` };
    }
    const push = message as PushMessage;
    const record = {
      channel,
      notificationId: push.notificationId,
      // The endpoint only: the subscription's keys are secrets of the browser.
      to: push.subscription.endpoint,
      title: push.title,
      body: push.body,
      url: push.url,
      ttlSeconds: push.ttlSeconds,
      urgency: push.urgency,
      topic: pushTopic(push.topic),
      writtenAt: writtenAt.toISOString(),
    };
    return { extension: '.json', data: `${JSON.stringify(record, null, 2)}\n` };
  }

  return {
    name: channel,
    kind: 'outbox',
    async send(message): Promise<SendResult> {
      try {
        const { extension, data } = await render(message);
        const file = join(folder, `${encodeIdentifier(message.notificationId)}${extension}`);
        await mkdir(folder, { recursive: true });
        await writeAtomically(file, data);
        return { providerId: file, detail: 'written to outbox' };
      } catch (err) {
        throw new RetryableChannelError(`Could not write the ${channel} outbox file in ${folder}: ${(err as Error).message}`, {
          channel,
          code: 'OUTBOX_WRITE_FAILED',
          providerMessage: (err as Error).message,
          providerCode: (err as { code?: string }).code,
          cause: err,
        });
      }
    },
    async close() {
      mailer?.close();
    },
  };
}
