import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../../src/channels/email.js';
import { RetryableChannelError } from '../../src/channels/errors.js';
import { createOutboxChannel } from '../../src/channels/outbox.js';
import { pushTopic } from '../../src/channels/push.js';
import type { EmailMessage, PushMessage, SmsMessage } from '../../src/channels/types.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { failureOf } from '../support/failure.js';

const writtenAt = new Date('2026-11-22T10:15:00.000Z');
const now = () => writtenAt;

const email: EmailMessage = {
  notificationId: 'ntf-email-1',
  to: 'buyer@example.com',
  subject: 'Out for delivery',
  html: '<p>Arriving <b>today</b></p>',
  text: 'Arriving today',
  unsubscribeUrl: 'https://shop.example/unsubscribe/tok',
  unsubscribeMailto: 'mailto:unsubscribe@shop.example',
};

const sms: SmsMessage = { notificationId: 'ntf-sms-1', to: '+14155550100', body: 'Arriving today' };

const push: PushMessage = {
  notificationId: 'ntf-push-1',
  subscription: { endpoint: 'https://push.example/wpush/abc', keys: { p256dh: 'secret-p256dh', auth: 'secret-auth' } },
  title: 'Out for delivery',
  body: 'Arriving today',
  url: 'https://shop.example/orders/1',
  ttlSeconds: 3600,
  urgency: 'normal',
  topic: 'shipment:1/out_for_delivery',
};

function headerOf(headers: { key: string; value: string }[], name: string): string | undefined {
  return headers.find((h) => h.key === name.toLowerCase())?.value;
}

describe('outbox channel', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sn-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an email as a parseable .eml with HTML, text and the unsubscribe headers', async () => {
    const outbox = createOutboxChannel(dir, 'email', { from: '"Shop" <orders@shop.example>', now });
    const result = await outbox.send(email);

    const file = join(dir, 'email', 'ntf-email-1.eml');
    expect(result.providerId).toBe(file);
    const raw = await readFile(file, 'utf8');
    expect(raw).toContain('\r\n');
    const mail = await PostalMime.parse(raw);
    expect(mail.html).toContain('<b>today</b>');
    expect(mail.text?.trim()).toBe('Arriving today');
    expect(mail.subject).toBe('Out for delivery');
    expect(mail.messageId).toBe('<ntf-email-1@shop.example>');
    expect(new Date(mail.date ?? '').toISOString()).toBe(writtenAt.toISOString());
    expect(headerOf(mail.headers, 'List-Unsubscribe')).toBe('<https://shop.example/unsubscribe/tok>, <mailto:unsubscribe@shop.example>');
    expect(headerOf(mail.headers, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(outbox.kind).toBe('outbox');
    expect(outbox.name).toBe('email');
    await outbox.close();
  });

  it('writes an SMS as .json', async () => {
    const outbox = createOutboxChannel(dir, 'sms', { now });
    await outbox.send(sms);
    const record: unknown = JSON.parse(await readFile(join(dir, 'sms', 'ntf-sms-1.json'), 'utf8'));
    expect(record).toEqual({
      channel: 'sms',
      notificationId: 'ntf-sms-1',
      to: '+14155550100',
      body: 'Arriving today',
      writtenAt: '2026-11-22T10:15:00.000Z',
    });
  });

  it('writes a push as .json with the derived topic and without the subscription keys', async () => {
    const outbox = createOutboxChannel(dir, 'push', { now });
    await outbox.send(push);
    const text = await readFile(join(dir, 'push', 'ntf-push-1.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({
      channel: 'push',
      notificationId: 'ntf-push-1',
      to: 'https://push.example/wpush/abc',
      title: 'Out for delivery',
      body: 'Arriving today',
      url: 'https://shop.example/orders/1',
      ttlSeconds: 3600,
      urgency: 'normal',
      topic: pushTopic('shipment:1/out_for_delivery'),
      writtenAt: '2026-11-22T10:15:00.000Z',
    });
    expect(text).not.toContain('secret-');
  });

  it('overwrites the file of a notification written twice and leaves no temporary files', async () => {
    const outbox = createOutboxChannel(dir, 'sms', { now });
    await outbox.send(sms);
    await outbox.send({ ...sms, body: 'Second attempt' });
    expect(await readdir(join(dir, 'sms'))).toEqual(['ntf-sms-1.json']);
    const record = JSON.parse(await readFile(join(dir, 'sms', 'ntf-sms-1.json'), 'utf8')) as { body: string };
    expect(record.body).toBe('Second attempt');
  });

  it('never duplicates under concurrent writes of the same notification', async () => {
    const outbox = createOutboxChannel(dir, 'email', { from: 'orders@shop.example', now });
    await Promise.all(Array.from({ length: 8 }, () => outbox.send(email)));
    expect(await readdir(join(dir, 'email'))).toEqual(['ntf-email-1.eml']);
    const mail = await PostalMime.parse(await readFile(join(dir, 'email', 'ntf-email-1.eml'), 'utf8'));
    expect(mail.subject).toBe('Out for delivery');
  });

  it('creates missing directories and keeps hostile ids inside its folder', async () => {
    const nested = join(dir, 'deep', 'outbox');
    const outbox = createOutboxChannel(nested, 'sms', { now });
    const result = await outbox.send({ ...sms, notificationId: '../../escape' });
    expect(result.providerId).toBe(join(nested, 'sms', '=2E=2E=2F=2E=2E=2Fescape.json'));
    expect(await readdir(join(nested, 'sms'))).toEqual(['=2E=2E=2F=2E=2E=2Fescape.json']);
    expect(await readdir(dir)).toEqual(['deep']);
  });

  it('reports a write it cannot do as a retryable OUTBOX_WRITE_FAILED', async () => {
    const blocked = join(dir, 'not-a-directory');
    await writeFile(blocked, 'a file where the outbox should be');
    const outbox = createOutboxChannel(blocked, 'sms', { now });
    const err = await failureOf(outbox.send(sms));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'OUTBOX_WRITE_FAILED', channel: 'sms' });
  });
});

describe('outbox email compared with the SMTP channel', () => {
  let sink: SmtpSink;
  let dir: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    dir = await mkdtemp(join(tmpdir(), 'sn-outbox-'));
  });
  afterAll(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries the same headers and bodies as the mail sent over SMTP', async () => {
    const from = '"Shop" <orders@shop.example>';
    const smtp = createEmailChannel({ smtpUrl: sink.url, from });
    const outbox = createOutboxChannel(dir, 'email', { from });
    await smtp.send(email);
    await outbox.send(email);
    await smtp.close();

    const [sent] = await sink.waitFor(1);
    const written = await PostalMime.parse(await readFile(join(dir, 'email', 'ntf-email-1.eml'), 'utf8'));
    for (const name of ['List-Unsubscribe', 'List-Unsubscribe-Post', 'Message-ID', 'From', 'To', 'Subject']) {
      expect(headerOf(written.headers, name), name).toBe(headerOf(sent!.headers, name));
    }
    expect(written.html).toBe(sent?.html);
    expect(written.text).toBe(sent?.text);
  });
});
