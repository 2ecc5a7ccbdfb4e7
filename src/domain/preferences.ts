/**
 * Which channels one recipient gets one kind of notification on (SPEC "Preferences and delivery policy").
 * Every channel gets a decision with a reason, because the notification log must say why a message
 * was or was not sent.
 */
import { type AudienceRole, kindDefault, type KindDefaultsTable } from './kinds.js';
import { CHANNELS, type ChannelName, type NotificationKind, type Recipient } from './types.js';

export interface ChannelDecision {
  channel: ChannelName;
  send: boolean;
  reason?: 'preference_off' | 'unsubscribed' | 'no_address';
  /** Set when this channel is sent only because the channel named here could not reach the recipient. */
  fallbackFor?: { channel: ChannelName; reason: string };
}

function isAudienceRole(role: Recipient['role']): role is AudienceRole {
  return role === 'buyer' || role === 'seller';
}

/**
 * Kind override > channel switch > admin default > built-in default. The channel switch only vetoes:
 * `enabled: true` means "this channel may be used", not "send every kind on it", otherwise turning SMS
 * on would also turn on every kind that is off by default.
 */
export function wanted(kind: NotificationKind, channel: ChannelName, recipient: Recipient, adminDefaults?: Partial<KindDefaultsTable>): boolean {
  const override = recipient.preferences.kinds?.[kind]?.[channel];
  if (override !== undefined) return override;
  if (recipient.preferences.channels?.[channel]?.enabled === false) return false;
  if (!isAudienceRole(recipient.role)) return false;
  return kindDefault(kind, adminDefaults)[recipient.role].includes(channel);
}

export function hasAddress(channel: ChannelName, recipient: Recipient): boolean {
  switch (channel) {
    case 'email':
      return Boolean(recipient.email?.trim());
    case 'sms':
      return Boolean(recipient.phone?.trim());
    case 'push':
      return recipient.pushSubscriptions.length > 0;
  }
}

/**
 * One decision per channel, in `CHANNELS` order. Suppression (unsubscribe, bounce, STOP, gone push
 * subscription) wins over everything, then preferences, then whether there is an address to send to.
 */
export function resolveChannels(kind: NotificationKind, recipient: Recipient, adminDefaults?: Partial<KindDefaultsTable>): ChannelDecision[] {
  return CHANNELS.map((channel): ChannelDecision => {
    if (recipient.suppressed?.[channel] !== undefined) return { channel, send: false, reason: 'unsubscribed' };
    if (!wanted(kind, channel, recipient, adminDefaults)) return { channel, send: false, reason: 'preference_off' };
    if (!hasAddress(channel, recipient)) return { channel, send: false, reason: 'no_address' };
    return { channel, send: true };
  });
}

/**
 * SPEC / issue "Delivery policy": when a channel the recipient wants for this kind cannot reach them
 * (no address, no push subscription, opted out), the kind's fallback channel is used once — unless the
 * recipient switched that channel off, it is suppressed, or it is already being sent.
 */
export function withFallback(
  kind: NotificationKind,
  recipient: Recipient,
  decisions: ChannelDecision[],
  adminDefaults?: Partial<KindDefaultsTable>,
): ChannelDecision[] {
  if (!isAudienceRole(recipient.role)) return decisions;
  const fallback = kindDefault(kind, adminDefaults).fallback?.[recipient.role];
  if (!fallback) return decisions;
  const target = decisions.find((d) => d.channel === fallback);
  if (!target || target.send || target.reason !== 'preference_off') return decisions;
  if (recipient.preferences.channels?.[fallback]?.enabled === false || recipient.preferences.kinds?.[kind]?.[fallback] === false) return decisions;
  if (!hasAddress(fallback, recipient)) return decisions;
  const missed = decisions.find(
    (d) => d.channel !== fallback && !d.send && (d.reason === 'no_address' || d.reason === 'unsubscribed') && wanted(kind, d.channel, recipient, adminDefaults),
  );
  if (!missed) return decisions;
  return decisions.map((d) =>
    d === target ? { channel: fallback, send: true, fallbackFor: { channel: missed.channel, reason: missed.reason! } } : d,
  );
}
