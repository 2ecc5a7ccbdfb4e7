import { describe, expect, it } from 'vitest';
import { messageIdFor, resolveMailIdentity, senderDomain, toMailOptions } from '../../src/channels/email-message.js';
import { ChannelConfigError } from '../../src/channels/errors.js';
import type { EmailMessage } from '../../src/channels/types.js';

const message: EmailMessage = {
  notificationId: 'n-1',
  to: 'buyer@example.com',
  subject: 'Shipped',
  html: '<p>Shipped</p>',
  text: 'Shipped',
  unsubscribeUrl: 'https://shop.example/u/abc',
  unsubscribeMailto: 'mailto:unsubscribe@shop.example?subject=abc',
};

describe('senderDomain', () => {
  it('reads the domain of a bare or named From address', () => {
    expect(senderDomain('orders@Shop.Example')).toBe('shop.example');
    expect(senderDomain('"Shop, Inc." <orders@mail.shop.example>')).toBe('mail.shop.example');
  });

  it('has nothing to say about an address without a domain', () => {
    expect(senderDomain('orders')).toBeUndefined();
    expect(senderDomain('')).toBeUndefined();
  });
});

describe('resolveMailIdentity', () => {
  it('defaults the Message-ID domain to the From domain and honours an explicit one', () => {
    expect(resolveMailIdentity('orders@shop.example', undefined).messageIdDomain).toBe('shop.example');
    expect(resolveMailIdentity('orders@shop.example', 'ids.shop.example').messageIdDomain).toBe('ids.shop.example');
  });

  it('refuses at creation when no domain can be found', () => {
    expect(() => resolveMailIdentity('orders', undefined)).toThrow(ChannelConfigError);
  });
});

describe('messageIdFor', () => {
  it('is deterministic and RFC 5322 safe', () => {
    expect(messageIdFor('n-1', 'shop.example')).toBe('<n-1@shop.example>');
    expect(messageIdFor('order:1/shipped', 'shop.example')).toBe('<order=3A1=2Fshipped@shop.example>');
  });
});

describe('toMailOptions', () => {
  it('puts both unsubscribe URLs on one List-Unsubscribe line and announces one-click', () => {
    const options = toMailOptions(message, { from: 'orders@shop.example', messageIdDomain: 'shop.example' });
    expect(options.list).toEqual({ unsubscribe: [['https://shop.example/u/abc', 'mailto:unsubscribe@shop.example?subject=abc']] });
    expect(options.headers).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(options.messageId).toBe('<n-1@shop.example>');
    expect(options).toMatchObject({ html: message.html, text: message.text, subject: 'Shipped', to: message.to });
  });

  it('does not announce one-click for a plain http link (RFC 8058 requires https)', () => {
    const options = toMailOptions(
      { ...message, unsubscribeUrl: 'http://localhost:3000/u/abc', unsubscribeMailto: undefined },
      { from: 'orders@shop.example', messageIdDomain: 'shop.example' },
    );
    expect(options.list).toEqual({ unsubscribe: 'http://localhost:3000/u/abc' });
    expect(options.headers).toBeUndefined();
  });
});
