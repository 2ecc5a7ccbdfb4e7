import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../../src/channels/email.js';
import {
  ChannelConfigError,
  HardBounceError,
  PermanentChannelError,
  RetryableChannelError,
  isRetryable,
} from '../../src/channels/errors.js';
import type { Channel, EmailMessage } from '../../src/channels/types.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { failureOf } from '../support/failure.js';

const FROM = '"Example Shop" <orders@shop.example>';

function emailMessage(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    notificationId: `ntf-${Math.random().toString(36).slice(2)}`,
    to: 'buyer@example.com',
    subject: 'Your order has shipped',
    html: '<p>Your order <b>#1001</b> has shipped.</p>',
    text: 'Your order #1001 has shipped.',
    unsubscribeUrl: 'https://shop.example/unsubscribe/tok123',
    unsubscribeMailto: 'mailto:unsubscribe@shop.example?subject=tok123',
    ...overrides,
  };
}

describe('email channel against a real SMTP server', () => {
  let sink: SmtpSink;
  let channel: Channel<EmailMessage>;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });
  afterEach(async () => {
    sink.clearFailures();
    await channel?.close();
  });

  it('delivers HTML and text with one-click unsubscribe headers and a derived Message-ID', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    const message = emailMessage({ notificationId: 'ntf-shipped-1' });
    const before = sink.messages.length;

    const result = await channel.send(message);

    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail?.html).toContain('<b>#1001</b>');
    expect(mail?.text?.trim()).toBe('Your order #1001 has shipped.');
    expect(mail?.subject).toBe('Your order has shipped');
    expect(mail?.from).toMatchObject({ address: 'orders@shop.example', name: 'Example Shop' });
    expect(mail?.envelope.rcptTo).toEqual(['buyer@example.com']);
    expect(sink.header(mail!, 'List-Unsubscribe')).toBe(
      '<https://shop.example/unsubscribe/tok123>, <mailto:unsubscribe@shop.example?subject=tok123>',
    );
    expect(sink.header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail?.messageId).toBe('<ntf-shipped-1@shop.example>');
    expect(result.providerId).toBe('<ntf-shipped-1@shop.example>');
    expect(result.detail).toMatch(/^250 /);
    expect(channel.kind).toBe('provider');
    expect(channel.name).toBe('email');
  });

  it('gives a resend of the same notification the same Message-ID', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM, messageIdDomain: 'ids.shop.example' });
    const message = emailMessage({ notificationId: 'order:7/delivered' });
    const before = sink.messages.length;

    await channel.send(message);
    await channel.send(message);

    const [first, second] = (await sink.waitFor(before + 2)).slice(before);
    expect(first?.messageId).toBe('<order=3A7=2Fdelivered@ids.shop.example>');
    expect(second?.messageId).toBe(first?.messageId);
  });

  it('sends only the https link when there is no mailto alternative', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    const before = sink.messages.length;
    await channel.send(emailMessage({ unsubscribeMailto: undefined }));
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(sink.header(mail!, 'List-Unsubscribe')).toBe('<https://shop.example/unsubscribe/tok123>');
    expect(sink.header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('keeps using pooled connections instead of opening one per message', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM, maxConnections: 1 });
    const connectionsBefore = sink.connectionCount;
    const before = sink.messages.length;
    for (let i = 0; i < 5; i += 1) await channel.send(emailMessage());
    await sink.waitFor(before + 5);
    expect(sink.connectionCount - connectionsBefore).toBe(1);
  });

  it('maps a 421 (service busy) to a retryable error once nodemailer gives up reconnecting', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    sink.failNext(421, 'Too busy, try later', 50);
    const before = sink.messages.length;

    const err = await failureOf(channel.send(emailMessage()));

    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'TEMPORARY_FAILURE', providerCode: 421, channel: 'email' });
    expect(isRetryable(err)).toBe(true);
    expect(sink.messages.length).toBe(before);
  });

  it('maps a 452 on the recipient (mailbox full for now) to a retryable error', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    sink.failNext(452, 'Mailbox temporarily full');
    const err = await failureOf(channel.send(emailMessage()));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'TEMPORARY_FAILURE', providerCode: 452 });
  });

  it.each([550, 551, 553])('maps %i on RCPT TO to a hard bounce', async (code) => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    sink.failNext(code, 'No such user here');

    const err = await failureOf(channel.send(emailMessage()));

    expect(err).toBeInstanceOf(HardBounceError);
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).toMatchObject({ code: 'HARD_BOUNCE', providerCode: code });
    expect((err as HardBounceError).providerMessage).toContain('No such user here');
    expect(isRetryable(err)).toBe(false);
  });

  it('maps a 550 after DATA (content refused) to permanent but not to a bounce of the recipient', async () => {
    channel = createEmailChannel({ smtpUrl: sink.url, from: FROM });
    sink.failNext(550, 'Message rejected as spam', 1, 'data');
    const err = await failureOf(channel.send(emailMessage()));
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err).not.toBeInstanceOf(HardBounceError);
    expect(err).toMatchObject({ code: 'REJECTED', providerCode: 550 });
  });

  it('maps a refused connection to a retryable error', async () => {
    const closed = await startSmtpSink();
    const url = closed.url;
    await closed.close();
    channel = createEmailChannel({ smtpUrl: url, from: FROM });
    const err = await failureOf(channel.send(emailMessage()));
    expect(err).toBeInstanceOf(RetryableChannelError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('maps a server that never greets to a retryable timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      from: FROM,
      timeoutMs: 200,
    });
    try {
      const err = await failureOf(channel.send(emailMessage()));
      expect(err).toBeInstanceOf(RetryableChannelError);
      expect(err).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('refuses a From address it cannot derive a Message-ID domain from', () => {
    expect(() => createEmailChannel({ smtpUrl: sink.url, from: 'orders' })).toThrow(ChannelConfigError);
  });
});
