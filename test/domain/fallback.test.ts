import { describe, expect, it } from 'vitest';
import { resolveChannels, withFallback } from '../../src/domain/preferences.js';
import type { Recipient } from '../../src/domain/types.js';

const buyer = (patch: Partial<Recipient> = {}): Recipient => ({
  id: 'b',
  role: 'buyer',
  name: 'Ana',
  email: 'ana@example.com',
  phone: '+12125550142',
  locale: 'en',
  timezone: 'UTC',
  pushSubscriptions: [],
  preferences: {},
  ...patch,
});

const decide = (r: Recipient, kind: Parameters<typeof resolveChannels>[0] = 'out_for_delivery', admin?: Parameters<typeof resolveChannels>[2]) =>
  Object.fromEntries(withFallback(kind, r, resolveChannels(kind, r, admin), admin).map((d) => [d.channel, d]));

describe('fallback channel', () => {
  it('sends email once when push, wanted for out_for_delivery, has no subscription', () => {
    const d = decide(buyer());
    expect(d.push).toMatchObject({ send: false, reason: 'no_address' });
    expect(d.email).toMatchObject({ send: true, fallbackFor: { channel: 'push', reason: 'no_address' } });
    expect(d.sms).toMatchObject({ send: true });
  });

  it('sends email when the number opted out of SMS', () => {
    const sub = { endpoint: 'https://push.example.com/x', keys: { p256dh: 'k', auth: 'a' } };
    const d = decide(buyer({ pushSubscriptions: [sub], suppressed: { sms: { reason: 'STOP', at: '' } } }));
    expect(d.email).toMatchObject({ send: true, fallbackFor: { channel: 'sms', reason: 'unsubscribed' } });
  });

  it('does nothing when every wanted channel reaches the recipient', () => {
    const sub = { endpoint: 'https://push.example.com/x', keys: { p256dh: 'k', auth: 'a' } };
    expect(decide(buyer({ pushSubscriptions: [sub] })).email).toMatchObject({ send: false, reason: 'preference_off' });
  });

  it('does not override a recipient who switched the fallback channel off, or has no address for it', () => {
    expect(decide(buyer({ preferences: { channels: { email: { enabled: false } } } })).email!.send).toBe(false);
    expect(decide(buyer({ preferences: { kinds: { out_for_delivery: { email: false } } } })).email!.send).toBe(false);
    const { email: _e, ...noEmail } = buyer();
    expect(decide(noEmail as Recipient).email!.send).toBe(false);
  });

  it('does not fall back for a channel the recipient did not want', () => {
    // SMS is off by the recipient's choice; push has no subscription but is not wanted either.
    const r = buyer({ preferences: { kinds: { out_for_delivery: { sms: false, push: false } } } });
    expect(decide(r).email!.send).toBe(false);
  });

  it('uses the fallback an admin configured, or none', () => {
    const sub = { endpoint: 'https://push.example.com/x', keys: { p256dh: 'k', auth: 'a' } };
    const r = buyer({ pushSubscriptions: [sub], phone: undefined as unknown as string });
    delete (r as Partial<Recipient>).phone;
    expect(decide(r, 'out_for_delivery').email).toMatchObject({ send: true, fallbackFor: { channel: 'sms' } });
    expect(decide(r, 'out_for_delivery', { out_for_delivery: { fallback: { buyer: 'push' } } }).email!.send).toBe(false);
  });
});
