import { describe, expect, it } from 'vitest';
import type { KindDefaultsTable } from '../../src/domain/kinds.js';
import { type ChannelDecision, resolveChannels } from '../../src/domain/preferences.js';
import type { NotificationKind, Recipient } from '../../src/domain/types.js';

const buyer: Recipient = {
  id: 'r_buyer',
  role: 'buyer',
  name: 'Ana',
  email: 'ana@example.com',
  phone: '+34600000000',
  locale: 'es',
  timezone: 'Europe/Madrid',
  pushSubscriptions: [{ endpoint: 'https://push.example/abc', keys: { p256dh: 'p', auth: 'a' } }],
  preferences: {},
};
const seller: Recipient = { ...buyer, id: 'r_seller', role: 'seller', name: 'Shop' };

type Outcome = 'send' | NonNullable<ChannelDecision['reason']>;

interface Row {
  name: string;
  kind: NotificationKind;
  recipient: Recipient;
  admin?: Partial<KindDefaultsTable>;
  email: Outcome;
  sms: Outcome;
  push: Outcome;
}

const rows: Row[] = [
  { name: 'built-in default: delivered goes to a buyer by email and push', kind: 'delivered', recipient: buyer, email: 'send', sms: 'preference_off', push: 'send' },
  { name: 'built-in default: out_for_delivery by sms and push', kind: 'out_for_delivery', recipient: buyer, email: 'preference_off', sms: 'send', push: 'send' },
  { name: 'built-in default: a seller gets exceptions by email and sms', kind: 'exception', recipient: seller, email: 'send', sms: 'send', push: 'preference_off' },
  { name: 'built-in default: a seller gets no delivered message', kind: 'delivered', recipient: seller, email: 'preference_off', sms: 'preference_off', push: 'preference_off' },
  { name: 'built-in default: in_transit_update is off for everyone', kind: 'in_transit_update', recipient: buyer, email: 'preference_off', sms: 'preference_off', push: 'preference_off' },
  {
    name: 'admin default beats built-in default',
    kind: 'delivered',
    recipient: buyer,
    admin: { delivered: { buyer: ['sms'] } },
    email: 'preference_off',
    sms: 'send',
    push: 'preference_off',
  },
  {
    name: 'admin default for another role leaves this role on the built-in default',
    kind: 'delivered',
    recipient: buyer,
    admin: { delivered: { seller: ['email'] } },
    email: 'send',
    sms: 'preference_off',
    push: 'send',
  },
  {
    name: 'channel switch off beats admin and built-in defaults',
    kind: 'exception',
    recipient: { ...buyer, preferences: { channels: { sms: { enabled: false } } } },
    admin: { exception: { buyer: ['sms', 'email'] } },
    email: 'send',
    sms: 'preference_off',
    push: 'preference_off',
  },
  {
    name: 'channel switch on does not turn on kinds that are off',
    kind: 'delivered',
    recipient: { ...buyer, preferences: { channels: { sms: { enabled: true } } } },
    email: 'send',
    sms: 'preference_off',
    push: 'send',
  },
  {
    name: 'kind override beats the channel switch, both ways',
    kind: 'delivered',
    recipient: { ...buyer, preferences: { channels: { sms: { enabled: false }, email: { enabled: true } }, kinds: { delivered: { sms: true, email: false } } } },
    email: 'preference_off',
    sms: 'send',
    push: 'send',
  },
  {
    name: 'kind override beats the admin default',
    kind: 'shipped',
    recipient: { ...buyer, preferences: { kinds: { shipped: { push: true } } } },
    admin: { shipped: { buyer: ['email'] } },
    email: 'send',
    sms: 'preference_off',
    push: 'send',
  },
  {
    name: 'a buyer may opt in to the in-transit digest',
    kind: 'in_transit_update',
    recipient: { ...buyer, preferences: { kinds: { in_transit_update: { email: true } } } },
    email: 'send',
    sms: 'preference_off',
    push: 'preference_off',
  },
  {
    name: 'suppression wins over everything, even a kind override',
    kind: 'exception',
    recipient: {
      ...buyer,
      preferences: { kinds: { exception: { sms: true, email: true } } },
      suppressed: { sms: { reason: 'STOP', at: '2026-11-01T00:00:00Z' }, email: { reason: 'hard bounce', at: '2026-11-01T00:00:00Z' } },
    },
    email: 'unsubscribed',
    sms: 'unsubscribed',
    push: 'send',
  },
  {
    name: 'suppression is reported even where preferences were off anyway',
    kind: 'delivered',
    recipient: { ...buyer, suppressed: { sms: { reason: '21610', at: '2026-11-01T00:00:00Z' } } },
    email: 'send',
    sms: 'unsubscribed',
    push: 'send',
  },
  {
    name: 'an enabled channel without an address is no_address',
    kind: 'exception',
    recipient: { ...buyer, email: undefined, phone: '  ', pushSubscriptions: [] },
    email: 'no_address',
    sms: 'no_address',
    push: 'no_address',
  },
  {
    name: 'a disabled channel without an address is preference_off, not no_address',
    kind: 'delivered',
    recipient: { ...buyer, phone: undefined },
    email: 'send',
    sms: 'preference_off',
    push: 'send',
  },
  {
    name: 'an admin recipient gets only what it opts into',
    kind: 'exception',
    recipient: { ...buyer, role: 'admin', preferences: { kinds: { exception: { email: true } } } },
    email: 'send',
    sms: 'preference_off',
    push: 'preference_off',
  },
];

describe('resolveChannels', () => {
  it.each(rows)('$name', ({ kind, recipient, admin, email, sms, push }) => {
    const decisions = resolveChannels(kind, recipient, admin);
    const outcome = (d: ChannelDecision): Outcome => (d.send ? 'send' : (d.reason ?? 'send'));
    expect(decisions.map((d) => d.channel)).toEqual(['email', 'sms', 'push']);
    expect(Object.fromEntries(decisions.map((d) => [d.channel, outcome(d)]))).toEqual({ email, sms, push });
    for (const d of decisions) expect(d.send).toBe(d.reason === undefined);
  });
});
